"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint over a store.

Queries are kg's: each one, sent by GET or POST in any of the protocol's
forms, runs through :func:`kg.query.sparql.evaluate` on the pyoxigraph store
(read-only, no ``SERVICE``, stopped at its timeout, cut at the row limit) in
a thread of its own (up to :data:`MAX_RUNNING` at once; one more is HTTP 503
at once, rather than queued where its timeout would not yet run), so that a
slow query holds up no other client; the
answer's format follows the ``Accept`` header, or a ``format=`` (``output=``)
parameter where a link cannot set one (HTTP 406 where it names none that kg
writes for the query's form: results for SELECT and ASK, a graph for
CONSTRUCT and DESCRIBE).  A browser gets a query page that needs nothing from the
internet (:mod:`kg.query.querypage`), with the query of a link opened there in its
box, run as it opens; any other GET without a query, the service description
(:mod:`kg.query.servicedesc`), and a POST without one HTTP 400; ``/.well-known/void`` the build's
VoID description (HTTP 404 where what is served holds none); uvicorn serves them.
Updates are refused (HTTP 403), whether sent as updates or as queries, with
dataset parameters or without; a query that does not parse is HTTP 400,
one that ran out of time HTTP 503, one whose process crashed HTTP 500, each
with Oxigraph's or kg's one-line message; so is a query that is not UTF-8
(HTTP 400, saying at which byte, rather than read with it replaced), a
request naming its dataset (``default-graph-uri``: HTTP 400, naming the
parameter, rather than ignored), holding two queries (HTTP 400; a direct
POST's body and a ``query=`` in its URL are two), with a body of a media type
other than the protocol's (HTTP 415) or past :data:`MAX_BODY_BYTES` (HTTP
413, before it is all read).
A query whose client disconnects is stopped then, not at its timeout (nor
never, without one), and so are those running when the server is stopped.  HEAD is answered as GET is, without the body.
Any origin's scripts may read every answer (CORS), ``X-KG-Truncated`` included;
OPTIONS answers their browsers' preflights.  :mod:`kg.query.protocol` reads the request;
:mod:`kg.query.listening` takes the address.
"""

from __future__ import annotations

import logging
import os
import re
import signal
import sys
import threading
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.arguments import whole_number
from kg.errors import (
    MissingExtraError,
    QueryError,
    QueryMemoryError,
    QueryTimeoutError,
    ReadOnlyQueryError,
    ServiceRefusedError,
    WorkerDiedError,
)
from kg.keywords import checks_keywords
from kg.query.limits import Limits
from kg.query.listening import listen, on_every_interface
from kg.query.protocol import ACCEPTED, ANSWER_KIND, TOKEN, Operation, negotiate, operation, result_format, wants_html
from kg.query.querytext import MAX_QUERY_BYTES, query_form
from kg.query.servicedesc import VOID_FORMATS, VOID_PATH, VOID_WILDCARDS, void_description
from kg.query.store import check_source

if TYPE_CHECKING:  # pragma: no cover
    from types import FrameType

    import pyoxigraph as ox

__all__ = ["DEFAULT_PORT", "DEFAULT_TIMEOUT_S", "DEFAULT_MAX_ROWS", "DEFAULT_MAX_MEMORY_MB", "MAX_BODY_BYTES",
           "MAX_RUNNING", "SparqlQueries", "make_app", "result_format", "serve"]

#: Oxigraph's own server listens on 7878 too.
DEFAULT_PORT = 7878
#: A public-facing endpoint gets tighter limits than the command line.
DEFAULT_TIMEOUT_S = 30.0
DEFAULT_MAX_ROWS = 10_000
#: (MAX_RUNNING queries at once: 32 GB at most beyond the store, where one query could take all there is)
DEFAULT_MAX_MEMORY_MB = 1024

_log = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

#: The largest request body read (a query, or a form holding one): past it, HTTP 413.
MAX_BODY_BYTES = MAX_QUERY_BYTES
#: Queries answered at once, each waited on by a thread of the endpoint's own (and run by a process
#: of its own). asyncio's shared threads, cpu_count + 4 of them, let six slow queries hold up every
#: other client on two cores, and a query that waited for a thread started its timeout late.
MAX_RUNNING = 32


#: A ``Host`` header that may stand in the description's endpoint IRI (else the server's own address).
_HOST = re.compile(r"[A-Za-z0-9.\-]+(?::[0-9]{1,5})?|\[[0-9A-Fa-f:.]+\](?::[0-9]{1,5})?")


class SparqlQueries:
    """The endpoint: an ASGI application answering the SPARQL 1.1 Protocol at ``path``.

    A GET or POST to ``path`` that carries a query or an update is answered; one
    without gets the query page (a browser's GET) or the service description
    (:func:`kg.query.servicedesc.describe`, of ``name``). Other paths are HTTP 404.
    """

    def __init__(self, store: ox.Store | Callable[[], ox.Store], limits: Limits,
                 prefixes: dict[str, str], *, name: str = "a graph", union: bool = False, path: str = "/sparql",
                 max_body: int = MAX_BODY_BYTES, max_running: int = MAX_RUNNING) -> None:
        self.store, self.limits, self.prefixes, self.name = store, limits, prefixes, name
        self.union, self.path, self.max_body, self.max_running = union, path.rstrip("/"), max_body, max_running
        self._running: set[threading.Event] = set()  # each query's: set, it is stopped
        self._stopping = threading.Event()
        self._threads = ThreadPoolExecutor(max_workers=max_running, thread_name_prefix="kg-query")

    def stop_queries(self) -> None:
        """Stop every query running now, and refuse those that come after (HTTP 503): the server is
        stopping, and would otherwise wait for each one to end, or forever with no timeout."""
        self._stopping.set()
        for running in list(self._running):
            running.set()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # (uvicorn runs it without lifespan events)
            return
        if scope["method"] == "HEAD":  # a GET's status and headers, without its body
            scope, send = {**scope, "method": "GET"}, _headers_only(send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", ())}
        if scope["method"] == "OPTIONS" and scope["path"].rstrip("/") in (self.path, "", VOID_PATH):
            # A browser's CORS preflight, before a script's POST of a query (or one to the root, which
            # leads there): a preflight may not be redirected.
            await send({"type": "http.response.start", "status": 204, "headers": _preflight(headers)})
            await send({"type": "http.response.body", "body": b""})
            return
        if scope["method"] in ("GET", "POST") and scope["path"] == "/" and self.path:
            # The server's root, where a browser goes first: to the endpoint and its query page. A query
            # sent there goes along: its URL's (307 keeps the method, and a POST's body, too).
            location = self.path.encode() + (b"?" + scope["query_string"] if scope.get("query_string") else b"")
            await send({"type": "http.response.start", "status": 307,  # (a script's fetch follows it if CORS says so)
                        "headers": [(b"location", location), (b"content-length", b"0"), *_CORS]})
            await send({"type": "http.response.body", "body": b""})
            return
        if scope["path"].rstrip("/") == VOID_PATH:
            if scope["method"] != "GET":
                status, media, data, _ = _problem(405, f"{VOID_PATH} answers GET, HEAD and OPTIONS")
                await _respond(send, status, media, data, [(b"allow", b"GET, HEAD, OPTIONS")])
                return
            import asyncio

            answer = await asyncio.get_running_loop().run_in_executor(self._threads, self._void, headers.get("accept"))
            await _respond(send, *answer)
            return
        if scope["path"].rstrip("/") != self.path:
            await _respond(send, *_problem(404, f"nothing here: the SPARQL endpoint is {self.path or '/'}"))
            return
        if scope["method"] not in ("GET", "POST"):
            status, media, data, _ = _problem(405, "the SPARQL endpoint answers GET, POST, HEAD and OPTIONS")
            await _respond(send, status, media, data, [(b"allow", _METHODS)])
            return
        pieces: list[bytes] = []
        size = 0
        if scope["method"] == "POST":
            more = True
            while more:
                message = await receive()
                piece = message.get("body", b"")
                size += len(piece)
                if size > self.max_body:
                    await _respond(send, *_problem(413, f"a request body of more than {self.max_body:,} bytes"))
                    return
                pieces.append(piece)
                more = message.get("more_body", False)
        body = b"".join(pieces)
        asked = operation(scope["method"], headers.get("content-type", ""), scope.get("query_string", b""), body)
        if asked.problem is not None:
            await _respond(send, *_problem(*asked.problem))
            return
        # A format= (or output=) parameter names the answer's format where a link cannot set a header.
        accept = asked.accept if asked.accept is not None else headers.get("accept")
        if scope["method"] == "GET" and asked.accept is None and wants_html(headers.get("accept", "")):
            # A browser: the query page, with the query of a link opened there (run as the page opens)
            # rather than an answer in XML, which its Accept ranks before */*.
            from kg.query.querypage import PAGE_POLICY, query_page

            await _respond(send, 200, "text/html", query_page(self.prefixes, query=asked.query or asked.update),
                           [(b"content-security-policy", PAGE_POLICY.encode())])
            return
        if asked.query is None and asked.update is None:
            if scope["method"] == "POST":  # (the service description is a GET's, as the protocol has it)
                await _respond(send, *_problem(400, "a POST carries a query: this one has none (GET the endpoint "
                                                    "for its service description)"))
                return
            await _respond(send, *self._description(scope, headers, accept, asked.asked))
            return
        await _respond(send, *await self._answer(asked, accept, receive, self._endpoint(scope, headers)))

    async def _answer(self, asked: Operation, accept: str | None, receive: Receive,
                      endpoint: str) -> tuple[int, str, bytes, list[tuple[bytes, bytes]]]:
        """The answer to one request, in a format of ``accept``'s media ranges; a relative IRI in its query
        is read against the ``endpoint``'s URL (SPARQL's base where the query sets none: Virtuoso's probes
        before a SERVICE call hold such IRIs)."""
        import asyncio

        from kg.query.sparql import evaluate

        query, update, dataset = asked.query, asked.update, asked.dataset
        if query is not None and update is not None:
            return _problem(400, "a request carries a query or an update, not both")
        # An update is refused as such (403) before any of its parameters is looked at.
        if query is None:
            return _problem(403, "this endpoint is read-only: updates are not allowed")
        try:
            form = query_form(query)
        except (ReadOnlyQueryError, ServiceRefusedError) as err:
            return _problem(403, str(err))
        except QueryError as err:
            return _problem(400, str(err))
        if dataset:
            named = " and ".join((", ".join(dataset[:-1]), dataset[-1]) if len(dataset) > 1 else dataset)
            return _problem(400, f"this endpoint answers over its one dataset: {named} "
                                 f"{'are' if len(dataset) > 1 else 'is'} not supported (use FROM / FROM NAMED "
                                 "in the query)")
        answered_in = result_format(accept, form)
        if answered_in is None:
            wanted = f"as {asked.asked}" if asked.asked else f"in none of {accept!r}"
            return _problem(406, f"{'an' if form == 'ASK' else 'a'} {form} answer {wanted}: this endpoint writes "
                                 "it in " + ", ".join(sorted(ACCEPTED[ANSWER_KIND[form]])))
        if self._stopping.is_set():
            return _problem(503, "the server is stopping")
        if len(self._running) >= self.max_running:  # (counted on the event loop's thread, which alone changes it)
            status, media, data, _ = _problem(503, f"busy: {self.max_running} "
                                              f"{'query is' if self.max_running == 1 else 'queries are'} being "
                                              "answered; ask again later")
            return status, media, data, [(b"retry-after", b"1")]  # (HTTP's word for "later", which clients read)
        gone = threading.Event()  # the client went away: its query is stopped, not run to its timeout
        self._running.add(gone)

        async def watch() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass
            gone.set()

        watcher = asyncio.ensure_future(watch())
        try:
            answer = await asyncio.get_running_loop().run_in_executor(self._threads, partial(
                evaluate, self.store, query, answered_in, self.limits, self.prefixes, union=self.union,
                cancelled=gone, base_iri=endpoint))
        except (ReadOnlyQueryError, ServiceRefusedError) as err:
            return _problem(403, str(err))
        except (QueryTimeoutError, QueryMemoryError) as err:  # (a cost the server declines: as busy, 503)
            return _problem(503, str(err))
        except QueryError as err:
            if self._stopping.is_set():
                return _problem(503, "the server is stopping: the query was stopped")
            return _problem(400, str(err))
        except WorkerDiedError as err:  # not the client's fault: the server failed on a query it accepted
            _log.error("kg serve: %s", err)
            return _problem(500, str(err))
        finally:
            watcher.cancel()
            self._running.discard(gone)
        extra = []
        if answer.truncated:
            _log.warning("kg serve: an answer was cut at %s rows", self.limits.max_rows)
            extra.append((b"x-kg-truncated", str(self.limits.max_rows).encode()))
        return 200, answer.media_type, answer.data, extra

    def _description(self, scope: Scope, headers: dict[str, str], accept: str | None,
                     asked: str | None) -> tuple[int, str, bytes, list[tuple[bytes, bytes]]]:
        """The service description in a syntax of ``accept``'s (``asked``: the parameter that named it, if
        one did), naming the endpoint as the client reached it."""
        from kg.query.servicedesc import DESCRIPTION_FORMATS, DESCRIPTION_WILDCARDS, describe

        media = negotiate(accept, {m: m for m in DESCRIPTION_FORMATS}, DESCRIPTION_WILDCARDS,
                          lambda m: DESCRIPTION_FORMATS[m][1])
        if media is None:
            return _problem(406, (f"not as {asked}: " if asked else "") + "the service description comes in "
                            + ", ".join(sorted(DESCRIPTION_FORMATS)))
        timeout = "no timeout" if self.limits.timeout is None else f"timeout {self.limits.timeout:g} s"
        rows = "no row limit" if self.limits.max_rows is None else f"at most {self.limits.max_rows:,} rows"
        memory = ("no memory limit" if self.limits.max_memory is None
                  else f"at most {self.limits.max_memory:,} MB of memory")
        said = describe(self._endpoint(scope, headers), self.name, union=self.union,
                        limits=f"{timeout}, {rows}, {memory}", media_type=media)
        return 200, said.media_type, said.data, []

    def _void(self, accept: str | None) -> tuple[int, str, bytes, list[tuple[bytes, bytes]]]:
        """The build's VoID description in a syntax ``accept`` takes, where what is served holds one (a store kg
        wrote, N-Quads, TriG)."""
        media = negotiate(accept, {m: m for m in VOID_FORMATS}, VOID_WILDCARDS, lambda m: m)
        if media is None:
            return _problem(406, "the VoID description comes in " + ", ".join(sorted(VOID_FORMATS)))
        try:
            said = void_description(self.store() if callable(self.store) else self.store, media)
        except QueryError as err:  # (a source gone or unreadable since the server started: as /sparql says it)
            return _problem(400, str(err))
        if said is None:
            return _problem(404, f"{self.name} holds no VoID description: kg build writes one in graph.oxigraph, "
                                 "graph.nq and graph.trig")
        return 200, media, said, []

    def _endpoint(self, scope: Scope, headers: Mapping[str, str]) -> str:
        """The endpoint's URL as the client reached it (its ``Host``, where that is a host name)."""
        host = headers.get("host", "")
        if not _HOST.fullmatch(host):
            server = scope.get("server") or ("localhost", None)
            host = f"[{server[0]}]" if ":" in server[0] else server[0]
            host += f":{server[1]}" if server[1] else ""
        return f"{scope.get('scheme', 'http')}://{host}{self.path}"


#: The methods the endpoint answers (HEAD as GET; OPTIONS: what a browser asks before a script's POST).
_METHODS = b"GET, POST, HEAD, OPTIONS"

#: What every answer says to a browser (CORS): a script of any origin may read it, kg's own header too
#: (a browser hides any other from it). The endpoint has no credentials to guard.
_CORS = [(b"access-control-allow-origin", b"*"), (b"access-control-expose-headers", b"X-KG-Truncated")]

#: Request headers a preflight that names none is told a script may send: ``Content-Type`` names a
#: direct POST's query, ``Accept`` the answer's format.
_SCRIPT_HEADERS = "accept, content-type"
#: (spaces and tabs alone around the commas: a str pattern's \s would let \x85 or \r\n through, into a header)
_HEADER_NAMES = re.compile(TOKEN + r"(?:[ \t]*,[ \t]*" + TOKEN + ")*")

#: How long (seconds) a browser may keep a preflight's answer: it never changes while kg runs.
_PREFLIGHT_MAX_AGE = 86400


def _preflight(headers: Mapping[str, str]) -> list[tuple[bytes, bytes]]:
    """The headers of the answer to ``OPTIONS`` (204): the methods, and to a CORS preflight, that a
    script may send them with the headers it asks for.

    Any header a script names is allowed, as the endpoint reads none but ``Accept`` and
    ``Content-Type`` and guards nothing; a list that is not header names gets those two.

    >>> dict(_preflight({"access-control-request-headers": "Content-Type, X-Requested-With"}))[
    ...     b"access-control-allow-headers"]
    b'Content-Type, X-Requested-With'
    >>> dict(_preflight({}))[b"access-control-allow-headers"], dict(_preflight({}))[b"allow"]
    (b'accept, content-type', b'GET, POST, HEAD, OPTIONS')
    >>> dict(_preflight({"access-control-request-headers": "a,\\r\\nset-cookie"}))[b"access-control-allow-headers"]
    b'accept, content-type'
    """
    asked = headers.get("access-control-request-headers", "").strip(" \t")
    allowed = asked if _HEADER_NAMES.fullmatch(asked) else _SCRIPT_HEADERS
    return [(b"allow", _METHODS), *_CORS, (b"access-control-allow-methods", _METHODS),
            (b"access-control-allow-headers", allowed.encode("latin-1")),
            (b"access-control-max-age", str(_PREFLIGHT_MAX_AGE).encode()),
            (b"vary", b"Access-Control-Request-Headers")]


async def _respond(send: Send, status: int, media: str, data: bytes, extra: list[tuple[bytes, bytes]]) -> None:
    if media.startswith("text/"):
        media += "; charset=utf-8"  # (text/csv means US-ASCII otherwise)
    head = [(b"content-type", media.encode()), (b"content-length", str(len(data)).encode()), *_CORS,
            (b"vary", b"Accept"), *extra]
    await send({"type": "http.response.start", "status": status, "headers": head})
    await send({"type": "http.response.body", "body": data})


def _problem(status: int, message: str) -> tuple[int, str, bytes, list[tuple[bytes, bytes]]]:
    import json

    return status, "application/json", json.dumps({"message": message}).encode(), []


def _headers_only(send: Send) -> Send:
    """``send`` that leaves out the body of the response (its ``content-length`` kept, as HEAD asks)."""

    async def head(message: Message) -> None:
        await send({**message, "body": b""} if message["type"] == "http.response.body" else message)

    return head


def make_app(source: str | os.PathLike[str], limits: Limits | None = None,
             max_running: int = MAX_RUNNING) -> SparqlQueries:
    """The endpoint's ASGI application over a store folder (or a graph file, loaded into memory)."""
    from kg.query.sparql import is_dataset, is_store, open_store, query_prefixes

    limits = limits or Limits(DEFAULT_TIMEOUT_S, DEFAULT_MAX_ROWS, max_memory=DEFAULT_MAX_MEMORY_MB)
    prefixes = query_prefixes(source)
    # An on-disk store is opened by each query's own process: no database
    # handle crosses a fork.  Opening it here first checks that it opens.
    first = open_store(source)
    store: ox.Store | Callable[[], ox.Store] = (lambda: open_store(source)) if is_store(source) else first
    # (the folder's or file's name: its path on this machine is no business of a client's)
    return SparqlQueries(store, limits, prefixes, name=Path(source).name, union=is_dataset(source),
                         max_running=max_running)


@checks_keywords
def serve(source: str | os.PathLike[str], *, host: str = "127.0.0.1", port: int = DEFAULT_PORT,
          limits: Limits | None = None, max_running: int = MAX_RUNNING) -> None:
    """Serve ``source`` at ``http://HOST:PORT/sparql`` until interrupted.

    The address is taken before the store is opened, so that a port in use
    (or one that may not be used) is said at once, after a source that no
    read can take (a corpus folder, a file of no graph format); port 0 takes
    a free one, and the line printed names it.

    Parameters
    ----------
    source : path
        A store folder written by :func:`kg.write_store` (opened by each query), or a graph file that
        :func:`kg.open_store` reads (loaded into memory once).
    host : str, default "127.0.0.1"
        The address to listen at; ``""``: every interface.
    port : int, default DEFAULT_PORT (7878)
        The port to listen at, 0 to 65535; 0 takes a free one.
    limits : Limits, optional
        What each query may cost; by default :data:`DEFAULT_TIMEOUT_S` seconds, :data:`DEFAULT_MAX_ROWS`
        rows, :data:`DEFAULT_MAX_MEMORY_MB` megabytes and no ``SERVICE``.
    max_running : int, default MAX_RUNNING (32)
        Queries answered at once (each in a process of its own); one more is refused at once with
        HTTP 503 ``busy``, rather than kept waiting.

    Returns
    -------
    None
        When the server is stopped (Ctrl-C, SIGTERM).

    Raises
    ------
    ArgumentError
        If ``port`` is not in 0 .. 65535.
    ServeError
        If the endpoint cannot listen at ``host:port``.
    QueryError
        If ``source`` is not a store or graph file that can be read.
    MissingExtraError
        If uvicorn is not installed (the ``serve`` extra).

    Examples
    --------
    A bad argument is refused before anything listens or is read:

    >>> import kg
    >>> kg.serve("examples/graph.oxigraph", port=70000)
    Traceback (most recent call last):
    ...
    kg.errors.ArgumentError: the port (0: a free one) must be a whole number, 0 to 65535, not 70000
    """
    port = whole_number(port, "the port (0: a free one)", 0, 65535)
    max_running = whole_number(max_running, "max_running", 1)
    check_source(source)  # (a source that no read can take is said before the port)
    from kg.query.partnote import part_note

    if (part := part_note(source)) is not None:
        print(f"kg: note: {part}", file=sys.stderr, flush=True)
    listening = listen(host, port)
    try:
        app = make_app(source, limits, max_running)
        try:
            import uvicorn
        except ImportError as err:
            raise MissingExtraError("kg serve needs uvicorn: pip install 'kg[serve]'") from err

        bound = listening.getsockname()[1]
        bare = host.removeprefix("[").removesuffix("]") or "localhost"  # "": every interface, this one too
        shown = f"[{bare}]" if ":" in bare else bare
        # (said: an endpoint with no authentication, open to the network)
        everywhere = " on every interface" if on_every_interface(listening.getsockname()[0]) else ""
        print(f"kg: serving {os.fspath(source)} at http://{shown}:{bound}/sparql (read-only{everywhere})",
              flush=True)

        # A signal the process ignores stays ignored, as kg build leaves it (a shell's background job, nohup):
        # uvicorn takes both signals, and stopped by one the process ignores, it would exit 0 without a word.
        ignored = frozenset(sig for sig in (signal.SIGINT, signal.SIGTERM) if signal.getsignal(sig) is signal.SIG_IGN)

        class Server(uvicorn.Server):
            def handle_exit(self, sig: int, frame: FrameType | None) -> None:
                if sig in ignored:
                    return
                app.stop_queries()  # (or the server waits for each running query to end: forever without a timeout)
                super().handle_exit(sig, frame)

        Server(uvicorn.Config(app, log_level="warning", lifespan="off")).run(sockets=[listening])
    finally:
        listening.close()
