"""One fingerprint of kg's own code, for the caches kept between builds.

A stored fact, record or output index is only as good as the code that made
it.  Rather than list the modules that matter (a list nobody remembers to
keep up to date), every file of the package counts (its modules, and the
explorer's script, style and page, which a kept ``graph.html`` holds), with
the versions of the libraries that shape the bytes: any new version of kg,
or of those libraries, starts the caches afresh.
"""

from __future__ import annotations

import hashlib
import sys
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

__all__ = ["code_fingerprint", "package_fingerprint"]

_LIBRARIES = ("markdown-it-py", "pyoxigraph", "rdflib", "pyvis")  # (pyvis: vis-network, inlined in graph.html)


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A SHA-256 of kg's files (but compiled ones) and of the versions of the libraries it builds on.

    Examples
    --------
    >>> len(code_fingerprint())
    64
    """
    return package_fingerprint(Path(__file__).parent.parent)


def package_fingerprint(package: Path) -> str:
    """:func:`code_fingerprint` of the package in the folder ``package``."""
    h = hashlib.sha256(f"python {sys.version_info[:2]}".encode())
    for name in _LIBRARIES:
        try:
            h.update(f" {name} {version(name)}".encode())
        except PackageNotFoundError:  # pragma: no cover - a core dependency
            h.update(f" {name} -".encode())
    for path in sorted(package.rglob("*")):
        inside = path.relative_to(package).parts
        # (compiled files, and dot-files such as an editor's or a tool's, change without the code)
        if path.is_file() and path.suffix not in (".pyc", ".pyo") and "__pycache__" not in inside \
                and not any(part.startswith(".") for part in inside):
            h.update(path.relative_to(package).as_posix().encode() + b"\0")
            h.update(path.read_bytes())
    return h.hexdigest()
