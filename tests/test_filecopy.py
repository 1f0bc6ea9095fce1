"""Copies of byte ranges left for later: the rebuild's unchanged runs, copied while other files are written."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

import kg
from kg.incremental.filecopy import COPY_CHUNK, RangeCopies, copy_ranges, copying_meanwhile

SOURCE = bytes(range(256)) * 64  # 16 KiB, no two neighbouring bytes alike


def _files(tmp_path: Path, target: bytes) -> tuple[Path, Path]:
    (tmp_path / "old").write_bytes(SOURCE)
    (tmp_path / "new").write_bytes(target)
    return tmp_path / "old", tmp_path / "new"


def test_ranges_land_at_their_places_whatever_the_order(tmp_path: Path) -> None:
    old, new = _files(tmp_path, b"A" * 10 + b"\0" * 300 + b"B" * 5 + b"\0" * 1000)
    copies = RangeCopies(str(old), str(new), ((5000, 315, 1000), (100, 10, 300)))
    copy_ranges(copies)
    assert new.read_bytes() == b"A" * 10 + SOURCE[100:400] + b"B" * 5 + SOURCE[5000:6000]
    assert copies.size == 1300


def test_without_copy_file_range_the_bytes_are_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*_: object) -> int:
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os, "copy_file_range", refused, raising=False)
    old, new = _files(tmp_path, b"<" + b"\0" * len(SOURCE) + b">")
    copy_ranges(RangeCopies(str(old), str(new), ((0, 1, len(SOURCE)),)))
    assert new.read_bytes() == b"<" + SOURCE + b">"


def test_a_source_shorter_than_asked_is_an_error(tmp_path: Path) -> None:
    old, new = _files(tmp_path, b"")
    with pytest.raises(OSError, match="could not copy"):
        copy_ranges(RangeCopies(str(old), str(new), ((len(SOURCE) - 10, 0, 20),)))


def test_copies_run_beside_the_block_and_end_before_it_returns(tmp_path: Path) -> None:
    old, new = _files(tmp_path, b"\0" * len(SOURCE))
    with copying_meanwhile([RangeCopies(str(old), str(new), ((0, 0, len(SOURCE)),))]):
        new.read_bytes()  # the caller's own work
    assert new.read_bytes() == SOURCE
    assert not any(t.name == "kg-copy" for t in threading.enumerate())


def test_an_error_of_the_copies_is_raised_after_the_block(tmp_path: Path) -> None:
    old, _ = _files(tmp_path, b"")
    ran = []
    with pytest.raises(FileNotFoundError), copying_meanwhile([RangeCopies(str(old), str(tmp_path / "gone"),
                                                                          ((0, 0, 10),))]):
        ran.append(True)
    assert ran == [True]


def test_the_blocks_error_wins_and_stops_the_copies(tmp_path: Path) -> None:
    big = 3 * COPY_CHUNK  # several chunks: the copy is stopped between two
    old, new = tmp_path / "old", tmp_path / "new"
    with open(old, "wb") as fh:
        fh.truncate(big)
    new.write_bytes(b"")
    with pytest.raises(KeyboardInterrupt), copying_meanwhile([RangeCopies(str(old), str(new), ((0, 0, big),))]):
        raise KeyboardInterrupt
    assert not any(t.name == "kg-copy" for t in threading.enumerate())
    assert new.stat().st_size < big


def test_nothing_to_copy_starts_no_thread(tmp_path: Path) -> None:
    before = threading.active_count()
    with copying_meanwhile([RangeCopies(str(tmp_path / "a"), str(tmp_path / "b"), ())]):
        assert threading.active_count() == before


def test_a_source_replaced_or_removed_since_the_plan_is_not_copied_from(tmp_path: Path) -> None:
    """The copies reopen the published file by its name: one put in its place meanwhile (the same size,
    other bytes) would have had its bytes copied into the new file, which the cache then vouched for."""
    old, new = _files(tmp_path, b"\0" * 100)
    st = old.stat()
    planned = RangeCopies(str(old), str(new), ((0, 0, 100),), (st.st_ino, st.st_size, st.st_mtime_ns))
    copy_ranges(planned)  # as planned: copied
    assert new.read_bytes() == SOURCE[:100]
    swapped = tmp_path / "swapped"
    swapped.write_bytes(b"X" * len(SOURCE))
    os.replace(swapped, old)
    with pytest.raises(kg.OutputError, match="was replaced or changed while the build patched it: nothing was "
                                             "published; run the build again"):
        copy_ranges(planned)
    old.unlink()
    with pytest.raises(kg.OutputError, match="was removed while the build patched it"):
        copy_ranges(planned)


def test_a_full_disk_is_said_as_it_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    tried: list[int] = []

    def full(*_: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "copy_file_range", full, raising=False)
    monkeypatch.setattr(os, "pwrite", lambda *args: tried.append(1) or 0)
    old, new = _files(tmp_path, b"\0" * 100)
    with pytest.raises(OSError) as caught:
        copy_ranges(RangeCopies(str(old), str(new), ((0, 0, 100),)))
    assert caught.value.errno == errno.ENOSPC and tried == []  # not tried again through Python
