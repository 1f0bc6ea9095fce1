"""One exception hierarchy: every error kg raises on purpose lives in kg.errors,
public paths raise only those, and the command line gives each its exit status."""

from __future__ import annotations

import ast
import inspect
import pkgutil
from importlib import import_module
from pathlib import Path

import pytest

import kg
import kg.errors
import kg.interrupts
from kg.cli import EXIT_STATUS, EXIT_USAGE, exit_status, main

PACKAGE = Path(kg.__file__).parent
SAMPLE = PACKAGE.parent / "examples" / "wcep-2015-09"

# Builtin raises that mean a bug in kg (a broken invariant), not a user error.  A user error
# on a public path must be a KgError; add here only what no argument or file can cause.
BUG_RAISES = {
    ("kg/publish.py", "RuntimeError"),   # publishing without holding the folder: our bug
    ("kg/exitstatus.py", "TypeError"),   # exit_status() given what main() never passes
    ("kg/export/rdflib_graph.py", "TypeError"),  # an RDF term pyoxigraph does not have
    ("kg/export/graphml.py", "TypeError"),  # a node or edge attribute of a type the table never gives
    ("kg/parse/markdown.py", "AssertionError"),  # parse_page_path's promise: a key or date, or an error
    ("kg/export/html/page.py", "RuntimeError"),  # a packaged asset that cannot be inlined
    ("kg/export/html/page.py", "AssertionError"),  # a page template without its two buffer markers
    ("kg/export/html/packing.py", "ValueError"),  # a count past 2**32 in a packed column
    ("kg/export/spelling.py", "AssertionError"),  # an IRI kg minted with a character no IRI holds
    ("kg/facts/executors.py", "TypeError"),  # a record field the pickling table would lose
    # invariant checks of the written files' index: a mismatch is our bug, never the data's
    ("kg/export/rdf.py", "AssertionError"),
    ("kg/incremental/outindex.py", "AssertionError"),
    ("kg/incremental/rebuild.py", "AssertionError"),
    ("kg/distributed/merging.py", "AssertionError"),  # two partitions holding one subject, or out of order
    ("kg/distributed/local.py", "AssertionError"),  # a stage's task ending its map early (StopIteration)
}
BUILTINS = {"ValueError", "TypeError", "RuntimeError", "AssertionError", "KeyError", "LookupError"}


def _modules() -> list[str]:
    return ["kg"] + [m.name for m in pkgutil.walk_packages([str(PACKAGE)], "kg.")]


def test_every_kg_exception_class_is_defined_in_errors() -> None:
    homes = {}
    for name in _modules():
        for _, cls in inspect.getmembers(import_module(name), inspect.isclass):
            if issubclass(cls, BaseException) and cls.__module__.startswith("kg"):
                homes[cls.__qualname__] = cls.__module__
    elsewhere = {n: m for n, m in homes.items() if m != "kg.errors" and not n.startswith("_")}
    # A signal turned into an exception is no error (it passes `except Exception`, like Ctrl-C).
    assert elsewhere == {"Terminated": "kg.interrupts"}
    assert not issubclass(kg.interrupts.Terminated, Exception)
    for name in kg.errors.__all__:
        cls = getattr(kg.errors, name)
        assert issubclass(cls, kg.errors.KgError) and getattr(kg, name) is cls


def test_old_homes_re_export_the_moved_classes() -> None:
    from kg import iri
    from kg.export.html import explorer
    from kg.incremental import datacodec
    from kg.query import analyst as query

    assert query.UnknownEventError is kg.UnknownEventError
    assert iri.InvalidBaseIriError is kg.InvalidBaseIriError
    assert explorer.ViewError is kg.ViewError
    assert datacodec.CodecError is kg.CodecError and issubclass(kg.CodecError, kg.KgError)


def test_no_public_path_raises_a_bare_builtin() -> None:
    found = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) \
                    and isinstance(node.exc.func, ast.Name) and node.exc.func.id in BUILTINS:
                found.add((path.relative_to(PACKAGE.parent).as_posix(), node.exc.func.id))
    assert found - BUG_RAISES == set()
    assert BUG_RAISES - found == set(), "a listed raise is gone: drop it from BUG_RAISES"


def test_user_errors_keep_their_builtin_base() -> None:
    with pytest.raises(kg.ArgumentError) as caught:
        kg.all_of()
    assert isinstance(caught.value, ValueError)
    g = kg.build(SAMPLE)
    from kg.query.analyst import contexts_of

    with pytest.raises(kg.ArgumentTypeError) as wrong:
        contexts_of(g, 42)  # type: ignore[arg-type]  # the wrong type is the point
    assert isinstance(wrong.value, TypeError)
    with pytest.raises(kg.UnknownEventError, match=r"no event 'news/2015/09/31/nope\.md'") as unknown:
        contexts_of(g, "news/2015/09/31/nope.md")
    assert isinstance(unknown.value, KeyError) and str(unknown.value).startswith("no event")
    with pytest.raises(kg.InvalidBaseIriError):
        kg.build(SAMPLE, base_iri="example.org")


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda: kg.build(SAMPLE, jobs=0), kg.ArgumentError, "jobs must be a whole number, 1 or more, not 0"),
    (lambda: kg.build(SAMPLE, jobs="2"), kg.ArgumentError, "not '2'"),
    (lambda: kg.build(SAMPLE, base_iri=None), kg.InvalidBaseIriError, "must be a string, not None"),
    (lambda: kg.build_graph([], base_iri="zz"), kg.InvalidBaseIriError, "must be absolute"),
    (lambda: kg.triples(kg.build_graph([]), ("event",)), kg.ArgumentError, "no node kind 'event'"),
    (lambda: kg.event_projection(kg.build_graph([]), max_events_per_context=-1), kg.ArgumentError,
     "max_events_per_context must be a number, 0 or more, not -1"),
    (lambda: kg.event_projection(kg.build_graph([]), max_events_per_context="9"), kg.ArgumentError,
     "max_events_per_context must be a number"),
    # A path left unset (os.environ.get) or of another type raised pathlib's TypeError; "" loaded "." as a folder.
    (lambda: kg.build(None), kg.ArgumentTypeError, "the corpus is a folder's path .*, not None"),
    (lambda: kg.build_files(5, "never-made"), kg.ArgumentTypeError, "the corpus is a folder's path .*, not int"),
    (lambda: kg.load(None), kg.ArgumentTypeError, "kg.load reads a graph file's path .*, not None"),
    (lambda: kg.load(""), kg.LoadError, "the graph file is an empty path"),
    (lambda: kg.build_graph("abc"), kg.ArgumentTypeError, "build_graph takes parsed pages .*, not str 'a'"),
    (lambda: kg.parse_page(b"abc", "news/2015/09/1/a.md"), kg.ArgumentTypeError, "both str .*, not bytes"),
])
def test_arguments_the_library_refuses_as_the_command_line_does(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()


def test_an_unwritable_page_is_an_output_error(tmp_path: Path) -> None:
    g = kg.build(SAMPLE)
    (tmp_path / "file").write_text("x")
    with pytest.raises(kg.OutputError, match="not a folder") as caught:
        kg.to_html(g, tmp_path / "file" / "page.html", max_nodes=5)
    assert isinstance(caught.value, OSError) and isinstance(caught.value.__cause__, OSError)


def test_every_error_has_an_exit_status() -> None:
    for name in kg.errors.__all__:
        cls = getattr(kg.errors, name)
        err = cls("context", "x") if cls is kg.UnknownNameError else cls("x")
        assert exit_status(err) == EXIT_USAGE
    assert set(EXIT_STATUS) <= {getattr(kg.errors, n) for n in kg.errors.__all__}
    with pytest.raises(TypeError):
        exit_status(ValueError("not ours"))


@pytest.mark.parametrize(("argv", "message"), [
    (["html", str(SAMPLE), "-o", "{tmp}/x.html", "--entities", "event"], "unknown entity kind"),
    (["stats", str(SAMPLE)[:-2] + "9"], f"corpus folder not found: {str(SAMPLE)[:-2]}9; did you mean '{SAMPLE}'?"),
    (["html", str(SAMPLE), "-o", "{tmp}/x.html", "--base", "example.org"], "base IRI must be absolute"),
    # RFC 3987's grammar lets these through; rdflib refused the N-Triples of the first two.
    *[(["html", str(SAMPLE), "-o", "{tmp}/x.html", "--base", f"https://ex.org/{c}/"],
       "base IRI contains white space, control, bidi or invisible characters")
      for c in ("\u00a0", "\u2028", "\u202e", "\u200f", "\u200b", "\x85")],
    (["html", str(SAMPLE), "-o", "{tmp}/x.html", "--base", "javascript:alert(1)//"],
     "base IRI must not be a javascript: IRI"),
    (["query", "{tmp}/missing.ttl", "ASK {}"], ""),
])
def test_the_command_line_says_one_line_and_exits_2(argv: list[str], message: str, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    status = main([a.replace("{tmp}", str(tmp_path)) for a in argv])
    err = capsys.readouterr().err
    assert status == 2 and err.startswith("kg: error: ") and message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def _takes_a_graph() -> list[str]:
    names = []
    for name in kg.__all__:
        value = getattr(kg, name)
        if inspect.isfunction(value):
            params = list(inspect.signature(value).parameters)
            if params and params[0] == "graph":
                names.append(name)
    return names


def test_every_function_that_reads_a_graph_is_found() -> None:
    assert {"events", "timeline", "to_networkx", "write", "triples", "counts", "sparql_query"} <= set(_takes_a_graph())


@pytest.mark.parametrize("name", _takes_a_graph())
def test_a_path_or_another_library_s_graph_for_the_graph_says_what_to_pass(name: str) -> None:
    """kg.events("out/graph.kg.json") raised AttributeError from deep inside; now one line saying to load it."""
    import networkx as nx

    function = getattr(kg, name)
    required = [p for p in list(inspect.signature(function).parameters.values())[1:]
                if p.default is inspect.Parameter.empty and p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD]
    rest = ["x"] * len(required)
    with pytest.raises(kg.ArgumentTypeError, match=rf"^kg\.{name} reads a kg\.KnowledgeGraph, not a path: "
                                                   r"kg\.load\('out/graph\.kg\.json'\)"):
        function("out/graph.kg.json", *rest)
    with pytest.raises(kg.ArgumentTypeError, match="not a networkx MultiDiGraph: pass the KnowledgeGraph"):
        function(nx.MultiDiGraph(), *rest)
    with pytest.raises(TypeError, match=r"\(from kg\.build or kg\.load\), not a dict$"):
        function({}, *rest)


def _functions_of_kg() -> list[str]:
    return [name for name in kg.__all__ if inspect.isfunction(getattr(kg, name))]


@pytest.mark.parametrize("name", _functions_of_kg())
def test_every_function_of_kg_names_a_misspelt_keyword_in_its_own_words(name: str) -> None:
    """``kg.sparql_query(g, q, max_row=3)`` said ``sparql() got an unexpected keyword argument 'max_row'``:
    a bare TypeError naming a function the caller never called. Each of kg's functions now refuses it
    as kg.events does, by its public name and with the keyword likely meant (a TypeError still)."""
    function = getattr(kg, name)
    parameters = list(inspect.signature(function).parameters.values())
    if any(p.kind is p.VAR_KEYWORD for p in parameters):  # (write and to_html check theirs per format)
        return
    options = [p.name for p in parameters[1:] if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    needed = [object() for p in parameters if p.default is p.empty and p.kind is p.POSITIONAL_OR_KEYWORD]
    wrong, meant = (options[0] + "s", options[0]) if options else ("bogus", None)
    with pytest.raises(kg.ArgumentTypeError) as refused:
        function(*needed, **{wrong: 1})
    assert isinstance(refused.value, TypeError)
    said = str(refused.value)
    assert said.startswith(f"kg.{name} takes no option {wrong!r}")
    assert (f"(did you mean {meant!r}?)" in said) if meant else said.endswith("its options: none")
