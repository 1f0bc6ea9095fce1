"""How long a period of a timeline is: the frequencies :func:`kg.timeline` takes, as pandas offsets.

``"D"``/``"day"``, ``"W"``/``"week"`` and ``"MS"``/``"month"``, and any pandas offset alias of whole
days with pandas' meaning, in either spelling of the aliases pandas 2.2 renamed
(:func:`timeline_offset`).
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Final

from kg.arguments import did_you_mean
from kg.errors import ArgumentError, ArgumentTypeError

if TYPE_CHECKING:  # pragma: no cover
    import datetime as dt

    import pandas
    from pandas.tseries.offsets import BaseOffset

__all__ = ["FREQUENCIES", "timeline_offset", "whole_periods"]

#: timeline frequencies: what the caller writes -> the pandas offset alias (any other pandas alias
#: of whole days is taken too, see :func:`timeline_offset`)
FREQUENCIES: dict[str, str] = {"D": "D", "W": "W-SUN", "MS": "MS",
                               "day": "D", "week": "W-SUN", "month": "MS"}

#: pandas' aliases renamed in pandas 2.2 ("M" -> "ME"): the old, which pandas 3 refuses as an offset, ->
#: the new, which pandas 2.0 and 2.1 do not know; either is taken, given to pandas as it spells it
_RENAMED: Final = {"M": "ME", "BM": "BME", "CBM": "CBME", "SM": "SME", "Q": "QE", "BQ": "BQE",
                   "A": "YE", "Y": "YE", "BA": "BYE", "BY": "BYE", "AS": "YS", "BAS": "BYS"}
#: the new spellings as pandas before 2.2 writes them ("YS" and "BYS" it knows)
_BEFORE_2_2: Final = {"ME": "M", "BME": "BM", "CBME": "CBM", "SME": "SM", "QE": "Q", "BQE": "BQ",
                      "YE": "A", "BYE": "BA"}
#: pandas' aliases of less than a day written in lower case (a timeline refuses them, with pandas' meaning);
#: any other alias (of days or more) is written in upper case, which pandas asks of "w", "d", "me" ...
_LOWER_CASE: Final = frozenset({"h", "bh", "cbh", "min", "t", "s", "ms", "l", "us", "u", "ns", "n"})
#: an offset alias: a multiple, a name, an anchor ("2W-MON", "QE-JAN")
_ALIAS: Final = re.compile(r"([0-9]*)([A-Za-z]+)(-[A-Za-z0-9]+)?")


@functools.cache
def _pandas_spells_period_ends_with_e() -> bool:
    from pandas.tseries.frequencies import to_offset

    try:
        to_offset("ME")
    except ValueError:
        return False
    return True


def _as_pandas_spells(alias: str) -> str:
    """``alias`` as the installed pandas spells it: "M" as "ME" from pandas 2.2 on, "ME" as "M" before;
    "w" as "W", "2w-mon" as "2W-MON" (pandas 3 warns that lower case goes away).

    >>> _as_pandas_spells("2w-mon"), _as_pandas_spells("ms")
    ('2W-MON', 'ms')
    """
    found = _ALIAS.fullmatch(alias)
    if found is None:
        return alias
    name, anchor = found[2], found[3] or ""
    if name not in _LOWER_CASE:
        name, anchor = name.upper(), anchor.upper()
    names = _RENAMED if _pandas_spells_period_ends_with_e() else _BEFORE_2_2
    return f"{found[1]}{names.get(name, name)}{anchor}"


def timeline_offset(freq: str | BaseOffset) -> BaseOffset:
    """The pandas offset by which :func:`timeline` counts, for its ``freq``.

    ``"D"``/``"day"``, ``"W"``/``"week"`` (weeks ending on Sunday) and ``"MS"``/``"month"``
    (:data:`FREQUENCIES`), or any other pandas offset alias, or offset, of whole days, one or
    more, with pandas' meaning: ``"W-MON"`` (weeks ending on Monday), ``"ME"`` (months, labelled by
    their last day), ``"2W"``, ``"QS"``, ``"QE"``, ``"YE"``, ``pandas.offsets.Week(weekday=0)`` ...
    An alias that pandas 2.2 renamed is taken in either spelling with any pandas (``"M"`` or
    ``"ME"``, ``"Y"`` or ``"YE"``, ``"Q"`` or ``"QE"``, ``"BM"`` or ``"BME"``): pandas 3 refuses
    the old as an offset, and pandas before 2.2 does not know the new.

    Parameters
    ----------
    freq : str or pandas.DateOffset
        The length of a period of the timeline.

    Returns
    -------
    pandas.DateOffset
        The offset, for :meth:`pandas.DataFrame.resample`.

    Raises
    ------
    ArgumentError
        For what pandas does not know or cannot resample by (``pandas.DateOffset(months=1)``), and a
        period shorter than a day or not of whole days (``"h"``, ``"36h"``, ``"0D"``): a timeline
        counts the events of days.
    ArgumentTypeError
        For what is neither a str nor an offset.

    Examples
    --------
    >>> timeline_offset("week"), timeline_offset("W-MON"), timeline_offset("M") == timeline_offset("ME")
    (<Week: weekday=6>, <Week: weekday=0>, True)
    >>> timeline_offset("h")
    Traceback (most recent call last):
    ...
    kg.errors.ArgumentError: a timeline counts events per day: 'h' is not a frequency of whole days, one or more
    """
    from kg.extras import require

    require("pandas")
    import pandas as pd
    from pandas.tseries.frequencies import to_offset
    from pandas.tseries.offsets import BaseOffset

    if isinstance(freq, BaseOffset):
        offset = freq
    elif isinstance(freq, str):
        try:
            offset = to_offset(FREQUENCIES.get(freq) or FREQUENCIES.get(freq.lower()) or _as_pandas_spells(freq))
        except ValueError as err:
            raise ArgumentError(f"unknown frequency {freq!r}{did_you_mean(freq.lower(), FREQUENCIES)}; "
                                f"use one of {sorted(FREQUENCIES)}, or a pandas offset "
                                f"alias of whole days ('W-MON', 'ME', 'QS', '2W' ...)") from err
    else:
        raise ArgumentTypeError(f"a frequency is a str or a pandas offset, not {type(freq).__name__}: {freq!r}")
    try:
        offset.rule_code  # noqa: B018  # what resample reads: a DateOffset(months=1) has none
    except NotImplementedError:
        raise ArgumentError(f"pandas cannot count by {freq!r}, an offset of no alias: give one such as 'MS' or "
                            f"'W-MON', or its offset (pandas.offsets.MonthBegin())") from None
    start = pd.Timestamp("2001-01-01")  # a Monday, at midnight: a period of whole days ends at a midnight
    step = (start + offset) - start
    day = pd.Timedelta(days=1)
    if step < day or step % day:
        raise ArgumentError(f"a timeline counts events per day: {freq!r} is not a frequency of whole days, one or more")
    return offset


def whole_periods(offset: BaseOffset, first: dt.date, last: dt.date) -> pandas.Series:
    """Which periods of ``offset`` that resample makes of the days ``first..last`` lie wholly within them.

    The first and the last may be cut short: a week from a Wednesday, a month to its 10th.  A
    period is whole when it holds as many of these days as it holds days at all, which is counted
    over a span padded by two periods on each side, binned the same way (from ``first``, where
    the offset is a number of days).

    Returns
    -------
    pandas.Series
        ``bool``, indexed by the periods' labels as :meth:`pandas.DataFrame.resample` gives them.

    Examples
    --------
    >>> import datetime as dt
    >>> whole = whole_periods(timeline_offset("W"), dt.date(2026, 6, 3), dt.date(2026, 6, 30))
    >>> [(str(d.date()), w) for d, w in whole.items()]
    [('2026-06-07', False), ('2026-06-14', True), ('2026-06-21', True), ('2026-06-28', True), ('2026-07-05', False)]
    """
    import pandas as pd

    start, end = pd.Timestamp(first), pd.Timestamp(last)
    # A number of days is binned from the first day (resample's default for the days alone); the
    # calendar's periods are where they are, n of them at a time from the first one's end.
    origin = {"origin": start} if isinstance(offset, (pd.offsets.Tick, pd.offsets.Day)) else {}
    held = pd.Series(1, index=pd.date_range(start, end, freq="D")).resample(offset, **origin).sum()
    # The same bins over a span from two periods before the first label to two after the last:
    # a label is a bin's edge, so the padded span starts on one and keeps the bins' phase.
    lowest, highest = pd.Timestamp.min.ceil("D"), pd.Timestamp.max.floor("D")
    try:
        before = max(held.index[0] - 2 * offset, lowest)
    except (OverflowError, pd.errors.OutOfBoundsDatetime):
        before = lowest
    try:
        after = min(held.index[-1] + 2 * offset, highest)
    except (OverflowError, pd.errors.OutOfBoundsDatetime):
        after = highest
    full = pd.Series(1, index=pd.date_range(before, after, freq="D")).resample(offset, **origin).sum()
    whole: pandas.Series = held == full.reindex(held.index)
    return whole
