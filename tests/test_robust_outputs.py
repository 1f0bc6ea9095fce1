"""Outputs survive interrupts, kills and concurrent builds; each environment failure is exit 2 in one line.

A build writes into a private staging folder and publishes all its files at
the end (:mod:`kg.publish`).  These tests kill builds at random moments
(SIGINT, SIGKILL), run two builds into one folder at once, and check that the
folder then holds the old set or the new set, whole, and that the next build
is byte-identical to a clean one.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kg.pipeline import CACHE_FOLDER
from kg.publish import JOURNAL_NAME, LOCK_NAME, STAGING_PREFIX, recover

KG = [str(Path(sys.executable).parent / "kg")]
SAMPLE = Path("examples/wcep-2015-09")
FORMATS = "turtle,ntriples,report,graphml"
EDITED = "news/2015/09/1/a-law-affecting-online-personal-computer-data-storage-comes-into-force-in-russia.md"
ROUNDS = 3
EXTRA_ROUNDS = 4


def _kg(*args: str, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*KG, *args], capture_output=True, text=True, timeout=timeout)


def _files(folder: Path) -> dict[str, bytes]:
    """The published set: every file but the lock."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and p.name != LOCK_NAME}


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Corpus A (the sample) and B (one headline edited), each built clean once."""
    base = tmp_path_factory.mktemp("robust-outputs")
    old, new = base / "a", base / "b"
    shutil.copytree(SAMPLE, old)
    shutil.copytree(SAMPLE, new)
    page = new / EDITED
    page.write_text(page.read_text(encoding="utf-8").replace("comes into force", "takes effect"),
                    encoding="utf-8")
    sets = {}
    started = time.monotonic()
    for name, corpus in (("a", old), ("b", new)):
        for formats in (FORMATS, "turtle,report"):
            out = base / f"clean-{name}-{formats.count(',')}"
            assert _kg("build", str(corpus), "-o", str(out), "-f", formats, "-q", "--no-cache").returncode == 0
            sets[name, formats] = _files(out)
    assert sets["a", FORMATS] != sets["b", FORMATS]
    # What one build takes on this machine now, start-up included.
    seconds = (time.monotonic() - started) / 4
    return {"base": base, "a": old, "b": new, "sets": sets, "seconds": seconds}


def _assert_whole(out: Path, old: dict[str, bytes], new: dict[str, bytes]) -> str:
    """The folder holds the old set or the new one, whole (finishing a cut publication first)."""
    if (out / JOURNAL_NAME).exists():
        recover(out)  # what the next build does first: a publication is finished, never undone
    files = _files(out)  # staging folders of a killed build are not part of the set
    assert files in (old, new), sorted(files)
    return "old" if files == old else "new"


def _start(corpus: Path, out: Path, formats: str, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen([*KG, "build", str(corpus), "-o", str(out), "-f", formats, "-q", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for_staging(out: Path, build: subprocess.Popen[str]) -> None:
    end = time.monotonic() + 60
    while build.poll() is None and time.monotonic() < end:
        if any(p.name.startswith(STAGING_PREFIX) for p in out.iterdir()):
            return
        time.sleep(0.005)


def _assert_next_build_is_clean(corpus: Path, out: Path, formats: str, expected: dict[str, bytes],
                                *extra: str) -> None:
    done = _kg("build", str(corpus), "-o", str(out), "-f", formats, "-q", *extra)
    assert done.returncode == 0, done.stderr
    assert _files(out) == expected
    assert not [p for p in out.iterdir() if p.name.startswith(STAGING_PREFIX) or ".part" in p.name]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
@pytest.mark.parametrize("formats,cached", [(FORMATS, False), ("turtle,report", True)])
def test_killed_builds_leave_the_old_set_or_the_new_one(corpora, tmp_path: Path, sig: signal.Signals,
                                                        formats: str, cached: bool) -> None:
    sets = corpora["sets"]
    old, new = sets["a", formats], sets["b", formats]
    rng = random.Random(f"{sig}{formats}")
    seen = set()
    # Past ROUNDS, more kills at once until one has landed mid-build (a busy machine can
    # delay the first one past publication): at most EXTRA_ROUNDS of them.
    for n in range(ROUNDS + EXTRA_ROUNDS):
        if n >= ROUNDS and (cached or "old" in seen):
            break
        out, cache = tmp_path / f"out{n}", tmp_path / f"cache{n}"
        extra = ("--cache", str(cache)) if cached else ("--no-cache",)
        if cached:  # the cache must know the old set
            assert _kg("build", str(corpora["a"]), "-o", str(out), "-f", formats, "-q", *extra).returncode == 0
        else:
            shutil.copytree(corpora["base"] / f"clean-a-{formats.count(',')}", out)
        build = _start(corpora["b"], out, formats, *extra)
        # Kill within the build: once its staging folder exists (the interpreter's own
        # start-up is not kg's to handle), after a random part of what a build takes.
        # The first round kills at once, so at least one kill lands before publication
        # however fast or slow this machine is today.
        _wait_for_staging(out, build)
        time.sleep(0.0 if n == 0 or n >= ROUNDS else rng.uniform(0.0, corpora["seconds"]))
        build.send_signal(sig)
        _, err = build.communicate(timeout=60)
        if sig == signal.SIGINT:
            assert build.returncode in (130, 0), err  # 0: it had finished
            assert "Traceback" not in err
            if build.returncode == 130:
                assert err.strip() in ("kg: interrupted; nothing was half written", "kg: interrupted")
                assert not [p for p in out.iterdir() if p.name.startswith(STAGING_PREFIX)]
        seen.add(_assert_whole(out, old, new))
        _assert_next_build_is_clean(corpora["b"], out, formats, new, *extra)
    if not cached:
        assert "old" in seen  # the kills did land mid-build


def _parallel_build(corpus: Path, out: Path, *extra: str) -> subprocess.Popen[str]:
    """A cold build on two workers, in a process group of its own."""
    return subprocess.Popen([*KG, "build", str(corpus), "-o", str(out), "-f", "turtle,report", "-q", "--no-cache",
                             "--jobs", "2", *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


@pytest.mark.parametrize("extra,within", [((), 1.0), (("--partitions", "6"), 2.5)], ids=["in-memory", "partitioned"])
def test_sigterm_to_the_process_group_ends_a_parallel_build_in_one_line(tmp_path: Path, extra: tuple[str, ...],
                                                                         within: float) -> None:
    # As timeout(1) and supervisors send it, the map's workers get it too: no hang, no traceback.
    # The partitioned build is also killed in its reduce, its spill folder in the staging folder.
    corpus = Path("examples/wcep-2026-05-to-2026-08")
    rng = random.Random(143)
    ended = []
    for n in range(4):
        out = tmp_path / f"out{n}"
        out.mkdir()
        build = _parallel_build(corpus, out, *extra)
        _wait_for_staging(out, build)
        time.sleep(rng.uniform(0.0, within))
        os.killpg(build.pid, signal.SIGTERM)
        _, err = build.communicate(timeout=60)  # a build stuck ending its pool fails here
        assert build.returncode in (143, 0), err  # 0: it had finished
        ended.append(build.returncode)
        assert "Traceback" not in err
        if build.returncode == 143:
            assert err.strip() == "kg: terminated; nothing was half written"
            assert sorted(p.name for p in out.iterdir()) == []  # as it was found: no staging, no lock
    assert 143 in ended  # the signal did land mid-build (within a second of staging: the map is still running)


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as listed:
            return [int(child) for child in listed.read().split()]
    except OSError:
        return []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc")
def test_a_map_worker_killed_mid_build_ends_it_in_one_line(tmp_path: Path) -> None:
    # As the kernel's out-of-memory killer does: the lost task must not leave the build waiting forever.
    corpus = Path("examples/wcep-2026-05-to-2026-08")
    ended = []
    for n in range(3):
        out = tmp_path / f"out{n}"
        out.mkdir()
        build = _parallel_build(corpus, out)
        end = time.monotonic() + 60
        while build.poll() is None and time.monotonic() < end and not _children(build.pid):
            time.sleep(0.002)
        time.sleep(0.3 + 0.2 * n)  # into the map: the worker holds a chunk of pages
        for child in _children(build.pid)[:1]:
            os.kill(child, signal.SIGKILL)
        _, err = build.communicate(timeout=60)  # a build waiting for the lost task fails here
        ended.append(build.returncode)
        assert build.returncode in (2, 0), err  # 0: it had finished
        assert "Traceback" not in err
        if build.returncode == 2:
            assert err.strip() == ("kg: error: a worker process was killed by SIGKILL (as the kernel's "
                                   "out-of-memory killer does: fewer --jobs need less memory)")
            assert sorted(p.name for p in out.iterdir()) == []  # nothing published, nothing left, no lock
    assert 2 in ended  # the kill did land mid-build


def test_two_builds_into_one_folder(corpora, tmp_path: Path) -> None:
    sets = corpora["sets"]
    new = sets["b", FORMATS]
    for n in range(3):
        out = tmp_path / f"out{n}"
        shutil.copytree(corpora["base"] / "clean-a-3", out)
        builds = [_start(corpora["b"], out, FORMATS) for _ in range(2)]
        results = [(b.wait(timeout=120), b.stderr.read()) for b in builds]  # type: ignore[union-attr]
        for code, err in results:
            assert code in (0, 2), err
            assert "Traceback" not in err
            if code == 2:
                assert err.strip().startswith("kg: error: another kg build is writing to")
                assert err.strip().count("\n") == 0
        assert any(code == 0 for code, _ in results)
        assert _files(out) == new
        _assert_next_build_is_clean(corpora["b"], out, FORMATS, new)


def test_a_locked_folder_is_exit_2_at_once(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with open(out / LOCK_NAME, "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        start = time.monotonic()
        done = _kg("build", str(SAMPLE), "-o", str(out), "-f", "turtle")
        assert time.monotonic() - start < 30
    assert done.returncode == 2
    assert done.stderr == f"kg: error: another kg build is writing to {out}; try again when it has finished\n"
    assert sorted(p.name for p in out.iterdir()) == [LOCK_NAME]  # locked out before anything, the cache included


def test_lock_files_planted_as_links_are_not_followed(tmp_path: Path) -> None:
    from kg.incremental.cachefile import LOCK_FILE

    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    (out / CACHE_FOLDER).mkdir(parents=True)
    elsewhere.write_text("theirs")
    (out / LOCK_NAME).symlink_to(elsewhere)
    (out / CACHE_FOLDER / LOCK_FILE).symlink_to(elsewhere)
    # Another process locking the file the links name: the build would have waited on it.
    with open(elsewhere) as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        done = _kg("build", str(SAMPLE), "-o", str(out), "-f", "turtle,report", "-q")
    assert done.returncode == 0, done.stderr
    assert elsewhere.read_text() == "theirs"
    assert not (out / LOCK_NAME).is_symlink() and not (out / CACHE_FOLDER / LOCK_FILE).is_symlink()


def test_a_cache_folder_planted_as_a_link_is_not_used(tmp_path: Path) -> None:
    """``out/.kg`` a link to someone else's folder: the build writes nothing there and says why."""
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / CACHE_FOLDER).symlink_to(elsewhere, target_is_directory=True)
    done = _kg("build", str(SAMPLE), "-o", str(out), "-f", "turtle,report")
    assert done.returncode == 0, done.stderr
    assert list(elsewhere.iterdir()) == []
    assert f"built without the cache: {out / CACHE_FOLDER} is a link" in done.stderr
    assert (out / "graph.ttl").read_bytes().startswith(b"@prefix")


def test_a_cache_file_planted_as_a_link_is_not_written_through(tmp_path: Path) -> None:
    """SQLite opens its files following links: a link planted as one would have had it write elsewhere."""
    import sqlite3

    from kg.incremental.cachefile import CACHE_FILE

    out, victim = tmp_path / "out", tmp_path / "victim.sqlite"
    with sqlite3.connect(victim) as db:  # a database of someone else's, which SQLite would gladly open
        db.execute("CREATE TABLE mine (x)")
    db.close()
    before = victim.read_bytes()
    (out / CACHE_FOLDER).mkdir(parents=True)
    (out / CACHE_FOLDER / CACHE_FILE).symlink_to(victim)
    for _ in range(2):  # a first fill, then a rerun
        done = _kg("build", str(SAMPLE), "-o", str(out), "-f", "turtle,report", "-q")
        assert done.returncode == 0, done.stderr
        assert "built without the cache" not in done.stderr
    assert victim.read_bytes() == before
    assert not any(p.is_symlink() for p in (out / CACHE_FOLDER).iterdir())


def test_a_journal_planted_with_links_moves_nothing_in(tmp_path: Path) -> None:
    """Its staging folder a link (or a real one holding links) to files of someone else's: before, the
    build moved them into the output folder. Now the journal is dropped and the build goes on."""
    out, victim = tmp_path / "out", tmp_path / "victim"
    victim.mkdir()
    (victim / "secret.txt").write_text("theirs")
    out.mkdir()
    (out / f"{STAGING_PREFIX}evil").symlink_to(victim)
    (out / JOURNAL_NAME).write_text(json.dumps({"staging": f"{STAGING_PREFIX}evil", "files": ["secret.txt"]}))
    assert not recover(out)
    assert (victim / "secret.txt").read_text() == "theirs" and not (out / "secret.txt").exists()
    real = out / f"{STAGING_PREFIX}real"
    real.mkdir()
    (real / "graph.ttl").symlink_to(victim / "secret.txt")
    (out / JOURNAL_NAME).write_text(json.dumps({"staging": real.name, "files": ["graph.ttl"]}))
    done = _kg("build", str(SAMPLE), "-o", str(out), "-f", "turtle,report", "-q")
    assert done.returncode == 0, done.stderr
    assert (victim / "secret.txt").read_text() == "theirs"
    assert not (out / "graph.ttl").is_symlink() and (out / "graph.ttl").read_bytes().startswith(b"@prefix")


@pytest.mark.parametrize("name", ["", "graph.ttl\0"])
def test_a_journal_naming_an_empty_name_is_dropped_not_finished_at_every_build(tmp_path: Path, name: str) -> None:
    """"" named the output folder itself: each build tried to move it into its own staging folder, failed
    ("cannot write out/.kg-build-.../.old") and left the journal for the next one to fail on again."""
    out = tmp_path / "out"
    (out / f"{STAGING_PREFIX}abcd1234").mkdir(parents=True)
    (out / JOURNAL_NAME).write_text(json.dumps({"staging": f"{STAGING_PREFIX}abcd1234", "files": [name]}))
    assert not recover(out) and not (out / JOURNAL_NAME).exists()
    (out / JOURNAL_NAME).write_text(json.dumps({"staging": f"{STAGING_PREFIX}abcd1234", "files": [name]}))
    done = _kg("build", str(SAMPLE), "-o", str(out), "-f", "turtle,report", "-q")
    assert done.returncode == 0, done.stderr
    assert (out / "graph.ttl").read_bytes().startswith(b"@prefix") and not (out / JOURNAL_NAME).exists()


def _plant(folder: Path) -> tuple[Path, Path]:
    """A link planted as ``folder/lock``, to a file of someone else's: (the link, its target)."""
    lock, elsewhere = folder / "lock", folder / "elsewhere"
    elsewhere.write_text("theirs")
    lock.symlink_to(elsewhere)
    return lock, elsewhere


def _is_the_file_at(fd: int, path: Path) -> bool:
    there, mine = os.lstat(path), os.fstat(fd)
    return not path.is_symlink() and (there.st_dev, there.st_ino) == (mine.st_dev, mine.st_ino)


def test_a_planted_link_is_replaced_in_one_rename_and_its_target_left_alone(tmp_path: Path) -> None:
    from kg.publish import take_lock_file

    lock, elsewhere = _plant(tmp_path)
    fd = take_lock_file(lock)
    assert fd is not None and _is_the_file_at(fd, lock)
    os.close(fd)
    assert elsewhere.read_text() == "theirs"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["elsewhere", "lock"]  # no fresh file left beside
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "nowhere")  # opened through, it would make the file it names
    fd = take_lock_file(dangling)
    assert fd is not None and _is_the_file_at(fd, dangling)
    os.close(fd)
    assert not (tmp_path / "nowhere").exists()


def test_the_fresh_file_of_a_build_killed_while_replacing_a_link_is_removed_by_the_next(tmp_path: Path) -> None:
    """Killed between making the fresh lock file and renaming it over the link, a build leaves it beside."""
    from kg.publish import LOCK_NAME, OutputFolder, take_lock_file

    left = tmp_path / f"{LOCK_NAME}.0123456789ab.part"
    left.write_text("")
    kept = [tmp_path / f"{LOCK_NAME}.notes", tmp_path / f"{LOCK_NAME}.0123456789ab.part.txt"]
    for path in kept:
        path.write_text("mine")
    fd = take_lock_file(tmp_path / LOCK_NAME)
    assert fd is not None
    os.close(fd)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([LOCK_NAME, *(p.name for p in kept)])
    # Through the output folder too (and the cache's lock, which takes it the same way).
    out = tmp_path / "out"
    out.mkdir()
    left = out / f"{LOCK_NAME}.abcdef012345.part"
    left.write_text("")
    with OutputFolder(out):
        assert not left.exists()


def test_emlink_from_open_is_a_link_as_eloop_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """FreeBSD's open() with O_NOFOLLOW says EMLINK of a link; a file that is not one fails as it did."""
    from kg.publish import open_lock_file

    lock, elsewhere = _plant(tmp_path)
    other = tmp_path / "file"
    other.write_text("")
    real_open = os.open
    said: list[Path] = []

    def bsd_open(path: Any, flags: int, mode: int = 0o777, **kwargs: Any) -> int:
        if Path(path) == other or (Path(path) == lock and not said):
            said.append(Path(path))
            raise OSError(errno.EMLINK, os.strerror(errno.EMLINK), os.fspath(path))
        return real_open(path, flags, mode, **kwargs)

    monkeypatch.setattr(os, "open", bsd_open)
    fd = open_lock_file(lock)
    assert said == [lock] and _is_the_file_at(fd, lock) and elsewhere.read_text() == "theirs"
    os.close(fd)
    with pytest.raises(OSError) as caught:  # (EMLINK where it is not a link: too many hard links)
        open_lock_file(other)
    assert caught.value.errno == errno.EMLINK
    assert other.read_text() == "" and not other.is_symlink()  # not a link: never replaced


def test_a_lock_file_replaced_before_it_is_locked_is_locked_again(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A lock on a file no longer at the path keeps nobody out: the file there now is locked instead."""
    from kg import publish
    from kg.incremental.cachefile import hold

    real = publish.open_lock_file
    lock = tmp_path / "lock"

    def swapped_once(path: Path, changes: list[str]) -> int:
        fd = real(path)
        if changes:  # as another process could between this open and the flock
            change = changes.pop(0)
            if change == "removed":  # a build that failed removes the lock file it made
                path.unlink()
            else:
                (tmp_path / "other").write_text("")
                os.replace(tmp_path / "other", path)
        return fd

    for change in ("removed", "replaced"):
        changes = [change]
        monkeypatch.setattr(publish, "open_lock_file", lambda path, changes=changes: swapped_once(path, changes))
        fd = publish.take_lock_file(lock)
        assert fd is not None and _is_the_file_at(fd, lock) and not changes
        assert publish.take_lock_file(lock) is None  # held: the lock is on the file at the path
        os.close(fd)
    # Replaced at every try: something keeps at it, and the lock counts as held, as callers say.
    monkeypatch.setattr(publish, "open_lock_file", lambda path: swapped_once(path, ["replaced"]))
    assert publish.take_lock_file(lock) is None
    (tmp_path / "cache").mkdir()
    assert hold(tmp_path / "cache") is None
    out = tmp_path / "out"
    with pytest.raises(publish.OutputLockedError) as caught, publish.OutputFolder(out):
        pass
    assert str(caught.value) == f"another kg build is writing to {out}; try again when it has finished"


def _at_once(count: int, call: Callable[[], int | None]) -> list[int | None]:
    """What ``call`` gives in ``count`` threads let go at one moment."""
    start = threading.Barrier(count)
    results: list[int | None] = []

    def one() -> None:
        start.wait()
        results.append(call())

    threads = [threading.Thread(target=one) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_builds_that_find_a_planted_link_at_once_do_not_both_hold_the_lock(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each replaced the link by unlinking what was there: the other's new file, already locked."""
    from kg.publish import take_lock_file

    lock, elsewhere = _plant(tmp_path)
    real_replace, real_open = os.replace, os.open
    second: list[int | None] = []

    def meanwhile(src: Any, dst: Any) -> None:
        if Path(dst) == lock and not second:  # the second build comes while the first replaces the link
            second.append(take_lock_file(lock))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", meanwhile)
    first = take_lock_file(lock)
    assert second == [None] and first is not None and _is_the_file_at(first, lock)
    os.close(first)
    monkeypatch.undo()
    # The second build found the link, then the first replaced it and took the lock before the second
    # went on: the second opens the first's file, and finds it held.
    lock.unlink()
    lock.symlink_to(elsewhere)
    held: list[int | None] = []

    def late(path: Any, flags: int, mode: int = 0o777, **kwargs: Any) -> int:
        if Path(path) != lock or held:
            return real_open(path, flags, mode, **kwargs)
        held.append(None)
        try:
            return real_open(path, flags, mode, **kwargs)  # fails: a link
        finally:
            held[0] = take_lock_file(lock)

    monkeypatch.setattr(os, "open", late)
    assert take_lock_file(lock) is None
    monkeypatch.undo()
    assert held[0] is not None and _is_the_file_at(held[0], lock)
    os.close(held[0])
    # And at once for real, a few builds (threads: flock locks are per open file, not per process).
    for _ in range(30):
        lock.unlink()
        lock.symlink_to(elsewhere)
        holders = [fd for fd in _at_once(4, lambda: take_lock_file(lock)) if fd is not None]
        assert len(holders) == 1 and _is_the_file_at(holders[0], lock)
        os.close(holders[0])
    assert elsewhere.read_text() == "theirs"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["elsewhere", "lock"]


def test_leftovers_of_a_killed_build_are_removed_and_the_user_s_files_kept(tmp_path: Path) -> None:
    out = tmp_path / "out"
    for name in ("0123456789ab", "k2x_9a1b"):  # staging folders, as kg names them now and did
        (out / f"{STAGING_PREFIX}{name}").mkdir(parents=True)
        (out / f"{STAGING_PREFIX}{name}" / "graph.ttl").write_bytes(b"half")
    # (a partitioned build's spill, and a journal being written: kept there, leftovers stayed)
    (out / f"{STAGING_PREFIX}0123456789ab" / "spill").mkdir()
    (out / f"{STAGING_PREFIX}0123456789ab" / "spill" / "map-0").write_bytes(b"x" * 1000)
    (out / f"{STAGING_PREFIX}ba9876543210").mkdir()
    (out / f"{STAGING_PREFIX}ba9876543210" / ".kg-publish.json.part").write_bytes(b"{")
    (out / f"{STAGING_PREFIX}00000000000a").mkdir()  # (kg's mark: whatever else it holds)
    (out / f"{STAGING_PREFIX}00000000000a" / ".kg-staging").touch()
    (out / f"{STAGING_PREFIX}00000000000a" / "graph.oxigraph.old").mkdir()
    (out / "graph.ttl.part").write_bytes(b"half")  # what older versions left
    (out / "graph.nt.k2x_9a1b.part").write_bytes(b"half")
    # Files of the user's that only start alike: they were deleted too; and a folder of the user's named as kg
    # named its staging folders (mkdtemp's eight characters), which holds what kg never stages.
    mine = ["graph.html.participants.csv", "graph.ttl.partial-notes", f"{STAGING_PREFIX}mydata",
            f"{STAGING_PREFIX}backup01", f"{STAGING_PREFIX}202412041530"]  # (a time stamp: 12 hex digits)
    (out / mine[0]).write_text("x")
    (out / mine[1]).write_text("x")
    for folder in mine[2:]:
        (out / folder).mkdir()
        (out / folder / "f").write_text("x")
    (out / mine[3] / "graph.ttl").write_text("mine")
    assert _kg("build", str(SAMPLE), "-o", str(out), "-f", "turtle,report", "-q").returncode == 0
    assert sorted(p.name for p in out.iterdir()) == sorted([CACHE_FOLDER, LOCK_NAME, "graph.ttl", "report.json",
                                                           *mine])
    assert [(out / folder / "f").read_text() for folder in mine[2:]] == ["x", "x", "x"]
    assert (out / mine[3] / "graph.ttl").read_text() == "mine"


def test_a_build_starting_in_a_folder_keeps_the_file_another_command_is_writing_there(tmp_path: Path) -> None:
    """kg html (kg.write, kg.write_turtle) writes beside its target under a temporary name, which a build's start
    took for an older version's leftover and removed: the other command then failed (exit 2) and wrote nothing."""
    from kg.publish import replacing

    out = tmp_path / "out"
    out.mkdir()
    with replacing(out / "graph.html") as tmp:
        Path(tmp).write_text("the explorer")
        assert _kg("build", str(SAMPLE), "-o", str(out), "-f", "report", "-q").returncode == 0
        assert Path(tmp).read_text() == "the explorer"
    assert (out / "graph.html").read_text() == "the explorer"


def test_ctrl_c_as_the_staging_folder_is_made_leaves_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A Ctrl-C that comes right after the staging folder is made (a busy machine can let the
    build sleep there) finds the folder's name kept, and the folder goes with it, whichever
    thread of the process takes the signal (the test runner's workers have several)."""
    from kg import publish

    out = tmp_path / "out"
    real_mkdir = Path.mkdir

    def interrupted(self: Path, *args: Any, **kwargs: Any) -> None:
        real_mkdir(self, *args, **kwargs)
        if self.name.startswith(STAGING_PREFIX):
            os.kill(os.getpid(), signal.SIGINT)  # Python raises it at the next instruction it can

    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        monkeypatch.setattr(Path, "mkdir", interrupted)
        with pytest.raises(KeyboardInterrupt), publish.OutputFolder(out):
            pass
    finally:
        signal.signal(signal.SIGINT, previous)
    assert not out.exists()  # made by the build, and left as it was found: not there


def test_a_build_that_fails_or_is_stopped_leaves_the_folder_as_it_found_it(tmp_path: Path) -> None:
    """Not there if it was not there; without a lock if it had none; a lock it had stays."""
    from kg import publish

    new = tmp_path / "new"
    with pytest.raises(KeyboardInterrupt), publish.OutputFolder(new) as folder:
        folder.staged("graph.ttl").write_text("half", encoding="utf-8")
        raise KeyboardInterrupt
    assert not new.exists()
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(RuntimeError), publish.OutputFolder(mine):
        raise RuntimeError("a bug")
    assert sorted(p.name for p in mine.iterdir()) == ["notes.txt"]
    with publish.OutputFolder(mine):  # a build that ends well keeps its lock file
        pass
    with pytest.raises(RuntimeError), publish.OutputFolder(mine):
        raise RuntimeError("a bug")
    assert sorted(p.name for p in mine.iterdir()) == [LOCK_NAME, "notes.txt"]


def _one_line_exit_2(done: subprocess.CompletedProcess[str], says: str) -> None:
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("kg: error: "), done.stderr
    assert says in done.stderr
    assert "Traceback" not in done.stderr


def test_what_a_build_would_replace_that_is_not_its_own_is_refused_before_it_starts(tmp_path: Path) -> None:
    """A folder where a file goes, a folder of the user's where the store goes: one line naming
    it, exit 2, nothing of theirs deleted, no journal left that would fail every rerun."""
    import kg
    from kg.errors import OutputError

    out = tmp_path / "out"
    (out / "graph.ttl").mkdir(parents=True)
    (out / "graph.ttl" / "draft.txt").write_text("mine", encoding="utf-8")
    (out / "graph.oxigraph").mkdir()
    (out / "graph.oxigraph" / "notes.txt").write_text("mine too", encoding="utf-8")
    _one_line_exit_2(_kg("build", str(SAMPLE), "-o", str(out), "-f", "turtle", "-q"),
                     f"cannot write {out / 'graph.ttl'}: it is a folder, not a file")
    _one_line_exit_2(_kg("build", str(SAMPLE), "-o", str(out), "-f", "report,oxigraph", "-q"),
                     f"cannot write {out / 'graph.oxigraph'}: it is a folder that holds files but no store")
    assert (out / "graph.oxigraph" / "notes.txt").read_text(encoding="utf-8") == "mine too"
    assert (out / "graph.ttl" / "draft.txt").read_text(encoding="utf-8") == "mine"
    assert not (out / JOURNAL_NAME).exists() and not (out / "report.json").exists()
    with pytest.raises(OutputError, match="it is a folder, not a file"):
        kg.write(kg.build(SAMPLE), out / "graph.ttl", "turtle")
    # Its own store, and an empty folder, are replaced as before.
    (out / "graph.oxigraph" / "notes.txt").unlink()
    for _ in range(2):
        assert _kg("build", str(SAMPLE), "-o", str(out), "-f", "report,oxigraph", "-q").returncode == 0
    assert (out / "graph.oxigraph" / "kg-store.json").is_file()


@pytest.mark.parametrize("umask", [0o022, 0o027], ids=["umask-022", "umask-027"])
def test_outputs_are_made_as_the_umask_says(tmp_path: Path, umask: int) -> None:
    """The Oxigraph store's folder was 0700 (mkdtemp's) where every other output followed the umask:
    a server run by another user could not read it.  Every published file and folder follows it."""
    out = tmp_path / "out"
    formats = "default,ntriples,nquads,trig,graphml,gexf,oxigraph"
    done = subprocess.run([*KG, "build", str(SAMPLE), "-o", str(out), "-f", formats, "-q"], capture_output=True,
                          text=True, timeout=300, preexec_fn=lambda: os.umask(umask))
    assert done.returncode == 0, done.stderr
    made = [p for p in out.rglob("*") if CACHE_FOLDER not in p.relative_to(out).parts and p.name != LOCK_NAME]
    assert (out / "graph.oxigraph").is_dir() and len(made) > 10
    for path in [out, *made]:
        assert path.stat().st_mode & 0o777 == (0o777 if path.is_dir() else 0o666) & ~umask, path


def test_exit_0_clean_and_1_for_data_errors(tmp_path: Path) -> None:
    assert _kg("build", str(SAMPLE), "-o", str(tmp_path / "a"), "-f", "turtle", "-q").returncode == 0
    done = _kg("build", "tests/data/hostile", "-o", str(tmp_path / "b"), "-f", "turtle,report", "-q")
    assert done.returncode == 1 and "Traceback" not in done.stderr


def test_output_path_that_is_a_file_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    _one_line_exit_2(_kg("build", str(SAMPLE), "-o", str(tmp_path / "file"), "-f", "turtle"), "is a file")
    _one_line_exit_2(_kg("build", str(SAMPLE), "-o", str(tmp_path / "file" / "out"), "-f", "turtle"),
                     "a part of the path is a file")
    assert (tmp_path / "file").read_text() == "x"


def test_an_output_or_cache_folder_among_the_corpus_s_pages_is_exit_2(tmp_path: Path) -> None:
    """kg build -o CORPUS/news/2015/09/1 wrote the graph, the report and the cache among the pages."""
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE, corpus)
    before = sorted(p.relative_to(corpus) for p in corpus.rglob("*"))
    for where in ("news", "news/2015/09/1", "news/2015/09/new"):
        _one_line_exit_2(_kg("build", str(corpus), "-o", str(corpus / where), "-f", "turtle"),
                         "is inside the corpus's news/ folder")
    _one_line_exit_2(_kg("build", str(corpus), "-o", str(tmp_path / "out"), "--cache", str(corpus / "news" / "c")),
                     "is inside the corpus's news/ folder")
    assert sorted(p.relative_to(corpus) for p in corpus.rglob("*")) == before
    assert not (tmp_path / "out").exists()
    linked = tmp_path / "linked"  # (its news/ a link to the corpus's: the pages are the same)
    linked.mkdir()
    (linked / "news").symlink_to(corpus / "news", target_is_directory=True)
    for where in (linked / "news" / "out", corpus / "news" / "out"):
        _one_line_exit_2(_kg("build", str(linked), "-o", str(where), "-f", "turtle"), "is inside the corpus's news/")
    assert sorted(p.relative_to(corpus) for p in corpus.rglob("*")) == before
    done = _kg("build", str(corpus), "-o", str(corpus / "out"), "-f", "turtle")  # beside news/: the user's choice
    assert done.returncode == 0 and (corpus / "out" / "graph.ttl").is_file(), done.stderr


def test_unknown_format_and_missing_corpus_are_exit_2(tmp_path: Path) -> None:
    _one_line_exit_2(_kg("build", str(SAMPLE), "-o", str(tmp_path / "o"), "-f", "nope"), "unknown format")
    _one_line_exit_2(_kg("build", str(tmp_path / "none"), "-o", str(tmp_path / "o")), "corpus folder not found")
    (tmp_path / "page.md").write_text("# not a folder")
    _one_line_exit_2(_kg("build", str(tmp_path / "page.md"), "-o", str(tmp_path / "o")),
                     "page.md is a file, not a corpus folder")
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe")
        for command in ("build", "stats", "html"):
            out = [] if command == "stats" else ["-o", str(tmp_path / ("o.html" if command == "html" else "o"))]
            _one_line_exit_2(_kg(command, str(tmp_path / "pipe"), *out),
                             "pipe is a FIFO (named pipe), not a corpus folder")


def test_missing_optional_extra_is_exit_2(tmp_path: Path) -> None:
    code = ("import sys; sys.modules['pyvis'] = None\n"
            "from kg.cli import main\n"
            f"sys.exit(main(['build', {str(SAMPLE)!r}, '-o', {str(tmp_path / 'o')!r}, '-q']))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    _one_line_exit_2(done, "pip install 'kg[html]'")
    assert not (tmp_path / "o").exists()  # nothing published, no lock, no cache: not there, as before


def _mount_tmpfs(where: Path, options: str) -> bool:
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    where.mkdir()
    return subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
                          capture_output=True).returncode == 0


def test_full_disk_is_exit_2_and_keeps_the_old_set(tmp_path: Path) -> None:
    disk = tmp_path / "small"
    if not _mount_tmpfs(disk, "size=3m"):
        pytest.skip("needs root and tmpfs to make a small file system")
    try:
        out = disk / "out"
        tiny = tmp_path / "tiny"
        shutil.copytree(SAMPLE / "news/2015/09/1", tiny / "news/2015/09/1")
        assert _kg("build", str(tiny), "-o", str(out), "-f", "turtle,report", "-q").returncode in (0, 1)
        before = _files(out)
        full = _kg("build", str(SAMPLE), "-o", str(out), "-f", "turtle,ntriples,report", "-q")
        _one_line_exit_2(full, "no space left on the device")
        # (named where it would have been published: the staging folder named had gone with the error)
        assert STAGING_PREFIX not in full.stderr and f"cannot write {out}" in full.stderr, full.stderr
        assert _files(out) == before
        assert sorted(p.name for p in out.iterdir()) == [CACHE_FOLDER, LOCK_NAME, "graph.ttl", "report.json"]
    finally:
        subprocess.run(["umount", str(disk)], check=True)


def test_read_only_or_forbidden_output_is_exit_2(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        disk = tmp_path / "ro"
        if not _mount_tmpfs(disk, "ro,size=1m"):
            pytest.skip("needs tmpfs to make a read-only file system")
        try:
            _one_line_exit_2(_kg("build", str(SAMPLE), "-o", str(disk / "out"), "-f", "turtle"),
                             "read-only file system")
        finally:
            subprocess.run(["umount", str(disk)], check=True)
    else:  # pragma: no cover - CI runs as root
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        _one_line_exit_2(_kg("build", str(SAMPLE), "-o", str(locked / "out"), "-f", "turtle"),
                         "permission denied")


def test_publication_cut_short_is_finished_by_the_next_build(corpora, tmp_path: Path) -> None:
    """A kill between the renames leaves a journal; the next build completes the new set first."""
    from kg.publish import OutputFolder

    out = tmp_path / "out"
    shutil.copytree(corpora["base"] / "clean-a-3", out)
    new = corpora["sets"]["b", FORMATS]
    staging = out / f"{STAGING_PREFIX}cut"
    staging.mkdir()
    for name, data in new.items():
        (staging / name).write_bytes(data)
    os.replace(staging / "graph.ttl", out / "graph.ttl")  # one rename done, then killed
    (out / JOURNAL_NAME).write_text(f'{{"staging": "{staging.name}", "files": {sorted(new)!r}}}'
                                    .replace("'", '"'), encoding="utf-8")
    with OutputFolder(out):
        pass
    assert _files(out) == new


def test_a_kill_while_the_journal_is_written_leaves_no_stray_file(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The journal's draft is written in the staging folder: cut there, the old set stands alone."""
    from kg import publish

    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.ttl").write_text("old\n")
    real_replace = os.replace

    def killed(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        if Path(dst).name == JOURNAL_NAME:
            raise SystemExit("killed")  # the process ends here, the draft written
        real_replace(src, dst)

    with publish.OutputFolder(out) as folder:
        folder.staged("graph.ttl").write_text("new\n")
        monkeypatch.setattr(publish.os, "replace", killed)
        monkeypatch.setattr(publish.os, "unlink", lambda *args, **kwargs: None)  # SIGKILL: no clean-up
        with pytest.raises(SystemExit):
            folder.publish(["graph.ttl"])
        monkeypatch.undo()
    assert _files(out) == {"graph.ttl": b"old\n"}


def test_errno_names_are_one_line() -> None:
    from kg.publish import output_error

    for code in (errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EIO):
        assert "\n" not in str(output_error(OSError(code, os.strerror(code)), "out"))


def test_the_library_raises_output_errors(tmp_path: Path) -> None:
    import kg
    from kg.publish import OutputFolder

    out = tmp_path / "out"
    with OutputFolder(out), pytest.raises(kg.OutputLockedError):  # another build holds the folder
        kg.build_files(SAMPLE, out, ("turtle",))
    (tmp_path / "file").write_text("x")
    with pytest.raises(kg.OutputError) as caught:
        kg.build_files(SAMPLE, tmp_path / "file", ("turtle",))
    assert isinstance(caught.value.__cause__, FileExistsError)


def test_other_commands_that_cannot_write_are_exit_2(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    _one_line_exit_2(_kg("synth", str(tmp_path / "file" / "corpus"), "--events", "5"),
                     "a part of the path is a file")


def test_an_output_folder_that_is_a_device_or_a_pipe_is_said_to_be_one(tmp_path: Path) -> None:
    """``kg build CORPUS -o /dev/null`` said "it is a file, not a folder"."""
    os.mkfifo(tmp_path / "pipe")
    _one_line_exit_2(_kg("build", str(SAMPLE), "-o", str(tmp_path / "pipe")),
                     "it is a device, a pipe or a socket, not a folder")
    (tmp_path / "file").write_text("x")
    _one_line_exit_2(_kg("build", str(SAMPLE), "-o", str(tmp_path / "file")), "it is a file, not a folder")


def test_a_target_that_is_not_a_regular_file_is_never_replaced(tmp_path: Path) -> None:
    # As root, a rename over -o /dev/null would put a file where the system's device was: a pipe stands
    # in for a device here (making one needs no privilege).
    import kg

    graph = kg.build(SAMPLE)
    pipe, page = tmp_path / "pipe", tmp_path / "pipe.html"  # (the explorer is written only to a .html name)
    os.mkfifo(pipe)
    os.mkfifo(page)
    for fmt in ("turtle", "ntriples", "report", "graphml", "snapshot", "html"):
        target = page if fmt == "html" else pipe
        with pytest.raises(kg.OutputError, match="not a regular file"):
            kg.write(graph, target, fmt)
        assert target.is_fifo()
    kg.write(graph, tmp_path / "graph.kg.json")
    _one_line_exit_2(_kg("html", str(tmp_path / "graph.kg.json"), "-o", str(page)), "it is not a regular file")
    assert page.is_fifo() and sorted(p.name for p in tmp_path.iterdir()) == ["graph.kg.json", "pipe", "pipe.html"]


def test_a_snapshot_whose_writing_fails_leaves_the_previous_one_whole(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import kg
    import kg.export.snapshot as snapshot

    graph = kg.build(SAMPLE)
    target = tmp_path / "graph.kg.json"
    kg.write(graph, target)
    before = target.read_bytes()

    def failing(entries: object) -> object:
        yield b'{"half": '
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(snapshot, "json_pieces", failing)
    with pytest.raises(kg.OutputError, match="no space left"):
        kg.write(graph, target)
    assert target.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["graph.kg.json"]


def test_a_store_is_never_written_over_a_file_or_a_folder_of_other_files(tmp_path: Path) -> None:
    import kg

    graph = kg.build(SAMPLE)
    (tmp_path / "file").write_text("x")
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "mine.txt").write_text("keep")
    with pytest.raises(kg.OutputError, match="a store is a folder"):
        kg.write_store(graph, tmp_path / "file")
    with pytest.raises(kg.OutputError, match="holds files but no store"):
        kg.write_store(graph, tmp_path / "folder")
    assert (tmp_path / "file").read_text() == "x" and (tmp_path / "folder" / "mine.txt").read_text() == "keep"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "folder"]  # no half-made store beside
    kg.write_store(graph, tmp_path / "store")
    kg.write_store(graph, tmp_path / "store")  # an earlier store is replaced
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "folder", "store"]


@pytest.mark.parametrize("stop", [KeyboardInterrupt, lambda: OSError(errno.ENOSPC, "No space left on device")])
def test_a_build_that_fails_into_a_folder_it_made_leaves_no_folder(stop, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A build stopped or failed into a new output folder said the folder was left as it was, but left it
    there holding the cache it had opened (``.kg``). A cache of its own (``--cache DIR``) is kept."""
    import kg.pipeline
    from kg.errors import OutputError

    def fails(*args: Any, **kwargs: Any) -> Any:
        raise stop()

    monkeypatch.setattr(kg.pipeline, "_build_into", fails)
    out = tmp_path / "new" / "out"
    with pytest.raises((KeyboardInterrupt, OutputError)):
        kg.pipeline.build_files(SAMPLE, out, ("turtle", "report"))
    assert not out.exists() and (tmp_path / "new").is_dir()
    with pytest.raises((KeyboardInterrupt, OutputError)):
        kg.pipeline.build_files(SAMPLE, out, ("turtle", "report"), cache_dir=tmp_path / "cache")
    assert not out.exists() and (tmp_path / "cache").is_dir()
    out.mkdir()  # a folder that was there: its cache is the build's to keep
    with pytest.raises((KeyboardInterrupt, OutputError)):
        kg.pipeline.build_files(SAMPLE, out, ("turtle", "report"))
    assert [p.name for p in out.iterdir()] == [CACHE_FOLDER]  # (the lock it made goes)
