"""What kg's commands and functions take: the command line's parser and option types,
and the checks that the library's functions make of a count and of a day.

On the command line each bad value is said in one line that names the option,
with exit status 2 (``kg: error: argument -j/--jobs: must be 1 or more, not 0``),
and a misspelt command or choice gets a guess; a function raises
:class:`~kg.errors.ArgumentError` with the same words.

Examples
--------
>>> at_least(1)("3"), in_range(0, 2)("2"), seconds("1.5"), day("2015-09-01"), day("2015-9-1")
(3, 2, 1.5, datetime.date(2015, 9, 1), datetime.date(2015, 9, 1))
>>> at_least(1)("0")
Traceback (most recent call last):
argparse.ArgumentTypeError: must be 1 or more, not 0
>>> whole_number(-1, "days")
Traceback (most recent call last):
kg.errors.ArgumentError: days must be a whole number, 0 or more, not -1
"""

from __future__ import annotations

import argparse
import datetime as dt
import operator
import re
import sys
from collections.abc import Callable
from typing import Any, NoReturn, SupportsIndex

from kg.errors import ArgumentError

__all__ = ["Parser", "at_least", "in_range", "seconds", "day", "as_day", "day_range", "whole_number"]


def _out_of_range(n: int, least: int, most: int | None) -> str | None:
    if most is None:
        return None if n >= least else f"{least} or more"
    return None if least <= n <= most else f"{least} to {most}"


def whole_number(value: object, name: str, least: int = 0, most: int | None = None) -> int:
    """``value`` if it is a whole number from ``least`` (to ``most``); else an ArgumentError naming ``name``."""
    # An int, or what stands for one (numpy's): a float or a str would mean something else.
    n = operator.index(value) if isinstance(value, SupportsIndex) and not isinstance(value, bool) else None
    if n is not None:
        wanted = _out_of_range(n, least, most)
        if wanted is None:
            return n
    else:
        wanted = f"{least} or more" if most is None else f"{least} to {most}"
    raise ArgumentError(f"{name} must be a whole number, {wanted}, not {value!r}")


class Parser(argparse.ArgumentParser):
    """argparse, with its errors said in one line and misspelt commands and options guessed at."""

    def parse_command_line(self, args: list[str] | None = None) -> argparse.Namespace:
        """As ``parse_args``, but an argument that no parser took is said with its command's options
        (``parse_args`` says it as the top parser's, which has none of them); none at all shows the help."""
        if not (sys.argv[1:] if args is None else args):  # no command: say what the commands are
            self.print_help(sys.stderr)
            self.exit(2)
        parsed, extras = self.parse_known_args(args)
        if extras:
            command = getattr(parsed, "command", None)
            commands: dict[str, Any] = {}
            for action in self._actions:
                if isinstance(action, argparse._SubParsersAction):
                    commands.update(action.choices)
            sub = commands.get(command) if isinstance(command, str) else None
            (sub if isinstance(sub, Parser) else self).unrecognized(extras)
        return parsed

    def unrecognized(self, extras: list[str]) -> NoReturn:
        """Exit saying what was not understood, with the nearest of this parser's options to an unknown one."""
        import difflib

        message = f"unrecognized arguments: {' '.join(extras)}"
        unknown = [e.partition("=")[0] for e in extras if e.startswith("--")]
        if unknown:
            known = [o for a in self._actions for o in a.option_strings if o.startswith("--")]
            near = difflib.get_close_matches(unknown[0], known, n=2)
            message += f"; did you mean {' or '.join(near)}?" if near else ""
        self.error(message)

    def error(self, message: str) -> NoReturn:
        import difflib
        import re

        wrong = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
        if wrong:  # (newer Pythons list the choices without quotes)
            choices = re.findall(r"'([^']*)'", wrong[2]) or [c.strip() for c in wrong[2].split(",")]
            near = difflib.get_close_matches(wrong[1], choices, n=3)
            if near:
                what = message.partition(":")[0].removeprefix("argument ")
                message = f"{what}: unknown {wrong[1]!r}; did you mean {' or '.join(repr(n) for n in near)}?"
        self.exit(2, f"kg: error: {message} (see {self.prog} --help)\n")


def at_least(least: int) -> Callable[[str], int]:
    """An argparse type: a whole number, ``least`` or more."""
    return in_range(least, None)


def in_range(least: int, most: int | None) -> Callable[[str], int]:
    """An argparse type: a whole number from ``least`` to ``most`` (``None``: no limit)."""
    def whole(text: str) -> int:
        try:
            n = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        wanted = _out_of_range(n, least, most)
        if wanted is not None:
            raise argparse.ArgumentTypeError(f"must be {wanted}, not {n}")
        return n
    return whole


def seconds(text: str) -> float:
    """An argparse type: a number of seconds, 0 or more."""
    try:
        s = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not s >= 0 or s == float("inf"):
        raise argparse.ArgumentTypeError(f"must be 0 or more seconds, not {text}")
    return s


def day(text: str) -> dt.date:
    """An argparse type: a day, ``YYYY-MM-DD`` (or the site's ``2015-9-1``), read as :func:`as_day` reads it."""
    try:
        found = as_day(text)
    except ArgumentError:
        found = None
    if found is None:
        raise argparse.ArgumentTypeError(f"not a day (YYYY-MM-DD): {text!r}")
    return found


#: A day as text: "2015-09-01", the site's own "2015-9-1", or a moment of it
#: ("2015-09-01T00:00:00", as numpy's datetime64 and a DataFrame's cells print).
_DAY_TEXT = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[T ][0-9:.]*)?")  # ASCII digits, as paths


def as_day(value: Any) -> dt.date | None:
    """A filter's day (``None`` for none), as the library's functions take it.

    >>> import numpy
    >>> as_day("2015-9-1"), as_day(numpy.datetime64("2015-09-01T00:00:00.000000000"))
    (datetime.date(2015, 9, 1), datetime.date(2015, 9, 1))
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):  # also pandas.Timestamp
        if value != value:  # pandas.NaT (a datetime too): no day, and it compares with none
            raise ArgumentError(f"not a day: {value!r}")
        return value.date()
    if isinstance(value, dt.date):
        return value
    found = _DAY_TEXT.fullmatch(str(value).strip())
    said = (f"not a day (YYYY-MM-DD or the site's 2015-9-1, a datetime.date, a pandas.Timestamp or a numpy "
            f"datetime64): {value!r}")
    if found is None:
        raise ArgumentError(said)
    try:
        return dt.date(*map(int, found.groups()))
    except ValueError as err:  # (2015-02-30)
        raise ArgumentError(said) from err


def day_range(since: Any, until: Any) -> tuple[dt.date | None, dt.date | None]:
    """The two days of a range, refused if reversed (an empty answer would look like no events).

    >>> day_range("2015-09-10", "2015-09-01")
    Traceback (most recent call last):
    ...
    kg.errors.ArgumentError: since (2015-09-10) is after until (2015-09-01)
    """
    first, last = as_day(since), as_day(until)
    if first is not None and last is not None and first > last:
        raise ArgumentError(f"since ({first}) is after until ({last})")
    return first, last

