"""``kg query`` and ``kg serve``: a SPARQL query answered once, or a store served to answer many.

Each command is its arguments (``*_parser``, given an :mod:`argparse` parser
by :data:`kg.cli.COMMANDS`) and its run (``*_run``, given what they parsed,
returning the exit status).  Both take a query's limits alike
(``--timeout``, ``--max-rows``, ``--max-memory``, ``--allow-service``), with
their own defaults: an endpoint open to others gets tighter ones.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kg.arguments import at_least, host_arg, in_range, seconds
from kg.console import write_out
from kg.errors import ArgumentError
from kg.exitstatus import EXIT_OK, EXIT_USAGE

if TYPE_CHECKING:  # pragma: no cover
    from kg.query.limits import Limits

__all__ = ["query_parser", "query_run", "serve_parser", "serve_run"]


# ------------------------------------------------------------------ query

def query_parser(p: argparse.ArgumentParser) -> None:
    """``kg query``'s arguments: the graph, the query, the answer's format, the limits and the base IRI."""
    from kg.query.limits import DEFAULT_MAX_MEMORY_MB, DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT_S
    from kg.query.sparql import RESULT_FORMATS

    p.add_argument("graph", type=Path,
                   help="a store written by kg build --formats oxigraph, a graph file (graph.kg.json, "
                        ".ttl, .nt, .nq, .trig, optionally .gz), or the folder of a build with --engine dask")
    p.add_argument("query", help="a SPARQL query; @FILE reads it from FILE, - from standard input")
    p.add_argument("--format", choices=list(RESULT_FORMATS), default="table", type=_result_format,
                   help="json, xml, csv, tsv: SPARQL 1.1 results (CONSTRUCT: JSON-LD, RDF/XML, "
                        "N-Triples); table: aligned text (CONSTRUCT: Turtle); turtle, nt, jsonld, rdfxml: "
                        "a CONSTRUCT or DESCRIBE answer in that syntax; default table")
    _add_limit_options(p, DEFAULT_TIMEOUT_S, DEFAULT_MAX_ROWS, DEFAULT_MAX_MEMORY_MB)
    p.add_argument("--base", default=None, metavar="IRI",
                   help="base IRI of the data, for the event:, context: ... prefixes, for a file that does not "
                        "say it (by default the one the store or file records, declares or was written under; "
                        "another one is refused)")


#: other names of the graph syntaxes a CONSTRUCT's answer is asked for in -> the --format's own
_GRAPH_SYNTAXES = {"ttl": "turtle", "ntriples": "nt", "n-triples": "nt", "json-ld": "jsonld", "rdf/xml": "rdfxml",
                   "rdf": "rdfxml"}


def _result_format(text: str) -> str:
    """An argparse type: a result format's name, a graph syntax's by any of its usual names."""
    name = text.lower()
    return _GRAPH_SYNTAXES.get(name, name)


def _add_limit_options(p: argparse.ArgumentParser, timeout: float, max_rows: int, max_memory: int) -> None:
    p.add_argument("--timeout", type=seconds, default=timeout, metavar="S",
                   help=f"stop a query after S seconds (default {timeout:g}; 0: no limit)")
    p.add_argument("--max-rows", type=at_least(0), default=max_rows, metavar="N",
                   help=f"answer at most N rows or triples (default {max_rows:,}; 0: no limit)")
    p.add_argument("--max-memory", type=at_least(0), default=max_memory, metavar="MB",
                   help=f"stop a query that allocates more than MB megabytes beyond the store it reads "
                        f"(default {max_memory:,}; 0: no limit)")
    p.add_argument("--allow-service", action="store_true",
                   help="let SERVICE query other endpoints (refused by default)")


def _limits(args: argparse.Namespace) -> Limits:
    from kg.query.limits import Limits

    return Limits(args.timeout or None, args.max_rows or None, args.allow_service, args.max_memory or None)


def _argument_text(text: str) -> str:
    """A command-line argument as the UTF-8 text it was written in: under a locale that is not UTF-8 (LC_ALL=C,
    PYTHONUTF8=0) Python gives its bytes past ASCII as surrogates, which no query engine reads."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        try:
            return os.fsencode(text).decode("utf-8")
        except UnicodeError as err:
            raise ArgumentError("the query holds bytes that are not UTF-8 text: write it in UTF-8, or in a file "
                                "(@FILE)") from err
    return text


def query_run(args: argparse.Namespace) -> int:
    """Answer ``kg query``: the answer on standard output, notes on standard error; the exit status."""
    from kg.query.querytext import read_query
    from kg.query.sparql import evaluate, is_dataset, open_store, query_prefixes

    text = args.query  # (a query written inline is read as UTF-8; @FILE's path is the file system's own)
    if text != "-" and not text.startswith("@"):
        text = _argument_text(text)
    if text == "@":  # (read as a file named "", it said "cannot read the query: : No such file ...")
        raise ArgumentError("@ names no file: write @FILE for a query in a file, - for one on standard input")
    if text == "-" or text.startswith("@"):
        try:
            text = read_query(text[1:] if text.startswith("@") else None)
        except (OSError, UnicodeDecodeError) as err:  # a query is text in UTF-8
            where = "standard input" if text == "-" else text[1:]
            said = (f"{err.filename}: {err.strerror}" if isinstance(err, OSError) and err.strerror else
                    f"{where}: not UTF-8 text (byte {err.start}); a query is written in UTF-8"
                    if isinstance(err, UnicodeDecodeError) else f"{where}: {err}")
            print(f"kg: error: cannot read the query: {said}", file=sys.stderr)
            return EXIT_USAGE
    if not os.path.exists(args.graph) and os.path.exists(args.query) and _is_query(os.fspath(args.graph)):
        raise ArgumentError(f"the graph comes first, then the query: kg query {args.query} "
                            f"{os.fspath(args.graph)!r}")
    prefixes = query_prefixes(args.graph, args.base)  # (a --base the graph does not have: refused before loading it)
    store = open_store(args.graph)
    from kg.query.partnote import part_note

    if (part := part_note(args.graph)) is not None:
        print(f"kg: note: {part}", file=sys.stderr)
    limits = _limits(args)
    union = is_dataset(args.graph)
    answer = evaluate(store, text, args.format, limits, prefixes, union=union)
    out = answer.text  # as the format has it (CSV ends lines with CRLF)
    write_out(out if out.endswith("\n") else out + "\n")
    if answer.truncated:
        print(f"kg: warning: {answer.cut_at(limits.max_rows)} (--max-rows N raises it; 0: no limit)", file=sys.stderr)
    if answer.found_nothing:  # nothing (or a count of it): say which of its terms the graph never uses, if any
        from kg.query.storelookups import empty_answer_notes

        for note in empty_answer_notes(store, text, prefixes, os.fspath(args.graph)):
            print(f"kg: note: {note}", file=sys.stderr)
    return EXIT_OK


# ------------------------------------------------------------------ serve

def serve_parser(p: argparse.ArgumentParser) -> None:
    """``kg serve``'s arguments: the store, where to listen, how many queries at once, the limits."""
    from kg.query.serve import DEFAULT_MAX_MEMORY_MB, DEFAULT_MAX_ROWS, DEFAULT_PORT, DEFAULT_TIMEOUT_S, MAX_RUNNING

    p.add_argument("store", type=Path, help="a store written by kg build --formats oxigraph "
                                            "(or graph.kg.json, a .ttl, .nt, .nq or .trig file, or the folder "
                                            "of a build with --engine dask: loaded into memory)")
    p.add_argument("--host", default="127.0.0.1", type=host_arg,
                   help="address to listen on (default 127.0.0.1: this machine only; 0.0.0.0: every interface)")
    p.add_argument("--port", type=in_range(0, 65535), default=DEFAULT_PORT,
                   help=f"port (default {DEFAULT_PORT}; 0: a free one)")
    p.add_argument("--max-running", type=at_least(1), default=MAX_RUNNING, metavar="N",
                   help=f"queries answered at once; one more gets HTTP 503 (default {MAX_RUNNING})")
    _add_limit_options(p, DEFAULT_TIMEOUT_S, DEFAULT_MAX_ROWS, DEFAULT_MAX_MEMORY_MB)


def _is_query(text: str) -> bool:
    """Whether ``text`` reads as a SPARQL query (given where the graph goes, say)."""
    from kg.errors import QueryError
    from kg.query.querytext import query_form

    try:
        query_form(text)
    except QueryError:
        return False
    return True


def serve_run(args: argparse.Namespace) -> int:
    """Serve the store until stopped (:func:`kg.query.serve.serve`); the exit status."""
    from kg.query.serve import serve

    serve(args.store, host=args.host, port=args.port, limits=_limits(args), max_running=args.max_running)
    return EXIT_OK
