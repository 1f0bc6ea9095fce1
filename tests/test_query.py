"""kg.query.analyst: SPARQL and the everyday questions, checked against truth.json."""

from __future__ import annotations

import datetime as dt
import json
import warnings
from collections import Counter
from pathlib import Path

import pytest

import kg
from kg import iri
from kg.cli import main
from kg.errors import ArgumentError, QueryError
from kg.query.analyst import UnknownEventError, event_key, format_result, store
from kg.read.paths import parse_page_path

SAMPLE = Path(__file__).parents[1] / "examples" / "wcep-2015-09"
SMALL = Path(__file__).parent / "data" / "query-corpus"
TRUTH = json.loads((SAMPLE / "truth.json").read_text(encoding="utf-8"))
SAMPLES = TRUTH["samples"]


@pytest.fixture(scope="module")
def g():
    return kg.build(SAMPLE)


def _key(sample):
    return parse_page_path(sample["path"]).key


def _contexts(sample):
    # the graph reads '_Context: A, B_' by splitting on ', ', as a markdown reader must
    return set(sample["contexts_visible_in_markdown_naive_comma_split"])


# ------------------------------------------------------------------ against truth.json

@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s["id"])
def test_publishers_of_sample_events(g, sample):
    expected = {s["name"] for s in sample["sources"]}
    assert set(kg.publishers_of(g, sample["path"])) == expected
    event = iri.event_iri(g.base_iri, _key(sample))
    df = kg.sparql_query(g, f"SELECT DISTINCT ?name WHERE {{ <{event}> schema:subjectOf/schema:publisher/schema:name "
                            "?name }")
    assert set(df["name"]) == expected


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s["id"])
def test_sample_events_are_found_by_their_contexts(g, sample):
    own = _contexts(sample)
    assert own <= set(kg.contexts_of(g, sample["path"]))
    for name in own:
        assert sample["path"] in set(kg.events(g, context=name)["path"])
        ask = f'ASK {{ ?e kg:path "{sample["path"]}" ; schema:about/schema:name "{name}" }}'
        assert kg.sparql_query(g, ask) is True


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s["id"])
def test_related_links_of_sample_events(g, sample):
    event = iri.event_iri(g.base_iri, _key(sample))
    df = kg.sparql_query(g, f"SELECT ?path WHERE {{ <{event}> kg:relatedTo/kg:path ?path }}")
    assert set(df["path"]) == {r["path"] for r in sample["related"]}


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s["id"])
def test_sample_events_on_their_day(g, sample):
    day = dt.date.fromisoformat(sample["date"])
    on_day = kg.events(g, since=day, until=day)
    assert sample["path"] in set(on_day["path"])
    assert set(on_day["date"].dt.date) == {day}
    assert g.event_records[_key(sample)].headline == sample["headline"]


def test_counts_by_sparql_match_truth(g):
    counts = TRUTH["counts"]
    n = kg.sparql_query(g, "SELECT (COUNT(*) AS ?n) WHERE { ?e a kg:Event ; kg:inCorpus true }")["n"][0]
    assert n == counts["events"]
    n = kg.sparql_query(g, "SELECT (COUNT(DISTINCT ?u) AS ?n) WHERE { ?a a kg:SourceArticle ; schema:url ?u }")["n"][0]
    assert n == counts["distinct_source_urls"]
    n = kg.sparql_query(g, "SELECT (COUNT(*) AS ?n) WHERE { ?l a kg:RelatedLink }")["n"][0]
    assert n == counts["total_related_links"]
    per_day = kg.sparql_query(g, """SELECT ?page (COUNT(?e) AS ?n)
                          WHERE { ?e kg:onDay/prov:wasDerivedFrom/kg:path ?page } GROUP BY ?page""")
    assert dict(zip(per_day["page"], per_day["n"].tolist(), strict=True)) == TRUTH["events_per_day"]


# ------------------------------------------------------------------ SPARQL

def test_select_gives_python_values(g):
    df = kg.sparql_query(g, "SELECT ?e ?d ?n ?in "
                            "WHERE { ?e schema:startDate ?d ; kg:inCorpus ?in ; schema:name ?n } LIMIT 5")
    assert list(df.columns) == ["e", "d", "n", "in"]
    assert str(df["d"].dtype) == "datetime64[ns]"  # xsd:date: days as kg.events gives them
    assert all(isinstance(v, str) and v.startswith(g.base_iri + "event/") for v in df["e"])
    assert df["in"].tolist() == [True] * 5
    counts = kg.sparql_query(g, "SELECT ?c (COUNT(?e) AS ?n) WHERE { ?e schema:about ?c } GROUP BY ?c")
    assert all(isinstance(v, int) for v in counts["n"].tolist())
    # int64, as kg.top_contexts gives its counts: the two answers merge and compare without a cast
    assert counts["n"].dtype == kg.top_contexts(g, 3)["events"].dtype == "int64"


def test_decimals_are_floats_and_date_times_are_datetime64(g):
    import pandas as pd

    df = kg.sparql_query(g, """SELECT ?c (COUNT(?e) / 7 AS ?per_day) (AVG(1.5) AS ?avg)
        (xsd:dateTime("2026-01-01T10:00:00") AS ?t) (NOW() AS ?now) ?none
        WHERE { ?e schema:about ?c OPTIONAL { ?e kg:nothing ?none } } GROUP BY ?c ?none ORDER BY ?c""")
    assert [str(df[c].dtype) for c in ("per_day", "avg", "t")] == ["float64", "float64", "datetime64[ns]"]
    assert str(df["now"].dtype) == "datetime64[ns, UTC]"
    counts = kg.top_contexts(g, None).set_index("context")["events"]
    iran = df.set_index("c").loc[g.base_iri + "context/Iran"]
    assert iran["per_day"] == pytest.approx(counts["Iran"] / 7) and iran["avg"] == 1.5
    assert iran["t"] == pd.Timestamp("2026-01-01 10:00")
    mixed = kg.sparql_query(g, """SELECT ?x WHERE { VALUES ?x { 2.5 UNDEF 3 } }""")
    assert str(mixed["x"].dtype) == "float64" and mixed["x"].isna().tolist() == [False, True, False]


def test_unbound_values_are_none_and_counts_stay_integers(g):
    df = kg.sparql_query(g, """SELECT ?x ?n WHERE {
        VALUES ?x { context:Iran context:Nowhere }
        OPTIONAL { SELECT ?x (COUNT(?e) AS ?n) WHERE { ?e schema:about ?x } GROUP BY ?x } }
        ORDER BY ?x""")
    import pandas as pd

    assert df["n"].dtype == "Int64"
    values = dict(zip(df["x"], df["n"].tolist(), strict=True))
    assert pd.isna(values[g.base_iri + "context/Nowhere"])
    assert values[g.base_iri + "context/Iran"] == len(kg.events(g, context="Iran"))
    optional = kg.sparql_query(g, "SELECT ?e ?img WHERE { ?e a kg:Event OPTIONAL { ?e schema:image ?img } } LIMIT 3")
    assert optional["img"].tolist() == [None] * 3


def test_ask_and_construct(g):
    assert kg.sparql_query(g, "ASK { context:Iran a kg:Context }") is True
    with pytest.warns(UserWarning, match="context:Atlantis names nothing in the graph"):  # the reason it is false
        assert kg.sparql_query(g, "ASK { context:Atlantis a kg:Context }") is False
    sub = kg.sparql_query(g, """CONSTRUCT { ?e schema:about context:Iran ; schema:name ?n }
                      WHERE { ?e schema:about context:Iran ; schema:name ?n }""")
    import rdflib

    assert isinstance(sub, rdflib.Graph)
    assert len(sub) == 2 * len(kg.events(g, context="Iran"))
    assert dict(sub.namespaces())["kg"] == rdflib.URIRef("https://w3id.org/kg-news/ontology#")


def test_a_literal_not_of_its_datatype_s_lexical_form_stays_text(g):
    """"yes"^^xsd:boolean was False, and "1_000"^^xsd:integer 1000 (Python's int() reads more than XSD)."""
    df = kg.sparql_query(g, 'SELECT * { BIND("yes"^^xsd:boolean AS ?a) BIND("1_000"^^xsd:integer AS ?b) '
                            'BIND("NaN"^^xsd:decimal AS ?c) BIND("0"^^xsd:boolean AS ?d) '
                            'BIND(" 12"^^xsd:integer AS ?e) BIND("-.5"^^xsd:decimal AS ?f) '
                            'BIND("true"^^xsd:boolean AS ?g) }')
    assert df.iloc[0][["a", "b", "c"]].tolist() == ["yes", "1_000", "NaN"]
    assert df.iloc[0][["d", "e", "f", "g"]].tolist() == [False, 12, -0.5, True]
    odd = kg.sparql_query(g, 'SELECT * { BIND("1_0"^^xsd:double AS ?a) BIND("1_0"^^xsd:float AS ?b) '
                             'BIND("20150901"^^xsd:date AS ?c) BIND("2015-09-01 10:00"^^xsd:dateTime AS ?d) '
                             'BIND("-1.5E2"^^xsd:double AS ?e) BIND("INF"^^xsd:double AS ?f) }')
    assert odd.iloc[0][["a", "b", "c", "d"]].tolist() == ["1_0", "1_0", "20150901", "2015-09-01 10:00"]
    assert odd.iloc[0]["e"] == -150.0 and odd.iloc[0]["f"] == float("inf")


def test_a_construct_of_a_triple_term_is_a_query_error(g):
    """An RDF 1.2 triple term in a CONSTRUCT's answer raised a bare TypeError from the rdflib copy."""
    with pytest.raises(kg.errors.QueryError, match=r"RDF 1\.2 triple term"):
        kg.sparql_query(g, "CONSTRUCT { context:Iran kg:x ?t } WHERE { BIND(TRIPLE(context:Iran, rdf:type, "
                           "kg:Context) AS ?t) }")
    assert len(kg.sparql_query(g, "CONSTRUCT { context:Iran kg:x ?t } WHERE { BIND(1 AS ?t) }")) == 1


def test_query_errors_keep_their_cause(g):
    with pytest.raises(QueryError) as caught:
        kg.sparql_query(g, "SELECT WHERE {")
    assert isinstance(caught.value.__cause__, SyntaxError)
    with pytest.raises(QueryError):
        kg.sparql_query(g, "SELECT ?x WHERE { ?x nope:thing ?y }")


def test_store_is_built_once_per_graph(g):
    assert store(g) is store(g)
    other = kg.build(SMALL)
    assert store(other) is not store(g)
    assert len(store(other)) == sum(1 for _ in kg.triples(other))


def test_own_prefix_declarations_are_allowed(g):
    df = kg.sparql_query(g, "PREFIX s: <http://schema.org/> "
                            "SELECT (COUNT(*) AS ?n) WHERE { ?c a kg:Context ; s:name ?x }")
    assert df["n"][0] == len(g.contexts)


# ------------------------------------------------------------------ everyday questions

def test_events_filters_combine(g):
    everything = kg.events(g)
    assert len(everything) == len(g.events_in_corpus)
    assert everything["date"].is_monotonic_increasing
    since, until = dt.date(2015, 9, 10), dt.date(2015, 9, 20)
    window = kg.events(g, since="2015-09-10", until=until)
    assert len(window) == sum(1 for k in g.event_records if since <= k.date <= until)
    reuters = kg.events(g, publisher="Reuters", since=since)
    assert len(reuters) > 0
    assert all("Reuters" in ps and d >= since
               for ps, d in zip(reuters["publishers"], reuters["date"].dt.date, strict=True))
    with pytest.raises(kg.UnknownNameError):
        kg.events(g, context="No such context")


def test_events_by_sparql_and_by_function_agree(g):
    for name in ("Iran", "Syria", "United States", "Hungary"):
        df = kg.sparql_query(
            g, f'SELECT ?p WHERE {{ ?e schema:about/schema:name "{name}" ; kg:path ?p ; kg:inCorpus true }}')
        assert set(df["p"]) == set(kg.events(g, context=name)["path"])


def test_timeline_counts_every_day(g):
    line = kg.timeline(g, "Syria")["Syria"]
    assert list(line.index.date) == sorted(g.days)
    assert line.sum() == len(kg.events(g, context="Syria"))
    busiest = line.idxmax()
    assert (kg.events(g, context="Syria")["date"] == busiest).sum() == line.max()


def test_top_lists_agree_with_stats(g):
    from kg.query.stats import graph_stats

    stats = graph_stats(g, top=5)
    assert list(kg.top_contexts(g, 5).iloc[:, :2].itertuples(index=False, name=None)) == stats.top_contexts
    by_name = kg.top_publishers(g, 5, by="source").iloc[:, :2]
    assert list(by_name.itertuples(index=False, name=None)) == stats.top_publishers


def test_events_are_named_by_key_path_iri_or_record(g):
    key = _key(SAMPLES[0])
    names = [key, key.path, "/" + key.path, iri.event_iri(g.base_iri, key), g.event_records[key]]
    assert {event_key(g, n) for n in names} == {key}
    with pytest.raises(UnknownEventError):
        kg.contexts_of(g, "news/2015/09/1/no-such-event.md")
    with pytest.raises(UnknownEventError):
        kg.publishers_of(g, g.base_iri + "event/2015-09-01/no-such-event")
    with pytest.raises(ArgumentError):
        kg.events(g, since="1st of September")


def test_external_events_are_left_out_unless_asked():
    small = kg.build(SMALL)
    assert small.external_events
    assert len(kg.events(small, context="Chile")) == len(small.events_in_corpus)
    assert len(kg.events(small, context="Chile", include_external=True)) == len(small.event_records)


# ------------------------------------------------------------------ command line

@pytest.fixture(scope="module")
def turtle(g, tmp_path_factory):
    path = tmp_path_factory.mktemp("query") / "graph.ttl.gz"
    kg.write_turtle(g, path)
    return path


def test_cli_query_formats(g, turtle, capsys):
    query = "SELECT ?name (COUNT(?e) AS ?n) WHERE { ?e schema:about/schema:name ?name } GROUP BY ?name"
    assert main(["query", str(turtle), query, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)["results"]["bindings"]  # SPARQL 1.1 JSON results
    expected = kg.top_contexts(g, None)
    assert ({r["name"]["value"]: int(r["n"]["value"]) for r in rows}
            == dict(zip(expected["context"], expected["events"], strict=True)))
    assert main(["query", str(turtle), query, "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "name,n" and len(lines) == len(g.contexts) + 1
    assert main(["query", str(turtle), "ASK { context:Iran a kg:Context }"]) == 0
    assert capsys.readouterr().out.strip() == "true"


def test_cli_query_reads_a_query_file_and_reports_errors(turtle, tmp_path, capsys):
    rq = tmp_path / "q.rq"
    rq.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?d a kg:Day }", encoding="utf-8")
    assert main(["query", str(turtle), f"@{rq}"]) == 0
    assert capsys.readouterr().out.split() == ["n", "30"]
    assert main(["query", str(turtle), "SELECT nonsense"]) == 2
    assert "error" in capsys.readouterr().err
    assert main(["query", str(tmp_path / "missing.ttl"), "ASK {}"]) == 2
    assert main(["query", str(turtle), f"@{tmp_path / 'missing.rq'}"]) == 2


def test_construct_prints_as_turtle(g):
    text = format_result(kg.sparql_query(g, "CONSTRUCT { context:Iran ?p ?o } WHERE { context:Iran ?p ?o }"))
    assert "context:Iran" in text and "skos:Concept" in text


def test_the_printed_table_shows_control_characters_rather_than_sending_them(g):
    """A value with an escape sequence (which would recolour the terminal) or a line break prints on its row."""
    frame = kg.sparql_query(g, 'SELECT ("a\\u001B[31mred\\nnext" AS ?x) (1 AS ?n) {}')
    assert frame["x"][0] == "a\x1b[31mred\nnext"  # the value itself as the query made it
    table = format_result(frame)
    assert "\x1b" not in table and table.splitlines()[1].split() == ["a\\x1b[31mred", "next", "1"]
    # A bidi override would show what follows it reversed, the columns after it too.
    table = format_result(kg.sparql_query(g, 'SELECT ("abc \\u202Edcba" AS ?x) {}'))
    assert "\u202e" not in table and table.splitlines()[1].split() == ["abc", "\\u202edcba"]


def test_a_reversed_date_range_is_refused(sample_graph) -> None:
    """An empty answer would look like no events happened."""
    from kg.errors import ArgumentError

    with pytest.raises(ArgumentError, match=r"since \(2015-09-20\) is after until \(2015-09-10\)"):
        kg.events(sample_graph, since="2015-09-20", until="2015-09-10")
    with pytest.raises(ArgumentError):
        kg.timeline(sample_graph, "Iran", since="2015-09-20", until="2015-09-10")
    assert len(kg.events(sample_graph, since="2015-09-10", until="2015-09-10")) > 0
    # A period wholly outside the graph's days answers nothing, and says why.
    outside = r"the period asked for \(2030-01-01 to \.\.\.\) is outside the graph's days \(2015-09-01 to 2015-09-30\)"
    with pytest.warns(UserWarning, match=outside):
        assert kg.timeline(sample_graph, "Iran", since="2030-01-01").empty
    with pytest.warns(UserWarning, match=outside):
        assert kg.events(sample_graph, context="Iran", since="2030-01-01").empty
    with pytest.warns(UserWarning, match=r"\(\.\.\. to 2015-08-31\) is outside"):
        assert kg.top_contexts(sample_graph, until="2015-08-31").empty
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a period that overlaps the graph's days says nothing
        kg.events(sample_graph, since="2015-08-01", until="2015-09-01")


def test_text_takes_words_without_punctuation_and_lists(sample_graph) -> None:
    """Punctuation typed with a word does not hide it; a list is its words together."""
    from kg.errors import ArgumentError, ArgumentTypeError

    plain = kg.events(sample_graph, text="nuclear")
    assert len(plain) > 0
    assert kg.events(sample_graph, text="nuclear,").equals(plain)
    assert kg.events(sample_graph, text="“Nuclear?”").equals(plain)
    both = kg.events(sample_graph, text="iran nuclear")
    assert kg.events(sample_graph, text=["Iran", "nuclear"]).equals(both) and 0 < len(both) <= len(plain)
    with pytest.raises(ArgumentError, match="holds no word"):
        kg.events(sample_graph, text="(")
    everything = kg.events(sample_graph)  # an empty search box filters nothing
    assert kg.events(sample_graph, text="").equals(everything) and kg.events(sample_graph, text="  ").equals(everything)
    with pytest.raises(ArgumentTypeError):
        kg.events(sample_graph, text=42)  # type: ignore[arg-type]


def test_cooccurring_shares_are_floats_and_updates_are_read_only_errors(sample_graph) -> None:
    from kg.errors import ReadOnlyQueryError

    assert str(kg.cooccurring(sample_graph, "Iran")["share"].dtype) == "float64"
    with pytest.raises(ReadOnlyQueryError):
        kg.query_df(sample_graph, "PREFIX ex: <http://x/> INSERT DATA { ex:a ex:b ex:c }")


def test_a_timeline_of_all_of_names_its_column_readably(sample_graph) -> None:
    frame = kg.timeline(sample_graph, [kg.all_of("Iran", "Iraq"), "Iran"])
    assert list(frame.columns) == ["Iran & Iraq", "Iran"]
    assert int(frame["Iran & Iraq"].sum()) == len(kg.events(sample_graph, context=kg.all_of("Iran", "Iraq")))


def test_a_timeline_of_no_name_or_of_one_name_twice_is_refused(sample_graph) -> None:
    """As the filters refuse an empty list; a column that stood for two names asked would hide one."""
    with pytest.raises(kg.ArgumentError, match="a timeline of no context names"):
        kg.timeline(sample_graph, [])
    with pytest.raises(kg.ArgumentError, match="'iran' names the same context as another name asked, 'Iran'"):
        kg.timeline(sample_graph, ["Iran", "iran"])
    with pytest.raises(kg.ArgumentError, match="same publisher"):
        kg.timeline(sample_graph, ["Reuters", "reuters"], by="publisher")


def test_days_have_one_dtype_and_merge_across_events_timeline_around_and_sparql(sample_graph) -> None:
    """An analyst joins answers on the day: every day the API gives as pandas has pandas' default dtype."""
    about = {k for k, cs in sample_graph.event_contexts.items()
             if "Syria" in cs and sample_graph.event_records[k].in_corpus}
    per_day = Counter(k.date for k in about)  # what the merges must find, counted without pandas
    events = kg.events(sample_graph, context="Syria")
    line = kg.timeline(sample_graph, "Syria").reset_index()
    weekly = kg.timeline(sample_graph, "Syria", freq="W").reset_index()
    counted = kg.query_df(sample_graph, """SELECT ?date (COUNT(?e) AS ?n) WHERE {
        ?e schema:about context:Syria ; kg:inCorpus true ; schema:startDate ?date } GROUP BY ?date""")
    near = kg.around(sample_graph, events["path"].iloc[0], days=3)
    assert {str(f["date"].dtype) for f in (events, line, weekly, counted, near)} == {"datetime64[ns]"}

    joined = (events.merge(line, on="date", validate="many_to_one")
              .merge(counted, on="date", validate="many_to_one"))
    assert len(joined) == len(events) == len(about)
    assert (joined["Syria"] == joined["n"]).all()
    assert dict(zip(joined["date"].dt.date, joined["n"], strict=True)) == per_day
    # the timeline has every day, the SPARQL answer only those with an event about Syria
    days = line.merge(counted, on="date", how="left", validate="one_to_one")
    assert len(days) == len(sample_graph.days) and days["n"].notna().sum() == len(per_day)
    assert len(near.merge(line, on="date", validate="many_to_one")) == len(near) > 0


def test_an_empty_answer_has_the_dtypes_of_a_full_one(sample_graph) -> None:
    """A loop over periods meets empty answers: their counts stay int64 and their days datetime64[ns]."""
    import pandas as pd

    key = next(iter(sample_graph.event_records))
    iran_days = set(kg.events(sample_graph, context="Iran")["date"].dt.date)
    quiet = next(d for d in sorted(sample_graph.days) if d not in iran_days).isoformat()  # a day without Iran
    answers = {"events": lambda **f: kg.events(sample_graph, **f),
               "top_contexts": lambda **f: kg.top_contexts(sample_graph, **f),
               "top_publishers": lambda **f: kg.top_publishers(sample_graph, **f),
               "cooccurring": lambda **f: kg.cooccurring(sample_graph, "Iran", **f)}
    for name, answer in answers.items():
        full = answer()
        empty = answer(text="zzzzzz") if name != "cooccurring" else answer(since=quiet, until=quiet)
        assert not full.empty and empty.empty, name
        assert empty.dtypes.to_dict() == full.dtypes.to_dict(), name
        assert len(pd.concat([full, empty])) == len(full) and pd.concat([full, empty]).dtypes.equals(full.dtypes)
    assert kg.around(sample_graph, key, days=0).dtypes.to_dict() == kg.around(sample_graph, key).dtypes.to_dict()


def test_sparql_days_are_datetime64_where_every_value_is_one(sample_graph) -> None:
    """A column of xsd:date values (or unbound ones) is datetime64[ns]; one pandas cannot hold keeps Python dates."""
    import pandas as pd

    days = kg.query_df(sample_graph, 'SELECT ?d WHERE { VALUES ?d { "2015-09-02"^^xsd:date UNDEF } }')
    assert str(days["d"].dtype) == "datetime64[ns]"
    assert days["d"].iloc[0] == pd.Timestamp("2015-09-02") and pd.isna(days["d"].iloc[1])
    # JSON and CSV print as they did when the column held datetime.date objects (pandas quotes a lone
    # empty field); the table shows pandas' NaT for an unbound day, as it shows <NA> for an unbound count
    assert json.loads(format_result(days, "json")) == [{"d": "2015-09-02"}, {"d": None}]
    assert format_result(days, "csv").splitlines() == ["d", "2015-09-02", '""']
    assert format_result(days).split() == ["d", "2015-09-02", "NaT"]
    far = kg.query_df(sample_graph, 'SELECT ?d WHERE { VALUES ?d { "0001-01-01"^^xsd:date "2015-09-02"^^xsd:date } }')
    assert far["d"].tolist() == [dt.date(1, 1, 1), dt.date(2015, 9, 2)]  # before datetime64[ns]'s first day
    mixed = kg.query_df(sample_graph, 'SELECT ?d WHERE { VALUES ?d { "2015-09-02"^^xsd:date "2015-09-02" } }')
    assert mixed["d"].tolist() == [dt.date(2015, 9, 2), "2015-09-02"]
    # A day with a timezone (a dateTime cast to a date keeps its zone) is its date, not text.
    zoned = kg.query_df(sample_graph, 'SELECT ?d WHERE { VALUES ?d { "2015-09-02Z"^^xsd:date '
                                      '"2015-09-03+02:00"^^xsd:date "2015-09-04-05:00"^^xsd:date } }')
    assert str(zoned["d"].dtype) == "datetime64[ns]"
    assert zoned["d"].tolist() == [pd.Timestamp("2015-09-02"), pd.Timestamp("2015-09-03"), pd.Timestamp("2015-09-04")]


@pytest.mark.parametrize("base", [None, "https://data.example.com/kg/"])
def test_a_files_base_is_read_from_its_statements_not_from_a_headline_that_quotes_one(tmp_path, capsys, base):
    """N-Triples and N-Quads told their base by the first day IRI in their first 64 KiB, literals included: a
    headline quoting <http://mirror.example/day/2015-09-01>, or 64 KiB of events before the first day, gave
    another base, and context:Chile matched nothing (exit 0, "names nothing"). A Turtle literal holding
    "@prefix day: <...> ." was read as a prefix line."""
    out = tmp_path / "out"
    assert main(["build", str(Path(__file__).parent / "data" / "base-bait"), "-o", str(out), "-q", "--no-cache",
                 "--formats", "turtle,ntriples,nquads,trig", *(("--base", base) if base else ())]) == 0
    for name in ("graph.ttl", "graph.nt", "graph.nq", "graph.trig"):
        query = "SELECT (COUNT(*) AS ?n) WHERE { ?e schema:about context:Chile }"
        assert main(["query", str(out / name), query, "--format", "csv"]) == 0
        assert capsys.readouterr().out.split() == ["n", "2"], name
        if base:  # (the graph's own base, given again, is no other base)
            assert main(["query", str(out / name), query, "--format", "csv", "--base", base]) == 0
            assert capsys.readouterr().out.split() == ["n", "2"], name
