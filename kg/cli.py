"""The ``kg`` command line: a thin layer over the library API.

Exit status: 0 when the build had no error-level diagnostics (with
``--strict``: no warnings either), 1 when it had, 2 for a usage error or an
environment that does not allow the work (a corpus that cannot be opened, an
output folder that cannot be written or is locked by another build, a full
disk, a missing optional extra), each said in one line; 130 after Ctrl-C and
143 after SIGTERM, with nothing half written; 141 when the reader of the output
went away (``kg stats | head``), as for a program that SIGPIPE ended.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kg.arguments import Parser, at_least, in_range, path_arg, path_of, since_day, until_day
from kg.console import counted, levels_said, print_diagnostics, write_out
from kg.errors import ArgumentError, KgError
from kg.exitstatus import (
    EXIT_BROKEN_PIPE,
    EXIT_BUG,
    EXIT_DIAGNOSTICS,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_STATUS,
    EXIT_TERMINATED,
    EXIT_USAGE,
    exit_status,
)
from kg.sparqlcommands import query_parser, query_run, serve_parser, serve_run

if TYPE_CHECKING:  # pragma: no cover
    from kg.model import KnowledgeGraph
    from kg.parse.commanames import CommaNames
    from kg.report import BuildReport

# (EXIT_STATUS and exit_status are kg.exitstatus's, kept importable from here as README names them)
__all__ = ["COMMANDS", "EXIT_STATUS", "exit_status", "main", "run"]

#: Optional modules -> the extra of pyproject.toml that installs them.  The explorer's (pyvis ...)
#: are core: missing, the install is broken, and installing the empty ``html`` extra mends it.
_CORPUS_OR_GRAPH = ("corpus folder (the one holding news/), or a graph written by kg build "
                    "(graph.kg.json, .ttl, .nt, .nq, .trig, optionally .gz)")


def _add_build_options(p: argparse.ArgumentParser,
                       corpus_help: str = "corpus folder (the one holding news/)", *, base: bool = True) -> None:
    from kg.model import DEFAULT_BASE_IRI

    p.add_argument("corpus", help=corpus_help)
    p.add_argument("--comma-names", type=path_arg, default=None, metavar="FILE",
                   help="context names that hold a comma (Hildale, Utah), one a line: a Related line's list, cut "
                        "at its commas, is joined again where its parts make one (default none: every comma cuts)")
    if not base:  # (kg stats prints no IRI: a base would change nothing it says)
        return
    graphs = corpus_help == _CORPUS_OR_GRAPH  # (a graph file keeps the base it was built with)
    p.add_argument("--base", default=None, metavar="IRI",
                   help=f"base of data IRIs (default {DEFAULT_BASE_IRI}"
                        + ("; of a graph file, the one it was built with)" if graphs else ")"))


def _comma_names(args: argparse.Namespace) -> CommaNames | None:
    """The names of ``--comma-names FILE``, read (``None`` without it)."""
    from kg.parse.commanames import read_comma_names

    return None if args.comma_names is None else read_comma_names(args.comma_names)


def _status(report: BuildReport, strict: bool) -> int:
    if report.has_errors or (strict and report.has_warnings):
        return EXIT_DIAGNOSTICS
    return EXIT_OK


def _corpus_status(source: str, graph: KnowledgeGraph, quiet: bool = False) -> int:
    """A graph built here from a corpus: its errors and warnings, as kg build prints them, and the status.

    A graph file says nothing: the build that wrote it said it.  ``quiet``, as kg build's: the errors only.
    """
    if Path(source).is_file():
        return EXIT_OK
    report = graph.report
    print_diagnostics(report, 20, quiet, False, False, "kg build writes them all to report.json")
    if report.has_errors or (report.has_warnings and not quiet):
        print(f"kg: the corpus has {levels_said(report)}", file=sys.stderr)
    return _status(report, False)


# ------------------------------------------------------------------ build

def _build_parser(p: argparse.ArgumentParser) -> None:
    from kg.export import EXPORTERS

    _add_build_options(p)
    p.add_argument("-o", "--output", required=True, type=path_arg,
                   help="output folder (with --engine dask, an fsspec URL too: s3://bucket/kg/)")
    p.add_argument("-f", "--formats", default=None,
                   help=f"comma-separated formats to write (known: {','.join(sorted(EXPORTERS))}; "
                        "default turtle,report,html,snapshot, which 'default' names too: default,graphml; "
                        "with --engine dask: ntriples,report)")
    p.add_argument("--gzip", action="store_true", help="gzip the Turtle and N-Triples files")
    p.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    talk = p.add_mutually_exclusive_group()
    talk.add_argument("-q", "--quiet", action="store_true",
                      help="print nothing but the diagnostics that fail the build (errors; with --strict, "
                           "warnings too)")
    talk.add_argument("-v", "--verbose", action="store_true",
                      help="print info diagnostics too (odd but harmless data: nothing was lost)")
    p.add_argument("--max-diagnostics", type=at_least(0), default=20, metavar="N",
                   help="diagnostics to print (all are in report.json; default 20)")
    p.add_argument("-j", "--jobs", type=at_least(1), default=None, metavar="N",
                   help="processes that parse pages (default: all cores; 1: no pool)")
    p.add_argument("--fast-parse", action=argparse.BooleanOptionalAction, default=True,
                   help="read pages in the site's canonical form with a line reader, any other by "
                        "markdown-it (the default: the same records, a third of the cost per page); "
                        "--no-fast-parse reads every page with markdown-it")
    from kg.pipeline import ENGINES

    p.add_argument("--engine", choices=sorted(ENGINES), default="local", type=str.lower,
                   help="local: this machine's cores (default); dask: a Dask cluster, writing one "
                        "N-Triples shard per partition, report.json and manifest.json (pip install 'kg[dask]')")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="with --engine dask: the scheduler of an existing cluster (tcp://host:8786); "
                        "default a local cluster")
    p.add_argument("--workers", type=at_least(1), default=None, metavar="N",
                   help="with --engine dask and no --scheduler: worker processes (default: all cores)")
    p.add_argument("--partitions", type=at_least(1), default=None, metavar="N",
                   help="reduce partitions (default: one per 8,000 pages, at least two per worker or job); "
                        "with --engine dask one shard each; with the local engine a full build's reduce runs "
                        "partition by partition on all cores, spilling to disk (Turtle, N-Triples and the "
                        "report only; the default there from 20,000 pages)")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--cache", type=path_of, default=None, metavar="DIR",
                       help="where to keep what a rebuild reuses (default: OUT/.kg): a rebuild "
                            "re-parses only the pages that changed")
    where.add_argument("--no-cache", action="store_true",
                       help="keep nothing for the next build (every build is a full one)")


def _build_run(args: argparse.Namespace) -> int:
    from kg.model import DEFAULT_BASE_IRI
    from kg.pipeline import build_files

    base = DEFAULT_BASE_IRI if args.base is None else args.base
    result = build_files(args.corpus, args.output, args.formats, base_iri=base, jobs=args.jobs,
                         cache_dir=args.cache, cache=not args.no_cache, progress=not args.quiet,
                         fast_parse=args.fast_parse, comma_names=_comma_names(args), gzip=args.gzip, engine=args.engine,
                         scheduler=args.scheduler, workers=args.workers, partitions=args.partitions)
    report = result.report
    in_report = any(Path(str(p)).name == "report.json" for p in result.files)
    print_diagnostics(report, args.max_diagnostics, args.quiet, args.strict, args.verbose,
                       "all diagnostics are in report.json" if in_report else "--max-diagnostics N lists more")
    if not args.quiet:
        counts = report.counts
        said = ", ".join(counted(counts[key], name) for key, name in (
            ("events", "event"), ("days", "day"), ("sources", "source"), ("publishers", "publisher"),
            ("contexts", "context"), ("related_links", "related link")))
        print(f"kg: {said}; {levels_said(report)}"
              + ("" if args.verbose or not report.by_level()["info"] else " (-v lists the info)"),
              file=sys.stderr)
        if not result.incremental:
            done = "wrote"
        elif result.changed:
            done = f"updated ({'1 page' if result.changed == 1 else f'{result.changed:,} pages'} changed)"
        elif result.graph is not None:  # the files made from the whole graph were not all up to date
            done = "updated (no page changed since the last build; the files made from the whole graph written anew)"
        else:  # (each file kept as it was; the report written again, the same)
            done = "up to date (no page changed since the last build)"
        print(f"kg: {done}: {', '.join(str(p) for p in result.files)}", file=sys.stderr)
        if result.edited:  # (a rerun after an edit of kg's own files: what made it write them again)
            one = len(result.edited) == 1
            # (which of the two, the cache cannot tell: a file's size, times and inode are all it keeps)
            print(f"kg: note: {', '.join(Path(p).name for p in result.edited)} {'was' if one else 'were'} changed "
                  f"since a build with this cache wrote {'it' if one else 'them'} (edited, or written by a build "
                  f"without it): written again", file=sys.stderr)
        if result.cache_unused is not None:
            print(f"kg: note: built without the cache: {result.cache_unused}", file=sys.stderr)
        if args.gzip and not any(str(p).endswith(".gz") for p in result.files):  # (else taken without a word)
            print("kg: note: --gzip compresses Turtle and N-Triples only, and neither was asked for",
                  file=sys.stderr)
        if result.left_over:
            print(f"kg: note: {args.output} also holds {', '.join(p.name for p in result.left_over)} from an "
                  "earlier build with other formats: not brought up to date", file=sys.stderr)
    # Pages read, and not one event: said once, last (after what may be hundreds of lines), and a
    # failure with --strict, as a warning is (--quiet hides it as it hides warnings, unless --strict).
    no_event = not report.counts["events"] and report.pages_read > 0
    if no_event and (args.strict or not args.quiet):
        diagnosed = " (see the diagnostics above)" if report.has_errors or report.has_warnings else ""
        print(f"kg: warning: the graph holds no event: none of the {counted(report.pages_read, 'page')} read "
              f"gave one{diagnosed}", file=sys.stderr)
    return EXIT_DIAGNOSTICS if no_event and args.strict else _status(report, args.strict)


# ------------------------------------------------------------------ stats

def _stats_parser(p: argparse.ArgumentParser) -> None:
    _add_build_options(p, _CORPUS_OR_GRAPH, base=False)
    p.add_argument("--top", type=at_least(0), default=10, metavar="N",
                   help="entries in each top list (default 10; 0: the counts alone, no lists)")
    p.add_argument("--json", action="store_true", help="print JSON")


def _stats_run(args: argparse.Namespace) -> int:
    from kg.query.sources import graph_of
    from kg.query.stats import format_stats, graph_stats

    graph = graph_of(args.corpus, comma_names=_comma_names(args))
    stats = graph_stats(graph, top=args.top)
    if args.json:
        write_out(json.dumps(stats.to_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        write_out(format_stats(stats) + "\n")
    return _corpus_status(args.corpus, graph)


# ------------------------------------------------------------------ html

def _html_parser(p: argparse.ArgumentParser) -> None:
    from kg.export.html.explorer import DEFAULT_MAX_NODES, MAX_NODES_LIMIT

    _add_build_options(p, _CORPUS_OR_GRAPH)
    p.add_argument("-o", "--output", required=True, type=path_arg,  # (as typed: "out/" names a folder)
                   help="the .html file to write")
    p.add_argument("--focus", metavar="NAME", help="open on the entity or event named NAME (or its IRI)")
    p.add_argument("--depth", type=in_range(0, 2), default=None, metavar="N",
                   help="with --focus: 0 selects it, 1 shows its events too (default), 2 theirs too")
    p.add_argument("--since", type=since_day, metavar="DATE",
                   help="first day (YYYY-MM-DD or 2015-9-1; a week YYYY-Www, month YYYY-MM, quarter YYYY-Qn "
                        "or year YYYY: from its first day)")
    p.add_argument("--until", type=until_day, metavar="DATE",
                   help="last day (YYYY-MM-DD or 2015-9-1; a week YYYY-Www, month YYYY-MM, quarter YYYY-Qn "
                        "or year YYYY: to its last day)")
    p.add_argument("--entities", "--kinds", dest="entities", metavar="KINDS", default="context",
                   help="entity kinds of the overview: context (default), publisher, or both (context,publisher); "
                        "--kinds is the same, named as kg.to_html's kinds=")
    p.add_argument("--max-nodes", type=in_range(1, MAX_NODES_LIMIT), default=DEFAULT_MAX_NODES, metavar="N",
                   help=f"entities in the first view, 1 to {MAX_NODES_LIMIT} (default {DEFAULT_MAX_NODES})")
    p.add_argument("--title", help="the page's heading (default: the corpus name)")
    p.add_argument("-q", "--quiet", action="store_true",
                   help="print nothing but a corpus's errors (not what was written)")


def _html_run(args: argparse.Namespace) -> int:
    from kg.export.html.explorer import default_title, parse_kinds
    from kg.export.html.exporter import page_path, write_html
    from kg.query.sources import graph_of
    from kg.report import corpus_beside

    if args.depth is not None and args.focus is None:
        raise ArgumentError("--depth expands the focus: give --focus NAME too")
    parse_kinds(args.entities)  # (a misspelt kind, or a page not named .html, is said before the corpus is read)
    page_path(args.output)
    graph = graph_of(args.corpus, args.base, _comma_names(args))
    depth = 1 if args.depth is None else args.depth
    title = args.title
    if title is None and not graph.report.corpus and (name := corpus_beside(args.corpus, graph)):
        title = default_title(name)
    explorer = write_html(graph, args.output, focus=args.focus, depth=depth, since=args.since,
                          until=args.until, kinds=args.entities, max_nodes=args.max_nodes, title=title)
    status = _corpus_status(args.corpus, graph, args.quiet)  # its diagnostics first, as kg build prints them
    if args.quiet:
        return status
    counts = explorer.counts()
    drawn = counts["drawn_context"] + counts["drawn_publisher"]
    outside = f" ({counts['external_events']:,} of them outside the corpus)" if counts["external_events"] else ""
    opened = f", opened on {said}" if (said := explorer.focus_said()) else ""
    print(f"kg: wrote {args.output}{opened} ({counted(drawn, 'entity')} drawn; {counted(counts['events'], 'event')}"
          f"{outside}, {counted(counts['contexts'], 'context')}, {counted(counts['publishers'], 'publisher')} in the "
          "page)", file=sys.stderr)
    return status


# ------------------------------------------------------------------ synth

def _synth_parser(p: argparse.ArgumentParser) -> None:
    p.add_argument("output", type=path_of, help="corpus folder to write (news/ goes inside)")
    p.add_argument("--events", type=at_least(1), required=True, metavar="N", help="number of event pages")
    p.add_argument("--seed", type=at_least(0), default=0, metavar="S", help="random seed (default 0)")


def _synth_run(args: argparse.Namespace) -> int:
    from kg.synth import generate_corpus

    done = generate_corpus(args.output, args.events, seed=args.seed)
    print(f"kg: wrote {counted(done.events, 'event')} on {counted(done.days, 'day')} ({counted(done.files, 'file')}, "
          f"{done.bytes / 1e6:,.1f} MB) to {args.output}", file=sys.stderr)
    return EXIT_OK


#: sub-command -> (help, add arguments, run)
COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None],
                          Callable[[argparse.Namespace], int]]] = {
    "build": ("build the graph of a corpus and write it", _build_parser, _build_run),
    "stats": ("print counts per node and edge type, top contexts and publishers",
              _stats_parser, _stats_run),
    "html": ("write the explorer: an interactive, self-contained page (HTML) of a corpus or graph",
             _html_parser, _html_run),
    "query": ("answer a SPARQL query over a graph written by kg build", query_parser, query_run),
    "serve": ("serve a store as a read-only SPARQL 1.1 Protocol endpoint", serve_parser, serve_run),
    "synth": ("write a synthetic corpus of N events shaped like the sample", _synth_parser, _synth_run),
}


#: What an interrupted command says of its files (the others write none, or may leave some).
_LEFT_AS_IT_WAS = {"build": "; nothing was half written", "html": "; nothing was half written"}


def make_parser() -> Parser:
    """The argument parser of every sub-command."""
    parser = Parser(prog="kg", description="Knowledge graphs from news-event corpora.")
    parser.add_argument("--version", action="version", version="%(prog)s " + __import__("kg").__version__)
    subs = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (help_text, add_arguments, _) in COMMANDS.items():
        add_arguments(subs.add_parser(name, help=help_text, description=help_text))
    return parser


def main(argv: Sequence[str] | None = None, *, program: bool = False) -> int:
    """Run the command line; return the exit status (``program``: as the kg program, which, once Ctrl-C
    has stopped it, ignores SIGINT: the process is not the caller's, as it is in a test)."""
    from kg.interrupts import Terminated, interrupts_past_imports, said_interrupted, said_terminated

    try:
        args = make_parser().parse_command_line(None if argv is None else list(argv))
    except KeyboardInterrupt:
        said_interrupted("", program)
        return EXIT_INTERRUPTED
    try:
        with interrupts_past_imports():
            status = COMMANDS[args.command][2](args)
            sys.stdout.flush()  # here, not at exit: a reader gone away is said as below
            return status
    except KgError as err:
        from kg.query.terminal import message_text

        _say_error(f"kg: error: {message_text(str(err))}")
        return exit_status(err)
    except ModuleNotFoundError as err:
        from kg.extras import OPTIONAL_MODULES, missing_extra

        module = (err.name or "").partition(".")[0]
        if module not in OPTIONAL_MODULES:
            raise
        _say_error(f"kg: error: {missing_extra(module)}")
        return EXIT_USAGE
    except BrokenPipeError:  # the reader went away (kg stats | head): say nothing more
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit's flush
        return EXIT_BROKEN_PIPE
    except OSError as err:  # the environment: a file that cannot be written or read (kg html -o, synth)
        from kg.publish import output_error
        from kg.query.terminal import message_text

        _say_error(f"kg: error: {message_text(str(output_error(err, err.filename or '?')))}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        said_interrupted(_LEFT_AS_IT_WAS.get(args.command, ""), program)
        return EXIT_INTERRUPTED
    except Terminated:
        said_terminated(_LEFT_AS_IT_WAS.get(args.command, ""), program)
        return EXIT_TERMINATED


def _say_error(line: str) -> None:
    """Print ``line`` on standard error; if no one reads it any longer (``2>&1 | true``), say nothing more.

    The exit status is then all that tells: a failed print here had turned a refused command (2) into
    Python's 1, which means a build with error diagnostics.
    """
    try:
        print(line, file=sys.stderr, flush=True)
    except OSError:
        import os

        with contextlib.suppress(OSError):  # (no second error at exit's flush)
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stderr.fileno())


def run() -> None:
    """The ``kg`` program: :func:`main`, then exit with its status.

    Once ``main`` has returned, every file is published: a Ctrl-C or SIGTERM
    that lands while the interpreter shuts down must not turn a finished build
    into a death by signal, so both are ignored from then on.
    """
    import signal

    from kg.collector import return_large_blocks
    from kg.interrupts import said_interrupted
    from kg.streams import hold_standard_streams

    hold_standard_streams()  # (a closed stream, or standard error's reader gone: see there)
    try:
        return_large_blocks()  # the program's setting, not the library's: see there
        status = main(program=True)
    except KeyboardInterrupt:  # in the instant between main's own handlers and here
        said_interrupted("", True)
        status = EXIT_INTERRUPTED
    except MemoryError:  # the machine's limit, not a bug (a worker killed for it is WorkerDiedError, 2)
        _say_error("kg: error: out of memory (MemoryError): the work needs more memory than this process may have; "
                  "see README's Large archives")
        status = EXIT_USAGE
    except Exception:  # a bug of kg's: its traceback, then a status of its own (1 means error diagnostics)
        import traceback

        _say_error(traceback.format_exc().rstrip("\n"))
        _say_error("kg: internal error: this is a bug in kg, not a fault of the corpus or the command; "
                  "the traceback above says where (exit status 70)")
        status = EXIT_BUG
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    sys.exit(status)


if __name__ == "__main__":  # pragma: no cover
    run()
