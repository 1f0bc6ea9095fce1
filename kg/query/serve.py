"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint over a store.

The HTTP side (the protocol's GET and POST forms, content negotiation of the
result formats, the service description, the YASGUI page) is rdflib-endpoint's,
served by uvicorn.  What a query may do is kg's: rdflib-endpoint hands each
query to :class:`KgProcessor`, which runs it through :func:`kg.query.sparql.evaluate`
on the pyoxigraph store, so it is read-only, may not call ``SERVICE``, is
stopped at its timeout and cut at the row limit.  Updates are refused (HTTP
403) and so is an update sent as a query (HTTP 400).
"""

from __future__ import annotations

import errno
import logging
import os
import socket
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from kg.arguments import whole_number
from kg.errors import MissingExtraError, ServeError
from kg.query.sparql import Limits

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph as ox
    import rdflib
    from fastapi import FastAPI

__all__ = ["DEFAULT_PORT", "DEFAULT_TIMEOUT_S", "DEFAULT_MAX_ROWS", "KgProcessor", "make_app", "serve"]

#: Oxigraph's own server listens on 7878 too.
DEFAULT_PORT = 7878
#: A public-facing endpoint gets tighter limits than the command line.
DEFAULT_TIMEOUT_S = 30.0
DEFAULT_MAX_ROWS = 10_000

_log = logging.getLogger(__name__)


def _processor_base() -> type:
    from rdflib.query import Processor

    return Processor


def _rdflib_term(term: Any) -> Any:
    import pyoxigraph as ox
    import rdflib

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
    raise TypeError(f"no rdflib term for {term!r}")


class KgProcessor:
    """An rdflib query processor that answers from a pyoxigraph store within limits.

    Made by :func:`make_app`; it subclasses :class:`rdflib.query.Processor`
    at that point, so that importing this module costs nothing.
    """

    def __init__(self, graph: rdflib.Graph, store: ox.Store | Callable[[], ox.Store], limits: Limits,
                 prefixes: dict[str, str], union: bool = False) -> None:
        self.graph = graph
        self.store = store
        self.limits = limits
        self.prefixes = prefixes
        self.union = union  # an N-Quads or TriG file: its graphs queried together

    def query(self, strOrQuery: Any, initBindings: Mapping[str, Any] = {},
              initNs: Mapping[str, Any] = {}, base: str | None = None,
              DEBUG: bool = False) -> Mapping[str, Any]:
        import rdflib

        from kg.query.sparql import evaluate, solutions

        text = strOrQuery if isinstance(strOrQuery, str) else strOrQuery._original_args[0]
        answer = evaluate(self.store, text, "tsv", self.limits, self.prefixes, union=self.union)
        if answer.truncated:
            _log.warning("kg serve: an answer was cut at %s rows", self.limits.max_rows)
        result = solutions(answer)
        if isinstance(result, bool):
            return {"type_": "ASK", "askAnswer": result}
        if isinstance(result, list):
            graph = rdflib.Graph()
            for prefix, ns in self.prefixes.items():
                graph.bind(prefix, ns, override=True, replace=True)
            for t in result:
                graph.add((_rdflib_term(t.subject), _rdflib_term(t.predicate), _rdflib_term(t.object)))
            return {"type_": "CONSTRUCT", "graph": graph}
        names = [v.value for v in result.variables]
        variables = [rdflib.Variable(n) for n in names]
        bindings = [{var: _rdflib_term(s[n]) for var, n in zip(variables, names, strict=True) if s[n] is not None}
                    for s in result]
        return {"type_": "SELECT", "vars_": variables, "bindings": bindings}


def make_app(source: str | os.PathLike[str], limits: Limits | None = None) -> FastAPI:
    """The endpoint's ASGI application over a store folder (or a graph file, loaded into memory).

    Raises
    ------
    MissingExtraError
        If rdflib-endpoint is not installed (``pip install kg[serve]``).
    """
    import rdflib

    try:
        from rdflib_endpoint import SparqlEndpoint
    except ImportError as err:
        raise MissingExtraError("kg serve needs rdflib-endpoint and uvicorn: pip install 'kg[serve]'") from err

    from kg.query.sparql import is_dataset, is_store, open_store, query_prefixes

    limits = limits or Limits(DEFAULT_TIMEOUT_S, DEFAULT_MAX_ROWS)
    prefixes = query_prefixes(source)
    # An on-disk store is opened by each query's own process: no database
    # handle crosses a fork.  Opening it here first checks that it opens.
    first = open_store(source)
    store: ox.Store | Callable[[], ox.Store] = (lambda: open_store(source)) if is_store(source) else first
    graph = rdflib.Graph()  # holds only the prefixes; the answers come from the store
    for prefix, ns in prefixes.items():
        graph.bind(prefix, ns, override=True, replace=True)
    processor_class = type("KgProcessor", (KgProcessor, _processor_base()), {})
    return SparqlEndpoint(graph=graph, processor=processor_class(graph, store, limits, prefixes,
                                                                            is_dataset(source)),
                          enable_update=False, cors_enabled=True, title="kg SPARQL endpoint",
                          description=f"Read-only SPARQL 1.1 endpoint over {os.fspath(source)} "
                                      f"(timeout {limits.timeout} s, at most {limits.max_rows} rows)",
                          path="/sparql", public_url="/sparql")


def serve(source: str | os.PathLike[str], *, host: str = "127.0.0.1", port: int = DEFAULT_PORT,
          limits: Limits | None = None) -> None:
    """Serve ``source`` at ``http://HOST:PORT/sparql`` until interrupted.

    The address is taken before the store is opened, so that a port in use
    (or one that may not be used) is said at once; port 0 takes a free one,
    and the line printed names it.

    Raises
    ------
    ArgumentError
        If ``port`` is not in 0 .. 65535.
    ServeError
        If the endpoint cannot listen at ``host:port``.
    """
    whole_number(port, "the port (0: a free one)", 0, 65535)
    listening = _listen(host, port)
    try:
        app = make_app(source, limits)
        import uvicorn

        bound = listening.getsockname()[1]
        bare = host.removeprefix("[").removesuffix("]") or "localhost"  # "": every interface, this one too
        shown = f"[{bare}]" if ":" in bare else bare
        print(f"kg: serving {os.fspath(source)} at http://{shown}:{bound}/sparql (read-only)", flush=True)
        uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[listening])
    finally:
        listening.close()


def _listen(host: str, port: int) -> socket.socket:
    """A socket listening at the first of ``host``'s addresses that it can take ("": every interface)."""
    name = host.removeprefix("[").removesuffix("]") or None  # "": every interface
    try:
        addresses = socket.getaddrinfo(name, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as err:
        raise ServeError(f"cannot listen on {host}: {err.strerror or err}") from err
    failed: OSError | None = None
    for family, kind, proto, _, address in addresses:
        listening = socket.socket(family, kind, proto)
        try:
            listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: no TIME_WAIT wait
            listening.bind(address)
            listening.listen(2048)
            return listening
        except OSError as err:
            listening.close()
            failed = failed if failed is not None and failed.errno == errno.EADDRINUSE else err
    assert failed is not None  # (getaddrinfo gives at least one address or raises)
    why = "the port is in use" if failed.errno == errno.EADDRINUSE else (failed.strerror or str(failed))
    raise ServeError(f"cannot listen on {host}:{port}: {why}") from failed
