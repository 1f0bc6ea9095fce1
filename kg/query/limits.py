"""What a SPARQL query may cost: :class:`Limits` and their defaults.

Apart from the engine (:mod:`kg.query.sparql`, which needs pyoxigraph) so that the
library's signatures can name the defaults themselves (``help(kg.query_df)`` reads
``timeout=60.0``) without importing the engine.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from kg.arguments import plain_integer
from kg.errors import ArgumentError

__all__ = ["DEFAULT_TIMEOUT_S", "DEFAULT_MAX_ROWS", "DEFAULT_MAX_MEMORY_MB", "Limits", "DEFAULT_LIMITS"]

#: Seconds a query may run by default.
DEFAULT_TIMEOUT_S = 60.0
#: Rows (SELECT) or triples (CONSTRUCT, DESCRIBE) an answer holds at most by default.
DEFAULT_MAX_ROWS = 100_000
#: Megabytes a query of ``kg query`` may allocate by default, beyond the store it reads (a query of a
#: kilobyte can ask for gigabytes); :class:`Limits` sets none, as a notebook's own queries need none.
DEFAULT_MAX_MEMORY_MB = 4096

@dataclass(frozen=True, slots=True)
class Limits:
    """What a query may cost.

    ``timeout`` in seconds (``None``: no limit), ``max_rows`` rows or
    triples (``None``: all), ``allow_service``: let ``SERVICE`` reach other
    endpoints, ``max_memory`` megabytes the query's process may allocate
    beyond the store it reads (``None``: no limit; on Linux, where a
    query runs in a process of its own).  A limit of 0 or less is an
    :class:`~kg.errors.ArgumentError` (no limit is ``None``; the command
    line's ``0`` means ``None``).

    Examples
    --------
    >>> import kg
    >>> kg.Limits()
    Limits(timeout=60.0, max_rows=100000, allow_service=False, max_memory=None)
    >>> kg.Limits(timeout=5, max_rows=None).max_rows is None
    True
    >>> Limits(timeout=0)
    Traceback (most recent call last):
    kg.errors.ArgumentError: timeout must be a number of seconds above 0, or None for no limit; got 0
    """

    timeout: float | None = DEFAULT_TIMEOUT_S
    max_rows: int | None = DEFAULT_MAX_ROWS
    allow_service: bool = False
    max_memory: int | None = None

    def __post_init__(self) -> None:
        timeout, rows = plain_integer(self.timeout), plain_integer(self.max_rows)
        memory = plain_integer(self.max_memory)
        if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, (int, float))
                                    or not 0 < timeout < math.inf):
            raise ArgumentError(f"timeout must be a number of seconds above 0, or None for no limit; got {timeout!r}")
        if rows is not None and (isinstance(rows, bool) or not isinstance(rows, int) or rows < 1):
            raise ArgumentError(f"max_rows must be a whole number above 0, or None for all; got {rows!r}")
        if memory is not None and (isinstance(memory, bool) or not isinstance(memory, int) or memory < 1):
            raise ArgumentError(f"max_memory must be a whole number of megabytes above 0, or None for no limit; "
                                f"got {memory!r}")
        object.__setattr__(self, "timeout", timeout)
        object.__setattr__(self, "max_rows", rows)
        object.__setattr__(self, "max_memory", memory)


#: The limits of a query that names none: :data:`DEFAULT_TIMEOUT_S` seconds, :data:`DEFAULT_MAX_ROWS` rows.
DEFAULT_LIMITS = Limits()
