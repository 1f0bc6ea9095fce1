"""The analyst API on the 1,888-event corpus, against an independent reading.

The expected answers come from ``events.json`` and the conversion rules of
``SOURCE.md`` (tests/oracle.py recomputes every Related line, hence each
event's contexts as a markdown reader sees them), counted here with plain
Python; ``truth.json`` checks the headline search and the sample events.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import re
import warnings
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import kg
from kg import iri
from kg.arguments import as_period
from kg.errors import ArgumentError, QueryError, UnknownNameError
from kg.parse.publishers import split_publisher
from kg.query.frequencies import timeline_offset
from kg.query.questions import event_key
from kg.table import organization_names

from . import oracle

CORPUS = Path(__file__).parents[1] / "examples" / "wcep-2026-05-to-2026-08"
TRUTH = json.loads((CORPUS / "truth.json").read_text(encoding="utf-8"))
BIG = ["Iran", "United States", "Russia", "Ukraine", "Sudan", "Israel"]


@pytest.fixture(scope="module")
def g() -> kg.KnowledgeGraph:
    return kg.build(CORPUS)


@pytest.fixture(scope="module")
def reading() -> dict[str, dict]:
    """path -> {date, headline, contexts (as the markdown shows them), sources}."""
    records, links = oracle.related_links(CORPUS)
    contexts = oracle.event_contexts(links)
    return {path: {"date": dt.date.fromisoformat(r["date"]), "headline": r["headline"],
                   "contexts": contexts.get(path, set()),
                   "sources": [s["name"] for s in r["sources"]],
                   "urls": [s["url"] for s in r["sources"]]}
            for path, r in records.items()}


def _about(reading, name):
    return {p: r for p, r in reading.items() if name in r["contexts"]}


# ------------------------------------------------------------------ the corpus as read

def test_the_corpus_reads_as_its_truth(g, reading):
    counts = TRUTH["counts"]
    assert len(g.events_in_corpus) == counts["events"] == len(reading)
    assert len(g.days) == counts["days"]
    for sample in TRUTH["samples"]:  # its own Related lines' contexts, and more from lines to it
        assert set(sample["contexts_visible_in_markdown_naive_comma_split"]) <= set(kg.contexts_of(g, sample["path"]))
    assert {k.path: set(cs) for k, cs in g.event_contexts.items()} == \
        {p: r["contexts"] for p, r in reading.items() if r["contexts"]}


def test_the_events_frame_holds_each_event_s_hosts_and_names_distinct_and_sorted(g, reading):
    """Each tuple column of kg.events is distinct and sorted, as its docstring says; the domains are the
    hosts of the page's own sources (page order had been kept: 210 events of the corpus)."""
    from kg.parse.publishers import web_domain

    frame = kg.events(g)
    for column in ("contexts", "publishers", "distributors", "domains", "sources"):
        unsorted = [row for row in frame[column] if list(row) != sorted(set(row))]
        assert not unsorted, (column, unsorted[:3])
    domains = dict(zip(frame["path"], frame["domains"], strict=True))
    assert {p: domains[p] for p in reading} == \
        {p: tuple(sorted({web_domain(u) for u in r["urls"]})) for p, r in reading.items()}


# ------------------------------------------------------------------ questions, answered

def _month_end(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


#: a timeline's freq -> the day that labels a day's period: kg's words and pandas' own aliases, with pandas'
#: meaning (weeks and month ends labelled by their last day, month starts by their first)
PERIOD_OF = {
    "D": lambda day: day, "day": lambda day: day,
    "W": lambda day: day + dt.timedelta(days=6 - day.weekday()),  # weeks end on Sunday, labelled by it
    "week": lambda day: day + dt.timedelta(days=6 - day.weekday()),
    "W-SUN": lambda day: day + dt.timedelta(days=6 - day.weekday()),
    "W-MON": lambda day: day + dt.timedelta(days=-day.weekday() % 7),  # weeks end on Monday
    "MS": lambda day: day.replace(day=1), "month": lambda day: day.replace(day=1),
    "ME": _month_end, "M": _month_end,  # either spelling, whatever pandas is installed
}


@pytest.mark.parametrize("freq", list(PERIOD_OF))
def test_counts_per_context_and_period(g, reading, freq):
    frame = kg.timeline(g, BIG, freq=freq)
    assert list(frame.columns) == BIG
    assert isinstance(frame.index, pd.DatetimeIndex) and str(frame.index.dtype) == "datetime64[ns]"
    assert frame.index.name == "date"
    assert all(str(t) == "int64" for t in frame.dtypes)
    period = PERIOD_OF[freq]

    for name in BIG:
        expected = Counter(period(r["date"]) for r in _about(reading, name).values())
        got = {t.date(): int(v) for t, v in frame[name].items() if v}
        assert got == dict(expected), name
    # zeros included: every period of the span is a row
    first, last = min(g.days), max(g.days)
    assert frame.index[0].date() == period(first) and frame.index[-1].date() == period(last)
    assert len(frame) == len({period(first + dt.timedelta(days=n))
                              for n in range((last - first).days + 1)})


@pytest.mark.parametrize("freq", ["D", "W", "MS"])
def test_a_timeline_of_no_names_counts_every_event(g, reading, freq):
    """kg.timeline(g): every event of the corpus per period, one column, as the pages date them."""
    frame = kg.timeline(g, freq=freq)
    assert list(frame.columns) == ["events"] and str(frame["events"].dtype) == "int64"
    period = PERIOD_OF[freq]
    assert {t.date(): int(v) for t, v in frame["events"].items() if v} == \
        dict(Counter(period(r["date"]) for r in reading.values()))
    june = kg.timeline(g, since="2026-06", until="2026-06")
    assert int(june["events"].sum()) == len(kg.events(g, since="2026-06", until="2026-06")) > 0
    with pytest.raises(ArgumentError, match="a timeline of no context names"):
        kg.timeline(g, [])
    with pytest.raises(ArgumentError, match=r"by='publisher' reads the names asked, and none were"):
        kg.timeline(g, by="publisher")  # (it was ignored)


def test_a_timeline_takes_pandas_offsets_and_refuses_periods_that_are_not_whole_days(g):
    """A pandas alias, or offset, of whole days counts as pandas resamples by it; what pandas does not know,
    or a period finer than a day, is refused naming what is taken."""
    weeks = kg.timeline(g, "Iran", freq="W-MON")
    assert kg.timeline(g, "Iran", freq=pd.offsets.Week(weekday=0)).equals(weeks)
    assert kg.timeline(g, "Iran", freq=pd.offsets.MonthEnd()).equals(kg.timeline(g, "Iran", freq="ME"))
    fortnights = kg.timeline(g, "Iran", freq="2W")
    assert (fortnights.index[1:] - fortnights.index[:-1] == pd.Timedelta(days=14)).all()
    assert int(fortnights["Iran"].sum()) == int(weeks["Iran"].sum()) == len(kg.events(g, context="Iran"))
    quarters = kg.timeline(g, "Iran", freq="QE")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # pandas 3 warns of lower case: given to it as it spells them
        for lower, upper in (("w", "W"), ("2w-mon", "2W-MON"), ("qe", "QE"), ("Week", "week"), ("d", "D")):
            assert kg.timeline(g, "Iran", freq=lower).equals(kg.timeline(g, "Iran", freq=upper)), lower
    assert [d.date() for d in quarters.index] == [dt.date(2026, 6, 30), dt.date(2026, 9, 30)]
    for bad in ("fortnight", "weekly", "W-XYZ", "QE-13"):
        with pytest.raises(ArgumentError, match=r"unknown frequency .*or a pandas offset alias of whole days"):
            kg.timeline(g, "Iran", freq=bad)
    for finer in ("h", "36h", "0D", "-1D"):
        with pytest.raises(ArgumentError, match=r"a timeline counts events per day: .* is not a frequency of whole"):
            kg.timeline(g, "Iran", freq=finer)
    with pytest.raises(ArgumentError, match="an offset of no alias"):  # resample knows no DateOffset(months=1)
        kg.timeline(g, "Iran", freq=pd.DateOffset(months=1))
    with pytest.raises(TypeError, match="a frequency is a str or a pandas offset, not int"):
        kg.timeline(g, "Iran", freq=7)


def test_a_timeline_past_the_days_pandas_holds_or_of_no_names_is_refused_and_around_reaches_the_calendar_s_ends(g):
    # A period wholly outside the graph's days, past pandas' or not, answers no row, whatever its ends
    # and frequency (it gave 365 zeros for a year before, an empty frame for one after, an error for 9000).
    for since, until in (("9000", "9999"), ("1500", "1600"), (None, "1600"), ("2014", "2014"), ("2027", None)):
        for freq, whole in (("D", False), ("W", True), ("MS", False)):
            with pytest.warns(UserWarning, match="is outside the graph's days"):
                frame = kg.timeline(g, ["Iran", "Sudan"], freq, since=since, until=until, whole=whole)
            assert frame.shape == (0, 2) and str(frame.index.dtype) == "datetime64[ns]", (since, until, freq)
    for freq in ("300YS", "100000D"):
        with pytest.raises(ArgumentError, match=f"periods of '{freq}' from 2026-05-26 to 2026-08-22 reach past the"):
            kg.timeline(g, "Iran", freq=freq)
    for names in (5, b"Iran", [5], ["Iran", None]):  # (None: every event, one column)
        with pytest.raises(kg.ArgumentTypeError, match="a timeline's names are a name or a list of names"):
            kg.timeline(g, names)
    with pytest.warns(UserWarning, match="is outside the graph's days"):  # (a month's label before pandas' first day)
        assert kg.timeline(g, "Iran", since="1677-09-23", until="1677-12-01", freq="MS").empty
    event = kg.events(g, context="Iran")["iri"].iloc[0]
    everything = kg.around(g, event, days=10**9)
    assert len(everything) == len(kg.around(g, event, days=10**6)) == len(kg.around(g, event, days=400))


@pytest.mark.parametrize(("by", "column"), [("publisher", "publishers"), ("distributor", "distributors"),
                                            ("domain", "domains"), ("source", "sources")])
def test_a_ranking_s_row_is_the_events_whose_column_holds_its_name(g, by, column):
    ev = kg.events(g)
    top = kg.top_publishers(g, None, by=by)
    for name, count in zip(top[by], top["events"], strict=True):
        assert ev[column].map(lambda names, name=name: name in names).sum() == count, name
    if by == "publisher":  # README's example: the filter matches France 24 as either
        assert (top.set_index(by).loc["France 24", "events"], len(kg.events(g, publisher="France 24"))) == (9, 51)


@pytest.mark.parametrize(("call", "said"), [
    (lambda g: kg.events(g, context="Al Jazeera"), "; 'Al Jazeera' is a publisher's name: publisher='Al Jazeera'"),
    (lambda g: kg.cooccurring(g, "AFP"), "; 'AFP' is a publisher's name: publisher='AFP' filters by it"),
    (lambda g: kg.events(g, publisher="Sudan"), "; 'Sudan' is a context: context='Sudan' filters by it; or did you"),
    (lambda g: kg.events(g, publisher="aljazeera.com"), "; 'aljazeera.com' is a web domain, which publisher= does not"),
    (lambda g: kg.timeline(g, "reuters.com"), "; 'reuters.com' is a web domain: by='domain' counts it"),
    (lambda g: kg.timeline(g, "Reuters", by="domain"), "; 'Reuters' is a publisher's name: by='publisher' counts it"),
    (lambda g: kg.timeline(g, "Al Jazeera"), "; did you mean 'organization:aljazeera'?"),
    # spelt in several ways: the name as typed, which stands for them all (publisher="ANSA" is one of them)
    (lambda g: kg.events(g, context="ansa"), "; 'ansa' is a publisher's name: publisher='ansa' filters by it"),
    (lambda g: kg.timeline(g, "ansa"), "no context 'ansa' in the graph; did you mean"),
    # given as kg query prints a node, or as an IRI; in kg.all_of
    (lambda g: kg.events(g, publisher="context:Iran"), "; 'context:Iran' is a context: context='Iran' filters"),
    (lambda g: kg.events(g, context=g.base_iri + "publisher/Reuters"), " is a publisher's name: publisher="),
    (lambda g: kg.timeline(g, kg.all_of("Iran", "Al Jazeera")), "; did you mean 'organization:aljazeera'?"),
    # a news agency written in full, where its pages write its initials (it suggested 'Financial Express')
    (lambda g: kg.events(g, publisher="Associated Press"), "; did you mean 'AP', "),
    (lambda g: kg.events(g, publisher="Agence France-Presse"), "; did you mean 'AFP'"),
    # a name of several words, each written otherwise: the name whose words begin as they do
    (lambda g: kg.events(g, context="Russia-Ukraine war"), "; did you mean 'Russo-Ukrainian war (2022\u2013present)'"),
    # a URL given as a web domain: its host, and that domain= takes one
    (lambda g: kg.events(g, domain="https://www.reuters.com/world/"),
     "; domain= takes a web host, not a URL: domain='reuters.com' keeps the events citing"),
    (lambda g: kg.timeline(g, "reuters.com/world", by="domain"), "; domain= takes a web host, not a URL"),
    # an IRI under another base (http: for https:): its name, first
    (lambda g: kg.events(g, context=g.base_iri.replace("https:", "http:") + "context/United_States"),
     "; did you mean 'United States', "),
])
def test_a_name_of_another_kind_is_refused_with_how_to_ask_for_it(g, call, said):
    with pytest.raises(kg.UnknownNameError) as err:
        call(g)
    assert said in str(err.value)


def test_a_context_written_two_ways_is_asked_for_as_given_and_the_other_named(g, reading):
    """The corpus writes "El Obeid" on some pages and "El-Obeid" on others: two contexts.  A filter by one
    answered for it alone without a word; it still does (they are nodes apart), and a warning names the
    other, its events and how to ask for both.  Asked for both, nothing is said."""
    spaced, hyphened = len(_about(reading, "El Obeid")), len(_about(reading, "El-Obeid"))
    assert spaced and hyphened
    with pytest.warns(UserWarning, match=re.escape(
            f"the graph writes 'El Obeid' as 'El-Obeid' too ({hyphened} events)")) as said:
        assert len(kg.events(g, context="el obeid")) == spaced
    message = str(said[0].message)
    assert message.endswith("context=['El Obeid', 'El-Obeid'] asks for them all")
    assert said[0].filename == __file__  # (the line of the caller's code)
    assert len(kg.events(g, context=["El Obeid", "El-Obeid"])) == len(
        _about(reading, "El Obeid").keys() | _about(reading, "El-Obeid").keys())
    with pytest.warns(UserWarning, match="name it too for a column of its own"):
        kg.timeline(g, "El-Obeid")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # (both asked for; or a name of one spelling)
        kg.events(g, context=["El-Obeid", "El Obeid"])
        kg.timeline(g, ["El-Obeid", "El Obeid"])
        kg.events(g, context="Iran")
        kg.events(g, publisher="Al Arabiya")  # (one organization however written: no other to name)


def test_a_context_and_its_initials_in_capitals_are_asked_for_as_given_and_the_other_named(g, reading):
    """ "US" matched the context "U.S." (10 events) without a word of "United States" (121): a name and
    its initials written in capitals are two nodes.  Asked for one, a warning names the other, its events
    and how to ask for both; a name that holds the initials as a word ("U.S. state") is not named."""
    full, short = len(_about(reading, "United States")), len(_about(reading, "U.S."))
    assert full > short > 0
    with pytest.warns(UserWarning, match=re.escape(f"'United States' ({full} events) may be 'U.S.' written in full"
                                                   ": another context, left out")) as said:
        assert len(kg.events(g, context="US")) == short
    assert str(said[0].message).endswith("context=['U.S.', 'United States'] asks for them all")
    assert said[0].filename == __file__
    with pytest.warns(UserWarning, match=re.escape(f"'U.S.' ({short} events) may be 'United States' written in "
                                                   "initials")):
        assert len(kg.events(g, context="United States")) == full
    with pytest.warns(UserWarning, match="'Israel Defense Forces' .* may be 'IDF' written in full"):
        kg.events(g, context="IDF")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(kg.events(g, context=["US", "United States"])) == len(
            _about(reading, "United States").keys() | _about(reading, "U.S.").keys())
        kg.events(g, context="United Kingdom")  # (no "UK" context)
        kg.events(g, context="U.S. state")


def test_spellings_of_one_organization_are_one_publisher_and_sources_apart(g):
    top = kg.top_publishers(g, None, by="source")
    counts = dict(zip(top["source"], top["events"], strict=True))
    assert counts["ANSA"] == counts["Ansa"] == 1  # two sources as written
    # One organization, however spelt:
    assert len(kg.events(g, publisher="Ansa")) == len(kg.events(g, publisher="ANSA")) == 2
    assert len(kg.events(g, publisher="ansa")) == 2
    assert kg.timeline(g, "ANSA", by="publisher")["ANSA"].sum() == 2
    assert kg.top_publishers(g, None).set_index("publisher").loc["ANSA", "events"] == 2
    assert "Ansa" not in set(kg.top_publishers(g, None)["publisher"])
    # "Al-Arabiya" (a maker only in "... via Al-Arabiya"-like names or alone) stands for "Al Arabiya".
    assert kg.events(g, publisher="Al-Arabiya").equals(kg.events(g, publisher="Al Arabiya"))
    # An organization's prefixed name in any case, as its IRI ends or as a spelling reads.
    nyt = kg.events(g, publisher="New York Times")
    for name in ("organization:newyorktimes", "organization:NewYorkTimes", "organization:The_New_York_Times"):
        assert kg.events(g, publisher=name).equals(nyt), name
        assert kg.node_path(g, name, "Iran")["iri"].iloc[0] == iri.organization_iri(g.base_iri, "New York Times")
    # Any name of an organization's key, written by no source: "NBC" for "NBC News", "AP News" for AP (one
    # page writes it), and a key spelt as a news service's name ("organization:bbcnews" is the BBC's).
    assert len(nbc := kg.events(g, publisher="NBC")) == 33 and kg.events(g, publisher="organization:nbc").equals(nbc)
    assert kg.events(g, publisher="AP News").equals(kg.events(g, publisher="AP"))
    assert kg.events(g, publisher="organization:bbcnews").equals(kg.events(g, publisher="BBC"))
    with pytest.raises(UnknownNameError):  # (a publisher node's name stays as written)
        kg.events(g, publisher="publisher:NBC")


#: freq -> whether pandas labels its periods by their last day (else by their first)
LABELLED_BY_THE_END = {"W": True, "W-MON": True, "2W": True, "ME": True, "MS": False, "10D": False, "QS": False}


@pytest.mark.parametrize("freq", sorted(LABELLED_BY_THE_END))
def test_a_timeline_of_whole_periods_drops_those_the_span_cuts_and_only_those(g, freq):
    since, until = pd.Timestamp("2026-06-03"), pd.Timestamp("2026-08-20")
    every = kg.timeline(g, "Iran", freq=freq, since=since, until=until)
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        whole = kg.timeline(g, "Iran", freq=freq, since=since, until=until, whole=True)
    assert whole.equals(every.loc[whole.index])
    # A frame left empty says so: it would read as no events.
    assert [str(w.message).split(":")[0] for w in said
            if issubclass(w.category, UserWarning)] == \
        ([f"no period of {freq!r} lies whole between 2026-06-03 and 2026-08-20"] if whole.empty else [])
    offset, day = timeline_offset(freq), pd.Timedelta(days=1)

    def days_of(label: pd.Timestamp) -> tuple[pd.Timestamp, pd.Timestamp]:
        return (label - offset + day, label) if LABELLED_BY_THE_END[freq] else (label, label + offset - day)

    assert list(whole.index) == [label for label in every.index
                                 if since <= days_of(label)[0] and days_of(label)[1] <= until]
    if freq in ("W", "MS"):  # the first week and both months cut short
        assert every.index[0] not in whole.index and every.index[-1] not in whole.index
        assert len(whole) == (10 if freq == "W" else 1)


def test_a_timeline_s_span_past_the_graph_s_days_is_cut_to_them(g):
    """The graph says nothing of the days around its own: January would read as a month of no news, and
    the corpus's May (from the 26th) and August (to the 22nd) as whole months."""
    months = kg.timeline(g, "Iran", freq="MS", since="2026-01-01", until="2026-12-31", whole=True)
    assert [d.date() for d in months.index] == [dt.date(2026, 6, 1), dt.date(2026, 7, 1)]
    assert months.equals(kg.timeline(g, "Iran", freq="MS", whole=True))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # (overlapping the graph's days: nothing to warn of)
        for since, until in (("2026", "9999"), ("1500", "2026"), (None, dt.date.max), ("2026-01-01", None)):
            assert kg.timeline(g, "Iran", "W", since=since, until=until).equals(kg.timeline(g, "Iran", "W"))
    days = kg.timeline(g, "Iran", since="2026-05-01", until="2026-06-10")
    assert (days.index[0].date(), days.index[-1].date()) == (min(g.days), dt.date(2026, 6, 10))


def test_weekly_timeline_within_a_window(g, reading):
    frame = kg.timeline(g, "Iran", "W", since="2026-06-01", until="2026-06-30")
    expected = sum(1 for r in _about(reading, "Iran").values()
                   if dt.date(2026, 6, 1) <= r["date"] <= dt.date(2026, 6, 30))
    assert int(frame["Iran"].sum()) == expected


def test_a_month_or_a_year_is_a_period_from_its_first_to_its_last_day(g, reading):
    """since="2026-07" is July's first day, until="2026-07" its last, included as a day is; a year likewise;
    every question that filters by day takes them, as the command line does."""
    july = {p for p, r in reading.items() if (r["date"].year, r["date"].month) == (2026, 7)}
    assert len(july) > 100 and set(kg.events(g, since="2026-07", until="2026-07")["path"]) == july
    days = dict(since="2026-07-01", until="2026-07-31")
    assert kg.events(g, since="2026-7", until="2026-07").equals(kg.events(g, **days))
    assert kg.events(g, since=np.datetime64("2026-07"), until=pd.Period("2026-07", "M")).equals(kg.events(g, **days))
    assert kg.events(g, until="2026-06").equals(kg.events(g, until="2026-06-30"))
    assert kg.events(g, since="2026-08").equals(kg.events(g, since="2026-08-01"))
    assert kg.events(g, since="2026", until="2026").equals(kg.events(g))
    month = dict(since="2026-07", until="2026-07")
    assert kg.top_publishers(g, 5, context="Russia", **month).equals(kg.top_publishers(g, 5, context="Russia", **days))
    assert kg.top_contexts(g, 5, **month).equals(kg.top_contexts(g, 5, **days))
    assert kg.cooccurring(g, "Iran", **month).equals(kg.cooccurring(g, "Iran", **days))
    assert len(kg.subgraph(g, **month).events_in_corpus) == len(july)
    monthly = kg.timeline(g, "Iran", "MS", since="2026-06", until="2026-07")
    assert [d.date() for d in monthly.index] == [dt.date(2026, 6, 1), dt.date(2026, 7, 1)]
    assert monthly["Iran"].tolist() == [sum(1 for r in _about(reading, "Iran").values() if r["date"].month == m)
                                        for m in (6, 7)]
    assert kg.timeline(g, "Iran", since="2026-07", until="2026-07").index[-1].date() == dt.date(2026, 7, 31)
    for bad in ("2026-13", "2026-00", "2026-7-", "July 2026", "26-07", "0000", "2026-W54", "2026-Q5", "2026-W00",
                "0000-Q1"):
        with pytest.raises(ArgumentError, match=r"not a day, week, month, quarter or year \(YYYY-MM-DD or the site's "
                                                r"2015-9-1, YYYY-Www, YYYY-MM, YYYY-Qn, YYYY, .*pandas.Timestamp or "
                                                r"Period"):
            kg.events(g, since=bad)
    # An ISO week runs Monday to Sunday; a quarter three months; a pandas.Period of any length is its own span.
    week = {p for p, r in reading.items() if r["date"].isocalendar()[:2] == (2026, 27)}
    assert len(week) > 10 and set(kg.events(g, since="2026-W27", until="2026-w27")["path"]) == week
    assert kg.events(g, since=pd.Period("2026-07-01", "W"), until=pd.Period("2026-07-01", "W")).equals(
        kg.events(g, since="2026-06-29", until="2026-07-05"))
    summer = dict(since="2026-Q3", until=pd.Period("2026Q3", "Q"))
    assert kg.events(g, **summer).equals(kg.events(g, since="2026-07-01", until="2026-09-30"))
    assert kg.timeline(g, "Iran", "W", since="2026-W27", until="2026-W28")["Iran"].tolist() == [
        sum(1 for r in _about(reading, "Iran").values() if r["date"].isocalendar()[:2] == (2026, w)) for w in (27, 28)]
    with pytest.raises(ArgumentError, match=r"since \(2026-08-01\) is after until \(2026-07-31\)"):
        kg.events(g, since="2026-08", until="2026-07")
    # The calendar's last week ends where Python's dates do, on 9999-12-31 (its Sunday would be in 10000).
    assert as_period("9999-W52") == (dt.date(9999, 12, 27), dt.date.max)
    with pytest.warns(UserWarning, match="is outside the graph's days"):
        assert kg.events(g, since="9999-W52").empty


def _split(name: str) -> list[str]:
    # the rule, written again plainly: "A and B via C" -> A, B; "A with B" -> A, B; "A in Spanish" -> A
    parts = re.split(r" and |, ", name.split(" via ")[0]) if " via " in name else [name]
    return [re.sub(r" \(?in (Spanish|Persian|Arabic|Hungarian|Filipino|Portuguese|Polish|Chinese|French)\)?$", "", m)
            for p in parts for m in p.split(" with ") if m]


@pytest.mark.parametrize("context", ["Iran", "Russia", "Sudan"])
def test_top_publishers_of_a_context(g, reading, context):
    about = _about(reading, context)
    since = dt.date(2026, 6, 15)
    as_written = Counter(n for r in about.values() if r["date"] >= since for n in set(r["sources"]))
    df = kg.top_publishers(g, None, context=context, since="2026-06-15", by="source")
    assert dict(zip(df["source"], df["events"].tolist(), strict=True)) == dict(as_written)
    key = oracle.organization_key_by_hand  # (spellings of one organization are one)
    makers = Counter(p for r in about.values() for p in {key(p) for n in r["sources"] for p in _split(n)})
    df = kg.top_publishers(g, 10, context=context)
    assert df["events"].tolist() == sorted(makers.values(), reverse=True)[:10]
    assert all(makers[key(p)] == n for p, n in zip(df["publisher"], df["events"], strict=True))
    hosts = Counter(h for r in about.values()
                    for h in {re.sub(r"^www\.", "", u.split("/")[2].lower()) for u in r["urls"]})
    df = kg.top_publishers(g, None, context=context, by="domain")
    assert dict(zip(df["domain"], df["events"].tolist(), strict=True)) == dict(hosts)


def test_a_publisher_filter_finds_agency_stories_carried_by_others(g, reading):
    afp = {p for p, r in reading.items() if any("AFP" in _split(n) for n in r["sources"])}
    assert set(kg.events(g, publisher="AFP")["path"]) == afp
    assert any(all(n != "AFP" for n in reading[p]["sources"]) for p in afp)  # only via others
    france24 = {p for p, r in reading.items()
                if any("France 24" in _split(n) or n.endswith(" via France 24") for n in r["sources"])}
    assert set(kg.events(g, publisher="france 24")["path"]) == france24


def test_cooccurrence_counts(g, reading):
    for name in ("Ukraine", "Iran"):
        about = _about(reading, name)
        expected = Counter(c for r in about.values() for c in r["contexts"] if c != name)
        df = kg.cooccurring(g, name)
        assert dict(zip(df["context"], df["events"].tolist(), strict=True)) == dict(expected)
        assert df["events"].is_monotonic_decreasing
        assert df["share"].iloc[0] == pytest.approx(df["events"].iloc[0] / len(about))
    # within a window
    window = {p: r for p, r in _about(reading, "Russia").items() if r["date"] <= dt.date(2026, 6, 30)}
    df = kg.cooccurring(g, "Russia", until="2026-06-30", n=5)
    expected = Counter(c for r in window.values() for c in r["contexts"] if c != "Russia")
    assert df["events"].tolist() == sorted(expected.values(), reverse=True)[:5]


def test_events_around_an_event(g, reading):
    centre = next(p for p, r in sorted(reading.items()) if "Iran" in r["contexts"]
                  and r["date"] == dt.date(2026, 7, 1))
    me = reading[centre]
    near = {p for p, r in reading.items() if p != centre and abs((r["date"] - me["date"]).days) <= 7
            and r["contexts"] & me["contexts"]}
    df = kg.around(g, centre, days=7)
    assert set(df["path"]) == near
    assert all(set(s) == reading[p]["contexts"] & me["contexts"] for p, s in zip(df["path"], df["shared"], strict=True))
    assert df["offset"].tolist() == [(d.date() - me["date"]).days for d in df["date"]]
    everything = kg.around(g, centre, days=2, shared=False)
    assert len(everything) == sum(1 for p, r in reading.items()
                                  if p != centre and abs((r["date"] - me["date"]).days) <= 2)
    # Every column of kg.events, the same values: the two frames join and concatenate.
    same = kg.events(g, since=me["date"] - dt.timedelta(days=2), until=me["date"] + dt.timedelta(days=2))
    joined = everything.drop(columns=["offset", "shared"]).merge(same, on="iri", suffixes=("", "_e"))
    assert len(joined) == len(everything)
    for column in same.columns.drop("iri"):
        assert joined[column].tolist() == joined[column + "_e"].tolist(), column


@pytest.mark.parametrize("sample", TRUTH["samples"][:8], ids=lambda s: s["id"])
def test_headline_search_finds_sample_events(g, sample):
    words = [w for w in re.findall(r"[A-Za-z]{5,}", sample["headline"])][:3]
    df = kg.events(g, text=" ".join(words).upper(), since=sample["date"], until=sample["date"])
    assert sample["path"] in set(df["path"])
    assert all(all(w.lower() in h.lower() for w in words) for h in df["headline"])
    assert set(kg.events(g, since=sample["date"], until=sample["date"])["sources"].explode().dropna()) >= \
        {s["name"] for s in sample["sources"]}


@pytest.mark.parametrize("text", ["ban", "art", "war", "aid", "drone", "strike", "iran"])
def test_a_word_matches_the_start_of_a_longer_one_not_its_inside(g, reading, text):
    """ "ban" found 192 events, 101 of them only for "Lebanon", "Lebanese" or "Albania"; "art" 248, 226 for
    "Department", "Khartoum" ...: a keyword's count was mostly other words'.  A word matches a headline's
    words that begin with it ("drone" finds "drones", "iran" "Iranian")."""
    found = set(kg.events(g, text=text)["path"])
    expected = {p for p, r in reading.items() if re.search(rf"(?<![^\W_]){text}", r["headline"], re.IGNORECASE)}
    assert found == expected != set()


@pytest.mark.parametrize(("text", "pattern"), [
    ("u.s.", r"(?i:U\.S\.?|US)"), ("us", r"(?i:U\.S\.?|US)|(?i:US)s"), ("US", r"(?i:U\.S\.?|US)|(?i:US)s"),
    ("AI", r"(?i:AI)|(?i:AI)s"), ("u.n.", r"(?i:U\.N\.|UN)"), ("e.u.", r"(?i:E\.U\.|EU)"), ("MP", r"(?i:MP)|(?i:MP)s"),
    ("U.S.A.", r"(?i:U\.S\.A\.|USA)"), ("GPT-5.6", r"(?i:GPT-5\.6)"), ("u.s", r"(?i:U\.S\.?|US)"),
    ("d.c", r"(?i:D\.C\.?|DC)"), ("u.k", r"(?i:U\.K\.?|UK)")])
def test_a_short_word_or_an_abbreviation_matches_a_whole_word(g, reading, text, pattern):
    """ "AI" is not in "said", nor "U.S." the letters u and s anywhere: the headlines that have it as a word
    (a short word also with a small "s", as a plural is written: "MPs", not the "USS" of a ship); a version
    number is not an abbreviation, and one written without its last dot, in the filter or a headline
    ("U.S Secretary of State"), is the same abbreviation."""
    found = set(kg.events(g, text=text)["path"])
    expected = {p for p, r in reading.items() if re.search(rf"(?<!\w)({pattern})(?!\w)", r["headline"])}
    assert found == expected and (text in ("e.u.", "u.n.", "U.S.A.", "u.k") or expected)


@pytest.mark.parametrize("text", ["SAF", "NATO", "IDF", "FIFA", "RSF", "OSK"])
def test_a_word_of_three_or_four_capitals_the_headlines_write_so_matches_a_whole_word(g, reading, text):
    """ "SAF" (Sudan's army) found "safety", "NATO" "senator": typed in capitals, a word that the headlines
    write in capitals is a name's initials, and finds the headlines that write it as a word in capitals, with
    a capital first ("Nato"), dotted ("O.S.K."), or as its plural."""
    found = set(kg.events(g, text=text)["path"])
    dotted = r"\.".join(text) + r"\.?"
    whole = rf"(?<!\w)({text}|{text.title()}|{text}s|{dotted})(?!\w)"
    assert found == {p for p, r in reading.items() if re.search(whole, r["headline"])} != set()
    assert set(kg.events(g, text=text.lower())["path"]) >= found  # (typed otherwise, inside a word too)


@pytest.mark.parametrize("text", ["UN", "US", "EU", "UK", "AI"])
def test_two_capitals_the_headlines_write_so_match_only_a_word_in_capitals(g, reading, text):
    """ "UN" found the "Un" of "Kim Jong Un": two letters typed in capitals, which some headline writes so, are
    initials, and find a whole word in capitals, dotted or not ("U.N.", "U.S"), and only that."""
    found = set(kg.events(g, text=text)["path"])
    dotted = r"\.".join(text) + r"\.?"
    assert found == {p for p, r in reading.items() if re.search(rf"(?<!\w)({text}|{dotted})(?!\w)", r["headline"])}
    assert found != set()
    if text == "UN":  # (in lower case, any whole word: the name's part too)
        assert any("Kim Jong Un" in h for h in kg.events(g, text="un")["headline"])
        assert not any("Kim Jong Un" in h for h in kg.events(g, text="UN")["headline"])


@pytest.mark.parametrize("text", ["U.N.", "U.S.", "U.S", "E.U.", "U.K."])
def test_two_capitals_typed_dotted_are_the_same_initials(g, text):
    """ "U.N." found the "Un" of "Kim Jong Un", and "U.S." the pronoun "us": a dotted abbreviation matched any
    whole word.  Two letters typed dotted in capitals are the initials typed without dots; in lower case,
    any whole word still."""
    undotted = text.replace(".", "")
    assert kg.events(g, text=text)["path"].tolist() == kg.events(g, text=undotted)["path"].tolist()
    if text == "U.N.":
        assert any("Kim Jong Un" in h for h in kg.events(g, text="u.n.")["headline"])
        assert not any("Kim Jong Un" in h for h in kg.events(g, text=text)["headline"])


@pytest.mark.parametrize("text", ["WAR", "IRAN", "OIL", "WHO", "IRAN SANCTIONS", "IN"])
def test_a_word_in_capitals_the_headlines_never_write_so_is_any_word(g, text):
    """Typed with caps lock, "WAR" found 8 events where "war" finds 178: a word that no headline writes in
    capitals is read as it is in lower case (so "WHO", which this corpus never writes, is "who" too)."""
    assert kg.events(g, text=text)["path"].tolist() == kg.events(g, text=text.lower())["path"].tolist()


#: A whole number as a headline writes it: not a part of a longer number ("1.5", "2006", "100,000") or after a
#: letter ("G200"); a letter may follow it ("1990s", "$100m").
_WHOLE = r"(?<![\w.,]){}(?!\d|[.,]\d)"


@pytest.mark.parametrize(("text", "patterns"), [
    ("1 billion", [_WHOLE.format("1"), "(?i:billion)"]), ("$1 billion", [r"\$" + _WHOLE.format("1"), "(?i:billion)"]),
    ("$1", [r"\$" + _WHOLE.format("1")]),
    ("200", [_WHOLE.format("200")]), ("100 people", [_WHOLE.format("100"), "(?i:people)"]),
    ("1.5 billion", [_WHOLE.format(r"1\.5"), "(?i:billion)"]), ("100000", [_WHOLE.format("100,?000")]),
    ("7.8", [_WHOLE.format(r"7\.8")]), ("19", [_WHOLE.format("19")])])
def test_a_number_matches_a_whole_number(g, reading, text, patterns):
    """ "1 billion" is not in "US$1.5 billion", nor "200" in "2006" or "G200": a number matches a whole
    number of a headline, its decimals and thousands included ("100000" finds "100,000"); "$1" dropped its
    "$" and found "1 killed": a currency sign written before the number must be before it in the headline."""
    found = set(kg.events(g, text=text)["path"])
    expected = {p for p, r in reading.items() if all(re.search(pattern, r["headline"]) for pattern in patterns)}
    assert found == expected and expected


# ------------------------------------------------------------------ API behaviours

def test_a_name_filter_of_the_wrong_type_is_an_argument_type_error(g):
    from kg.errors import ArgumentTypeError

    for bad in (5, 2.5, None.__class__):
        with pytest.raises(ArgumentTypeError, match="context= takes a name"):
            kg.events(g, context=bad)
    with pytest.raises(QueryError, match=r"ask\(\) takes an ASK query, not SELECT"):
        kg.ask(g, "SELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(QueryError, match="the query is empty"):
        kg.query_df(g, "  # nothing\n")


def test_a_row_of_an_answer_names_its_event_and_all_of_takes_a_list(g):
    """A notebook's move: kg.around(g, df.iloc[0]) said "cannot name an event by a Series"; and
    kg.all_of(["Iran", "Israel"]) failed in kg.events with "a context name is a str, not list"."""
    from kg.errors import ArgumentTypeError

    sudan = kg.events(g, context="Sudan")
    row = sudan.iloc[3]
    assert kg.around(g, row).equals(kg.around(g, row["path"]))
    assert kg.contexts_of(g, row) == kg.contexts_of(g, row["iri"]) and "Sudan" in kg.contexts_of(g, row)
    assert kg.publishers_of(g, row.to_dict()) == kg.publishers_of(g, row["path"])
    both = kg.events(g, context=kg.all_of("Iran", "Israel"))
    assert kg.events(g, context=kg.all_of(["Iran", "Israel"])).equals(both) and len(both) > 0
    with pytest.raises(ArgumentTypeError, match=r"not kg\.all_of\('Iran', 'Israel'\): give all the names"):
        kg.all_of(kg.all_of("Iran", "Israel"), "Gaza Strip")
    with pytest.raises(ArgumentTypeError, match=r"kg\.all_of takes names \(str\), not int"):
        kg.all_of("Iran", 5)


def test_event_frames_have_dates_labels_and_iris(g):
    df = kg.events(g, context="Iran", since="2026-07-01", until=pd.Timestamp("2026-07-31"))
    assert str(df["date"].dtype) == "datetime64[ns]"
    assert df["date"].min() >= pd.Timestamp("2026-07-01") and df["date"].max() <= pd.Timestamp("2026-07-31")
    assert list(df.columns) == ["date", "headline", "contexts", "publishers", "distributors",
                                "domains", "sources", "articles", "path", "iri"]
    assert str(df["articles"].dtype) == "int64"
    assert all(i.startswith(g.base_iri + "event/") for i in df["iri"])
    assert all("Iran" in cs for cs in df["contexts"])


def test_articles_per_event_are_the_urls_its_page_cites(g, reading):
    df = kg.events(g)
    assert dict(zip(df["path"], df["articles"], strict=True)) == {p: len(set(r["urls"])) for p, r in reading.items()}
    assert Counter(df["articles"])[1] == sum(len(set(r["urls"])) == 1 for r in reading.values())


def test_a_timeline_counts_prefixed_publishers_and_organizations_beside_contexts(g, reading):
    def per_month(paths):
        return Counter(reading[p]["date"].replace(day=1) for p in paths)

    as_written = per_month(p for p, r in reading.items() if "Reuters" in r["sources"])
    afp = per_month(p for p, r in reading.items() if any("AFP" in _split(n) for n in r["sources"]))
    iran = per_month(_about(reading, "Iran"))
    df = kg.timeline(g, ["publisher:Reuters", "Iran", "organization:AFP"], freq="month")
    assert list(df.columns) == ["publisher:Reuters", "Iran", "organization:afp"]  # (as the organization's IRI ends)
    for column, counts in zip(df.columns, (as_written, iran, afp), strict=True):
        assert {d.date(): n for d, n in df[column].items() if n} == dict(counts), column
    from kg import iri

    iris = [iri.publisher_iri(g.base_iri, "Reuters"), iri.context_iri(g.base_iri, "Iran"),
            iri.organization_iri(g.base_iri, "AFP")]
    assert kg.timeline(g, iris, freq="month").equals(df)
    # A context that is also a publisher's name counts the context, and says how to count the publisher.
    with pytest.warns(UserWarning, match="by='publisher'"):
        alone = kg.timeline(g, "Reuters", freq="month")
    assert alone["Reuters"].sum() == len(_about(reading, "Reuters")) < sum(as_written.values())
    # A publisher's name asked for as a context is refused with the name that counts it.
    with pytest.raises(UnknownNameError, match=r"no context 'AFP' in the graph; did you mean 'organization:afp'\?$"):
        kg.timeline(g, "AFP")
    with pytest.raises(UnknownNameError, match="did you mean 'Reuters'"):
        kg.timeline(g, "publisher:Reutres")
    # By the articles' web hosts, as top_publishers(by="domain") counts them.
    hosts = per_month(p for p, r in reading.items()
                      if "reuters.com" in {re.sub(r"^www\.", "", u.split("/")[2].lower()) for u in r["urls"]})
    by_host = kg.timeline(g, ["reuters.com", "apnews.com"], freq="month", by="domain")
    assert {d.date(): n for d, n in by_host["reuters.com"].items() if n} == dict(hosts) and sum(hosts.values()) > 50
    top = kg.top_publishers(g, None, by="domain").set_index("domain")["events"]
    assert by_host.sum().to_dict() == {h: top[h] for h in ("reuters.com", "apnews.com")}
    with pytest.raises(UnknownNameError, match=r"did you mean 'reuters\.com'"):
        kg.timeline(g, "reuters.con", by="domain")
    # By distributor: the events where the name carries another's article ("AFP via France 24"), as
    # top_publishers(by="distributor") counts them, by name or by the organization's IRI it gives.
    carried = per_month(p for p, r in reading.items() if any(n.endswith(" via France 24") for n in r["sources"]))
    by_carrier = kg.timeline(g, "France 24", freq="month", by="distributor")["France 24"]
    assert {d.date(): n for d, n in by_carrier.items() if n} == dict(carried) and sum(carried.values()) > 20
    top_carriers = kg.top_publishers(g, 8, by="distributor")
    by_iri = kg.timeline(g, list(top_carriers["iri"]), freq="month", by="distributor")
    assert by_iri.sum().to_dict() == dict(zip(top_carriers["distributor"], top_carriers["events"], strict=True))
    with pytest.raises(UnknownNameError, match=r"no distributor 'France 42' in the graph; did you mean 'France 24'"):
        kg.timeline(g, "France 42", by="distributor")
    # By source, the names articles are credited under as written, as top_publishers(by="source") ranks
    # them, by name or by the publisher node's IRI it gives.
    top_sources = kg.top_publishers(g, 5, by="source")
    by_source = kg.timeline(g, list(top_sources["source"]), freq="month", by="source")
    assert by_source.sum().to_dict() == dict(zip(top_sources["source"], top_sources["events"], strict=True))
    assert kg.timeline(g, list(top_sources["iri"]), freq="month", by="source").equals(by_source)
    assert {d.date(): n for d, n in by_source["Reuters"].items() if n} == dict(as_written)
    with pytest.raises(UnknownNameError, match=r"'AFP' is written only within other credits \('X via Y'\): by='pub"):
        kg.timeline(g, "AFP", by="source")
    # A context and an organization of one name: two columns, the second named as asked.
    with pytest.warns(UserWarning, match="'Azerbaijan' is a context and a publisher's name"):
        both = kg.timeline(g, ["Azerbaijan", "organization:Azerbaijan"], freq="month")
    assert list(both.columns) == ["Azerbaijan", "organization:azerbaijan"]
    # By publisher, an organization is of the timeline's own kind and a context is the other.
    mixed = kg.timeline(g, ["organization:AFP", "context:Iran"], freq="month", by="publisher")
    assert list(mixed.columns) == ["AFP", "context:Iran"]
    assert mixed["AFP"].equals(df["organization:afp"].rename("AFP")) and mixed["context:Iran"].sum() == df["Iran"].sum()
    as_publisher = kg.timeline(g, "Azerbaijan", freq="month", by="publisher")["Azerbaijan"]
    assert both["organization:azerbaijan"].equals(as_publisher.rename("organization:azerbaijan"))
    # Spellings of one organization count the same events: asked twice, the second is refused naming the first.
    for names, by in ((["organization:newyorktimes", "organization:The_New_York_Times"], "context"),
                      (["Ansa", "ANSA"], "publisher"), (["AFP", "organization:afp"], "publisher")):
        with pytest.raises(ArgumentError, match=f"^{re.escape(repr(names[1]))} names the same publisher as another "
                                                f"name asked, {re.escape(repr(names[0]))}: give it once$"):
            kg.timeline(g, names, by=by)
    # An organization's column is named as its IRI ends, whichever spelling names it.
    assert list(kg.timeline(g, "organization:El_Pais").columns) == ["organization:elpais"]
    # A name spelt as an organization's that is no context is refused with the organization, which counts
    # every spelling (45 events), not the publisher node of one (1).
    with pytest.raises(UnknownNameError, match=r"did you mean 'organization:newyorktimes'\?$"):
        kg.timeline(g, "New York Times")
    assert kg.timeline(g, "organization:newyorktimes")["organization:newyorktimes"].sum() == \
        len(kg.events(g, publisher="New York Times")) == len(kg.events(g, publisher="The New York Times")) == 45


def test_names_ignore_case_and_accents(g):
    assert len(kg.events(g, context="iga swiatek")) == len(kg.events(g, context="Iga Świątek")) > 0
    assert len(kg.events(g, context="UNITED STATES")) == len(kg.events(g, context="United States"))
    assert "Delcy Rodríguez" in kg.timeline(g, "delcy rodriguez").columns


def test_names_are_read_as_the_explorer_s_search_box_reads_them(g):
    """The dots of an abbreviation, a title's dot and a curly apostrophe are as typed without them."""
    dotted = sorted(c for c in g.contexts if re.search(r"\b[A-Z]\.[A-Z]\.", c))
    assert {"U.S. state", "Georgia (U.S. state)", "Mitsui O.S.K. Lines"} <= set(dotted)
    for name in dotted:
        assert kg.events(g, context=name.replace(".", "").lower()).equals(kg.events(g, context=name)), name
    assert kg.events(g, context="merck & co").equals(kg.events(g, context="Merck & Co."))
    apostrophe = next(c for c in g.contexts if "'" in c)
    assert kg.events(g, context=apostrophe.replace("'", "\u2019")).equals(kg.events(g, context=apostrophe))


def test_unknown_names_raise_a_key_error_with_suggestions(g):
    with pytest.raises(KeyError) as caught:
        kg.events(g, context="Ukriane")
    err = caught.value
    assert isinstance(err, UnknownNameError) and isinstance(err, kg.KgError)
    assert err.suggestions[0] == "Ukraine" and "did you mean 'Ukraine'" in str(err)
    with pytest.raises(UnknownNameError, match="Reuters"):
        kg.top_contexts(g, publisher="Reuter")
    with pytest.raises(UnknownNameError):
        kg.timeline(g, ["Iran", "Atlantis"])
    with pytest.raises(UnknownNameError):
        kg.node_path(g, "Iran", "Atlantis")
    for empty in ("", "  "):  # an empty name, as --focus "" says, rather than "no context ''"
        with pytest.raises(UnknownNameError, match="an empty name names nothing"):
            kg.events(g, context=empty)
    with pytest.raises(kg.ArgumentTypeError, match=r"\(from kg.build or kg.load\), not an int$"):
        kg.events(7)  # type: ignore[arg-type]
    # A name with a comma is held as its pieces (Context lines split on commas): the message says so.
    with pytest.raises(UnknownNameError) as caught:
        kg.events(g, context="washington, d.c.")
    assert caught.value.suggestions == ("Washington", "D.C.")
    assert str(caught.value).endswith("so the graph holds 'Washington' and 'D.C.'; kg.all_of('Washington', 'D.C.') "
                                      "asks for the events about all of them")
    assert len(kg.events(g, context=kg.all_of(*caught.value.suggestions))) > 0
    with pytest.raises(UnknownNameError, match=r"did you mean 'Utah'"):  # a piece the graph holds, first
        kg.events(g, context="Hildale, Utah")
    with pytest.raises(UnknownNameError) as caught:  # no name: nothing is nearest
        kg.events(g, context=" ")
    assert caught.value.suggestions == ()


@pytest.mark.parametrize(("typed", "meant"), [("UK", "United Kingdom"), ("USA", "United States"),
                                             ("U.K.", "United Kingdom"), ("U.N", "United Nations"),
                                             ("FBI", "Federal Bureau of Investigation"), ("DPRK", "North Korea"),
                                             ("Gaza", "Gaza Strip"), ("hormuz strait", "Strait of Hormuz"),
                                             ("israel-hezbollah",
                                              "Hezbollah\u2013Israel conflict (2023\u2013present)")])
def test_a_name_that_is_none_suggests_first_what_the_search_box_would(g, typed, meant):
    """Initials in capitals, a name's first words, a whole word: as the explorer ranks (and --focus opens on)."""
    with pytest.raises(UnknownNameError) as caught:
        kg.events(g, context=typed)
    assert caught.value.suggestions[0] == meant, caught.value.suggestions


def test_lists_mean_any_and_all_of_means_all(g, reading):
    russia, ukraine = (set(_about(reading, n)) for n in ("Russia", "Ukraine"))
    assert set(kg.events(g, context=["Russia", "Ukraine"])["path"]) == russia | ukraine
    assert set(kg.events(g, context=kg.all_of("Russia", "Ukraine"))["path"]) == russia & ukraine
    both = kg.top_contexts(g, 3, context=kg.all_of("russia", "ukraine"))
    assert both["events"].iloc[0] == len(russia & ukraine)
    with pytest.raises(ValueError):
        kg.events(g, context=[])


def test_rankings_filter_like_events(g):
    window = dict(context="Russia", since="2026-07-01", until="2026-07-31")
    chosen = kg.events(g, **window)
    top = kg.top_publishers(g, 10, **window)
    assert top["events"].iloc[0] == max(Counter(p for ps in chosen["publishers"] for p in ps).values())
    ctx = kg.top_contexts(g, 5, text="drone", **window)
    drones = kg.events(g, text="drone", **window)
    assert ctx["events"].iloc[0] == len(drones)  # Russia itself tops its own list
    for bad in (lambda: kg.top_publishers(g, by="colour"), lambda: kg.timeline(g, "Iran", freq="fortnight"),
                lambda: kg.events(g, since="July 1"), lambda: kg.events(g, since="2026-02-30"),
                lambda: kg.events(g, since=pd.NaT)):  # (NaT is a datetime too, of no day)
        with pytest.raises(ArgumentError):  # a bad argument, as README says, not a failed query
            bad()


def test_path_is_a_chain_of_real_edges(g):
    df = kg.node_path(g, "iran", "Ukraine")
    assert list(df.columns) == ["step", "type", "label", "iri", "edge"]
    assert (df["label"].iloc[0], df["label"].iloc[-1]) == ("Iran", "Ukraine")
    G = kg.to_networkx(g)
    for (a, b), edge in zip(itertools.pairwise(df["iri"]), df["edge"].iloc[1:], strict=True):
        assert edge in (G.get_edge_data(a, b) or {}) or edge in (G.get_edge_data(b, a) or {})
    event = kg.events(g, context="Sudan").iloc[0]
    via_publisher = kg.node_path(g, event["path"], "publisher:Reuters")
    assert via_publisher["type"].tolist()[-1] == "publisher"
    # Before the first node there is no edge: None, in a path of one node as in a longer one.
    assert df["edge"].iloc[0] is None and kg.node_path(g, "Iran", "Iran")["edge"].tolist() == [None]
    # Texts as the other answers give them, Python objects; steps int64, as counts are.
    events = kg.events(g)
    assert [str(df[c].dtype) for c in df.columns] == ["int64", "object", "object", "object", "object"]
    assert df["label"].dtype == events["headline"].dtype and df["iri"].dtype == events["iri"].dtype


def test_a_path_through_events_keeps_to_events_between_its_ends(g):
    """``through=("event",)``: only events between the two contexts, not other contexts because the
    ends are contexts; the shortest such chain, as networkx finds it."""
    import networkx as nx

    G = kg.to_networkx(g)
    df = kg.node_path(g, "Sudan", "Ukraine", through=("event",))
    assert df["type"].tolist()[0] == df["type"].tolist()[-1] == "context" and len(df) > 2
    assert set(df["type"].iloc[1:-1]) == {"event"}
    ends = {df["iri"].iloc[0], df["iri"].iloc[-1]}
    view = nx.subgraph_view(G.to_undirected(as_view=True),
                            filter_node=lambda n: n in ends or G.nodes[n]["type"] == "event")
    assert len(df) - 1 == nx.shortest_path_length(view, *sorted(ends))
    assert kg.node_path(g, "Sudan", "Ukraine", through="event").equals(df)  # one type, as a str
    for bad, named in ((("bogus",), "'bogus'"), ("days", "'days'"), (("event", "days"), "'days'")):
        with pytest.raises(ArgumentError, match=rf"^through names node types of .*, not {named}$"):
            kg.node_path(g, "Sudan", "Ukraine", through=bad)
    with pytest.raises(ArgumentError, match=r"^cooccurring takes since and until before n: .* n=10\)$"):
        kg.cooccurring(g, "Ukraine", 10)  # (n is the last argument)
    with pytest.raises(ArgumentError, match=r"^since: not a day, week"):
        kg.cooccurring(g, "Ukraine", "10")


def test_path_is_shortest_and_the_same_whatever_the_hash_seed(g):
    """Neighbours come in set order from networkx's undirected view: the path must not follow it."""
    import subprocess
    import sys

    import networkx as nx

    from kg.export.paths import PATH_TYPES

    G = kg.to_networkx(g)
    for a, b in [("Sudan", "Ukraine"), ("Iran", "Brazil"), ("Israel", "Russia")]:
        df = kg.node_path(g, a, b)
        types = set(PATH_TYPES) | {df["type"].iloc[0], df["type"].iloc[-1]}
        view = nx.subgraph_view(G.to_undirected(as_view=True),
                                filter_node=lambda n, types=types: G.nodes[n]["type"] in types)
        assert len(df) - 1 == nx.shortest_path_length(view, df["iri"].iloc[0], df["iri"].iloc[-1])
    code = (f"import kg; g = kg.build({str(CORPUS)!r}); "
            "print(kg.node_path(g, 'Sudan', 'Ukraine')['iri'].tolist())")
    paths = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")}
    assert len(paths) == 1 and str(kg.node_path(g, "Sudan", "Ukraine")["iri"].tolist()) in paths.pop()


def test_sparql_one_type_per_method(g):
    df = kg.query_df(g, "SELECT ?c (COUNT(?e) AS ?n) WHERE { ?e schema:about ?c } GROUP BY ?c "
                    "ORDER BY DESC(?n) LIMIT 3", prefixed=True)
    assert df["c"].iloc[0] == "context:United_States"
    assert df["n"].tolist() == kg.top_contexts(g, 3)["events"].tolist()
    assert kg.ask(g, "ASK { context:Iran a kg:Context }") is True
    sub = kg.construct(g, "CONSTRUCT { ?e schema:about context:Sudan } WHERE { ?e schema:about context:Sudan }")
    assert len(sub) == len(kg.events(g, context="Sudan"))
    for call, query in ((kg.query_df, "ASK {}"), (kg.ask, "SELECT * WHERE {}"),
                        (kg.construct, "# CONSTRUCT\nSELECT * WHERE {}")):
        with pytest.raises(QueryError):
            call(g, query)


def test_a_path_that_does_not_exist_is_said_with_the_types_that_would_make_one(g):
    with pytest.warns(UserWarning, match=r"no path joins 'Iran' and 'Ukraine' through context; one does through "
                                         r"event \(through=\('context', 'event'\)\)") as said:
        assert kg.node_path(g, "Iran", "Ukraine", through=("context",)).empty
    assert said[0].filename == __file__
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert not kg.node_path(g, "Iran", "Ukraine", through=("context", "event")).empty


def test_a_list_of_names_may_hold_all_of_names(g):
    """[all_of(A, B), C] is (A and B) or C, as the events themselves say."""
    both, iran = kg.events(g, context=kg.all_of("Russia", "Ukraine")), kg.events(g, context="Iran")
    either = kg.events(g, context=[kg.all_of("Russia", "Ukraine"), "Iran"])
    assert set(either["iri"]) == set(both["iri"]) | set(iran["iri"]) and len(both) > 0
    pairs = kg.events(g, context=[kg.all_of("Russia", "Ukraine"), kg.all_of("Iran", "Israel")])
    wanted = {row.iri for row in kg.events(g).itertuples()
              if {"Russia", "Ukraine"} <= set(row.contexts) or {"Iran", "Israel"} <= set(row.contexts)}
    assert set(pairs["iri"]) == wanted and len(wanted) > len(both)
    with pytest.raises(ArgumentError, match="combinations of names"):
        kg.events(g, context=[kg.all_of(*BIG)] * 5)


def test_event_chain_and_node_path_take_events_as_the_other_questions_do(g):
    chain = kg.event_chain(g, "Iran", "Hungary")
    assert len(chain) >= 2 and kg.event_chain(g, chain[1], "Hungary") == chain[1:]
    headline = kg.events(g, context="Ukraine")["headline"].iloc[0]
    path = kg.node_path(g, "Iran", headline)
    assert path["type"].iloc[-1] == "event" and path["label"].iloc[-1] == headline
    assert kg.event_chain(g, headline, "Ukraine")[0] == path["iri"].iloc[-1]
    with pytest.raises(UnknownNameError, match=r"no context or event 'Irann' in the graph; did you mean 'Iran'"):
        kg.event_chain(g, "Irann", "Iran")
    with pytest.warns(UserWarning, match="'Reuters' is a context and a publisher's name: the path is the context's; "
                                         "'publisher:Reuters' names the publisher") as said:
        assert kg.node_path(g, "Iran", "Reuters")["type"].iloc[-1] == "context"
    assert said[0].filename == __file__
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert kg.node_path(g, "Iran", "publisher:Reuters")["type"].iloc[-1] == "publisher"
    # A chain joins contexts or events: "Reuters" is the context's, said so.
    with pytest.warns(UserWarning, match="'Reuters' is a context and a publisher's name: the chain is of events "
                                         "about the context") as said:
        assert kg.event_chain(g, "Reuters", "Iran")
    assert said[0].filename == __file__
    # No chain: an empty list, as before, and a warning that says why (kg.node_path warned; this said nothing).
    alone = next(e.page for k, e in g.event_records.items() if k not in g.event_contexts and e.in_corpus)
    with pytest.warns(UserWarning, match=f"no chain joins {alone!r} and 'Iran': {alone!r} names no event that "
                                         "shares a context with another") as said:
        assert kg.event_chain(g, alone, "Iran") == []
    assert said[0].filename == __file__
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(kg.event_chain(g, alone, alone)) == 1


def test_questions_say_what_they_take(g, tmp_path):
    with pytest.raises(ArgumentError, match=r"the number of rows is given by name, "
                                                   r"kg.cooccurring\(g, 'Iran', n=5\)"):
        kg.cooccurring(g, "Iran", 5)
    assert len(kg.cooccurring(g, "Iran", n=5)) == 5
    for call in (kg.query_df, kg.sparql_query, kg.ask, kg.construct):
        with pytest.raises(kg.ArgumentTypeError, match=r"a query is a str, not bytes \(bytes: decode them"):
            call(g, b"SELECT * WHERE { ?s ?p ?o }")
    big = kg.query_df(g, "SELECT ?x WHERE { VALUES ?x { 99999999999999999999999 1 } }")  # past int64: Python ints
    assert big["x"].tolist() == [99999999999999999999999, 1]
    kg.write(g, tmp_path / "graph.oxigraph")
    with pytest.raises(kg.LoadError, match="is an Oxigraph store that kg build wrote: kg query and kg serve read it"):
        kg.load(tmp_path / "graph.oxigraph")


def test_each_sparql_method_takes_the_limits_and_sparql_query_writes_prefixed_names(g):
    query = "SELECT ?e WHERE { ?e a kg:Event }"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no cut, no warning
        every = kg.query_df(g, query, max_rows=None, timeout=None)
    assert len(every) == len(g.events_in_corpus) > 5
    with pytest.warns(UserWarning, match="cut at 5 rows") as said:
        assert len(kg.query_df(g, query, max_rows=5)) == 5
    assert said[0].filename == __file__  # the warning names the caller's line
    with pytest.warns(UserWarning, match="cut at 3"):
        assert len(kg.construct(g, "CONSTRUCT { ?e a kg:Event } WHERE { ?e a kg:Event }", max_rows=3)) == 3
    assert kg.ask(g, "ASK { context:Iran a kg:Context }", timeout=None) is True
    with pytest.raises(kg.QueryTimeoutError):
        kg.query_df(g, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }", timeout=0.5)
    named = "SELECT ?c WHERE { ?c schema:name 'Iran' ; a kg:Context }"
    assert kg.sparql_query(g, named, prefixed=True)["c"].tolist() == ["context:Iran"]
    assert kg.sparql_query(g, named)["c"].tolist() == [iri.context_iri(g.base_iri, "Iran")]


def test_prefixed_names_keep_the_columns_types_and_paste_back_into_a_query(g):
    query = ("SELECT ?e ?h ?d ?c WHERE { ?e a kg:Event ; schema:name ?h ; schema:startDate ?d ; schema:about ?c } "
             "ORDER BY ?e ?c LIMIT 20")
    whole, short = kg.query_df(g, query), kg.query_df(g, query, prefixed=True)
    assert whole.dtypes.to_dict() == short.dtypes.to_dict()  # (pandas 3 made the mapped columns strings)
    assert short["h"].tolist() == whole["h"].tolist() and short["d"].tolist() == whole["d"].tolist()
    for name, full in zip(short["e"], whole["e"], strict=True):
        assert name.startswith("event:") and "\\/" in name  # a "/" in a local name is escaped
        back = kg.query_df(g, f"SELECT ?e WHERE {{ VALUES ?e {{ {name} }} }}")
        assert back["e"].tolist() == [full]


def test_prefixed_names_are_given_to_iris_alone_and_under_any_base(g):
    """A text that spells an IRI stayed no text, and a URN base's IRIs (no "://") were never prefixed."""
    import dataclasses

    for base in ("urn:x-kg:news/", g.base_iri):
        graph = dataclasses.replace(g, base_iri=base)
        found = kg.query_df(graph, "SELECT (STR(?c) AS ?s) ?c WHERE { ?e schema:about ?c } ORDER BY ?c LIMIT 1",
                            prefixed=True)
        name = min(g.contexts, key=lambda c: iri.context_iri(base, c))
        assert found["c"].tolist() == [f"context:{iri.encode_name(name)}"]
        assert found["s"].tolist() == [iri.context_iri(base, name)]


def test_publisher_rule_and_what_it_leaves_whole(g):
    names = set(g.publishers)
    split = {n for n in names if split_publisher(n).distributor}
    assert split == {n for n in names if " via " in n}
    assert split_publisher("AFP and Reuters via Al Jazeera").publishers == ("AFP", "Reuters")
    assert split_publisher("AFP via The Globe and Mail").distributor == "The Globe and Mail"
    # joint credits without "via" stay one name: " and " alone also joins titles
    assert split_publisher("AFP and CBS News").publishers == ("AFP and CBS News",)
    assert split_publisher("Stars and Stripes").publishers == ("Stars and Stripes",)


# ------------------------------------------------------------------ subgraph and bridges

def test_subgraph_has_every_output(g, tmp_path):
    import networkx as nx
    import pyoxigraph as ox
    import rdflib

    sub = kg.subgraph(g, context="Sudan", since="2026-07-01")
    assert isinstance(sub, kg.KnowledgeGraph)
    chosen = kg.events(g, context="Sudan", since="2026-07-01")
    assert {k.path for k in sub.event_records} == set(chosen["path"])
    assert all(r.source in sub.event_records and r.target in sub.event_records for r in sub.related)
    assert kg.counts(sub)["events"] == len(chosen)
    for name in ("graph.ttl", "graph.nt", "graph.graphml", "report.json"):
        kg.write(sub, tmp_path / name)
    turtle = rdflib.Graph().parse(tmp_path / "graph.ttl")
    assert len(turtle) == sum(1 for _ in ox.parse(path=str(tmp_path / "graph.nt"), format=ox.RdfFormat.N_TRIPLES))
    back = kg.load(tmp_path / "graph.ttl")
    assert back.event_records == sub.event_records and back.related == sub.related
    assert nx.read_graphml(tmp_path / "graph.graphml").number_of_nodes() == kg.to_networkx(sub).number_of_nodes()
    page = kg.to_html(sub, tmp_path / "sub.html")
    counts = page.counts()
    assert (counts["events"], counts["contexts"]) == (len(sub.event_records), len(sub.contexts))
    assert (tmp_path / "sub.html").stat().st_size > 0
    slim = kg.subgraph(g, context="Sudan", types=["context"])
    assert not slim.articles and not slim.publishers and slim.contexts
    kg.write(slim, tmp_path / "slim.ttl")
    with pytest.raises(ArgumentError):
        kg.subgraph(g, types=["publisher"])
    with pytest.raises(ArgumentError, match="organizations come with the publishers they make"):
        kg.subgraph(g, types=["article", "organization"])
    with pytest.raises(ArgumentError, match=r"\['articles'\] \(did you mean 'article'\?\); .* events and their days, "
                                            r"which always stay"):
        kg.subgraph(g, types=["articles"])


def test_igraph_matches_networkx(g):
    pytest.importorskip("igraph")
    G, N = kg.to_igraph(g), kg.to_networkx(g)
    assert (G.vcount(), G.ecount()) == (N.number_of_nodes(), N.number_of_edges())
    assert Counter(G.vs["type"]) == Counter(t for _, t in N.nodes(data="type"))
    assert Counter(G.es["type"]) == Counter(t for *_, t in N.edges(data="type"))
    iran = G.vs.find(name=g.base_iri + "context/Iran")
    assert iran.degree() == N.degree(g.base_iri + "context/Iran")


# ------------------------------------------------------------------ README

def test_every_one_line_answer_in_the_readme_runs(g, tmp_path, monkeypatch):
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("| question | one line |"):]
    section = section[: section.index("\n\n")]
    lines = re.findall(r"^\| [^|]+ \| `(.+)` \|$", section, re.MULTILINE)
    assert len(lines) >= 10
    event = kg.events(g, context="Iran", since="2026-07-01").iloc[0]["path"]
    import matplotlib

    matplotlib.use("Agg")
    monkeypatch.chdir(tmp_path)
    for line in lines:
        answer = eval(line, {"g": g, "kg": kg, "event": event})
        if isinstance(answer, (pd.DataFrame, pd.Series)):
            assert len(answer) > 0, line
        elif hasattr(answer, "number_of_edges"):  # a networkx graph
            assert answer.number_of_edges() > 0, line
        elif line.endswith(".plot()"):
            assert answer.get_lines(), line
        else:
            assert (tmp_path / "sudan.html").stat().st_size > 0, line


def test_a_subgraph_without_filters_is_the_whole_graph():
    small = kg.build(Path(__file__).parent / "data" / "query-corpus")
    assert small.external_events
    whole = kg.subgraph(small)
    assert whole == small.__class__(**{**{f: getattr(small, f) for f in small.__dataclass_fields__},
                                       "report": whole.report})
    assert whole.report.counts == small.report.counts


def test_a_name_typed_as_the_graph_writes_it_is_that_one_among_names_that_fold_alike():
    from kg.query.names import NameIndex

    index = NameIndex("context", ["Israel\u2013Lebanon", "Israel-Lebanon", "AP", "Ap"])
    assert index.resolve("Israel-Lebanon")[0] == "Israel-Lebanon"
    assert index.resolve("Israel\u2013Lebanon")[0] == "Israel\u2013Lebanon"
    assert index.resolve("Ap")[0] == "Ap" and set(index.resolve("ap")) == {"AP", "Ap"}


def test_a_name_may_be_given_as_its_iri_or_prefixed_name_and_a_day_as_numpy_or_the_site_writes_it(g):
    # What one answer shows (top_contexts' iri column, a query's prefixed names) is taken by the next.
    top = kg.top_contexts(g, 3)
    for name, full in zip(top["context"], top["iri"], strict=True):
        prefixed = "context:" + full.rpartition("/")[2]
        assert len(kg.events(g, context=full)) == len(kg.events(g, context=prefixed)) == len(kg.events(g, context=name))
    # A publisher node's IRI, or its prefixed name, matches that node alone: the events that cite it as
    # written (Reuters: 307, as SPARQL counts them); its name matches its organization too (310, with
    # "Reuters via ..."), and a timeline keeps the two apart.
    top = kg.top_publishers(g, 1, by="source")
    outlet, node, cited = top["source"].iloc[0], top["iri"].iloc[0], int(top["events"].iloc[0])
    prefixed = f"publisher:{outlet.replace(' ', '_')}"
    assert len(kg.events(g, publisher=node)) == len(kg.events(g, publisher=prefixed)) == cited
    assert len(kg.events(g, publisher=outlet)) > cited
    sparql = kg.query_df(g, f"SELECT (COUNT(DISTINCT ?e) AS ?n) {{ ?e schema:subjectOf/schema:publisher <{node}> }}")
    assert int(sparql["n"].iloc[0]) == cited
    line = kg.timeline(g, [node, outlet], by="publisher").sum()
    assert (line[prefixed], line[outlet]) == (cited, len(kg.events(g, publisher=outlet)))
    # top_publishers' iri column names organizations (the maker of "AFP via France 24" is AFP): each is
    # taken back by every publisher filter, as is its prefixed name, and node_path reaches its node.
    makers = kg.top_publishers(g, 3)
    for name, full in zip(makers["publisher"], makers["iri"], strict=True):
        assert full == iri.organization_iri(g.base_iri, name)
        prefixed = "organization:" + full.rpartition("/")[2]
        counted = len(kg.events(g, publisher=name))
        assert len(kg.events(g, publisher=full)) == len(kg.events(g, publisher=prefixed)) == counted > 0
        assert kg.top_contexts(g, 2, publisher=full).equals(kg.top_contexts(g, 2, publisher=name))
        for given in (full, prefixed):
            assert kg.node_path(g, given, "Iran")["iri"].iloc[0] == full
    afp = kg.node_path(g, "AFP", "Iran")  # written only as "AFP via ...": its organization
    assert (afp["type"].iloc[0], afp["iri"].iloc[0]) == ("organization", iri.organization_iri(g.base_iri, "AFP"))
    with pytest.raises(UnknownNameError):
        kg.events(g, context="context:Atlantis")
    every = kg.events(g)
    last = every["date"].values[-1]  # a numpy datetime64
    assert len(kg.events(g, since=last)) == len(kg.events(g, since=pd.Timestamp(last))) > 0
    assert kg.events(g, since="2026-6-1", until="2026-6-1").equals(kg.events(g, since="2026-06-01", until="2026-06-01"))
    with pytest.raises(ArgumentError, match=r"^since: no such day: '2026-13-01' \(a month is 1 to 12\)$"):
        kg.events(g, since="2026-13-01")
    with pytest.raises(ArgumentError, match=r"^until: no such day: '2028-02-30' \(February 2028 has 29 days\)$"):
        kg.events(g, until="2028-02-30")


def test_a_publisher_no_source_writes_alone_is_refused_for_its_organization(g):
    """publisher:AFP names no node (every source writes "AFP via ..." or with others): each question that
    refuses it names organization:afp, which each of them takes; node_path too."""
    assert "AFP" not in g.publishers and "AFP" in organization_names(g)
    questions = (lambda p: kg.events(g, publisher=p), lambda p: kg.top_contexts(g, publisher=p),
                 lambda p: kg.top_publishers(g, publisher=p), lambda p: kg.subgraph(g, publisher=p),
                 lambda p: kg.timeline(g, [p], by="publisher"))
    for ask in questions:
        with pytest.raises(UnknownNameError) as caught:
            ask("publisher:AFP")
        assert str(caught.value) == "no publisher 'publisher:AFP' in the graph; did you mean 'organization:afp'?"
        ask(caught.value.suggestions[0])
        with pytest.raises(UnknownNameError) as caught:  # in another case too, as node_path takes it
            ask("publisher:afp")
        assert caught.value.suggestions[0] == "organization:afp"
    node = iri.organization_iri(g.base_iri, "AFP")
    with pytest.raises(UnknownNameError) as caught:  # its IRI: the organization's IRI
        kg.events(g, publisher=iri.publisher_iri(g.base_iri, "AFP"))
    assert caught.value.suggestions == (node,)
    with pytest.raises(UnknownNameError) as caught:
        kg.node_path(g, "publisher:AFP", "Iran")
    assert caught.value.suggestions[0] == "organization:afp"
    assert kg.node_path(g, caught.value.suggestions[0], "Iran")["iri"].iloc[0] == node
    # A name that no organization has either is refused as it was.
    for ask in (questions[0], lambda p: kg.node_path(g, p, "Iran")):
        with pytest.raises(UnknownNameError) as caught:
            ask("publisher:Nobody_at_all")
        assert "organization:" not in str(caught.value)


def test_an_event_as_a_query_prints_it_is_taken_by_the_event_questions(g):
    printed = kg.query_df(g, "SELECT ?e WHERE { ?e a kg:Event } ORDER BY ?e LIMIT 1", prefixed=True)["e"].iloc[0]
    assert printed.startswith("event:") and "\\/" in printed  # event:2026-05-26\/slug
    key = event_key(g, printed)
    for given in (printed, printed.replace("\\", "")):
        assert event_key(g, given) == key
        assert kg.contexts_of(g, given) == kg.contexts_of(g, key)
        assert kg.node_path(g, given, key)["iri"].iloc[0] == iri.event_iri(g.base_iri, key)
    with pytest.raises(kg.UnknownEventError):
        kg.contexts_of(g, "event:2026-05-26\\/no-such-event")


def test_node_path_names_each_suggestion_once(g):
    with pytest.raises(UnknownNameError) as caught:
        kg.node_path(g, "Sudan", "Ukriane")
    said = caught.value.suggestions
    assert "Ukraine" in said and "Ukrinform" in said and len(said) == len(set(said))


def test_the_events_of_a_day_come_in_its_day_pages_order(g):
    listed = (CORPUS / "news" / "2026" / "07" / "24" / "index.md").read_text(encoding="utf-8")
    pages = [m.group(1).lstrip("/") for m in re.finditer(r"\]\((/news/[^)]+\.md)\)", listed)]
    assert len(pages) > 40 and pages != sorted(pages)  # not the order of their paths
    assert kg.events(g, since="2026-07-24", until="2026-07-24")["path"].tolist() == pages


@pytest.mark.parametrize(("text", "pattern"), [
    ("Iran's", r"\biran['\u2019]s"),  # was Iran and any 's anywhere: 66 events for 29
    ("1.5 billion", r"1\.5 billion"),  # was any 1, 5 and billion: "A$2.5 billion (US$1.7 billion)"
    ("F-16", r"\bf-16"),
    ("F-35", r"\bf-35"),  # was "an F-16 ... killing 35"
])
def test_words_a_filter_writes_joined_are_found_joined(g, reading, text, pattern):
    found = set(kg.events(g, text=text)["path"])
    expected = {p for p, r in reading.items() if re.search(pattern, r["headline"], re.IGNORECASE)}
    assert found == expected
    assert text == "F-35" or found


@pytest.mark.parametrize(("typed", "first"), [
    ("United States of America", "United States"),  # offered the dollar, the Army ... not the name itself
    ("the United States", "United States"),
    ("Hormuz strait", "Strait of Hormuz"),
])
def test_a_longer_form_of_a_name_is_offered_the_name_first(g, typed, first):
    with pytest.raises(UnknownNameError) as caught:
        kg.events(g, context=typed)
    assert caught.value.suggestions[0] == first


def test_numpy_integers_read_from_a_frame_are_whole_numbers_everywhere(g):
    """kg.around(days=np.int64(3)) crashed in timedelta, and kg.sparql_query refused max_rows=np.int64(10)
    as "not a whole number above 0": a count read from a DataFrame is a numpy integer."""
    import numpy as np

    event = kg.events(g)["path"].iloc[100]
    assert kg.around(g, event, days=np.int64(3)).equals(kg.around(g, event, days=3))
    assert kg.top_contexts(g, np.int64(4)).equals(kg.top_contexts(g, 4))
    query = "SELECT ?e WHERE { ?e a kg:Event } ORDER BY ?e"
    with pytest.warns(UserWarning, match="cut at 10 rows"):
        some = kg.sparql_query(g, query, max_rows=np.int64(10), timeout=np.int64(30))
    assert len(some) == 10
    with pytest.raises(kg.ArgumentError, match="max_rows"):
        kg.sparql_query(g, query, max_rows=np.int64(0))


def test_an_event_is_named_by_its_headline_or_a_path_without_its_news_folder(g):
    """kg.around took a page path, an IRI or a key, not the headline an analyst reads (as --focus does)."""
    row = kg.events(g).iloc[100]
    near = kg.around(g, row["path"], days=3)
    for named in (row["headline"], row["headline"].upper().rstrip("."), row["path"].removeprefix("news/"), row["iri"]):
        assert kg.around(g, named, days=3).equals(near), named
    assert kg.contexts_of(g, row["headline"]) == row["contexts"]
    with pytest.raises(kg.UnknownEventError, match="or its headline"):
        kg.around(g, "no headline reads so")
    # Where a name may be an entity's, the entity: node_path takes no headline.
    assert kg.node_path(g, "Sudan", "Ukraine")["type"].iloc[0] == "context"


def test_an_event_s_day_may_be_written_with_or_without_its_zeros(g):
    """kg query pointed event:2026-6-1/… to the event, the library raised: its day written as the site's
    folders write it (2026-6-1), or a path with the zeros they drop (news/2026/06/01/…)."""
    row = next(r for r in kg.events(g).itertuples() if r.date.day < 10 and r.date.month < 10)
    d, slug = row.date, row.path.rpartition("/")[2].removesuffix(".md")
    for named in (f"event:{d.year}-{d.month}-{d.day}/{slug}", f"news/{d:%Y/%m/%d}/{slug}.md",
                  f"{g.base_iri}event/{d.year}-{d.month}-{d.day}/{slug}"):
        assert kg.publishers_of(g, named) == kg.publishers_of(g, row.path), named
    # A day mistyped: the event of that slug is named.
    with pytest.raises(kg.UnknownEventError, match=rf"did you mean event:{d:%Y-%m-%d}/{re.escape(slug)}\?"):
        kg.publishers_of(g, f"event:{d.year + 1}-{d.month}-{d.day}/{slug}")


def test_a_headline_that_heads_several_events_is_refused_with_their_paths():
    graph = kg.build(Path(__file__).parent / "data" / "duplicates")
    with pytest.raises(kg.UnknownEventError, match=r"events have the headline 'bomb in zurich' \(news/"):
        kg.contexts_of(graph, "bomb in zurich")


def test_a_context_name_a_query_lacks_is_offered_the_busiest_name_first_as_the_filters_offer_it(g):
    """README: context:Hormuz reads as the Strait of Hormuz, as the filters read it; the query's note offered
    context:2026_Strait_of_Hormuz_crisis first (its names were ranked without their events)."""
    import warnings

    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        assert kg.query_df(g, "SELECT ?e { ?e schema:about context:Hormuz }").empty
    with pytest.raises(UnknownNameError) as caught:
        kg.events(g, context="Hormuz")
    first = caught.value.suggestions[0]
    assert first == "Strait of Hormuz"
    assert [str(w.message) for w in said if issubclass(w.category, UserWarning)] == [
        f"context:Hormuz names nothing in the graph: did you mean context:{first.replace(' ', '_')} or "
        "context:2026_Strait_of_Hormuz_crisis?"]


def test_events_by_the_web_host_of_an_article_they_cite(g):
    every = kg.events(g)
    reuters = kg.events(g, domain="reuters.com")
    assert reuters["iri"].tolist() == [r.iri for r in every.itertuples() if "reuters.com" in r.domains]
    ranked = kg.top_publishers(g, None, by="domain").set_index("domain")["events"]
    assert len(reuters) == ranked["reuters.com"] and kg.events(g, domain="Reuters.com").equals(reuters)
    either = kg.events(g, domain=["reuters.com", "bbc.com"])
    assert set(either["iri"]) == {r.iri for r in every.itertuples() if {"reuters.com", "bbc.com"} & set(r.domains)}
    with pytest.raises(UnknownNameError, match=r"no domain 'reuters\.co' in the graph; did you mean 'reuters\.com'"):
        kg.events(g, domain="reuters.co")


@pytest.mark.parametrize(("call", "wrong", "meant"), [
    ("events", "contxt", "context"), ("top_contexts", "sinse", "since"), ("timeline", "freqency", "freq"),
    ("around", "day", "days"), ("event_projection", "max_events_per_contex", "max_events_per_context"),
    ("subgraph", "publishr", "publisher"), ("publisher_projection", "min_wieght", "min_weight")])
def test_a_misspelt_keyword_gets_the_one_it_likely_meant(g, call, wrong, meant):
    """ "events() got an unexpected keyword argument 'contxt'" named the slip only: the error now names the
    keyword meant and the function's others, and is still a TypeError; the function keeps its signature."""
    import inspect

    function = getattr(kg, call)
    args = ("Iran",) if call in ("timeline",) else (kg.events(g).iloc[0],) if call == "around" else ()
    said = rf"kg\.{call} takes no option '{wrong}' \(did you mean '{meant}'\?\)"
    with pytest.raises(TypeError, match=said) as caught:
        function(g, *args, **{wrong: 1})
    assert isinstance(caught.value, kg.ArgumentTypeError)
    assert meant in inspect.signature(function).parameters and function.__doc__ and function.__name__ == call


def test_every_name_a_table_prints_pastes_back_into_a_query(g):
    """The event that ends in "-waf6-service" was refused as a SERVICE call, and the three that end in
    "-returned-from" read as FROM, which left the union of an N-Quads file's graphs unread (an empty
    answer): the keyword's test stopped at the escape ``\\/`` before them."""
    from kg.query.querytext import check_query, declares_dataset

    names = kg.query_df(g, "SELECT ?e WHERE { ?e a kg:Event }", prefixed=True, max_rows=None)["e"].tolist()
    assert len(names) == TRUTH["counts"]["events"]
    assert any(n.endswith("service") for n in names) and any(n.endswith("-from") for n in names)
    query = f"SELECT (COUNT(?e) AS ?n) WHERE {{ VALUES ?e {{ {' '.join(names)} }} ?e a kg:Event }}"
    assert kg.query_df(g, query)["n"].tolist() == [len(names)]
    for name in names:
        check_query(f"ASK {{ {name} ?p ?o }}")
        assert not declares_dataset(f"SELECT ?d WHERE {{ {name} schema:startDate ?d }}"), name
