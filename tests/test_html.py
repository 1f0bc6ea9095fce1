"""The explorer page without a browser: its data, first view, layout, escaping, CLI."""

from __future__ import annotations

import base64
import gzip
import json
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from html.parser import HTMLParser
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kg
from kg import iri
from kg.export.html.archive import Archive, archive_columns, day_slice
from kg.export.html.explorer import ViewError, explore
from kg.export.html.exporter import render_html
from kg.export.html.focus import named_as_kg_query_prints
from kg.export.html.layout import label_box, overlaps, separate
from kg.export.html.packing import FRONT_BLOCK, pack_archive, slug_guess, unpack_archive
from kg.export.html.page import page_assets
from kg.table import graph_table
from tests.conftest import DATA, REPO, SAMPLE

HOSTILE = DATA / "html" / "hostile"
CORPUS_2026 = REPO / "examples" / "wcep-2026-05-to-2026-08"

# Texts of the hostile corpus that would run or load something if they became markup.
HOSTILE_MARKUP = ["<img src=x onerror=alert(1)>", "</script><script>alert(2)</script>",
                  "<b onmouseover=alert(3)>", "<svg onload=alert(9)>", '<a href="javascript:alert(11)">',
                  "<style>*{display:none}</style>"]


@pytest.fixture(scope="module")
def hostile_graph():
    return kg.build(HOSTILE)


@pytest.fixture(scope="module")
def graph_2026():
    if not CORPUS_2026.is_dir():
        pytest.skip("the 1,888-event corpus is not bundled")
    return kg.build(CORPUS_2026)


class _Tags(HTMLParser):
    """Collect the start tags of a page, with their attributes, and its data scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: dict[str, str] = {}
        self._script_id: str | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._script_id = dict(attrs).get("id") if tag == "script" else None

    def handle_data(self, data):
        if self._script_id:
            self.scripts[self._script_id] = data
        self._script_id = None


def _parse(page: str) -> _Tags:
    parser = _Tags()
    parser.feed(page)
    return parser


def _columns(page: str) -> Archive:
    """The archive as the page unpacks it (its buffer and the manifest in its config)."""
    parsed = _parse(page)
    data, texts = (gzip.decompress(base64.b64decode(parsed.scripts[k].strip())) for k in ("kg-archive", "kg-texts"))
    return unpack_archive(data, texts, json.loads(parsed.scripts["kg-config"])["archive"])


# ---------------------------------------------------------------- the archive's columns

def test_archive_holds_every_event_source_entity_and_link(sample_graph):
    a = archive_columns(sample_graph)
    assert len(a.event_headline) == len(sample_graph.event_records)
    assert sum(a.event_in_corpus) == 428 and len(a.days) == 30
    assert list(a.days) == sorted(a.days) and list(a.event_day) == sorted(a.event_day)
    assert a.entity_count("context") == 194 and a.entity_count("publisher") == 260
    assert len(a.related) // 2 == len(sample_graph.related) == 1925
    assert set(a.article_url) == set(sample_graph.articles)
    # Every event's sources and contexts, read back from the columns.
    by_iri = dict(zip(a.event_iri, range(len(a.event_iri)), strict=False))
    for key, event in sample_graph.event_records.items():
        i = by_iri[iri.event_iri(sample_graph.base_iri, key)]
        low, high = a.event_sources_offsets[i], a.event_sources_offsets[i + 1]
        assert [a.article_url[s] for s in a.event_sources[low:high]] == list(event.sources)
        contexts = [a.entity_name[e] for e in a.entities_of(i) if a.entity_kind[e] == 0]
        assert contexts == list(sample_graph.event_contexts.get(key, ()))
        assert a.event_headline[i] == event.headline


def test_archive_of_a_period_keeps_only_its_events(sample_graph):
    import datetime as dt

    a = archive_columns(sample_graph, since=dt.date(2015, 9, 10), until=dt.date(2015, 9, 12))
    assert set(a.days) == {"2015-09-10", "2015-09-11", "2015-09-12"}
    assert len(a.event_headline) == sum(1 for k in sample_graph.event_records if "2015-09-10" <= k.date.isoformat() <= "2015-09-12")
    assert day_slice(a, None, None) == (0, len(a.event_headline))


def _grouped(archive: Archive) -> Archive:
    """``archive`` with its related pairs grouped by source event, as packing orders them."""
    pairs = sorted((archive.related[k], k, archive.related[k + 1]) for k in range(0, len(archive.related), 2))
    return replace(archive, related=tuple(x for s, _, t in pairs for x in (s, t)))


def test_the_archive_gives_each_publisher_its_organizations_as_the_graph_does(graph_2026):
    """Each publisher's makers and distributor (the page lists an organization's publishers by them)."""
    archive = archive_columns(graph_2026)
    table = graph_table(graph_2026, kinds=("organization",), types=("made-by", "distributed-by"))
    edges = {(s, t) for type in ("made-by", "distributed-by") for s, t in zip(table.edges[type].source,
                                                                               table.edges[type].target, strict=True)}
    label = dict(zip(table.nodes["organization"].key, table.nodes["organization"].label, strict=True))
    offsets, flat = archive.entity_organizations_offsets, archive.entity_organizations
    found = {(archive.entity_name[i], archive.organization_key[o])
             for i in range(len(archive.entity_name)) for o in flat[offsets[i]:offsets[i + 1]]}
    publishers = {archive.entity_name[i] for i, k in enumerate(archive.entity_kind) if k == 1}
    assert found == {(s, t) for s, t in edges if s in publishers}
    assert ("AFP with RFI", "rfi") in found and ("Polsat in Polish", "polsat") in found
    assert archive.organization_label == tuple(label[key] for key in archive.organization_key)
    assert len(set(archive.organization_key)) == len(archive.organization_key)


def test_packing_keeps_every_fact_of_the_1888_event_archive(graph_2026):
    archive = archive_columns(graph_2026)
    packed = pack_archive(archive)
    assert unpack_archive(packed.data, packed.texts, packed.manifest) == _grouped(archive)
    columns = packed.manifest["columns"]
    # The guesses hold: event IRIs, entity IRIs and Wikipedia links cost (almost) nothing.
    for name in ("event_iri", "entity_iri", "entity_link"):
        assert columns[name]["rest"]["bytes"] < 0.01 * sum(map(len, getattr(archive, name))), name
    assert packed.manifest["eventIriByDay"] is True
    # Headlines and URLs, the bulk, travel in the second buffer, which the first view does not wait for.
    assert len(packed.texts) > 2 * len(packed.data)
    # Numbers travel as typed arrays of the narrowest width.
    assert columns["event_in_corpus"]["ints"]["type"] == "u8"
    assert columns["event_entities"]["ints"]["type"] == "u16"


_texts = st.text(max_size=30)  # any code point, astral ones too


@settings(max_examples=100, deadline=None)
@given(headlines=st.lists(_texts, min_size=1, max_size=20), names=st.lists(_texts, max_size=8, unique=True),
       urls=st.lists(_texts, max_size=40), iris=st.data())
def test_packing_round_trips_any_text(headlines, names, urls, iris):
    """Texts of any script, lengths and shapes survive, whether the guesses hold or not;
    related pairs in any order come back grouped by their source."""
    n = len(headlines)
    event = st.integers(0, n - 1)
    related = tuple(x for pair in iris.draw(st.lists(st.tuples(event, event), max_size=12)) for x in pair)
    day = "2026-05-01"
    event_iri = tuple(iris.draw(st.sampled_from([f"https://x.org/event/{day}/{slug_guess(h)}", h + "x", ""]))
                      for h in headlines)
    archive = Archive(
        days=(day,), event_iri=event_iri, event_headline=tuple(headlines), event_day=(0,) * n,
        event_in_corpus=(1,) * n, event_sources_offsets=(0,) * n + (len(urls),), event_sources=tuple(range(len(urls))),
        event_entities_offsets=(0,) * (n + 1), event_entities=(), related=related,
        article_url=tuple(urls), article_publishers_offsets=(0,) * (len(urls) + 1), article_publishers=(),
        entity_iri=tuple(f"https://x.org/context/{m}" for m in names), entity_name=tuple(names),
        entity_kind=(0,) * len(names), entity_link=tuple(names), entity_organizations_offsets=(0,) * (len(names) + 1),
        entity_organizations=(), organization_key=(), organization_label=())
    packed = pack_archive(archive)
    assert unpack_archive(packed.data, packed.texts, packed.manifest) == _grouped(archive)
    assert len(packed.data) % 4 == 0 and packed.manifest["block"] == FRONT_BLOCK
    assert packed.manifest["bytes"] == [len(packed.data), len(packed.texts)]


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=3000), piece=st.integers(1, 64))
def test_the_buffers_written_piece_by_piece_are_one_gzip_in_base64(data, piece):
    """However the gzip stream is cut, the pieces join into the base64 of one gzip member."""
    from kg.export.html.page import gzip_base64

    pieces = list(gzip_base64(data, piece=piece))
    text = "".join(pieces)
    assert gzip.decompress(base64.b64decode(text, validate=True)) == data
    assert all(len(p) % 4 == 0 for p in pieces) and text.isascii()
    # The header names no time and no system: the same page wherever it is made.
    assert base64.b64decode(text)[:10] == bytes((0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF))


def test_the_page_written_piece_by_piece_is_the_page_rendered(sample_graph, tmp_path):
    from kg.export.html.exporter import write_html

    write_html(sample_graph, tmp_path / "iran.html", focus="Iran")
    assert (tmp_path / "iran.html").read_text(encoding="utf-8") == render_html(sample_graph, focus="Iran")[0]


def test_the_title_is_in_the_page_as_text_before_any_script_runs(sample_graph):
    import re

    page, _ = render_html(sample_graph)
    assert re.search(r"<title>kg · wcep-2015-09</title>", page)
    assert '<h1 id="kg-title">kg · wcep-2015-09</h1>' in page
    hostile, _ = render_html(sample_graph, title='</title><script>alert("x")</script> & co')
    assert "<title>&lt;/title&gt;&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; co</title>" in hostile
    assert "<script>alert" not in hostile


def test_slug_guess_is_the_slug_of_ascii_headlines():
    from kg.parse.slug import slugify

    for headline in ("The U.S. says it will not coordinate with Iran. ", "x" * 300, "  --A--b  "):
        assert slug_guess(headline) == slugify(headline)
    assert slug_guess("Opération") == "op-ration" and slugify("İ") != slug_guess("İ")



@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("aZ09 -._,'\"\t\u00e9\u0130\U0001F600"), max_size=170) | st.text(max_size=170))
def test_slug_guess_is_its_definition_for_any_text(headline):
    """The ASCII fast path and the regular expression agree (the page computes the latter)."""
    import re

    assert slug_guess(headline) == re.sub(r"[^A-Za-z0-9]+", "-", headline[:140]).lower().strip("-")

# ---------------------------------------------------------------- the first view

def test_first_view_draws_the_entities_with_most_events(graph_2026):
    ex = explore(graph_2026)
    counts = Counter(c for names in graph_2026.event_contexts.values() for c in names)
    names = [ex.archive.entity_name[e] for e in ex.overview.entities]
    top10 = [name for name, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].casefold()))[:10]]
    assert names[:10] == top10
    assert [counts[n] for n in names] == list(ex.overview.events)
    assert len(names) == 100 and ex.notice.startswith("The first view draws the 100 entities")
    # Sizes and labels follow the number of events.
    assert list(ex.overview.size) == sorted(ex.overview.size, reverse=True)
    # A small view keeps the busiest first: months' leaders stand in for the last third at most, and the
    # notice says when they do.
    ranked = sorted(counts, key=lambda name: (-counts[name], name.casefold()))
    for n in (1, 2, 3, 5):
        small = explore(graph_2026, max_nodes=n)
        drawn = [small.archive.entity_name[e] for e in small.overview.entities]
        assert len(drawn) == n and drawn[:-(-n * 2 // 3)] == ranked[:-(-n * 2 // 3)]
        assert small.notice.startswith("The first view draws the entity with most events of 1,144" if n == 1 else
                                       f"The first view draws the {n} entities with most events of 1,144"
                                       if drawn == ranked[:n] else
                                       f"The first view draws {n} entities, those with most events and the "
                                       "busiest of months, of 1,144"), small.notice


def test_first_view_edges_count_shared_events(graph_2026):
    ex = explore(graph_2026, max_nodes=40)
    names = [ex.archive.entity_name[e] for e in ex.overview.entities]
    together = Counter()
    for contexts in graph_2026.event_contexts.values():
        drawn = sorted({names.index(c) for c in contexts if c in names})
        together.update(combinations(drawn, 2))
    assert ex.overview.edges
    for a, b, weight in ex.overview.edges:
        assert weight == together[a, b] > 0
    # Every entity that occurs with another keeps at least one edge.
    joined = {i for a, b, _ in ex.overview.edges for i in (a, b)}
    assert joined == {i for pair in together for i in pair}
    assert 1 < len(set(ex.overview.community)) < len(names)


def test_no_two_nodes_or_labels_overlap_in_the_first_view(graph_2026, sample_graph):
    # (600: laid out as networkx lays out 500 nodes or more)
    for graph, size in ((graph_2026, 100), (graph_2026, 300), (graph_2026, 600), (sample_graph, 194)):
        ex = explore(graph, max_nodes=size)
        boxes = [label_box(t, s, f) for t, s, f in zip(ex.labels, ex.overview.size, ex.overview.font, strict=False)]
        assert overlaps(ex.overview.x, ex.overview.y, boxes) == []


def test_publishers_join_on_request(graph_2026):
    ex = explore(graph_2026, kinds="context,publisher", max_nodes=60)
    kinds = Counter(ex.archive.entity_kind[e] for e in ex.overview.entities)
    assert kinds[0] and kinds[1]
    assert explore(graph_2026, max_nodes=60).counts()["drawn_publisher"] == 0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(-50, 50), st.floats(-50, 50), st.floats(2, 40),
                          st.text(min_size=1, max_size=20)), min_size=1, max_size=40))
def test_separate_leaves_no_overlap_and_keeps_the_first_in_place(items):
    xs = [x for x, _, _, _ in items]
    ys = [y for _, y, _, _ in items]
    boxes = [label_box(text, size, 12) for _, _, size, text in items]
    x, y = separate(xs, ys, boxes)
    assert overlaps(x, y, boxes) == []
    assert (x[0], y[0]) == (round(xs[0], 1), round(ys[0], 1))


def _first_free_spots(xs, ys, boxes):
    """separate's placing as written first: every spot of the spiral checked against every box."""
    import math

    placed = []
    gap = 3.0
    for i, (wx, wy, b) in enumerate(zip(xs, ys, boxes, strict=True)):
        step, k = max(4.0, (b.bottom - b.top + 2 * gap) / 4), 0
        while True:
            angle = math.sqrt(4 * math.pi * k)
            cx = round(wx + step * angle / (2 * math.pi) * math.cos(angle), 1) if i else wx
            cy = round(wy + step * angle / (2 * math.pi) * math.sin(angle), 1) if i else wy
            if not any(min(e, cx + b.right + gap) - max(w, cx + b.left - gap) > 0
                       and min(s, cy + b.bottom + gap) - max(n, cy + b.top - gap) > 0 for w, e, n, s in placed):
                break
            k += 1
        cx, cy = round(cx, 1), round(cy, 1)
        placed.append((cx + b.left - gap, cx + b.right + gap, cy + b.top - gap, cy + b.bottom + gap))
    return [(p[0] - b.left + gap, p[2] - b.top + gap) for p, b in zip(placed, boxes, strict=True)]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.floats(-30, 30), st.floats(-30, 30), st.floats(2, 40),
                          st.text(min_size=1, max_size=20)), min_size=1, max_size=120))
def test_separate_skips_only_taken_spots(items):
    """The grid of taken cells only passes over spots that a box holds: each box lands where checking
    every spot against every box puts it (a crowd of boxes, so that late ones spiral far)."""
    xs = [x for x, _, _, _ in items]
    ys = [y for _, y, _, _ in items]
    boxes = [label_box(text, size, 12) for _, _, size, text in items]
    x, y = separate(xs, ys, boxes)
    assert [(round(a, 1), round(b, 1)) for a, b in _first_free_spots(xs, ys, boxes)] == list(zip(x, y, strict=True))


@pytest.mark.parametrize("options, message", [
    ({"kinds": "event"}, "unknown entity kind"),
    ({"kinds": "contexts"}, re.escape("unknown entity kind(s) ['contexts'] (did you mean 'context'?)")),
    ({"since": "2015-09-20", "until": "2015-09-10"}, "is after"),
    ({"since": "09/10/2015"}, "YYYY-MM-DD"),
    ({"depth": 3}, "depth"),
    ({"max_nodes": 0}, "max_nodes"),
    ({"focus": "no such thing anywhere"}, "no entity or event"),
    # An organization is not drawn: its publishers are named, its own name first.
    ({"focus": "organization:Reuters"}, r"one of the 16 publishers of organization 'Reuters' in it \('Reuters', "),
    ({"focus": "https://kg.example.org/news/organization/afp"}, "publishers of organization 'AFP' in it"),
    # Any spelling of an organization names it, by its label; its publishers of every spelling are named.
    ({"focus": "organization:New_York_Times"}, r"publishers of organization 'The New York Times' in it "
                                               r"\('New York Times', 'The New York Times'"),
    ({"focus": "organization:al-jazeera"}, r"publishers of organization 'Al-Jazeera' in it \('Al Jazeera', "
                                           r"'Al-Jazeera'"),
    ({"focus": "organization:AFP", "since": "2015-09-30"}, "none of the publishers of organization 'AFP'"),
    # A news service's name is its organization's ("BBC News" is the BBC's); one publisher is said so.
    ({"focus": "organization:bbcnews"}, r"4 publishers of organization 'BBC' in it \('BBC', 'BBC News', 'BBC News Online', "),
    ({"focus": "organization:i24"}, r"give the one publisher of organization 'i24 News' in it \('i24 News'\)"),
    ({"focus": "organization:Nobody"}, "no entity or event"),
    # A publisher that no source writes alone ("AFP via ..."): its organization is said, and its publishers.
    ({"focus": "publisher:AFP"}, r"^no source writes 'AFP' alone, so 'publisher:AFP' names no publisher "
                                 r"\(organization:afp names its organization\), and the page draws publishers, "
                                 r"not organizations: give one of the \d+ publishers of organization 'AFP' in it"),
    ({"focus": "https://kg.example.org/news/publisher/AFP"}, r"names no publisher \(organization:afp names"),
    ({"focus": "publisher:Nobody"}, "^no entity or event"),
])
def test_bad_options_raise_a_view_error(sample_graph, options, message):
    with pytest.raises(ViewError, match=message):
        explore(sample_graph, **options)


def test_a_day_is_read_as_the_analyst_filters_read_it(sample_graph):
    # the site's own 2015-9-10, a datetime, or numpy's datetime64 (a cell of an answer's date column)
    import datetime as dt

    import numpy

    expected = explore(sample_graph, since=dt.date(2015, 9, 10), until=dt.date(2015, 9, 12))
    for since, until in (("2015-9-10", "2015-9-12"), (dt.datetime(2015, 9, 10, 8), numpy.datetime64("2015-09-12"))):
        assert explore(sample_graph, since=since, until=until) == expected


def test_a_month_or_year_spans_its_days_as_the_analyst_filters_read_them(sample_graph):
    import datetime as dt

    month = explore(sample_graph, since="2015-09", until="2015-09")
    assert (month.options.since, month.options.until) == (dt.date(2015, 9, 1), dt.date(2015, 9, 30))
    assert month.archive == explore(sample_graph).archive  # the sample is September 2015, whole
    assert explore(sample_graph, since="2015", until="2015-9").archive == month.archive
    assert explore(sample_graph, since="2015-09-10", until="2015-09").options.until == dt.date(2015, 9, 30)
    with pytest.raises(ViewError, match="a month YYYY-MM"):
        explore(sample_graph, since="2015-13")


def test_focus_names_an_entity_event_or_iri(sample_graph):
    assert explore(sample_graph, focus="iran").focus_iri.endswith("context/Iran")
    assert explore(sample_graph, focus="Iran.").focus_iri.endswith("context/Iran")
    event = next(iter(sample_graph.event_records.values()))
    by_headline = explore(sample_graph, focus=event.headline.upper()).focus_iri
    assert by_headline == explore(sample_graph, focus=by_headline).focus_iri
    assert "/event/" in by_headline
    # Without its closing full stop, or a part of it: the page opens on the same event.
    assert explore(sample_graph, focus=event.headline.rstrip(" .")).focus_iri == by_headline
    words = event.headline.split()
    assert len(words) > 6
    part = " ".join(words[1:6])  # a part that only this headline holds
    assert [e for e in sample_graph.event_records.values() if part.lower() in e.headline.lower()] == [event]
    assert explore(sample_graph, focus=part).focus_iri == by_headline


def test_a_focus_guessed_is_said_by_kg_to_html(graph_2026, tmp_path):
    """kg.to_html(g, focus="Irn"), a typo for Iran, opened on the publisher IRNA without a word (kg html
    says what it opened on; the library said nothing).  A focus that names no node exactly warns, naming
    the node the page opens on; one that names its node (any case, an IRI, a prefixed name) does not."""
    import warnings

    with pytest.warns(UserWarning, match=r"focus='Irn' names no node exactly: the page opens on publisher \"IRNA\""):
        kg.to_html(graph_2026, tmp_path / "irn.html", focus="Irn")
    with pytest.warns(UserWarning, match=r"focus='hormuz strait' names no node exactly: the page opens on context "
                                         r"\"Strait of Hormuz\""):
        kg.to_html(graph_2026, focus="hormuz strait")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for focus in ("iran", "Iran", "IRAN", "NATO", "context:Iran", graph_2026.base_iri + "context/Iran",
                      "publisher:Reuters"):
            assert kg.to_html(graph_2026, tmp_path / "x.html", focus=focus).focus_exact, focus


def test_focus_reads_a_name_as_the_build_keys_it(sample_graph):
    """The build keys "Ir\u200ban" and "\ufeffIran" as Iran; --focus refused them, suggesting another name."""
    for typed in ("Ir\u200ban", "\ufeffIran", "Iran\u200f", "\u2066Iran\u2069"):
        assert explore(sample_graph, focus=typed).focus_iri.endswith("context/Iran"), typed
    with pytest.raises(kg.ViewError, match=r"named 'Irn'; did you mean 'Iran'\?"):
        explore(sample_graph, focus="Irn\u200b")


def test_focus_takes_a_node_as_kg_query_prints_it_and_refuses_an_empty_one(graph_2026, tmp_path):
    """``context:U%2ES%2E_president`` (kg query's answer), ``context:U.S. president`` (the page's
    links) open on that node; an empty or blank focus names nothing and is refused."""
    from kg.export.prefixes import turtle_prefixes
    from kg.query.pnames import prefixed_name

    prefixes = turtle_prefixes(graph_2026.base_iri)
    # Every name that a prefixed name escapes or a link writes otherwise, and one in ten of the plain ones
    # (each call reads every node: all of them took half a minute).
    def chosen(names: Iterable[str]) -> list[str]:
        plain = [n for n in sorted(names) if re.fullmatch(r"[A-Za-z0-9]+( [A-Za-z0-9]+)*", n)]
        return [n for n in sorted(names) if n not in set(plain)] + plain[::10]

    nodes = [*((f"context:{c}", kg.iri.context_iri(graph_2026.base_iri, c)) for c in chosen(graph_2026.contexts)),
             *((f"publisher:{p}", kg.iri.publisher_iri(graph_2026.base_iri, p)) for p in chosen(graph_2026.publishers)),
             *((None, kg.iri.event_iri(graph_2026.base_iri, k)) for k in sorted(graph_2026.event_records)[::50])]
    archive = archive_columns(graph_2026)
    for written, node in nodes:
        printed = prefixed_name(node, prefixes)
        assert named_as_kg_query_prints(archive, graph_2026.base_iri, printed) == node, printed
        if written is not None:
            assert named_as_kg_query_prints(archive, graph_2026.base_iri, written) == node, written
    assert explore(graph_2026, focus="context:U%2ES%2E_president").focus_said() == 'context "U.S. president"'
    for empty in ("", "   "):
        with pytest.raises(ViewError, match="empty focus"):
            explore(graph_2026, focus=empty)
    done = subprocess.run([sys.executable, "-m", "kg", "html", str(SAMPLE), "-o", str(tmp_path / "x.html"),
                           "--focus", " "], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "empty focus" in done.stderr, done.stderr


def test_a_name_with_a_word_misspelt_gets_the_name_that_holds_the_word(graph_2026):
    """The whole of "Volodymyr Zelenskyy" is far from "Zelenskiy"; one of its words is close."""
    with pytest.raises(ViewError, match=r"named 'Zelenskiy'; did you mean 'Volodymyr Zelenskyy'\?$"):
        explore(graph_2026, focus="Zelenskiy")
    with pytest.raises(kg.errors.UnknownNameError, match=r"did you mean 'Volodymyr Zelenskyy'\?$"):
        kg.events(graph_2026, context="zelenskiy")
    # A dash is typed as a hyphen: the name with an en dash is found, here and by the analyst API.
    dashed = next(c for c in graph_2026.contexts if "\u2013" in c)
    typed = dashed.replace("\u2013", "-").lower()
    assert explore(graph_2026, focus=typed).focus_iri == kg.iri.context_iri(graph_2026.base_iri, dashed)
    assert len(kg.events(graph_2026, context=typed)) == len(kg.events(graph_2026, context=dashed)) > 0


def test_focus_opens_on_the_name_that_begins_with_the_words_not_a_busier_one_holding_them(graph_2026):
    """"israel-hezbollah" names the conflict ("Hezbollah\u2013Israel conflict (2023\u2013present)", 2 events),
    not the busier "Israeli attacks ... during the Israel-Hezbollah conflict ..." (4) that speaks of it;
    a year may lead the name ("israel lebanon": "2026 Israel\u2013Lebanon ceasefire")."""
    counts = Counter(c for names in graph_2026.event_contexts.values() for c in names)
    conflict = "Hezbollah\u2013Israel conflict (2023\u2013present)"
    holding = [c for c in graph_2026.contexts if "israel-hezbollah" in c.replace("\u2013", "-").lower()]
    assert max(counts[c] for c in holding) > counts[conflict]  # (busiest first would pick another)
    for typed, meant in (("israel-hezbollah", conflict), ("Hezbollah Israel", conflict),
                         ("israel\u2013hezbollah conflict", conflict),
                         ("israel lebanon", "2026 Israel\u2013Lebanon ceasefire")):
        assert explore(graph_2026, focus=typed).focus_iri == kg.iri.context_iri(graph_2026.base_iri, meant), typed
    # One word is no phrase: "trump" is still the busiest name holding it, Donald Trump.
    assert explore(graph_2026, focus="trump").focus_iri == kg.iri.context_iri(graph_2026.base_iri, "Donald Trump")


def test_focus_reads_an_abbreviation_as_the_search_box_does(graph_2026):
    """"US president" opens on "U.S. president", as the page's search finds it; the name as
    written still wins over one that folds alike, and a name without dots is no abbreviation."""
    def focus(text: str) -> str | None:
        return explore(graph_2026, focus=text).focus_iri

    dotted = sorted(c for c in graph_2026.contexts if re.search(r"\b[A-Z]\.[A-Z]\.", c))
    assert {"U.S.", "U.S. president", "Georgia (U.S. state)", "D.C."} <= set(dotted)
    for name in dotted:
        want = kg.iri.context_iri(graph_2026.base_iri, name)
        assert focus(name.replace(".", "").lower()) == focus(name) == want
        if name != "U.S.":  # ("US" in capitals: initials too, and the United States is busier)
            assert focus(name.replace(".", "")) == want
    assert focus("US") == focus("USA") == kg.iri.context_iri(graph_2026.base_iri, "United States")
    assert focus("US president") == kg.iri.context_iri(graph_2026.base_iri, "U.S. president")
    # Part of several names: the one the search box suggests first, with most events, not the first seen.
    gaza = [c for c in graph_2026.contexts if c.lower().startswith("gaza")]
    assert len(gaza) > 1
    events = Counter(c for names in graph_2026.event_contexts.values() for c in names)
    assert explore(graph_2026, focus="gaza").focus_said() == f'context "{max(gaza, key=events.__getitem__)}"'
    # A headline too, with a title's dot left out: "Sgt Tomer Yaakov Ahimas".
    (key,) = [k for k, e in graph_2026.event_records.items() if "Sgt. Tomer Yaakov Ahimas" in e.headline]
    assert focus("Sgt Tomer Yaakov Ahimas") == kg.iri.event_iri(graph_2026.base_iri, key)


def test_focus_ignores_accents_and_says_why_it_finds_nothing(sample_graph):
    """As the analyst API matches names: "zoran milanovic" is "Zoran Milanović"."""
    assert explore(sample_graph, focus="zoran milanovic").focus_iri.endswith("/Zoran_Milanovi%C4%87")
    with pytest.raises(ViewError, match=r"named 'Iarn'; did you mean 'Iran'\?$"):
        explore(sample_graph, focus="Iarn")
    iran_days = sorted({k.date for k, cs in sample_graph.event_contexts.items() if "Iran" in cs})
    quiet = next(d for d in sorted(sample_graph.days) if d not in iran_days)
    with pytest.raises(ViewError, match=f"^'Iran' has no event between {quiet} and {quiet}$"):
        explore(sample_graph, focus="Iran", since=quiet, until=quiet)
    assert explore(sample_graph, focus="Iran", since=iran_days[0], until=iran_days[0]).focus_iri
    # Nor is a headline of those days that holds the name taken for it: the entity is outside the days.
    name, day = next((c, e.key.date) for c in sorted(sample_graph.contexts) for e in sample_graph.event_records.values()
                     if c.casefold() in e.headline.casefold()
                     and all(c not in cs for k, cs in sample_graph.event_contexts.items() if k.date == e.key.date))
    with pytest.raises(ViewError, match=f"^'{name}' has no event between {day} and {day}$"):
        explore(sample_graph, focus=name, since=day, until=day)
    iran = explore(sample_graph, focus="Iran").focus_iri
    with pytest.raises(ViewError, match=r"^'https://.*/Iran' has no event between"):
        explore(sample_graph, focus=iran, since=quiet, until=quiet)  # its IRI, too
    with pytest.raises(ViewError, match=r"^'context:Iran' has no event between"):
        explore(sample_graph, focus="context:Iran", since=quiet, until=quiet)  # as kg query prints it
    # A word of several headlines names none of them: the error shows some, to say more of one.
    names = " ".join(n.casefold() for n in (*sample_graph.contexts, *sample_graph.publishers))
    headlines = [e.headline.casefold() for e in sample_graph.event_records.values()]
    word = next(w for h in headlines for w in h.split()
                if w.isalpha() and len(w) > 6 and w not in names and sum(w in other for other in headlines) > 3)
    with pytest.raises(ViewError, match=f"^'{word}' is part of [0-9]+ headlines in the page .*; ...\\): give more"):
        explore(sample_graph, focus=word)
    # Outside the page's days, as an entity is.
    single = next(e for e in sample_graph.event_records.values()
                  if e.key.date != quiet and sum(e.headline.casefold() in h for h in headlines) == 1)
    with pytest.raises(ViewError, match="has no event between"):
        explore(sample_graph, focus=single.headline, since=quiet, until=quiet)


# ---------------------------------------------------------------- the page

def test_page_is_self_contained(sample_graph):
    page, _ = render_html(sample_graph)
    tags = _parse(page).tags
    assert not [a for _, attrs in tags for a in ("src", "href") if a in attrs]
    assert not [t for t, _ in tags if t in ("link", "iframe", "img", "object", "embed", "base")]
    csp = [attrs["content"] for t, attrs in tags if t == "meta" and attrs.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in csp[0]
    for cdn in ("cdnjs", "jsdelivr", "unpkg", "bootstrap", "tom-select", "TomSelect"):
        assert cdn not in page
    assert page_assets().vis_js in page


def test_page_data_agrees_with_the_graph(sample_graph):
    page, ex = render_html(sample_graph)
    parsed = _parse(page)
    nodes = json.loads(parsed.scripts["kg-nodes"])
    assert [n["id"] for n in nodes] == [ex.archive.entity_iri[e] for e in ex.overview.entities]
    assert _columns(page) == _grouped(ex.archive)
    # The texts' buffer comes last: the parser reaches it after the first view is drawn.
    assert page.index('id="kg-texts"') > page.rindex("<script>") > page.index('id="kg-archive"')
    config = json.loads(parsed.scripts["kg-config"])
    assert config["largest"] == ex.overview.largest and config["kinds"] == ["context"]


def test_page_keeps_every_text_exact_and_inert(hostile_graph):
    page, _ = render_html(hostile_graph, kinds="context,publisher")
    columns = _columns(page)
    texts = set(columns.event_headline) | set(columns.entity_name)
    for text in HOSTILE_MARKUP:
        assert any(text in t for t in texts)
        assert text not in page
    parsed = _parse(page)
    # The page's elements are the template's, whatever the data says.
    clean_page, _ = render_html(kg.build(SAMPLE))
    assert [t for t, _ in parsed.tags] == [t for t, _ in _parse(clean_page).tags]
    assert not [k for _, attrs in parsed.tags for k in attrs if k.startswith("on")]
    assert sorted(columns.event_headline) == sorted(e.headline for e in hostile_graph.event_records.values())


def test_page_script_never_writes_markup():
    script = page_assets().view_js
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "Function("):
        assert sink not in script
    assert "textContent" in script and "noopener noreferrer" in script


def test_page_is_reproducible(sample_graph):
    assert render_html(sample_graph, focus="Iran")[0] == render_html(sample_graph, focus="Iran")[0]


def test_returned_objects_have_short_reprs(sample_graph, tmp_path):
    explorer = kg.to_html(sample_graph, tmp_path / "g.html")
    assert repr(explorer) == "<Explorer: 100 of 194 entities drawn, 428 events>"
    inline = kg.to_html(sample_graph, focus="Iran")
    assert len(repr(inline)) < 200 and "Explorer" in repr(inline)
    shown = inline._repr_html_()
    assert shown.startswith("<iframe sandbox=") and "allow-same-origin" not in shown
    assert inline.html.startswith("<!DOCTYPE html>")


# ---------------------------------------------------------------- command line

def _kg(*args) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kg.cli", *map(str, args)], check=False, capture_output=True,
                          text=True, cwd=REPO, timeout=600)


def test_cli_html_from_a_corpus_and_from_a_written_graph(tmp_path, sample_turtle):
    out = tmp_path / "sept.html"
    proc = _kg("html", SAMPLE, "-o", out, "--since", "2015-09-10", "--until", "2015-09-20",
               "--entities", "context,publisher", "--max-nodes", "60", "--focus", "Iran")
    assert proc.returncode == 0, proc.stderr
    assert "wrote" in proc.stderr and "60 entities drawn" in proc.stderr
    parsed = _parse(out.read_text(encoding="utf-8"))
    assert len(json.loads(parsed.scripts["kg-nodes"])) == 60
    config = json.loads(parsed.scripts["kg-config"])
    assert config["since"] == "2015-09-10" and config["focus"].endswith("context/Iran")
    from_ttl = tmp_path / "from-ttl.html"
    proc = _kg("html", sample_turtle, "-o", from_ttl, "--focus", "Iran")
    assert proc.returncode == 0, proc.stderr
    assert len(_columns(from_ttl.read_text(encoding="utf-8")).event_headline) == 428
    # A part of a name: the command says what it opened on.
    proc = _kg("html", sample_turtle, "-o", from_ttl, "--focus", "zoran")
    assert proc.returncode == 0 and 'opened on context "Zoran Milanović"' in proc.stderr, proc.stderr


def test_cli_html_of_a_written_graph_takes_the_corpus_name_from_its_report(tmp_path):
    """RDF does not name the corpus; the report.json of the same build beside it does."""
    out = tmp_path / "out"
    assert _kg("build", SAMPLE, "-o", out, "--formats", "turtle,report", "--quiet").returncode == 0
    page = tmp_path / "p.html"
    assert _kg("html", out / "graph.ttl", "-o", page).returncode == 0
    assert "<title>kg · wcep-2015-09</title>" in page.read_text(encoding="utf-8")
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    report["counts"]["events"] += 1  # another build's report: not this graph's name
    (out / "report.json").write_text(json.dumps(report), encoding="utf-8")
    assert _kg("html", out / "graph.ttl", "-o", page).returncode == 0
    assert "<title>kg · knowledge graph</title>" in page.read_text(encoding="utf-8")


def test_cli_html_reports_a_bad_option(tmp_path):
    proc = _kg("html", SAMPLE, "-o", tmp_path / "x.html", "--focus", "no such entity anywhere")
    assert proc.returncode == 2 and "no entity or event" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "x.html").exists()


def test_build_writes_graph_html_by_default(tmp_path):
    proc = _kg("build", HOSTILE, "-o", tmp_path, "--quiet")
    assert (tmp_path / "graph.html").is_file(), proc.stderr
    assert "<!DOCTYPE html>" in (tmp_path / "graph.html").read_text(encoding="utf-8")[:20]


def test_cli_html_says_how_many_events_lie_outside_the_corpus(tmp_path):
    """Events only a link names are in the page too, and said apart, as kg build counts them apart."""
    graph = kg.build(DATA / "hostile")
    proc = _kg("html", DATA / "hostile", "-o", tmp_path / "h.html")
    external = sum(1 for e in graph.event_records.values() if not e.in_corpus)
    assert external > 0
    assert f"{len(graph.event_records):,} events ({external:,} of them outside the corpus)" in proc.stderr


def test_cli_html_kinds_names_the_entities_as_the_library_does(tmp_path):
    from kg.cli import make_parser

    for flag in ("--kinds", "--entities"):
        args = make_parser().parse_command_line(["html", str(SAMPLE), "-o", str(tmp_path / "x.html"), flag,
                                                 "context,publisher"])
        assert args.entities == "context,publisher"


@pytest.mark.parametrize("char", ["\t", "\n", "\r", "\x1b", "\x7f", "\x85"])
def test_a_corpus_folder_named_with_a_control_character_gets_its_page(tmp_path, char):
    """The default title shows the character escaped: before, kg build, kg html and kg.to_html refused the
    title the user never gave (exit 2, nothing written)."""
    import shutil

    from tests.conftest import SAMPLE

    corpus = tmp_path / f"a{char}b"
    shutil.copytree(SAMPLE, corpus)
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(corpus), "-o", str(out), "-q"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    page = (out / "graph.html").read_text(encoding="utf-8")
    assert f"<title>kg · a\\x{ord(char):02x}b</title>" in page
    again = subprocess.run([sys.executable, "-m", "kg.cli", "html", str(out / "graph.ttl"), "-o",
                            str(tmp_path / "again.html"), "-q"], capture_output=True, text=True)
    assert again.returncode == 0, again.stderr


def test_a_guess_of_another_kind_than_the_one_asked_for_says_its_kind(graph_2026, tmp_path):
    """--focus "Iran Internationl" guessed 'Iran International' without saying it is a publisher (the
    explorer's links say it); and a context and a publisher of one name were one guess, of either kind."""
    out = tmp_path / "x.html"
    with pytest.raises(ViewError, match=r"did you mean 'Iran' or publisher 'Iran International'"):
        kg.to_html(graph_2026, out, focus="Iran Internationl", kinds=("context", "publisher"))
    with pytest.raises(ViewError, match=r"'publisher:Reutres'; did you mean 'Reuters' or 'AFP and Reuters"):
        kg.to_html(graph_2026, out, focus="publisher:Reutres", kinds=("context", "publisher"))


def test_the_page_is_written_only_to_a_html_name(sample_graph, tmp_path):
    """`kg html out/graph.kg.json -o out/graph.kg.json` replaced the snapshot it read with the page (and
    `-o CORPUS/news/.../index.md` a page of the corpus); `-o dir/` wrote a file named dir."""
    snapshot = tmp_path / "graph.kg.json"
    kg.write(sample_graph, snapshot)
    before = snapshot.read_bytes()
    for target, instead in ((snapshot, tmp_path / "graph.html"), (tmp_path / "index.md", tmp_path / "index.html"),
                            (f"{tmp_path}/dir/", tmp_path / "dir" / "graph.html")):
        said = f"the explorer is a page: name a .html file \\({re.escape(str(instead))}, say\\)"
        with pytest.raises(kg.ArgumentError, match=said):
            kg.to_html(sample_graph, target)
        proc = subprocess.run([sys.executable, "-m", "kg", "html", str(snapshot), "-o", str(target)],
                              capture_output=True, text=True, cwd=REPO)
        assert proc.returncode == 2 and "the explorer is a page" in proc.stderr, proc.stderr
    assert snapshot.read_bytes() == before and not (tmp_path / "index.md").exists() and not (tmp_path / "dir").exists()
    kg.to_html(sample_graph, tmp_path / "Page.HTM")  # any case
    assert (tmp_path / "Page.HTM").read_bytes().startswith(b"<!DOCTYPE html>")
