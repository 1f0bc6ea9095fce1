"""Progress bars on stderr: tqdm's, on a terminal, where the ``progress`` extra is installed."""

from __future__ import annotations

import sys
from typing import Protocol

__all__ = ["Bar", "progress_bar"]


class Bar(Protocol):
    """What a build tells of its progress (a tqdm bar fits)."""

    def update(self, n: int, /) -> object: ...  # pragma: no cover

    def close(self) -> None: ...  # pragma: no cover


class _NoBar:
    def update(self, n: int, /) -> None:
        pass

    def close(self) -> None:
        pass


def progress_bar(total: int, show: bool, *, desc: str = "kg: parsing", unit: str = "page") -> Bar:
    """A bar of ``total`` units, or one that shows nothing (not asked, nothing to do, no terminal, no tqdm).

    >>> bar = progress_bar(10, show=False)
    >>> bar.update(3); bar.close()
    """
    if not show or total == 0 or not sys.stderr.isatty():
        return _NoBar()
    try:
        from tqdm import tqdm
    except ImportError:  # the "progress" extra is optional
        return _NoBar()
    bar: Bar = tqdm(total=total, unit=unit, desc=desc, file=sys.stderr, mininterval=0.5, smoothing=0.1)
    return bar
