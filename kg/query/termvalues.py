"""The Python value of an RDF term, as a query's answer gives it: :func:`to_python`.

IRIs are ``str``; typed literals of the datatypes below are values (integers, decimals,
floats, booleans, days, date-times, durations of days and times), each only when written
in its datatype's lexical form: an ill-typed literal stays the text it is.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from kg.namespace import XSD

__all__ = ["to_python"]

_XSD = XSD.iri  # datatypes beyond those kg writes: any a query may make
#: an xsd:date with its timezone (2015-09-02Z, 2015-09-02+02:00: a cast from a dateTime gives one): its day
_ZONED_DAY = re.compile(r"\A(\d{4}-\d\d-\d\d)(?:Z|[+-]\d\d:\d\d)\Z")

#: a duration of days, hours, minutes and seconds (xsd:dayTimeDuration, or an xsd:duration without
#: years or months: what subtracting two days or date-times gives): a timedelta. Years and months
#: have no fixed length, so a duration with them stays text.
_DAY_TIME = re.compile(r"\A\s*(-)?P(?=[0-9T])(?:([0-9]+)D)?(?:T(?=[0-9])(?:([0-9]+)H)?(?:([0-9]+)M)?"
                       r"(?:([0-9]+(?:\.[0-9]+)?)S)?)?\s*\Z")


def _day_time(text: str) -> dt.timedelta:
    match = _DAY_TIME.match(text)
    assert match is not None, text  # (to_python reads only a literal of the form)
    sign, days, hours, minutes, seconds = match.groups()
    delta = dt.timedelta(days=int(days or 0), hours=int(hours or 0), minutes=int(minutes or 0),
                         seconds=float(seconds or 0))
    return -delta if sign else delta


#: the lexical forms of the datatypes converted (Python's int(), float() and fromisoformat() take more:
#: "1_000", "١٢", "infinity", "20150901"), by datatype: a literal of another form stays as written
_INTEGER_FORM = re.compile(r"\A\s*[+-]?[0-9]+\s*\Z")
_LEXICAL_FORMS = {
    **dict.fromkeys((_XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger")),
                    _INTEGER_FORM),
    _XSD + "decimal": re.compile(r"\A\s*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*\Z"),
    _XSD + "boolean": re.compile(r"\A\s*(?:true|false|1|0)\s*\Z"),
    **dict.fromkeys((_XSD + "double", _XSD + "float"),
                    re.compile(r"\A\s*(?:[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?INF|NaN)\s*\Z")),
    _XSD + "date": re.compile(r"\A\s*-?[0-9]{4,}-[0-9]{2}-[0-9]{2}(?:Z|[+-][0-9]{2}:[0-9]{2})?\s*\Z"),
    _XSD + "dateTime": re.compile(r"\A\s*-?[0-9]{4,}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?"
                                  r"(?:Z|[+-][0-9]{2}:[0-9]{2})?\s*\Z"),
    **dict.fromkeys((_XSD + "dayTimeDuration", _XSD + "duration"), _DAY_TIME),
}

#: XSD datatype -> Python value of a literal's lexical form
_LITERAL_VALUES: dict[str, Callable[[str], Any]] = {
    _XSD + "integer": int,
    _XSD + "int": int,
    _XSD + "long": int,
    _XSD + "short": int,
    _XSD + "nonNegativeInteger": int,
    _XSD + "positiveInteger": int,
    _XSD + "decimal": Decimal,
    _XSD + "double": float,
    _XSD + "float": float,
    _XSD + "boolean": lambda v: v.strip() in ("true", "1"),
    _XSD + "date": lambda v: dt.date.fromisoformat(_ZONED_DAY.sub(r"\1", v)),
    _XSD + "dateTime": dt.datetime.fromisoformat,
    **dict.fromkeys((_XSD + "dayTimeDuration", _XSD + "duration"), _day_time),
}


def to_python(term: Any) -> Any:
    """The Python value of an RDF term: IRIs as ``str``, typed literals as values.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> to_python(ox.Literal("2015-09-01", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")))
    datetime.date(2015, 9, 1)
    >>> to_python(ox.Literal("2015-09-01+02:00", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")))
    datetime.date(2015, 9, 1)
    >>> to_python(ox.NamedNode("https://x.org/a")), to_python(None)
    ('https://x.org/a', None)
    >>> def duration(text):
    ...     return ox.Literal(text, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#dayTimeDuration"))
    >>> to_python(duration("P88D")), to_python(duration("-PT1H30.5S")).total_seconds()
    (datetime.timedelta(days=88), -3630.5)
    >>> to_python(ox.Literal("P1Y2M", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#duration")))
    'P1Y2M'
    """
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        convert = _LITERAL_VALUES.get(datatype)
        form = _LEXICAL_FORMS.get(datatype)
        if convert is None or (form is not None and form.match(term.value) is None):
            return term.value
        try:
            return convert(term.value)
        except (ValueError, ArithmeticError):
            return term.value  # an ill-typed literal stays text rather than failing the query
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode):
        return term.value
    return str(term)  # quoted triples
