"""What kg's commands and functions take: the command line's parser and option types,
and the checks that the library's functions make of a count and of a day (or, as the
first or last day of a period: a week, a month, a quarter or a year).

On the command line each bad value is said in one line that names the option,
with exit status 2 (``kg: error: argument -j/--jobs: must be 1 or more, not 0``),
and a misspelt command or choice gets a guess; a function raises
:class:`~kg.errors.ArgumentError` with the same words.

Examples
--------
>>> at_least(1)("3"), in_range(0, 2)("2"), seconds("1.5"), since_day("2015-09-01"), until_day("2015-9-1")
(3, 2, 1.5, datetime.date(2015, 9, 1), datetime.date(2015, 9, 1))
>>> since_day("2015-09"), until_day("2015-09"), until_day("2015")
(datetime.date(2015, 9, 1), datetime.date(2015, 9, 30), datetime.date(2015, 12, 31))
>>> at_least(1)("0")
Traceback (most recent call last):
argparse.ArgumentTypeError: must be 1 or more, not 0
>>> whole_number(-1, "days")
Traceback (most recent call last):
kg.errors.ArgumentError: days must be a whole number, 0 or more, not -1
"""

from __future__ import annotations

import argparse
import calendar
import contextlib
import datetime as dt
import operator
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, NoReturn, SupportsIndex

from kg.errors import ArgumentError, NoSuchDayError

__all__ = ["Parser", "at_least", "in_range", "host_arg", "path_arg", "path_of", "seconds",
           "since_day", "until_day", "as_day", "as_period", "first_day", "last_day", "day_range", "whole_number",
           "plain_integer", "a_kind_of", "did_you_mean"]


def a_kind_of(value: object) -> str:
    """The name of ``value``'s type with its article, for messages.

    >>> a_kind_of(3), a_kind_of("x"), a_kind_of(None)
    ('an int', 'a str', 'a NoneType')
    """
    name = type(value).__name__
    return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"


def did_you_mean(typed: object, known: Iterable[str]) -> str:
    """`` (did you mean 'x'?)``, naming the one of ``known`` closest to a misspelt ``typed``; else empty.

    >>> did_you_mean("domian", ["publisher", "domain"]), did_you_mean("x", ["publisher"]), did_you_mean(3, ["a"])
    (" (did you mean 'domain'?)", '', '')
    """
    import difflib

    near = difflib.get_close_matches(typed, list(known), n=1) if isinstance(typed, str) else []
    return f" (did you mean {near[0]!r}?)" if near else ""


def plain_integer(value: object) -> object:
    """numpy's integers as Python's (a count read from a DataFrame is one); anything else as it is.

    >>> import numpy as np
    >>> plain_integer(np.int64(3)), plain_integer(np.True_), plain_integer(2.5)
    (3, np.True_, 2.5)
    """
    if isinstance(value, SupportsIndex) and not isinstance(value, (bool, int)):
        with contextlib.suppress(TypeError):  # (numpy's bool refuses)
            return operator.index(value)
    return value


def _out_of_range(n: int, least: int, most: int | None) -> str | None:
    if most is None:
        return None if n >= least else f"{least} or more"
    return None if least <= n <= most else f"{least} to {most}"


def whole_number(value: object, name: str, least: int = 0, most: int | None = None) -> int:
    """``value`` if it is a whole number from ``least`` (to ``most``); else an ArgumentError naming ``name``."""
    # An int, or what stands for one (numpy's): a float or a str would mean something else.
    plain = plain_integer(value)
    n = plain if isinstance(plain, int) and not isinstance(plain, bool) else None
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
        given = sys.argv[1:] if args is None else args
        if not given:  # no command: say what the commands are
            self.print_help(sys.stderr)
            self.exit(2)
        commands: dict[str, Any] = {}
        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction):
                commands.update(action.choices)
        for sub in (self, *commands.values()):
            if isinstance(sub, Parser):
                sub.given = tuple(given)  # (for error(): what was typed, to say what was meant)
        parsed, extras = self.parse_known_args(args)
        if extras:
            command = getattr(parsed, "command", None)
            sub = commands.get(command) if isinstance(command, str) else None
            (sub if isinstance(sub, Parser) else self).unrecognized(extras)
        return parsed

    def unrecognized(self, extras: list[str]) -> NoReturn:
        """Exit saying what was not understood, with the nearest of this parser's options to an unknown one."""
        import difflib

        message = f"unrecognized arguments: {' '.join(extras)}"
        unknown = [e.partition("=")[0] for e in extras if e.startswith("--")]
        if unknown:
            known = [o[2:] for a in self._actions for o in a.option_strings if o.startswith("--")]
            # (compared without their dashes, which every option shares: --bogus is not near --verbose)
            near = difflib.get_close_matches(unknown[0][2:], known, n=2)
            message += f"; did you mean {' or '.join('--' + n for n in near)}?" if near else ""
        self.error(message)

    #: The command line being parsed (set by :meth:`parse_command_line`).
    given: tuple[str, ...] = ()

    def error(self, message: str) -> NoReturn:
        import difflib
        import re

        if message.endswith("required: -o/--output") and len(self.given) >= 3 \
                and not self.given[-1].startswith("-") and not self.given[-2].startswith("-"):
            # "kg build CORPUS out/": the last word was meant for -o
            message += f"; did you mean -o {self.given[-1]}?"

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


def path_arg(text: str) -> str:
    """An argparse type: a path, not an empty one (what an unset ``$OUT`` gives: it would mean ``.``)."""
    if not text:
        raise argparse.ArgumentTypeError("an empty path (an unset variable?): name a file or folder (. is this folder)")
    return text


def host_arg(text: str) -> str:
    """An argparse type: an address to listen at, not an empty one (an unset ``$HOST``: every interface)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("an empty address (an unset variable?) would listen on every interface: "
                                         "name one (0.0.0.0 or :: for every interface)")
    return text


def path_of(text: str) -> Path:
    """An argparse type: :func:`path_arg` as a :class:`~pathlib.Path`."""
    return Path(path_arg(text))


def seconds(text: str) -> float:
    """An argparse type: a number of seconds, 0 or more (where 0 means no limit, as ``--timeout``'s does).

    >>> seconds("inf")
    Traceback (most recent call last):
    argparse.ArgumentTypeError: must be a finite number of seconds, not inf (0: no limit)
    """
    try:
        s = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if s == float("inf"):  # (0 or more, but no timer takes it)
        raise argparse.ArgumentTypeError(f"must be a finite number of seconds, not {text} (0: no limit)")
    if not s >= 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more seconds, not {text}")
    return s


def since_day(text: str) -> dt.date:
    """An argparse type: the first day of a period, a day, week, month, quarter or year, read as
    :func:`first_day` reads it (``--since 2026-07``: from July's first day)."""
    return _period_arg(text)[0]


def until_day(text: str) -> dt.date:
    """An argparse type: the last day of a period, a day, week, month, quarter or year, read as
    :func:`last_day` reads it (``--until 2026-07``: to July's last day, included)."""
    return _period_arg(text)[1]


def _period_arg(text: str) -> tuple[dt.date, dt.date]:
    try:
        found = as_period(text)
    except NoSuchDayError as err:
        raise argparse.ArgumentTypeError(str(err)) from err
    except ArgumentError:
        found = None
    if found is None:
        raise argparse.ArgumentTypeError(f"not a day, week, month, quarter or year (YYYY-MM-DD, YYYY-Www, YYYY-MM, "
                                         f"YYYY-Qn or YYYY): {text!r}")
    return found


#: A day as text: "2015-09-01", the site's own "2015-9-1", or a moment of it
#: ("2015-09-01T00:00:00", as numpy's datetime64 and a DataFrame's cells print).
_DAY_TEXT = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[T ][0-9:.]*)?")  # ASCII digits, as paths
#: A month, "2015-09" (or "2015-9"), or a year, "2015": as a period's end, its first or last day.
_MONTH_TEXT = re.compile(r"([0-9]{4})(?:-([0-9]{1,2}))?")
#: An ISO week, "2026-W27" (Monday to Sunday), or a quarter, "2026-Q3" (as pandas prints one, "2026Q3", too).
_WEEK_TEXT = re.compile(r"([0-9]{4})-?W([0-9]{1,2})", re.IGNORECASE)
_QUARTER_TEXT = re.compile(r"([0-9]{4})-?Q([1-4])", re.IGNORECASE)
#: What a period can be, for the messages that refuse one.
_PERIODS = ("a day, week, month, quarter or year (YYYY-MM-DD or the site's 2015-9-1, YYYY-Www, YYYY-MM, YYYY-Qn, "
            "YYYY, a datetime.date, a pandas.Timestamp or Period, a numpy datetime64)")


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
    year, month, day = map(int, found.groups())
    try:
        return dt.date(year, month, day)
    except ValueError as err:  # (2015-02-30: the form of a day, but no day of the calendar)
        raise NoSuchDayError(_no_such_day(value, year, month, day)) from err


def _no_such_day(value: object, year: int, month: int, day: int) -> str:
    """What a day of the right form that the calendar lacks is told: why not.

    >>> _no_such_day("2026-06-31", 2026, 6, 31)
    "no such day: '2026-06-31' (June 2026 has 30 days)"
    >>> _no_such_day("2026-06-00", 2026, 6, 0)
    "no such day: '2026-06-00' (June 2026 has 30 days, from 1)"
    """
    if not 1 <= month <= 12:
        why = "a month is 1 to 12"
    elif not dt.MINYEAR <= year <= dt.MAXYEAR:
        why = f"a year is {dt.MINYEAR} to {dt.MAXYEAR}"
    else:
        why = f"{calendar.month_name[month]} {year} has {calendar.monthrange(year, month)[1]} days" + \
            ("" if day else ", from 1")
    return f"no such day: {value!r} ({why})"


def as_period(value: Any) -> tuple[dt.date, dt.date] | None:
    """The first and last day of the day, week, month, quarter or year ``value`` names (``None`` for none).

    A day is what :func:`as_day` takes (a ``datetime.date``, a ``pandas.Timestamp``, a numpy
    ``datetime64``, ``"YYYY-MM-DD"`` or the site's ``"2015-9-1"``), its own first and last day;
    an ISO week is ``"YYYY-Www"`` (Monday to Sunday); a month ``"YYYY-MM"`` (or ``"2015-9"``, or
    what prints so: a numpy ``datetime64`` of months); a quarter ``"YYYY-Qn"``; a year ``"YYYY"``;
    a ``pandas.Period`` of any length, its own first and last day.

    Parameters
    ----------
    value : date, datetime, str, numpy.datetime64 or None
        The day, month or year.

    Returns
    -------
    tuple of datetime.date, or None
        Its first and last day; ``None`` for ``None``.

    Raises
    ------
    ArgumentError
        For what is none of them (``"July 2015"``, ``"2015-13"``, ``"2015-02-30"``, ``pandas.NaT``).

    Examples
    --------
    >>> as_period("2016-02")
    (datetime.date(2016, 2, 1), datetime.date(2016, 2, 29))
    >>> as_period("2015"), as_period("2015-9-1")
    ((datetime.date(2015, 1, 1), datetime.date(2015, 12, 31)), (datetime.date(2015, 9, 1), datetime.date(2015, 9, 1)))
    >>> as_period("2015-13")
    Traceback (most recent call last):
    ...
    kg.errors.ArgumentError: not a day, week, month, quarter or year (YYYY-MM-DD or the site's 2015-9-1, ...): '2015-13'

    An ISO week (Monday to Sunday), a quarter, and a ``pandas.Period`` of any length:

    >>> as_period("2026-W27"), as_period("2026-Q3")
    ((datetime.date(2026, 6, 29), datetime.date(2026, 7, 5)), (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30)))
    >>> import pandas
    >>> as_period(pandas.Period("2026-07-08", freq="W"))
    (datetime.date(2026, 7, 6), datetime.date(2026, 7, 12))
    """
    if value is None:
        return None
    if isinstance(value, dt.date):  # also a datetime, a pandas.Timestamp
        one = as_day(value)
        return None if one is None else (one, one)
    start, end = getattr(value, "start_time", None), getattr(value, "end_time", None)
    if isinstance(start, dt.datetime) and isinstance(end, dt.datetime):  # a pandas.Period of any length
        if start != start or end != end:  # (NaT)
            raise ArgumentError(f"not {_PERIODS}: {value!r}")
        return start.date(), end.date()
    text = str(value).strip()
    week, quarter = _WEEK_TEXT.fullmatch(text), _QUARTER_TEXT.fullmatch(text)
    if week is not None:
        try:
            monday = dt.date.fromisocalendar(int(week[1]), int(week[2]), 1)
        except ValueError as err:  # (week 54, or 53 of a year of 52)
            raise ArgumentError(f"not {_PERIODS}: {value!r}") from err
        # (the last week of 9999 ends past the calendar's last day, where Python's dates end)
        return monday, min(monday, dt.date.max - dt.timedelta(days=6)) + dt.timedelta(days=6)
    if quarter is not None and int(quarter[1]) >= dt.MINYEAR:
        year, first = int(quarter[1]), 3 * int(quarter[2]) - 2
        return dt.date(year, first, 1), dt.date(year, first + 2, calendar.monthrange(year, first + 2)[1])
    found = _MONTH_TEXT.fullmatch(text)
    if found is None:
        try:
            one = as_day(text)
        except NoSuchDayError:  # (the form of a day: said why the calendar lacks it)
            raise
        except ArgumentError:
            one = None
        if one is not None:
            return one, one
    else:
        year, month = int(found[1]), None if found[2] is None else int(found[2])
        if year >= dt.MINYEAR and (month is None or 1 <= month <= 12):
            last = month or 12
            return dt.date(year, month or 1, 1), dt.date(year, last, calendar.monthrange(year, last)[1])
    raise ArgumentError(f"not {_PERIODS}: {value!r}")


def first_day(value: Any) -> dt.date | None:
    """The first day of the day, month or year ``value`` names (see :func:`as_period`): a period's start.

    Examples
    --------
    >>> first_day("2026-07"), first_day("2026"), first_day("2026-07-15"), first_day(None)
    (datetime.date(2026, 7, 1), datetime.date(2026, 1, 1), datetime.date(2026, 7, 15), None)
    """
    period = as_period(value)
    return None if period is None else period[0]


def last_day(value: Any) -> dt.date | None:
    """The last day of the day, month or year ``value`` names (see :func:`as_period`): a period's end,
    included.

    Examples
    --------
    >>> last_day("2026-07"), last_day("2026"), last_day("2026-07-15"), last_day(None)
    (datetime.date(2026, 7, 31), datetime.date(2026, 12, 31), datetime.date(2026, 7, 15), None)
    """
    period = as_period(value)
    return None if period is None else period[1]


def day_range(since: Any, until: Any) -> tuple[dt.date | None, dt.date | None]:
    """The first and last day of a range, refused if reversed (an empty answer would look like no events).

    ``since`` and ``until`` are days, months or years (see :func:`as_period`), both included:
    ``since`` from its first day, ``until`` to its last.

    Parameters
    ----------
    since, until : date, datetime, str, numpy.datetime64 or None
        The range's ends; ``None`` leaves that end open.

    Returns
    -------
    tuple of (datetime.date or None)
        The range's first and last day.

    Raises
    ------
    ArgumentError
        For an end that is not a day, week, month, quarter or year, or a range whose first day is after its last.

    Examples
    --------
    >>> day_range("2026-07", "2026-08")
    (datetime.date(2026, 7, 1), datetime.date(2026, 8, 31))
    >>> day_range("2015", None), day_range(None, "2015-09-10")
    ((datetime.date(2015, 1, 1), None), (None, datetime.date(2015, 9, 10)))
    >>> day_range("2015-09-10", "2015-09-01")
    Traceback (most recent call last):
    ...
    kg.errors.ArgumentError: since (2015-09-10) is after until (2015-09-01)
    """
    try:
        first = first_day(since)
    except ArgumentError as err:  # (said with its name: cooccurring(g, "Ukraine", 10) meant n=10)
        raise ArgumentError(f"since: {err}") from None
    try:
        last = last_day(until)
    except ArgumentError as err:
        raise ArgumentError(f"until: {err}") from None
    if first is not None and last is not None and first > last:
        raise ArgumentError(f"since ({first}) is after until ({last})")
    return first, last
