"""Read a graph written by ``kg build`` back into a :class:`~kg.model.KnowledgeGraph`.

Turtle and N-Triples (optionally gzipped) are parsed by pyoxigraph as a
stream, and so are N-Quads and TriG, of which the build's named graph is read
(its default graph holds the description of the build, VoID and PROV-O); the
triples are grouped by subject in file order and each typed node becomes the
record it was written from.  Events are keyed by their ``kg:path`` literal,
so a graph built once can be loaded, queried and written again: the same
graph gives the same bytes.

What RDF does not hold is not restored: the build report's diagnostics (the
loaded report only carries counts) and a day page's own heading text unless
the file has it as ``dcterms:title``.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import IO, TYPE_CHECKING, TypeVar

import pyoxigraph as ox

from kg import iri
from kg.errors import ArgumentTypeError, InputTooLargeError, LoadError, QueryError
from kg.keywords import checks_keywords
from kg.model import DEFAULT_BASE_IRI, Article, Day, Event, KnowledgeGraph, RelatedLink, SharedContext
from kg.namespace import DCTERMS, KG, PROV, RDF, SCHEMA
from kg.parse.publishers import organization_key
from kg.parse.records import PageKey
from kg.query.inputs import MAX_EXPANSION, open_input
from kg.read.paths import parse_page_path
from kg.report import BuildReport, count_graph

if TYPE_CHECKING:  # pragma: no cover
    from kg.query.shardset import ShardSet

__all__ = ["load", "INPUT_FORMATS", "DATASET_FORMATS", "input_format", "graph_files_in", "STORE_MARKER", "is_store",
           "shards_of_folder"]

#: File suffix (after an optional ``.gz``) -> RDF syntax that :func:`load` reads.
INPUT_FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
}
#: The syntaxes of :data:`INPUT_FORMATS` that hold named graphs.
DATASET_FORMATS = frozenset({ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG})

# predicate and class IRIs as plain strings: the loader compares strings
_TYPE = RDF.type.value

#: predicate -> objects (IRIs or lexical values), in file order
_Node = dict[str, list[str]]
_V = TypeVar("_V")


#: The graph files of an output folder a hint names first: the quickest to read first.
_HINTED = (".kg.json", ".ttl", ".nt", ".nq", ".trig")


def graph_files_in(folder: Path) -> list[Path]:
    """The graph files in ``folder`` that kg reads (snapshot, then RDF), quickest first, for a hint."""
    def rank(entry: Path) -> int:
        name = entry.name.lower().removesuffix(".gz")
        return next((k for k, end in enumerate(_HINTED) if name.endswith(end)), len(_HINTED))

    try:
        found = [entry for entry in folder.iterdir() if entry.name.endswith(".kg.json")
                 or (entry.is_file() and Path(entry.name.lower().removesuffix(".gz")).suffix in INPUT_FORMATS)]
    except OSError:
        return []
    return sorted(found, key=lambda entry: (rank(entry), entry.name))


#: A file that marks a folder as an Oxigraph store written by kg (:func:`kg.query.store.write_store`).
STORE_MARKER = "kg-store.json"


def is_store(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a folder holding an Oxigraph store written by :func:`kg.query.store.write_store`."""
    try:
        return (Path(path) / STORE_MARKER).is_file()
    except OSError:  # a folder that may not be searched (Python 3.11 raises): what reads it next says why
        return False


def _folder_error(folder: Path) -> LoadError:
    """What :func:`load` says of a folder: the graphs written there, or that a corpus is built."""
    if (folder / "news").is_dir() or folder.name == "news":
        return LoadError(f"{folder} is a corpus folder: kg.build({str(folder)!r}) builds its graph; "
                         f"kg.load reads a graph file that kg build wrote")
    if is_store(folder):
        return LoadError(f"{folder} is an Oxigraph store that kg build wrote: kg query and kg serve read it "
                         f"(pyoxigraph.Store.read_only opens it in Python); kg.load reads a graph file "
                         f"(graph.kg.json, graph.ttl ...)")
    found = graph_files_in(folder)
    hint = f"give one of the graphs written there: {', '.join(map(str, found[:6]))}" if found else \
        "kg.load reads a graph file that kg build wrote (graph.kg.json, graph.ttl ...)"
    return LoadError(f"{folder} is a folder; {hint}")


def input_format(path: str | os.PathLike[str]) -> tuple[ox.RdfFormat, bool]:
    """The RDF syntax of a file, and whether it is gzipped, from its name.

    Examples
    --------
    >>> input_format("out/graph.nt.gz")
    (<RdfFormat N-Triples>, True)
    >>> input_format("graph.ttl")[1]
    False
    """
    name = os.fspath(path).lower()
    compressed = name.endswith(".gz")
    stem = name[:-3] if compressed else name
    for suffix, fmt in INPUT_FORMATS.items():
        if stem.endswith(suffix):
            return fmt, compressed
    raise LoadError(f"cannot tell the format of {os.fspath(path)!r}; kg reads a graph.kg.json snapshot "
                    f"or one of {sorted(INPUT_FORMATS)} (optionally .gz)")


#: A file with no triple in more than this many bytes is not an empty graph.
MAX_EMPTY_BYTES = 1 << 20


def _read_nodes(path: Path, fmt: ox.RdfFormat, compressed: bool) -> dict[str, _Node]:
    # This loop runs once per triple: plain dicts of strings, no helper calls.
    nodes: dict[str, _Node] = {}
    try:
        with open_input(path, compressed) as stream:
            nodes = _group(stream.as_io(), fmt, path)
            if not nodes and stream.count > MAX_EMPTY_BYTES:
                raise LoadError(f"{path}: no triple in {stream.count:,} bytes; "
                                "not a graph written by kg build")
    except SyntaxError as err:
        raise LoadError(f"{path}: not valid {fmt.name}: {err}") from err
    except InputTooLargeError as err:
        raise LoadError(f"{path}: expands to more than {err.args[0]:,} bytes "
                        f"({MAX_EXPANSION} times its size); not read further") from err
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, ValueError) as err:
        raise LoadError(f"{path}: cannot read: {err}") from err
    except (MemoryError, RecursionError) as err:
        raise LoadError(f"{path}: too large to read: {type(err).__name__}") from err
    return nodes


def _group(stream: IO[bytes], fmt: ox.RdfFormat, path: Path) -> dict[str, _Node]:
    nodes: dict[str, _Node] = {}
    dataset = fmt in DATASET_FORMATS
    graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph | None = None
    for triple in ox.parse(stream, fmt):
        if dataset:  # the build's named graph; its description, in the default graph, is not the graph
            name = triple.graph_name
            if isinstance(name, ox.DefaultGraph):
                continue
            if graph is None:
                graph = name
            elif name != graph:
                raise LoadError(f"{path}: more than one named graph ({graph} and {name}): kg writes one a file, "
                                "and kg.load reads one graph")
        subject = triple.subject.value  # a blank node's id cannot look like an IRI
        node = nodes.get(subject)
        if node is None:
            node = nodes[subject] = {}
        prop = triple.predicate.value
        values = node.get(prop)
        if values is None:
            node[prop] = [triple.object.value]
        else:
            values.append(triple.object.value)
    return nodes


class _Reader:
    """Turns grouped triples into records; every broken reference is a LoadError.

    Terms are named by :mod:`kg.namespace` terms; their IRIs are looked up
    once per reader, not once per node.
    """

    def __init__(self, path: Path, nodes: dict[str, _Node]) -> None:
        self.path = path
        self._iris: dict[ox.NamedNode, str] = {}
        self.by_type: dict[str, list[tuple[str, _Node]]] = {}
        for subject, node in nodes.items():
            for cls in node.get(_TYPE, ()):
                self.by_type.setdefault(cls, []).append((subject, node))

    def iri(self, term: ox.NamedNode) -> str:
        value = self._iris.get(term)
        if value is None:
            value = self._iris[term] = term.value
        return value

    def fail(self, subject: str, message: str) -> LoadError:
        return LoadError(f"{self.path}: <{subject}> {message}")

    def of_type(self, cls: ox.NamedNode) -> list[tuple[str, _Node]]:
        return self.by_type.get(self.iri(cls), [])

    def one(self, subject: str, node: _Node, prop: ox.NamedNode) -> str:
        values = node.get(self.iri(prop), ())
        if len(values) != 1:
            raise self.fail(subject, f"has {len(values)} values of <{prop.value}>, expected 1")
        return values[0]

    def optional(self, subject: str, node: _Node, prop: ox.NamedNode) -> str | None:
        return self.one(subject, node, prop) if self.iri(prop) in node else None

    def refs(self, subject: str, node: _Node, prop: ox.NamedNode, table: Mapping[str, _V],
             what: str) -> Iterator[_V]:
        for value in node.get(self.iri(prop), ()):
            try:
                yield table[value]
            except KeyError:
                raise self.fail(subject, f"names {what} <{value}>, which the file does not describe") from None

    def names(self, cls: ox.NamedNode, prop: ox.NamedNode) -> dict[str, str]:
        return {s: self.one(s, n, prop) for s, n in self.of_type(cls)}


def _date(reader: _Reader, subject: str, value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as err:
        raise reader.fail(subject, f"has an invalid date {value!r}") from err


def _int(reader: _Reader, subject: str, value: str) -> int:
    try:
        return int(value)
    except ValueError as err:
        raise reader.fail(subject, f"has an invalid integer {value!r}") from err


def _event_keys(reader: _Reader) -> dict[str, PageKey]:
    keys: dict[str, PageKey] = {}
    path_p = KG.path
    for subject, node in reader.of_type(KG.Event):
        path = reader.one(subject, node, path_p)
        parsed = parse_page_path(path)
        if parsed.key is None:
            raise reader.fail(subject, f"has kg:path {path!r}, which is not an event page path")
        keys[subject] = parsed.key
    return keys


def _recover_base(keys: dict[str, PageKey], days: dict[str, dt.date], given: str | None) -> str:
    """The base IRI the file was written with: an IRI minus the part its key makes."""
    # The IRIs minted under an empty base are the part that the key makes.
    candidates = [(s, iri.event_iri("", k)) for s, k in keys.items()]
    candidates += [(s, iri.day_iri("", d)) for s, d in days.items()]
    if not candidates:
        return given or DEFAULT_BASE_IRI
    subject, suffix = candidates[0]
    if not subject.endswith(suffix):
        raise LoadError(f"<{subject}> is not an IRI that kg mints for {suffix!r}")
    base = subject[: -len(suffix)]
    if given is not None and given != base:
        raise LoadError(f"the file's IRIs use the base {base!r}, not {given!r}")
    try:
        return iri.check_base_iri(base)
    except iri.InvalidBaseIriError as err:
        raise LoadError(f"<{subject}> does not start with a usable base IRI: {err}") from err


def _check_iris(keys: dict[str, PageKey], base: str) -> None:
    # IRIs are functions of keys; one that is not would not survive a rewrite.
    for subject, key in keys.items():
        if subject != iri.event_iri(base, key):
            raise LoadError(f"<{subject}> is not the IRI of the event {key.path!r} under {base!r}")


def _graph(reader: _Reader, base_iri: str | None) -> KnowledgeGraph:
    keys = _event_keys(reader)
    day_dates = {s: _date(reader, s, reader.one(s, n, KG.date)) for s, n in reader.of_type(KG.Day)}
    base = _recover_base(keys, day_dates, base_iri)
    _check_iris(keys, base)

    pages = reader.names(KG.Page, KG.path)
    contexts = reader.names(KG.Context, SCHEMA.name)
    publishers = reader.names(KG.Publisher, SCHEMA.name)
    images = reader.names(KG.Image, SCHEMA.contentUrl)
    articles: dict[str, Article] = {}
    article_urls: dict[str, str] = {}
    url_p, publisher_p = SCHEMA.url, SCHEMA.publisher  # vocabulary look-ups hoisted out of the loops
    for s, n in reader.of_type(KG.SourceArticle):
        url = reader.one(s, n, url_p)
        article_urls[s] = url
        articles[url] = Article(url, tuple(reader.refs(s, n, publisher_p, publishers, "a publisher")))

    events: dict[PageKey, Event] = {}
    event_contexts: dict[PageKey, tuple[str, ...]] = {}
    in_corpus_p, derived_p, name_p = KG.inCorpus, PROV.wasDerivedFrom, SCHEMA.name
    citation_p, image_p, about_p = SCHEMA.subjectOf, SCHEMA.image, SCHEMA.about
    for s, n in reader.of_type(KG.Event):
        key = keys[s]
        if key in events:
            raise reader.fail(s, f"repeats the kg:path {key.path!r}")
        in_corpus = reader.one(s, n, in_corpus_p) in ("true", "1")
        page = next(reader.refs(s, n, derived_p, pages, "a page"), None)
        events[key] = Event(key, reader.one(s, n, name_p), in_corpus, page,
                            tuple(reader.refs(s, n, citation_p, article_urls, "an article")),
                            tuple(reader.refs(s, n, image_p, images, "an image")))
        about = tuple(reader.refs(s, n, about_p, contexts, "a context"))
        if about:
            event_contexts[key] = about

    days: dict[dt.date, Day] = {}
    for s, n in reader.of_type(KG.Day):
        date = day_dates[s]
        days[date] = Day(date, reader.optional(s, n, DCTERMS.title),
                         next(reader.refs(s, n, PROV.wasDerivedFrom, pages, "a page"), None),
                         tuple(reader.refs(s, n, KG.listsEvent, keys, "an event")))

    related = []
    source_p, target_p, rank_p, context_p = KG.linkSource, KG.linkTarget, KG.rank, KG.context
    for s, n in reader.of_type(KG.RelatedLink):
        ends = [*reader.refs(s, n, source_p, keys, "an event"), *reader.refs(s, n, target_p, keys, "an event")]
        if len(ends) != 2:
            raise reader.fail(s, f"has {len(ends)} link ends, expected a source and a target")
        related.append(RelatedLink(ends[0], ends[1], _int(reader, s, reader.one(s, n, rank_p)),
                                   tuple(reader.refs(s, n, context_p, contexts, "a context"))))
    shared = []
    involves_p = KG.involves
    for s, n in reader.of_type(KG.ContextSharing):
        pair = tuple(reader.refs(s, n, involves_p, keys, "an event"))
        if len(pair) != 2:
            raise reader.fail(s, f"involves {len(pair)} events, expected 2")
        shared.append(SharedContext(pair[0], pair[1],
                                    tuple(reader.refs(s, n, context_p, contexts, "a context"))))

    graph = KnowledgeGraph(
        event_records=events, days=days, articles=articles,
        publishers=tuple(publishers.values()), images=tuple(images.values()),
        contexts=tuple(contexts.values()), event_contexts=event_contexts,
        related=tuple(related), shared=tuple(shared), base_iri=base,
        # (as the file names them: the pages that chose them are not in it to count again)
        organization_labels={organization_key(name): name
                             for name in reader.names(KG.Organization, SCHEMA.name).values()},
    )
    return replace(graph, report=BuildReport(counts=count_graph(graph)))


def shards_of_folder(folder: Path) -> ShardSet | None:
    """The shards of a build on Dask that ``folder``'s manifest lists, checked; ``None`` for a folder of
    none: a store, a corpus, or one whose manifest is another's (or damaged) with no shard beside it.

    >>> shards_of_folder(Path("examples/wcep-2015-09")) is None  # (a corpus)
    True
    """
    from kg.query.shardset import shard_set  # (it reads the Dask engine's manifest: only for a folder)

    try:
        if is_store(folder) or (folder / "news").is_dir():
            return None
    except OSError:  # a folder that may not be searched holds no shards kg can read: the corpus's reading says why
        return None
    try:
        return shard_set(folder)
    except QueryError as err:
        if any(folder.glob("graph-*.nt.gz")):  # (kg's shards, their manifest damaged or not theirs)
            raise LoadError(str(err)) from err
        return None


def _shard_nodes(found: ShardSet) -> dict[str, _Node]:
    """Every shard's triples grouped by subject (a subject's values shard by shard, each shard's as its
    lines come), each shard's count of triples checked against the manifest's."""
    nodes: dict[str, _Node] = {}
    for shard in found.shards:
        held = 0
        for subject, node in _read_nodes(shard.path, ox.RdfFormat.N_TRIPLES, True).items():
            held += sum(map(len, node.values()))
            into = nodes.get(subject)
            if into is None:
                nodes[subject] = node
                continue
            for prop, values in node.items():
                into.setdefault(prop, []).extend(values)
        if held != shard.triples:
            raise LoadError(f"{shard.path} holds {held:,} triples, and manifest.json says {shard.triples:,}: "
                            "a shard was changed since the build; build again")
    return nodes


@checks_keywords
def load(path: str | os.PathLike[str], *, base_iri: str | None = None) -> KnowledgeGraph:
    """Read a Turtle, N-Triples, N-Quads or TriG file written by ``kg build`` into a graph.

    Parameters
    ----------
    path : path
        ``.ttl`` or ``.nt``, or ``.nq`` or ``.trig`` (the build's named graph
        is read), optionally gzipped (``.ttl.gz``, ``.nq.gz``), or
        a data snapshot ``.kg.json`` (see :mod:`kg.export.snapshot`), several times
        faster to load; or the output folder of a build on Dask, whose shards
        (:mod:`kg.query.shardset`) are read together, each checked against
        its manifest (their sorted lines keep no order among a subject's
        values: a day's events and an event's articles come by IRI).
    base_iri : str, optional
        The base the file's IRIs were minted under.  Recovered from the IRIs
        when omitted; when given, the file must use it.  An empty file gets
        this base (or the default).

    Returns
    -------
    KnowledgeGraph
        Equal, field by field, to the graph that was written, except for the
        build report (which keeps only the counts).

    Raises
    ------
    LoadError
        For a file that cannot be read, is not valid RDF, or does not
        describe a graph as ``kg build`` writes it; for a gzipped file that
        expands to more than :data:`~kg.query.inputs.MAX_EXPANSION` times its size (plus
        64 MiB), and for a file of more than 1 MiB without a triple.  The
        error's ``__cause__`` is the underlying exception.  Nothing else is
        raised on bad input.

    Examples
    --------
    >>> import kg, tempfile, pathlib
    >>> g = kg.build("examples/wcep-2015-09")
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "graph.nt.gz"
    >>> kg.write_ntriples(g, out)
    >>> g2 = kg.load(out)
    >>> (g2.event_records, g2.related, g2.base_iri) == (g.event_records, g.related, g.base_iri)
    True
    """
    if not isinstance(path, (str, os.PathLike)):  # (None: an unset variable, as os.environ.get gives it)
        raise ArgumentTypeError(f"kg.load reads a graph file's path (a str or os.PathLike), not "
                                f"{'None' if path is None else type(path).__name__}")
    if isinstance(path, str) and not path:  # (Path("") is ".", a folder the caller never named)
        raise LoadError("the graph file is an empty path (an unset variable?): name the file")
    source = Path(path)
    from kg.export.provenance import settled  # (its record: a load, which starts and ends now)
    from kg.export.snapshot import is_snapshot, read_snapshot  # a data snapshot: no RDF to parse

    if is_snapshot(source):
        if base_iri is not None:
            raise LoadError("a snapshot keeps its own base IRI; load it without base_iri")
        return settled(read_snapshot(source))  # with the same checks: regular file, bounded expansion
    if base_iri is not None:
        try:
            iri.check_base_iri(base_iri)
        except iri.InvalidBaseIriError as err:
            raise LoadError(str(err)) from err
    if source.is_dir():
        shards = shards_of_folder(source)
        if shards is None:
            raise _folder_error(source)
        return settled(_records(source, _shard_nodes(shards), base_iri or shards.base_iri))
    if not os.path.lexists(source):  # (before its name's format: "nothing" is not there at all)
        raise LoadError(f"{source}: no such file or folder")
    fmt, compressed = input_format(source)
    from kg.query.shardset import shard_set_of

    part = shard_set_of(source)
    if part is not None and len(part.shards) > 1:  # (the one shard of a set is the whole graph)
        raise LoadError(f"{source} is one of the {len(part.shards):,} N-Triples shards of a build on Dask, a part "
                        f"of its graph: give their folder, {part.folder}, to read them all")
    try:
        st = os.stat(source)
    except OSError as err:
        raise LoadError(f"{source}: cannot read: {err.strerror or err}") from err
    if not stat.S_ISREG(st.st_mode):  # a FIFO would block the read for good
        raise LoadError(f"{source}: not a regular file")
    return settled(_records(source, _read_nodes(source, fmt, compressed), base_iri))


def _records(source: Path, nodes: dict[str, _Node], base_iri: str | None) -> KnowledgeGraph:
    """The graph of ``source``'s triples grouped by subject."""
    try:
        reader = _Reader(source, nodes)
        if nodes and not (reader.of_type(KG.Event) or reader.of_type(KG.Day)):
            raise LoadError(f"{source}: no kg:Event or kg:Day in it; is it a graph written by kg build?")
        return _graph(reader, base_iri)
    except LoadError:
        raise
    except (ValueError, KeyError, TypeError, IndexError, AttributeError, OverflowError) as err:
        # valid RDF that no kg build writes (a literal where an IRI belongs ...)
        raise LoadError(f"{source}: not a graph as kg build writes it: {type(err).__name__}: {err}") from err

