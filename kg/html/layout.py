"""Node positions, computed in Python so that the page need not run physics.

A force-directed layout in the manner of ForceAtlas2: edges pull their ends
together (linearly), nodes push each other apart in proportion to their
degrees, a weak gravity keeps components together.  Repulsion is computed
on a grid (particle-mesh): node masses are binned, the grid is convolved
with the repulsion kernel by FFT, and each node reads the force of its cell.
One iteration costs O(nodes + edges + cells log cells), so 10,000 nodes lay
out in about a second, where exact repulsion would cost O(nodes²).
The same graph always gets the same positions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

__all__ = ["force_layout"]

_GRID = 128        # cells per side of the repulsion grid
_ITERATIONS = 150
_GRAVITY = 0.05
_REPULSION = 2.0


def force_layout(n: int, edges: Sequence[tuple[int, int]], *, iterations: int = _ITERATIONS,
                 scale: float = 40.0, seed: int = 7) -> np.ndarray:
    """Return an ``(n, 2)`` array of positions for nodes ``0..n-1``.

    Parameters
    ----------
    n : int
        Number of nodes.
    edges : sequence of (int, int)
        Node index pairs; direction and repeats do not matter much.
    iterations : int
        Steps of the simulation.
    scale : float
        The median length of an edge, in the units returned (pixels).
    seed : int
        Seed of the starting positions.

    Examples
    --------
    >>> pos = force_layout(4, [(0, 1), (1, 2), (2, 3)])
    >>> pos.shape
    (4, 2)
    >>> bool((force_layout(4, [(0, 1), (1, 2), (2, 3)]) == pos).all())
    True
    """
    import numpy as np

    if n == 0:
        return np.zeros((0, 2))
    rng = np.random.default_rng(seed)
    pairs = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    src, dst = pairs[:, 0], pairs[:, 1]
    mass = 1.0 + np.bincount(src, minlength=n) + np.bincount(dst, minlength=n)
    pos = rng.uniform(-1.0, 1.0, (n, 2)) * np.sqrt(n)
    step = max(1.0, np.sqrt(n) / 4)
    for i in range(iterations):
        force = _repulsion(pos, mass) * mass[:, None]
        pull = pos[dst] - pos[src]
        force[:, 0] += np.bincount(src, pull[:, 0], n) - np.bincount(dst, pull[:, 0], n)
        force[:, 1] += np.bincount(src, pull[:, 1], n) - np.bincount(dst, pull[:, 1], n)
        force -= _GRAVITY * mass[:, None] * pos
        # Cool down: steps shrink linearly, each node moves at most `limit`.
        limit = step * (1.0 - i / iterations) + 0.05
        length = np.linalg.norm(force, axis=1)
        pos += force * (np.minimum(length, limit) / np.maximum(length, 1e-9))[:, None]
    pos -= pos.mean(axis=0)
    # Scale so that a typical edge is `scale` long, whatever the forces' balance.
    lengths = np.linalg.norm(pos[dst] - pos[src], axis=1) if len(pairs) else np.ones(1)
    typical = float(np.median(lengths)) or 1.0
    return pos * (scale / typical)


def _repulsion(pos: np.ndarray, mass: np.ndarray) -> np.ndarray:
    """Repulsive force per unit mass at each node, from every other node's mass."""
    import numpy as np

    low = pos.min(axis=0)
    span = max(float((pos.max(axis=0) - low).max()), 1e-6) * 1.0001
    cell = span / _GRID
    index = np.minimum(((pos - low) / cell).astype(np.int64), _GRID - 1)
    density = np.zeros((_GRID, _GRID))
    np.add.at(density, (index[:, 0], index[:, 1]), mass)
    # Kernel of the force k * d / |d|² on a (2G)² grid, for a linear (not circular) convolution.
    offsets = np.fft.fftfreq(2 * _GRID, 1.0 / (2 * _GRID)) * cell
    dx, dy = np.meshgrid(offsets, offsets, indexing="ij")
    r2 = dx * dx + dy * dy
    r2[0, 0] = np.inf
    # Nodes in one cell still push apart, at the strength of half a cell's distance.
    r2 = np.maximum(r2, (cell / 2) ** 2)
    rho = np.fft.rfft2(density, s=(2 * _GRID, 2 * _GRID))
    fx = np.fft.irfft2(rho * np.fft.rfft2(_REPULSION * dx / r2), s=(2 * _GRID, 2 * _GRID))
    fy = np.fft.irfft2(rho * np.fft.rfft2(_REPULSION * dy / r2), s=(2 * _GRID, 2 * _GRID))
    return np.stack([fx[index[:, 0], index[:, 1]], fy[index[:, 0], index[:, 1]]], axis=1)
