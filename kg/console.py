"""What the ``kg`` command says: diagnostics on standard error, results on standard output.

Examples
--------
>>> counted(1, "error"), counted(1200, "warning")
('1 error', '1,200 warnings')
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from kg.report import BuildReport

__all__ = ["OUT_SLICE", "counted", "levels_said", "print_diagnostics", "write_out"]

#: Characters written to standard output at a time (see :func:`write_out`).
OUT_SLICE = 1 << 16


def print_diagnostics(report: BuildReport, limit: int, quiet: bool, strict: bool, verbose: bool,
                      where: str) -> None:
    """Print at most ``limit`` of ``report``'s diagnostics, errors first, then say where the rest are."""
    # Quiet still says why the status is not 0: the errors (and, with --strict, the warnings).
    # Info (nothing lost) is listed only when asked: it would fill the screen on every rebuild.
    levels: tuple[str, ...] = ("error", "warning") if strict or not quiet else ("error",)
    if verbose:
        levels += ("info",)
    # Errors first (each level in the report's order, by path): a long list of warnings
    # must not hide the error that sets the exit status.
    wanted = sorted((d for d in report.diagnostics if d.level.value in levels),
                    key=lambda d: levels.index(d.level.value))
    for d in wanted[:limit]:
        print(d, file=sys.stderr)
    if len(wanted) > limit:
        print(f"... and {len(wanted) - limit:,} more ({where})", file=sys.stderr)


def counted(n: int, what: str) -> str:
    """``1 error``, ``2 errors``, ``2 entities``, ``2 days``.

    >>> counted(1, "entity"), counted(2, "entity"), counted(2, "day"), counted(1_000, "event")
    ('1 entity', '2 entities', '2 days', '1,000 events')
    """
    if n == 1:
        return f"{n:,} {what}"
    consonant_y = what.endswith("y") and what[-2:-1] not in "aeiou"
    return f"{n:,} {what[:-1] + 'ies' if consonant_y else what + 's'}"


def levels_said(report: BuildReport) -> str:
    """``3 errors, 1 warning, 12 info``: a report's diagnostics counted by level."""
    levels = report.by_level()
    return f"{counted(levels['error'], 'error')}, {counted(levels['warning'], 'warning')}, {levels['info']:,} info"


def write_out(text: str) -> None:
    """Write ``text`` to standard output a slice at a time.

    One write of a large string into a pipe whose reader goes away part way
    (``kg query ... | head``) was taken as done by the interpreter: the rest
    was lost without an error, and kg said 0.  In slices, the next one
    raises BrokenPipeError, which the command turns into the status 141.
    """
    try:
        for start in range(0, len(text), OUT_SLICE):
            sys.stdout.write(text[start:start + OUT_SLICE])
        sys.stdout.flush()  # a full disk is told now, not lost at exit
    except BrokenPipeError:
        raise
    except OSError as err:
        from kg.publish import output_error

        raise output_error(err, "standard output") from err
    except UnicodeEncodeError as err:  # the environment's, not kg's: an ASCII or Latin-1 terminal or locale
        from kg.errors import OutputError

        raise OutputError(f"standard output's encoding ({sys.stdout.encoding}) cannot write "
                          f"{err.object[err.start:err.end]!r}: set PYTHONIOENCODING=utf-8, or a UTF-8 locale") from err
