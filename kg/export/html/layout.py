"""Room for every node and label: boxes that never overlap.

vis-network draws a dot's label centred under it.  Each entity of the first
view is a :class:`Box` around its position: the dot, and under it the label at
the size the page gives it.  :func:`separate` moves the positions until no two
boxes overlap.  Zooming scales positions, dots and labels alike (and labels too
small to read are not drawn), so boxes apart in the layout stay apart on
screen at every zoom.

Label widths are estimated from character classes, generously, since the
browser's font is not known here; the browser tests measure the real ones.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    from numpy.typing import NDArray

    Floats = NDArray[np.float64]

__all__ = ["Box", "label_box", "overlaps", "separate", "text_width"]

# Width of a character in ems, by class: wide sans-serif faces such as DejaVu.
_NARROW = set("iljtf!|.,:;'`()[]{} ")
_WIDE = set("mwMW@%")
# Space between boxes, in layout units.
_GAP = 6.0
# vis-network hangs a dot's label 4 pixels plus half its font size under the dot;
# the label is one font size high.  Two more pixels for rounding.
_LABEL_OFFSET = 6.0
_LINE_HEIGHT = 1.5


@dataclass(frozen=True, slots=True)
class Box:
    """Extent of a node and its label around the node's centre (layout units)."""

    left: float
    right: float
    top: float
    bottom: float

    @property
    def width(self) -> float:
        """Horizontal extent."""
        return self.right - self.left

    @property
    def height(self) -> float:
        """Vertical extent."""
        return self.bottom - self.top


def text_width(text: str, font: float) -> float:
    """An upper estimate of the drawn width of ``text`` at ``font`` pixels.

    >>> text_width("Iran", 10) < text_width("WWWW", 10)
    True
    """
    ems = 0.0
    for ch in text:
        if ch in _NARROW:
            ems += 0.4
        elif ch in _WIDE:
            ems += 1.0
        elif ch.isascii():
            ems += 0.78 if ch.isupper() or ch.isdigit() else 0.64
        else:
            ems += 1.05
    return ems * font * 1.08 + 4.0


def label_box(label: str, size: float, font: float) -> Box:
    """The box of a dot of radius ``size`` with ``label`` under it.

    >>> b = label_box("Iran", 10, 14)
    >>> b.top, b.left == -b.right
    (-10.0, True)
    """
    half = max(float(size), text_width(label, font) / 2.0)
    return Box(-half, half, -float(size), size + _LABEL_OFFSET + font * _LINE_HEIGHT)


def overlaps(xs: Sequence[float], ys: Sequence[float], boxes: Sequence[Box]) -> list[tuple[int, int]]:
    """Pairs of boxes (placed at ``xs``, ``ys``) that overlap.

    >>> b = label_box("a", 5, 10)
    >>> overlaps([0, 1, 100], [0, 0, 0], [b, b, b])
    [(0, 1)]
    """
    import numpy as np

    if len(boxes) < 2:
        return []
    left, right, top, bottom = _edges(np.asarray(xs, float), np.asarray(ys, float), boxes)
    ox = np.minimum(right[:, None], right[None, :]) - np.maximum(left[:, None], left[None, :])
    oy = np.minimum(bottom[:, None], bottom[None, :]) - np.maximum(top[:, None], top[None, :])
    hit = np.triu((ox > 0) & (oy > 0), k=1)
    return [(int(a), int(b)) for a, b in zip(*np.nonzero(hit), strict=False)]


def _edges(x: Floats, y: Floats, boxes: Sequence[Box]) -> tuple[Floats, Floats, Floats, Floats]:
    import numpy as np

    bl = np.array([b.left for b in boxes]) - _GAP / 2
    br = np.array([b.right for b in boxes]) + _GAP / 2
    bt = np.array([b.top for b in boxes]) - _GAP / 2
    bb = np.array([b.bottom for b in boxes]) + _GAP / 2
    return x + bl, x + br, y + bt, y + bb


def separate(xs: Sequence[float], ys: Sequence[float], boxes: Sequence[Box],
             ) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Place the boxes in order, each at the free spot nearest its wish.

    The first box stays where it is; each next one goes to its own position
    if that is free, else to the first free point of a spiral around it.
    Callers pass the most important nodes first, so they keep their places
    and the small ones fill the gaps: a compact drawing without overlaps.

    Parameters
    ----------
    xs, ys : sequence of float
        Wished centres of the nodes.
    boxes : sequence of Box
        Extent of each node with its label.

    Returns
    -------
    (tuple of float, tuple of float)
        Centres, rounded to 0.1, with no overlapping boxes.

    Examples
    --------
    >>> b = label_box("Iran", 10, 14)
    >>> x, y = separate([0, 0, 0], [0, 1, 2], [b, b, b])
    >>> x[0], y[0], overlaps(x, y, [b, b, b])
    (0.0, 0.0, [])
    """
    import numpy as np

    n = len(boxes)
    left = np.array([b.left for b in boxes]) - _GAP / 2
    right = np.array([b.right for b in boxes]) + _GAP / 2
    top = np.array([b.top for b in boxes]) - _GAP / 2
    bottom = np.array([b.bottom for b in boxes]) + _GAP / 2
    x = np.zeros(n)
    y = np.zeros(n)
    taken = _Taken.around(xs, ys, left, right, top, bottom)
    # A box placed at a spot hits a placed box when the spot is within that box grown by the new box's
    # extents; grown by the least extents of any box, the placed one marks spots that every box would hit.
    least = (float(right.min()), float(left.max()), float(bottom.min()), float(top.max())) if n else (0.0,) * 4
    for i in range(n):
        px, py = _free_spot(float(xs[i]), float(ys[i]), i, x, y, left, right, top, bottom, taken)
        # Rounded here, so that the checks see the positions the page gets.
        x[i], y[i] = round(px, 1), round(py, 1)
        taken.cover(x[i] + left[i] - least[0], x[i] + right[i] - least[1],
                    y[i] + top[i] - least[2], y[i] + bottom[i] - least[3])
    return tuple(float(v) for v in x), tuple(float(v) for v in y)


@dataclass
class _Taken:
    """The cells of a grid that lie wholly inside a placed box, grown by the least extents of any box.

    A spot whose centre is in such a cell is taken (a box there would hit the placed one, whatever
    its size), so the spiral skips it unchecked: only the other spots are checked against the boxes.
    With a thousand nodes, most of a late node's spiral runs through the placed ones (``--max-nodes
    1000`` took eight minutes).  Spots outside the grid are all checked.
    """

    inside: NDArray[np.bool_]
    x0: float
    y0: float
    cell: float

    @classmethod
    def around(cls, xs: Sequence[float], ys: Sequence[float], left: Floats, right: Floats, top: Floats,
               bottom: Floats) -> _Taken:
        import numpy as np

        # Room for every box side by side around the wishes, in at most about four million cells.
        reach = 2 * math.sqrt(float(np.sum((right - left) * (bottom - top)))) + float(np.max(right - left, initial=0))
        x0, x1 = min(xs, default=0.0) - reach, max(xs, default=0.0) + reach
        y0, y1 = min(ys, default=0.0) - reach, max(ys, default=0.0) + reach
        cell = max(4.0, math.sqrt((x1 - x0) * (y1 - y0) / 4e6))
        shape = (int((y1 - y0) / cell) + 1, int((x1 - x0) / cell) + 1)
        return cls(np.zeros(shape, dtype=bool), x0, y0, cell)

    def cover(self, west: float, east: float, north: float, south: float) -> None:
        """Mark the cells wholly inside the open box ``(west, east) x (north, south)``."""
        c = self.cell
        ix0, ix1 = math.floor((west - self.x0) / c) + 1, math.ceil((east - self.x0) / c) - 1  # cells [ix0, ix1)
        iy0, iy1 = math.floor((north - self.y0) / c) + 1, math.ceil((south - self.y0) / c) - 1
        rows, cols = self.inside.shape
        ix0, ix1, iy0, iy1 = max(ix0, 0), min(ix1, cols), max(iy0, 0), min(iy1, rows)
        if ix0 < ix1 and iy0 < iy1:
            self.inside[iy0:iy1, ix0:ix1] = True

    def holds(self, cx: Floats, cy: Floats) -> NDArray[np.bool_]:
        """Whether each spot's centre lies in a cell wholly inside a placed box."""
        import numpy as np

        ix = np.floor((cx - self.x0) / self.cell).astype(np.int64)
        iy = np.floor((cy - self.y0) / self.cell).astype(np.int64)
        rows, cols = self.inside.shape
        within = (ix >= 0) & (ix < cols) & (iy >= 0) & (iy < rows)
        out = np.zeros(len(cx), dtype=bool)
        out[within] = self.inside[iy[within], ix[within]]
        return out


def _free_spot(wx: float, wy: float, i: int, x: Floats, y: Floats, left: Floats, right: Floats,
               top: Floats, bottom: Floats, taken: _Taken) -> tuple[float, float]:
    """The first point of a spiral around ``(wx, wy)`` where box ``i`` hits no earlier box."""
    import numpy as np

    if i == 0:
        return wx, wy
    px, py = x[:i], y[:i]
    pl, pr = px + left[:i], px + right[:i]
    pt, pb = py + top[:i], py + bottom[:i]
    step = max(4.0, float(bottom[i] - top[i]) / 4)
    # Points of an Archimedean spiral about `step` apart, tried a batch at a time; those whose centre
    # lies in a taken cell are passed over, the others checked against the boxes, a few at a time.
    turn = 0.0
    batch = 256
    while True:
        angle = np.sqrt(4 * math.pi * np.arange(turn, turn + batch))
        radius = step * angle / (2 * math.pi)
        cx = np.round(wx + radius * np.cos(angle), 1)
        cy = np.round(wy + radius * np.sin(angle), 1)
        open_ = np.flatnonzero(~taken.holds(cx, cy))
        for at in range(0, len(open_), 64):
            tried = open_[at:at + 64]
            sx, sy = cx[tried], cy[tried]
            # (against the boxes that reach the part of the plane these spots' boxes cover)
            near = np.flatnonzero((pr > sx.min() + left[i]) & (pl < sx.max() + right[i])
                                  & (pb > sy.min() + top[i]) & (pt < sy.max() + bottom[i]))
            nl, nr, nt, nb = pl[near], pr[near], pt[near], pb[near]
            hit = ((np.minimum(nr[None, :], sx[:, None] + right[i])
                    - np.maximum(nl[None, :], sx[:, None] + left[i]) > 0)
                   & (np.minimum(nb[None, :], sy[:, None] + bottom[i])
                      - np.maximum(nt[None, :], sy[:, None] + top[i]) > 0)).any(axis=1)
            free = np.flatnonzero(~hit)
            if len(free):
                return float(sx[free[0]]), float(sy[free[0]])
        turn += batch
        batch = min(batch * 2, 8192)
