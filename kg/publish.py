"""Output folders written all at once: a private staging folder, a lock, one publication.

A build writes its files into a staging folder of its own inside the output
folder (``.kg-build-XXXXXXXX``: same file system, so publishing is renames,
never copies) while the previous files stay whole.  At the end
:meth:`OutputFolder.publish` writes a small journal naming the files, then
renames each over its old version; a build killed in between leaves the
journal, and the next build (or any later :class:`OutputFolder`) finishes the
publication before it does anything else, so the folder never keeps a mix of
two builds.  A lock (``.kg-lock``, :func:`fcntl.flock`) keeps a second build
out of a folder in use: it fails at once with :class:`~kg.errors.OutputLockedError`.
Leftover staging folders of killed builds are removed by the next build.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import json
import os
import secrets
import shutil
import stat
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType

from kg.errors import OutputError, OutputLockedError
from kg.interrupts import signals_held

__all__ = ["OutputFolder", "replacing", "output_error", "open_lock_file", "LOCK_NAME", "JOURNAL_NAME",
           "STAGING_PREFIX"]

LOCK_NAME = ".kg-lock"
JOURNAL_NAME = ".kg-publish.json"
STAGING_PREFIX = ".kg-build-"
# Temporary names that versions before the staging folder left beside the files.
_LEGACY_PARTS = ("graph.ttl", "graph.nt", "graph.ttl.gz", "graph.nt.gz", "graph.graphml", "graph.html")


def output_error(err: OSError, where: str | os.PathLike[str]) -> OutputError:
    """A one-line :class:`~kg.errors.OutputError` for a failure to write ``where``.

    Examples
    --------
    >>> str(output_error(OSError(errno.ENOSPC, "No space left on device"), "out"))
    'cannot write out: no space left on the device'
    """
    reasons = {errno.ENOSPC: "no space left on the device", errno.EDQUOT: "disk quota exceeded",
               errno.EROFS: "read-only file system", errno.EACCES: "permission denied",
               errno.EPERM: "permission denied", errno.EEXIST: "it is a file, not a folder",
               errno.ENOTDIR: "a part of the path is a file, not a folder",
               errno.ENOENT: "its folder does not exist"}
    reason = reasons.get(err.errno or 0, err.strerror or str(err))
    missing = os.fspath(err.filename) if isinstance(err.filename, (str, os.PathLike)) else None
    if (err.errno == errno.ENOENT and missing is not None and not os.path.lexists(missing)
            and os.path.isdir(os.path.dirname(os.path.abspath(missing)))):
        reason = "the file system there does not let it be made"  # /proc, say: its folder is there
    return OutputError(f"cannot write {os.fspath(where)}: {reason}")


@contextlib.contextmanager
def replacing(target: str | os.PathLike[str]) -> Iterator[str]:
    """Yield a fresh temporary path beside ``target``; on success it replaces ``target``.

    The name is unique (two writers of one file never share it) and the
    temporary file is removed when the body fails, so no partial file stays.
    A ``target`` that is there and is not a regular file (a device, a pipe,
    a folder) raises :class:`~kg.errors.OutputError` before anything is written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> with replacing(target) as tmp:
    ...     _ = pathlib.Path(tmp).write_text("done")
    >>> target.read_text(), sorted(p.name for p in target.parent.iterdir())
    ('done', ['a.txt'])
    >>> with replacing("/dev/null") as tmp:
    ...     pass
    Traceback (most recent call last):
    kg.errors.OutputError: cannot write /dev/null: it is not a regular file (a device, a pipe or a socket)
    """
    path = os.fspath(target)
    try:
        kind = os.stat(path).st_mode
    except OSError:
        kind = None  # not there yet (or unreadable): making the temporary file tells
    if kind is not None and not stat.S_ISREG(kind):
        # A rename would put a file where a device, a pipe or a folder was: as root, -o /dev/null
        # would replace the system's /dev/null.
        what = "a folder" if stat.S_ISDIR(kind) else "not a regular file (a device, a pipe or a socket)"
        raise OutputError(f"cannot write {path}: it is {what}")
    fd, tmp = tempfile.mkstemp(prefix=os.path.basename(path) + ".", suffix=".part",
                               dir=os.path.dirname(path) or ".")
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # as open() would make it, not mkstemp's 0600
    finally:
        os.close(fd)
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@functools.lru_cache(maxsize=1)
def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def open_lock_file(path: Path) -> int:
    """Open (or make) the file whose descriptor a lock is taken on, never through a link.

    A link planted in its place, to a file elsewhere, is replaced by a file of its own:
    the build writes nothing to it, but would have opened (and locked) the file it names.

    Examples
    --------
    >>> import os, tempfile
    >>> with tempfile.TemporaryDirectory() as name:
    ...     folder = Path(name)
    ...     _ = (folder / "elsewhere").write_text("theirs")
    ...     os.symlink(folder / "elsewhere", folder / "lock")
    ...     os.close(open_lock_file(folder / "lock"))
    ...     (folder / "lock").is_symlink(), (folder / "elsewhere").read_text()
    (False, 'theirs')
    """
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        return os.open(path, flags, 0o644)
    except OSError as err:
        if err.errno != errno.ELOOP or not path.is_symlink():
            raise
    path.unlink()
    return os.open(path, flags, 0o644)


class OutputFolder:
    """An output folder held for one build: locked, cleaned, staged, then published.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "out"
    >>> with OutputFolder(out) as folder:
    ...     _ = folder.staged("a.txt").write_text("new")
    ...     folder.publish(["a.txt"])
    >>> sorted(p.name for p in out.iterdir())
    ['.kg-lock', 'a.txt']
    """

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)
        self._lock: int | None = None
        self._staging: Path | None = None
        self._made: tuple[bool, bool] = (False, False)  # (the folder, the lock file) made here

    def __enter__(self) -> OutputFolder:
        try:
            made_folder = not self.folder.exists()
            self.folder.mkdir(parents=True, exist_ok=True)
            if not self.folder.is_dir():
                raise FileExistsError(errno.EEXIST, "not a folder")
            made_lock = not (self.folder / LOCK_NAME).exists()
            self._lock = open_lock_file(self.folder / LOCK_NAME)
            self._made = (made_folder, made_lock)
        except OSError as err:
            raise output_error(err, self.folder) from err
        held = False
        try:
            _flock(self._lock, self.folder)
            held = True
            recover(self.folder)
            _remove_leftovers(self.folder)
            # Named before it is made, not after (as mkdtemp does): a Ctrl-C right after the
            # mkdir finds the name kept, and the folder goes.  Holding the signal would not do:
            # another thread of the process may take it, and Python raises it here all the same.
            while self._staging is None:
                self._staging = self.folder / f"{STAGING_PREFIX}{secrets.token_hex(6)}"
                try:
                    self._staging.mkdir(mode=0o700)
                except FileExistsError:  # a leftover that could not be removed: leave it be
                    self._staging = None
        except BaseException as err:
            self._drop_staging()
            if held:  # (not another build's lock, which this one may have made the file of too)
                self._leave_as_found()
            self._unlock()
            if isinstance(err, OSError) and not isinstance(err, OutputError):
                raise output_error(err, self.folder) from err
            raise
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        try:
            self._drop_staging()
            if kind is not None:
                self._leave_as_found()
        finally:
            self._unlock()

    def _leave_as_found(self) -> None:
        # A build that failed or was stopped leaves the folder as it found it: without the lock
        # it made, and not there at all if it made it and nothing else is in it now.
        made_folder, made_lock = self._made
        with signals_held(), contextlib.suppress(OSError):
            if made_lock and not (self.folder / JOURNAL_NAME).exists():
                os.unlink(self.folder / LOCK_NAME)
                if made_folder:
                    os.rmdir(self.folder)  # (fails, and is left, if anything else is in it)

    def _drop_staging(self) -> None:
        # Held: a second Ctrl-C while it is removed would leave half of it behind.
        with signals_held():
            if self._staging is not None:
                shutil.rmtree(self._staging, ignore_errors=True)
                self._staging = None

    @property
    def staging(self) -> Path:
        """The private folder the build writes into."""
        if self._staging is None:
            raise RuntimeError("the output folder is not held")
        return self._staging

    def staged(self, name: str) -> Path:
        """Where the file ``name`` is written before publication."""
        return self.staging / name

    def publish(self, names: list[str], spares: Mapping[str, str] | None = None) -> None:
        """Move the staged files ``names`` over the published ones, all together.

        ``spares`` maps a file name to a path (same file system) that should
        keep the replaced version: it is linked there first, so replacing it
        frees nothing (see :func:`kg.incremental.outindex.splice`).  Ctrl-C waits until
        the renames are done.
        """
        staging = self.staging
        files = list(names)
        for name in files:  # (a build checks first: this is for a folder made while it ran)
            target = self.folder / name
            if target.is_dir() and not target.is_symlink() and not (staging / name).is_dir():
                # The rename would fail half-way through, and a journal left behind fail each rerun.
                raise OutputError(f"cannot write {target}: it is a folder, not a file")
        journal = {"staging": staging.name, "files": files}
        with signals_held():
            for name, spare in (spares or {}).items():
                _keep_as_spare(self.folder / name, spare)
            # The draft lives in the staging folder: a build killed (SIGKILL) before the rename
            # leaves it there, with the other staged files, not a stray file in the output folder.
            draft = staging / (JOURNAL_NAME + ".part")
            draft.write_text(json.dumps(journal), encoding="utf-8")
            os.replace(draft, self.folder / JOURNAL_NAME)
            _finish(self.folder, staging.name, files)

    def _unlock(self) -> None:
        if self._lock is not None:
            os.close(self._lock)  # closing drops the flock
            self._lock = None


def _flock(fd: int, folder: Path) -> None:
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise OutputLockedError(f"another kg build is writing to {folder}; "
                                "try again when it has finished") from None


def recover(folder: Path) -> bool:
    """Finish a publication that a killed build left half done; say whether there was one."""
    path = folder / JOURNAL_NAME
    try:
        journal = json.loads(path.read_text(encoding="utf-8"))
        names = [str(n) for n in journal["files"]]
        staging = str(journal["staging"])
    except FileNotFoundError:
        return False
    except (OSError, ValueError, KeyError, TypeError):
        path.unlink(missing_ok=True)  # not ours, or cut short before any rename: the old set stands
        return False
    if not staging.startswith(STAGING_PREFIX) or "/" in staging \
            or any("/" in n or n.startswith(".") for n in names):
        path.unlink(missing_ok=True)
        return False
    _finish(folder, staging, names)
    return True


def _finish(folder: Path, staging_name: str, files: Sequence[str]) -> None:
    staging = folder / staging_name
    for name in files:
        source = staging / name
        if source.exists():
            target = folder / name
            if source.is_dir() and target.is_dir():
                # A store folder (--formats oxigraph): rename cannot replace a full folder, so
                # the old one goes into the staging folder first (removed below); a build
                # killed between the two renames is finished by recover().
                os.replace(target, staging / (name + ".old"))
            os.replace(source, target)
    (folder / JOURNAL_NAME).unlink(missing_ok=True)
    shutil.rmtree(staging, ignore_errors=True)


def _remove_leftovers(folder: Path) -> None:
    """Remove what killed builds left: staging folders and old-style ``.part`` files."""
    with os.scandir(folder) as listing:
        for entry in listing:
            if entry.name.startswith(STAGING_PREFIX) and entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            elif entry.name.startswith(_LEGACY_PARTS) and ".part" in entry.name \
                    and entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)


def _keep_as_spare(published: Path, spare: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(spare)
    with contextlib.suppress(OSError):  # another file system, or nothing published yet
        os.link(published, spare)
