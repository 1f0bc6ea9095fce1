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
import re
import secrets
import shutil
import stat
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType

from kg.errors import OutputError, OutputLockedError
from kg.interrupts import signals_held

__all__ = ["OutputFolder", "replacing", "output_error", "current_umask", "take_lock_file", "open_lock_file",
           "LOCK_NAME", "JOURNAL_NAME", "STAGING_PREFIX"]

LOCK_NAME = ".kg-lock"
JOURNAL_NAME = ".kg-publish.json"
STAGING_PREFIX = ".kg-build-"
# Temporary names that versions before the staging folder left beside the files.
# The names kg gave its staging folders (mkdtemp's, then 12 hex digits) and, in its first versions, its
# part files ("graph.ttl.part", mkstemp's "graph.ttl.k2x_9a1b.part"): a leftover is one of these, never
# a file of the user's that only starts alike ("graph.html.notes.csv", ".kg-build-mydata").
_LEFTOVER_STAGING = re.compile(re.escape(STAGING_PREFIX) + r"[0-9a-f]{12}").fullmatch
# What kg puts in a staging folder as it makes it: a folder so named is a leftover when it holds it, or nothing
# (killed between the two), or what older versions staged; a user's ".kg-build-202412041530" is not.
_STAGING_MARK = ".kg-staging"
# mkdtemp's eight characters, which a user's folder may have too (".kg-build-backup01" was removed with its
# files): such a folder is a leftover only when it holds what a staging folder held, nothing else.
_LEGACY_STAGING = re.compile(re.escape(STAGING_PREFIX) + r"[a-z0-9_]{8}").fullmatch
_STAGED = re.compile(r"(?:graph[.-]|report\.json|manifest\.json|\.kg-publish\.json)[^/]*|spill").fullmatch

_LEGACY_PART = re.compile(r"graph\.(?:ttl|nt|ttl\.gz|nt\.gz|graphml|html)(?:\.[a-z0-9_]{8})?\.part").fullmatch
_LOCK_FLAGS = os.O_RDWR | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
# What opening a link with O_NOFOLLOW fails with: ELOOP on Linux and macOS, EMLINK on older FreeBSD.
_LINK_ERRNOS = frozenset({errno.ELOOP, errno.EMLINK})
# Tries at a lock whose file is replaced, or a link planted again, each time before it is taken.
_LOCK_TRIES = 5


def output_error(err: OSError, where: str | os.PathLike[str]) -> OutputError:
    """A one-line :class:`~kg.errors.OutputError` for a failure to write ``where``.

    Examples
    --------
    >>> str(output_error(OSError(errno.ENOSPC, "No space left on device"), "out"))
    'cannot write out: no space left on the device'

    A failed rename names the file it was to replace (an immutable ``out/graph.ttl``), not ``where``:

    >>> str(output_error(OSError(errno.EPERM, "Operation not permitted", "out/.kg-build-0/graph.ttl", None,
    ...                          "out/graph.ttl"), "out"))
    'cannot write out/graph.ttl: permission denied'
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
    if isinstance(err.filename2, (str, os.PathLike)):  # (a rename: its target is what could not be written)
        where = err.filename2
    if err.errno == errno.EEXIST and os.path.exists(where) and not os.path.isfile(where):  # (-o /dev/null)
        reason = "it is a device, a pipe or a socket, not a folder"
    elif err.errno == errno.EEXIST and os.path.islink(where) and not os.path.exists(where):
        with contextlib.suppress(OSError):  # (gone meanwhile: the reason as it was)
            reason = f"it is a link to {os.readlink(where)}, which is not there"
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
    # Hidden, and never a name that a build's start removes as an older version's leftover (graph.html.x2k_9a1b.part):
    # a kg html writing into the folder a build starts in loses no file.
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".part", dir=os.path.dirname(path) or ".")
    try:
        os.fchmod(fd, 0o666 & ~current_umask())  # as open() would make it, not mkstemp's 0600
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
def current_umask() -> int:
    """The process's umask (read once: reading it means setting it, for a moment)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def open_lock_file(path: Path) -> int:
    """Open (or make) the file whose descriptor a lock is taken on, never through a link.

    A link planted in its place, to a file elsewhere, is replaced by a file of its own:
    the build writes nothing to it, but would have opened (and locked) the file it names.
    The new file is made under a fresh name beside it and renamed over the link, while the
    folder is held (an ``flock`` on the folder itself) and only if a link is still there:
    two builds that found the link at once would each replace the other's file, by then
    locked, and both hold a lock.  Raises :class:`BlockingIOError` while another process
    holds the folder so (it is about to take the lock).  Take the lock with
    :func:`take_lock_file`.

    Examples
    --------
    >>> import os, tempfile
    >>> with tempfile.TemporaryDirectory() as name:
    ...     folder = Path(name)
    ...     _ = (folder / "elsewhere").write_text("theirs")
    ...     os.symlink(folder / "elsewhere", folder / "lock")
    ...     os.close(open_lock_file(folder / "lock"))
    ...     (folder / "lock").is_symlink(), (folder / "elsewhere").read_text(), len(os.listdir(folder))
    (False, 'theirs', 2)
    """
    for _ in range(_LOCK_TRIES):
        try:
            return os.open(path, _LOCK_FLAGS | os.O_CREAT, 0o644)
        except OSError as err:
            if err.errno not in _LINK_ERRNOS:
                raise
            failure = err
        if path.is_symlink():
            fd = _replace_link(path)
            if fd is not None:
                return fd
        # Else another build replaced the link meanwhile (open again), or it was never one (a loop
        # of links above it, say: it fails again, and is raised).
    raise failure


def _replace_link(path: Path) -> int | None:
    """Put a file of its own where the link ``path`` is: its descriptor, ``None`` if no link is there now."""
    with _folder_held(path.parent):
        if not path.is_symlink():
            return None  # replaced by another build meanwhile: open the file it made
        with signals_held():  # a Ctrl-C between the two steps would leave the fresh file beside
            fresh = path.with_name(f"{path.name}.{secrets.token_hex(6)}.part")
            fd = os.open(fresh, _LOCK_FLAGS | os.O_CREAT | os.O_EXCL, 0o644)
            try:
                os.replace(fresh, path)
            except BaseException:
                os.close(fd)
                with contextlib.suppress(OSError):
                    os.unlink(fresh)
                raise
        return fd


@contextlib.contextmanager
def _folder_held(folder: Path) -> Iterator[None]:
    """Hold ``folder`` (an ``flock`` on it, not waiting); :class:`BlockingIOError` while another process does."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover (not a POSIX system: no flock)
        yield
        return
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        yield
    finally:
        os.close(fd)  # (drops the flock)


def take_lock_file(path: Path) -> int | None:
    """Take the lock whose file is ``path`` (an ``flock``, not waiting): its descriptor, ``None`` if another holds it.

    The file is opened with :func:`open_lock_file`.  Between the open and the
    lock another process may have removed the file (a build that fails removes
    the lock file it made) or put another in its place: a lock on a file no
    longer at ``path`` keeps nobody out, so the lock is taken again on the file
    that is there now, a few times at most (then, as something keeps replacing
    the file, it counts as held).  Closing the descriptor drops the lock.  Other
    failures to open or lock the file raise :class:`OSError`.

    Examples
    --------
    >>> import os, tempfile
    >>> with tempfile.TemporaryDirectory() as name:
    ...     mine = take_lock_file(Path(name) / "lock")
    ...     second = take_lock_file(Path(name) / "lock")
    ...     os.close(mine)
    ...     again = take_lock_file(Path(name) / "lock")
    ...     os.close(again)
    ...     mine is not None, second, again is not None
    (True, None, True)
    """
    import fcntl

    for _ in range(_LOCK_TRIES):
        try:
            fd = open_lock_file(path)
        except BlockingIOError:
            return None  # another process is replacing a link planted there, to take the lock
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if _still_at(fd, path):
                _remove_fresh_files(path)
                return fd
        except BlockingIOError:
            os.close(fd)
            return None
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)
    return None


#: the name of a fresh lock file before it replaces a link (see _replace_link): the lock's name, a dot,
#: 12 hex digits and ".part"
_FRESH = re.compile(r"\.[0-9a-f]{12}\.part")


def _remove_fresh_files(path: Path) -> None:
    """Remove the fresh files that a process killed while replacing a link at ``path`` left beside it.

    While the folder is held as :func:`_replace_link` holds it: a link planted again meanwhile, another
    process may be making one (then they are left for the next time).
    """
    with contextlib.suppress(OSError), _folder_held(path.parent), os.scandir(path.parent) as listing:
        for entry in listing:
            if entry.name.startswith(path.name) and _FRESH.fullmatch(entry.name[len(path.name):]) \
                    and entry.is_file(follow_symlinks=False):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def _still_at(fd: int, path: Path) -> bool:
    """Whether the file open as ``fd`` is the one at ``path``: not gone, not replaced, not a link to it."""
    try:
        there = os.lstat(path)
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return not stat.S_ISLNK(there.st_mode) and (there.st_dev, there.st_ino) == (mine.st_dev, mine.st_ino)


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

    def __init__(self, folder: str | os.PathLike[str], *, own: tuple[str, ...] = ()) -> None:
        self.folder = Path(folder)
        self._own = own  # what the build makes in the folder beside its files (its cache): gone with a folder it made
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
            self._lock = take_lock_file(self.folder / LOCK_NAME)
            self._made = (made_folder, made_lock)
        except OSError as err:
            raise output_error(err, self.folder) from err
        if self._lock is None:
            raise OutputLockedError(f"another kg build is writing to {self.folder}; "
                                    "try again when it has finished")
        try:
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
                else:
                    (self._staging / _STAGING_MARK).touch()
        except BaseException as err:
            self._drop_staging()
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
                    for name in self._own:
                        if _real_folder(self.folder / name):
                            shutil.rmtree(self.folder / name, ignore_errors=True)
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
    if not staging.startswith(STAGING_PREFIX) or "/" in staging or "\0" in staging \
            or any(not n or "/" in n or "\0" in n or n.startswith(".") for n in names) \
            or not _real_folder(folder / staging):
        # (A journal planted with a link as its staging folder would move files from elsewhere in; one
        # naming "" would move the output folder into its own staging folder, at every build.)
        path.unlink(missing_ok=True)
        return False
    _finish(folder, staging, names)
    return True


def _finish(folder: Path, staging_name: str, files: Sequence[str]) -> None:
    staging = folder / staging_name
    for name in files:
        source = staging / name
        if source.exists() and not source.is_symlink():  # (kg stages files and folders, never links)
            target = folder / name
            if source.is_dir() and target.is_dir():
                # A store folder (--formats oxigraph): rename cannot replace a full folder, so
                # the old one goes into the staging folder first (removed below); a build
                # killed between the two renames is finished by recover().
                os.replace(target, staging / (name + ".old"))
            os.replace(source, target)
    (folder / JOURNAL_NAME).unlink(missing_ok=True)
    shutil.rmtree(staging, ignore_errors=True)


def _real_folder(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _remove_leftovers(folder: Path) -> None:
    """Remove what killed builds left: staging folders and old-style ``.part`` files."""
    with os.scandir(folder) as listing:
        for entry in listing:
            if (_LEFTOVER_STAGING(entry.name) or _LEGACY_STAGING(entry.name)) and entry.is_dir(follow_symlinks=False) \
                    and _holds_only_staged(entry.path):
                shutil.rmtree(entry.path, ignore_errors=True)
            elif _LEGACY_PART(entry.name) and entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)


def _holds_only_staged(path: str) -> bool:
    """Whether the folder at ``path`` is one kg staged in: it holds kg's mark, or nothing, or what older
    versions staged alone."""
    try:
        with os.scandir(path) as listing:
            names = [entry.name for entry in listing]
    except OSError:
        return False
    return _STAGING_MARK in names or all(_STAGED(name) for name in names)


def _keep_as_spare(published: Path, spare: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(spare)
    with contextlib.suppress(OSError):  # another file system, or nothing published yet
        os.link(published, spare)
