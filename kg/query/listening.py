"""The endpoint's listening socket: taken before the store is opened, and what it listens on.

:func:`kg.query.serve.serve` takes its address first, so that a port in use
(or one that may not be used) is said at once, as a :class:`~kg.errors.ServeError`,
rather than after the store is opened; uvicorn is then handed the socket.
:func:`on_every_interface` says whether the bound address is open to the
network, which the endpoint, with no authentication, says when it starts.
"""

from __future__ import annotations

import errno
import socket

from kg.errors import ServeError

__all__ = ["listen", "on_every_interface"]


def listen(host: str, port: int) -> socket.socket:
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


def on_every_interface(address: str) -> bool:
    """Whether a socket bound to ``address`` listens on every interface (``0``, ``::0`` and
    ``::ffff:0.0.0.0`` are 0.0.0.0 or ``::`` too, as the socket says once bound).

    >>> on_every_interface("0.0.0.0"), on_every_interface("::ffff:0.0.0.0"), on_every_interface("127.0.0.1")
    (True, True, False)
    """
    import ipaddress

    bound = ipaddress.ip_address(address.partition("%")[0])  # (a scope: fe80::1%eth0)
    mapped = getattr(bound, "ipv4_mapped", None)
    return bound.is_unspecified or (mapped is not None and mapped.is_unspecified)
