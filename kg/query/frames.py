"""The frames kg's questions answer in: named columns of days, counts and Python objects.

Examples
--------
>>> import datetime as dt
>>> frame = answer_frame([(dt.date(2015, 9, 1), "a", 2)], ["date", "headline", "n"], ["date"], ["n"])
>>> [str(t) for t in frame.dtypes]
['datetime64[ns]', 'object', 'int64']
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:  # pragma: no cover
    import pandas

__all__ = ["DAY_DTYPE", "DAY_UNIT", "as_days", "answer_frame"]

#: the dtype of every day an answer gives as pandas (the ``date`` of events and around, a
#: timeline's index, a SPARQL answer's xsd:date column), so that answers merge on the day:
#: pandas' default, what pd.to_datetime gives a string; said, since pandas 3 makes datetime.date
#: values, and a date_range between two, datetime64[s]
DAY_DTYPE: Final = "datetime64[ns]"
DAY_UNIT: Final = "ns"


def as_days(column: pandas.Series) -> pandas.Series:
    """A column of days (``datetime.date``, ``None`` for none) as :data:`DAY_DTYPE` (``NaT`` for none).

    Raises
    ------
    pandas.errors.OutOfBoundsDatetime
        For a day that ``datetime64[ns]`` cannot hold: before 1677-09-22 or after 2262-04-11.

    Examples
    --------
    >>> import datetime as dt, pandas as pd
    >>> days = as_days(pd.Series([dt.date(2015, 9, 1), None], dtype=object))
    >>> str(days.dtype), days.tolist()
    ('datetime64[ns]', [Timestamp('2015-09-01 00:00:00'), NaT])
    """
    import pandas as pd

    days: pandas.Series = pd.to_datetime(column).astype(DAY_DTYPE)
    return days


def answer_frame(rows: list[tuple[Any, ...]], columns: list[str], dates: Iterable[str] = (),
           counts: Iterable[str] = ()) -> pandas.DataFrame:
    """An answer's frame: ``dates`` as days, ``counts`` as int64, the rest Python objects.

    Named rather than guessed from the rows, so that an empty answer has the dtypes of a full
    one (``.nlargest``, ``.dt`` and ``pd.concat`` work on it alike).
    """
    from kg.extras import require

    require("pandas")
    import pandas as pd

    frame: pd.DataFrame = pd.DataFrame(rows, columns=columns, dtype=object)
    for name in dates:
        frame[name] = as_days(frame[name])
    for name in counts:
        frame[name] = frame[name].astype("int64")
    return frame
