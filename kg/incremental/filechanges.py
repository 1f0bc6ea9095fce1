"""What changed on disk since the last build: the walked page files against the cached ones.

A file's stat signature (size, mtime, inode ...) is compared first; only a
file whose signature changed is hashed, and counts as changed only if its
bytes did (a ``touch`` is noted as a new signature, nothing more).
"""

from __future__ import annotations

import sys
from collections.abc import Collection
from dataclasses import dataclass

from kg.incremental.cache import PageCache
from kg.incremental.signature import file_digest, stat_signature
from kg.read.files import prefetch

__all__ = ["FileChanges", "file_changes", "stat_changes", "PARALLEL_STAT_FILES"]


@dataclass(frozen=True, slots=True)
class FileChanges:
    """How the walked files differ from the cached pages."""

    stored: dict[str, str]  # cached path -> stat signature
    walked: set[str]
    changed: list[tuple[str, str]]  # (path, file) to parse: new, or bytes changed
    restat: list[tuple[str, str]]  # (path, signature now): touched but the same bytes
    deleted: list[str]


def file_changes(cache: PageCache, files: list[tuple[str, str]], doubtful: Collection[str] = ()) -> FileChanges:
    """Stat-check the walked files, then hash those whose signature changed.

    The pages in ``doubtful`` (whose cached rows cannot be trusted) count as
    changed, whatever their files say.
    """
    stored = cache.stored_stats()
    walked = {rel for rel, _ in files}
    changed = [(rel, real) for rel, real in files if rel not in stored]
    if doubtful:  # (rarely: a damaged or tampered cache)
        changed += [(rel, real) for rel, real in files if rel in doubtful and rel in stored]
        files = [(rel, real) for rel, real in files if rel not in doubtful]
    touched = stat_changes(files, stored)
    prefetch(real for _, real, _ in touched)  # edited a while ago, they may be on disk only
    digests = cache.digests(rel for rel, _, _ in touched)
    restat = []
    for rel, real, now in touched:
        if now is not None and file_digest(real) == digests.get(rel):
            restat.append((rel, now))
        else:
            changed.append((rel, real))
    return FileChanges(stored, walked, changed, restat, [path for path in stored if path not in walked])


#: Below this many files one process looks at them all.
PARALLEL_STAT_FILES = 20_000


def stat_changes(files: list[tuple[str, str]], stored: dict[str, str]) -> list[tuple[str, str, str | None]]:
    """``(rel, real, signature now)`` of the stored files whose stat signature changed.

    A stat costs a few microseconds, and an archive has 160,000 files: on
    Linux a forked process looks at half of them meanwhile (each call holds
    Python's lock between system calls, so threads would take turns).
    """
    half = len(files) // 2
    if len(files) < PARALLEL_STAT_FILES or sys.platform != "linux":
        return _restat_part(files, stored)
    import multiprocessing

    from kg.interrupts import worker_pool

    with worker_pool(multiprocessing.get_context("fork"), 1, _remember, (files, stored)) as pool:
        far = pool.apply_async(_restat_half, (half,))
        near = _restat_part(files[:half], stored)
        return near + far.get()


def _restat_part(files: list[tuple[str, str]], stored: dict[str, str]) -> list[tuple[str, str, str | None]]:
    found = []
    for rel, real in files:
        known = stored.get(rel)
        if known is not None:
            now = stat_signature(real)
            if now != known:
                found.append((rel, real, now))
    return found


# In a forked worker: what :func:`stat_changes` handed over.
_inherited: tuple[list[tuple[str, str]], dict[str, str]] = ([], {})


def _remember(files: list[tuple[str, str]], stored: dict[str, str]) -> None:
    global _inherited
    _inherited = (files, stored)


def _restat_half(half: int) -> list[tuple[str, str, str | None]]:
    files, stored = _inherited
    return _restat_part(files[half:], stored)
