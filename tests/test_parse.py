"""Parsing one page: every odd thing becomes one diagnostic on its line."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.accounting import count_items
from kg.parse.blocks import MAX_LINE_CHARS, MAX_PARSED_CHARS, MAX_SAME_PER_LINE, MAX_SAME_PER_PAGE
from kg.parse.markdown import parse_page
from kg.parse.sections import MAX_CONTEXT_NAMES

PATH = "news/2015/09/1/e.md"
HEAD = "### [2015-09-1](/news/2015/09/1/index.md)\n\n# E \n\n"


def _codes(text: str) -> list[tuple[int, str]]:
    return [(d.line, d.code) for d in parse_page(text, PATH).diagnostics]


def test_well_formed_page_has_no_diagnostics():
    page = HEAD + ("### Source:\n\n1. [A](http://a.org/)\n\n### Related:\n\n"
                   "1. [F ](/news/2015/09/2/f.md) _Context: X, Y_\n")
    parsed = parse_page(page, PATH)
    assert parsed.diagnostics == ()
    assert parsed.page.related[0].contexts == ("X", "Y")


def test_nested_items_and_second_paragraphs_are_reported():
    page = HEAD + "### Source:\n\n1. [A](http://a.org/)\n   1. [B](http://b.org/)\n\n   more text\n\n### Related:\n"
    assert _codes(page) == [(8, "nested-item"), (10, "stray-content")]


@pytest.mark.parametrize("fast", [True, False])
def test_every_item_of_a_nested_list_is_reported_however_deep(fast):
    """Only items one level in were said: one two levels in (or deeper) was lost without a word."""
    page = HEAD + "### Source:\n\n1. [A](http://a.org/)\n   1. [B](http://b.org/)\n      1. [C](http://c.org/)\n" \
        "         1. [D](http://d.org/)\n   1. [E](http://e.org/)\n\n### Related:\n"
    parsed = parse_page(page, PATH, fast=fast)
    assert [(d.line, d.code) for d in parsed.diagnostics] == [(8, "nested-item"), (9, "nested-item"),
                                                              (10, "nested-item"), (11, "nested-item")]
    assert [s.url for s in parsed.page.sources] == ["http://a.org/"]


def test_unpaired_emphasis_around_contexts():
    page = HEAD + "### Source:\n\n### Related:\n\n1. [F ](/news/2015/09/2/f.md) _Context: X, Y\n"
    assert parse_page(page, PATH).page.related[0].contexts == ("X", "Y")


@pytest.mark.parametrize(("tail", "contexts"), [
    ("_Context: M*A*S*H, Iran_", ("M*A*S*H", "Iran")),          # a title written raw, markers and all
    ("_Context: Turkey, Star_Trek_", ("Turkey", "Star_Trek")),
    ("*Context: Q*bert, A_B*", ("Q*bert", "A_B")),              # the pair around it all is the format's
    ("_Context: X, Y", ("X", "Y")),                            # never closed: the stray marker dropped
    ("Context: X, Y_", ("X", "Y")),
    ("_Context: **Turkey, Iraq**_", ("Turkey", "Iraq")),       # markers at a name's ends are residue
    ("___Context: Turkey___", ("Turkey",)),
    ("**Context: A**", ("A",)),
    ("_Context: x_y*_", ("x_y",)),
    # A pair that the list goes on past is not the list's: its label alone, or a name cut at a comma.
    ("**Context:** A, B", ("A", "B")),
    ("_Context:_ A, B", ("A", "B")),
    ("_Context: A_, _B_", ("A", "B")),
    ("_Context: A,_ B", ("A", "B")),
    ("*Context: A*, B", ("A", "B")),
    ("_Context: A_ , B", ("A", "B")),
])
def test_emphasis_inside_context_names_is_part_of_them(tail: str, contexts: tuple[str, ...]) -> None:
    page = HEAD + f"### Source:\n\n### Related:\n\n1. [F ](/news/2015/09/2/f.md) {tail}\n"
    assert parse_page(page, PATH).page.related[0].contexts == contexts


@pytest.mark.parametrize(("tail", "contexts", "after"), [
    ("_Context: Bangkok, Thailand_ (see also Bangkok bombing)", ("Bangkok", "Thailand"), "(see also Bangkok bombing)"),
    ("_Context: Iran_.", ("Iran",), "."),
    ("**Context: Iran, Iraq** _more_", ("Iran", "Iraq"), "_more_"),
    ("*Context: M*A*S*H, Iran*", ("M*A*S*H", "Iran"), ""),       # goes on within a word: not text after
    # A run of markers closes the list with its first; the others, and what follows, are text after.
    ("_Context: 0__ 0", ("0",), "_ 0"),
    ("_Context: Iran__\nIraq", ("Iran",), "_ Iraq"),
    ("_Context: A___ z", ("A",), "__ z"),
    ("*Context: A*_ x", ("A",), "_ x"),
    ("_Context: a__b_", ("a__b",), ""),  # a run a letter follows closes nothing
])
def test_text_after_the_context_list_is_reported_not_glued_to_a_name(
        tail: str, contexts: tuple[str, ...], after: str) -> None:
    page = HEAD + f"### Source:\n\n### Related:\n\n1. [F ](/news/2015/09/2/f.md) {tail}\n"
    parsed = parse_page(page, PATH)
    assert parsed.page.related[0].contexts == contexts
    found = [d for d in parsed.diagnostics if d.code == "text-after-context"]
    assert [(d.line, repr(after) in d.message) for d in found] == ([(9, True)] if after else [])
    # The accounting's own reading of the line finds the same names (a name lost is not explained away).
    counted = [i.value for i in count_items(page, PATH) if i.kind == "context"]
    assert tuple(counted) == contexts


def test_urls_are_checked():
    page = HEAD + ("### Source:\n\n1. [A](javascript:alert(1))\n1. [B](<  JavaScript:x>)\n"
                   "1. [C](http:///x)\n1. [](http://a.org/)\n1. [D](http://a.org/1) [E](http://a.org/2)\n\n"
                   "### Related:\n")
    assert _codes(page) == [(7, "unsafe-url"), (8, "unsafe-url"), (9, "invalid-url"),
                            (10, "empty-link-text"), (11, "extra-link")]


def test_a_long_line_is_cut_once():
    page = HEAD + "### Source:\n\n1. [" + "P" * (MAX_LINE_CHARS + 10) + "](http://a.org/)\n\n### Related:\n"
    assert _codes(page) == [(7, "long-line"), (7, "item-without-link")]


def test_a_huge_page_is_truncated_with_one_diagnostic():
    page = HEAD + "### Source:\n\n1. [A](http://a.org/)\n\n### Related:\n\n" + "text line\n" * (MAX_PARSED_CHARS // 5)
    codes = dict((c, line) for line, c in _codes(page))
    assert sorted(codes) == ["page-truncated", "stray-content"]
    assert codes["page-truncated"] > codes["stray-content"] > 10


# The parser is tuned for speed (kg.parse.inline._tune_inline); its tokens must stay
# those of the stock markdown-it parser with the same rules, on any text.
_MARKDOWNISH = st.text(alphabet=st.sampled_from([*list("ab [](){}<>\\*_&#;:/.!-\"'\n\t "), "\xa0", "é", "\x7f"]),
                       max_size=60)


@settings(max_examples=400, deadline=None)
@given(_MARKDOWNISH)
def test_tuned_parser_gives_the_stock_tokens(text: str) -> None:
    from markdown_it import MarkdownIt

    from kg.parse.inline import _BLOCK_RULES, _INLINE_RULES, markdown_parser

    stock = MarkdownIt("zero").enable(_BLOCK_RULES + _INLINE_RULES)
    stock.validateLink = lambda url: True
    stock.normalizeLink = lambda url: url
    tuned = markdown_parser()

    def tokens(md):
        return [t.as_dict() for t in md.inline.parse(text, md, {}, [])]

    assert tokens(tuned) == tokens(stock)


def test_a_link_cut_with_its_line_is_said_to_be_cut_not_missing():
    page = ("### [2015-09-1](/news/2015/09/1/index.md)\n\n# Huge.\n\n### Source:\n\n"
            f"1. [P](https://e.com/{'b' * (2 * MAX_LINE_CHARS)})\n2. No link at all.\n")
    said = {(d.line, d.code): d.message for d in parse_page(page, PATH).diagnostics}
    assert (7, "long-line") in said
    assert said[7, "item-without-link"].startswith(
        "source item without a whole link (the line was cut: a link may have been lost")
    assert said[8, "item-without-link"].startswith("source item without a link: ")


def test_a_duplicate_context_is_said_in_a_bounded_message():
    name = "N" * 5_000
    page = ("### [2015-09-1](/news/2015/09/1/index.md)\n\n# Twice.\n\n### Related:\n\n"
            f"1. [Other.](/news/2015/09/1/other.md) _Context: {name}, {name}_\n")
    [said] = [d.message for d in parse_page(page, PATH).diagnostics if d.code == "duplicate-context"]
    assert len(said) < 600 and "comma" in said


@pytest.mark.parametrize("fast", [False, True])
def test_a_context_list_cut_with_its_line_loses_its_broken_last_name(fast: bool) -> None:
    headline = "h" * (MAX_LINE_CHARS - 55)  # the cut falls inside "United States"
    related = f"1. [{headline} ](/news/2015/09/1/o.md) _Context: Iran, United States, Russia_\n"
    page = parse_page(HEAD + "### Source:\n\n1. [P](http://a.org/)\n\n### Related:\n\n" + related, PATH, fast=fast)
    assert page.page.related[0].contexts == ("Iran",)
    said = {(d.line, d.code): d.message for d in page.diagnostics}
    assert (11, "long-line") in said and "its last name 'United Sta' was dropped" in said[11, "cut-context"]
    # Cut after the list (in text that follows it), the list is whole.
    whole = f"1. [x](/news/2015/09/1/o.md) _Context: Iran, United States_ {'t' * MAX_LINE_CHARS}\n"
    page = parse_page(HEAD + "### Source:\n\n1. [P](http://a.org/)\n\n### Related:\n\n" + whole, PATH, fast=fast)
    assert page.page.related[0].contexts == ("Iran", "United States")
    assert "cut-context" not in {d.code for d in page.diagnostics}


@pytest.mark.parametrize("fast", [False, True])
def test_an_event_listed_twice_on_its_day_page_is_said(fast: bool) -> None:
    day = ("# 2015-09-1\n\n1. [A](/news/2015/09/1/a.md)\n2. [B](/news/2015/09/1/b.md)\n"
           "3. [A again](/news/2015/09/1/a.md)\n")
    page = parse_page(day, "news/2015/09/1/index.md", fast=fast)
    assert [(d.line, d.code) for d in page.diagnostics] == [(5, "duplicate-item")]
    assert "'/news/2015/09/1/a.md' listed again (first on line 3)" in page.diagnostics[0].message
    assert [e.rank for e in page.page.entries] == [1, 2, 3]


@pytest.mark.parametrize("fast", [False, True])
def test_a_page_cut_both_by_length_and_by_budget_is_said_cut_once(fast: bool) -> None:
    related = "1. [x](/news/2015/09/1/o.md) _Context: A_\n" * 19_000
    text = HEAD + "### Source:\n\n1. [P](http://a.org/)\n\n### Related:\n\n" + related
    assert len(text) > MAX_PARSED_CHARS
    cuts = [d for d in parse_page(text, PATH, fast=fast).diagnostics if d.code == "page-truncated"]
    assert len(cuts) == 1 and "parsing budget spent" in cuts[0].message, cuts


@pytest.mark.parametrize("fast", [False, True])
def test_a_context_list_cut_after_a_comma_or_at_a_double_keeps_its_whole_names(fast: bool) -> None:
    head = HEAD + "### Source:\n\n1. [P](http://a.org/)\n\n### Related:\n\n"
    for tail in (", ", ", Iran"):  # cut just after a comma; cut in a name that begins as an earlier one
        end = "](/news/2015/09/1/o.md) _Context: Iran, Iraq, LastName" + tail
        line = "1. [" + "h" * (MAX_LINE_CHARS - 4 - len(end)) + end  # the line's first 20,000 characters
        page = parse_page(head + line + "-Contra affair, More_\n", PATH, fast=fast)
        assert page.page.related[0].contexts == ("Iran", "Iraq", "LastName")
        said = {d.code: d.message for d in page.diagnostics}
        assert said["cut-context"].endswith("the names after it are lost")


@pytest.mark.parametrize("forms", [
    ("http://bücher.example/a", "http://BÜCHER.example./a"),
    ("http://example.org/~user", "http://example.org/%7Euser", "http://example.org/%7euser"),
    ("http://example.org/a", "http://example.org:80/a", "http://example.org:/a", "HTTP://Example.ORG/a"),
    ("https://example.org/a%2Fb", "https://example.org:443/a%2fb", "https://example.org:0443/a%2Fb"),
    ("http://example.org/café", "http://example.org/caf%C3%A9", "http://example.org/caf%c3%a9",
     "http://example.org/cafe%CC%81"),
    ("http://bücher.example/\u2019s", "http://B%C3%9Ccher.example/%E2%80%99s"),
    # (an empty path is "/"; an invisible character as written is its escape, which stays escaped)
    ("http://example.org", "http://example.org/", "HTTP://Example.org:80"),
    ("http://example.org?q=1", "http://example.org/?q=1"),
    ("http://example.org/a\u200bb", "http://example.org/a%E2%80%8Bb", "http://example.org/a%e2%80%8bb"),
    ("http://example.org/a\u00adb", "http://example.org/a%C2%ADb"),
])
def test_equivalent_forms_of_a_url_are_one_article(forms):
    """RFC 3986's equivalent forms (and an IDN's two spellings) made two articles and two web domains."""
    from kg.parse.text import check_url

    assert len({check_url(form).url for form in forms}) == 1, [check_url(f).url for f in forms]


def test_forms_that_may_differ_stay_apart():
    from kg.parse.text import check_url

    kept = ["http://example.org/a?", "http://example.org/a", "http://example.org:8080/a", "http://example.org/A",
            "http://example.org/a%2Fb", "http://example.org/a/b", "http://example.org/a%C2%A0b",
            "http://example.org/a%E2%80%8Bb", "http://example.org/a%E2%80%AEb", "http://example.org/a%C3",
            "http://example.org/a%C0%AF", "http://example.org/a%EF%BF%BD"]
    assert len({check_url(u).url for u in kept}) == len(kept)
    for escaped in kept[-6:]:  # (a space, an invisible character, a bidi control, bytes not UTF-8, a special)
        assert check_url(escaped).url == escaped


@pytest.mark.parametrize(("url", "error"), [
    ("http://bbc.co.uk@evil.example/a", "unsafe-url"),  # a look-alike link: its host is evil.example
    ("http://user:secret@example.org/a", "unsafe-url"),  # a password, in every output
    ("http://ex\u200bample.org/a", "invalid-url"),  # shown as, and opened as, example.org
])
def test_a_url_that_would_show_as_another_is_refused(url, error):
    from kg.parse.text import check_url

    assert check_url(url).error == error


@pytest.mark.parametrize("hidden", ["\u3164", "\u17b4", "\u2066", "\u061c", "\U000e0100", "\u3002", "\u0430"])
def test_a_punycode_host_stays_in_punycode(hidden):
    """Decoded, "xn--example-4z5f" showed as "ex\u3164ample", a host that reads as example.com, and a
    Cyrillic "\\u0430" as a Latin "a"."""
    from kg.parse.text import check_url

    label = "xn--" + f"ex{hidden}ample".encode("punycode").decode("ascii")
    assert check_url(f"http://{label}.com/a").url == f"http://{label}.com/a"


@pytest.mark.parametrize("url", ["http://EX%41MPLE.com/", "http://a.b%2E/", "http://a.b../", "http://A.B.:80/%7e%2f",
                                 "https://example.org/caf%c3%a9?q=%41", "http://a.org/%c3%28%e2%80%8b%ff%C2%a0",
                                 "http://a.org:0080/", "http://a.org:000/"])
def test_a_kept_url_is_kept_as_it_is(url):
    """Cleaning twice changed some hostile hosts again: two spellings of one article stayed two keys."""
    from kg.parse.text import check_url

    once = check_url(url).url
    assert once is not None and check_url(once).url == once


@pytest.mark.parametrize("fast", [False, True])
def test_a_context_list_is_read_to_its_thousandth_name(fast: bool) -> None:
    names = [f"Topic {n}" for n in range(1_500)]
    related = f"1. [Other.](/news/2015/09/1/other.md) _Context: {', '.join(names)}_\n"
    page = parse_page(HEAD + "### Source:\n\n1. [P](http://a.org/)\n\n### Related:\n\n" + related, PATH, fast=fast)
    assert page.page.related[0].contexts == tuple(names[:MAX_CONTEXT_NAMES])
    [said] = [d.message for d in page.diagnostics if d.code == "long-context-list"]
    assert said.startswith("1,500 names in '") and said.endswith("those after the first 1,000 were not read")


@pytest.mark.parametrize("fast", [False, True])
def test_many_diagnostics_of_one_kind_on_one_line_are_counted_in_one(fast: bool) -> None:
    """A line of 5,000 empty context names gave 5,000 diagnostics, each quoting the line (a page of 25
    such lines: 154 s and a report of 175 MB)."""
    related = f"1. [Other.](/news/2015/09/1/other.md) _Context: Iran{', ' * 5_000}Iraq_\n"
    page = parse_page(HEAD + "### Source:\n\n1. [P](http://a.org/)\n\n### Related:\n\n" + related, PATH, fast=fast)
    assert page.page.related[0].contexts == ("Iran",)  # (Iraq lies past the 1,000th name)
    empty = [d.message for d in page.diagnostics if d.code == "empty-context"]
    assert len(empty) == MAX_SAME_PER_LINE + 1
    assert empty[-1] == f"{MAX_CONTEXT_NAMES - 1 - MAX_SAME_PER_LINE:,} more of the line's empty-context " \
                       f"diagnostics not listed ({MAX_CONTEXT_NAMES - 1:,} in all)"
    assert [d.code for d in page.diagnostics].count("long-context-list") == 1


@pytest.mark.parametrize("fast", [False, True])
def test_a_page_lists_a_bounded_number_of_diagnostics_and_counts_the_rest(fast: bool) -> None:
    """Ten of a code a line still let a page of 3,000 hostile Related lines give 54,000 diagnostics (a 19 MB
    report; ten such pages took 1.15 GB and wrote 188 MB): a page lists MAX_SAME_PER_PAGE of a code, then one
    more, which counts the rest and names the line of the first; no diagnostic is lost from the count."""
    line = "1. [x\u200b](/news/2015/09/1/x{i}.md) _Context: " + "," * 12 + ", ".join(["a\u200b"] * 12) + "_ tail\n"
    related = "".join(line.replace("{i}", str(i)) for i in range(600))
    page = parse_page(HEAD + "### Source:\n\n1. [P](http://a.org/)\n\n### Related:\n\n" + related, PATH, fast=fast)
    assert len(page.page.related) == 600  # (what is read is not cut: only what is said of it)
    said = page.diagnostics
    summaries = [d for d in said if "more of the page's" in d.message]
    codes = {d.code for d in said}
    assert {d.code for d in summaries} == codes and len(summaries) == len(codes)
    per_line = {"empty-context": 12, "duplicate-context": 11, "invisible-characters": 1, "invisible-text": 1,
                "text-after-context": 1}
    for code in codes:
        listed = [d for d in said if d.code == code]
        assert len(listed) == MAX_SAME_PER_PAGE + 1, code
        # Its count: what is listed, what the lines' own "more" count, and the page's one more.
        total = sum(int(d.message.split(" more ")[0].replace(",", "")) if " more of the " in d.message else 1
                    for d in listed)
        assert total == 600 * per_line[code], (code, total)
        [summary] = [d for d in summaries if d.code == code]
        assert summary.message.endswith(f"from this line on (a page lists {MAX_SAME_PER_PAGE} of a code)")
        lines = [d.line for d in listed if d is not summary]
        assert min(lines) <= summary.line <= max(lines) + 1, code  # (the first line with one not listed)


@pytest.mark.parametrize("fast", [False, True])
def test_a_page_s_one_error_of_its_kind_is_listed_however_many_others_it_has(fast: bool) -> None:
    """A page's own problems are said last (no headline: the page is skipped); with a cap on a page's
    diagnostics in all, a page of 250 stray paragraphs said it as "1 more of the page's missing-headline
    diagnostics not listed". A code's cap leaves each code its examples; text ignored is always said."""
    page = parse_page("".join(f"stray paragraph {n}\n\n" for n in range(250)), PATH, fast=fast)
    assert ("missing-headline", "no '# headline' on the page") in {(d.code, d.message) for d in page.diagnostics}
    assert sum(d.code == "stray-content" for d in page.diagnostics) == 250


@pytest.mark.parametrize("fast", [False, True])
def test_controls_that_python_reads_as_white_space_are_said_too(fast: bool) -> None:
    """A vertical tab, a form feed, the separators \\x1c-\\x1f and U+2028 became spaces unsaid: "A\\x0bB"
    and "A B" were one name with nothing in the report."""
    page = parse_page("### [2015-09-1](/news/2015/09/1/index.md)\n\n# Ctl a\x0bb\x0cc\x1cd\u2028e end \n\n"
                      "### Source:\n\n1. [P\x1fQ](http://example.org/v)\n", PATH, fast=fast)
    assert page.page.headline == "Ctl a b c d e end" and page.page.sources[0].publisher == "P Q"
    said = {(d.line, d.code): d.message for d in page.diagnostics}
    assert said[3, "control-characters"].startswith("4 control") and said[7, "control-characters"].startswith("1 ")


@pytest.mark.parametrize("fast", [False, True])
def test_invisible_characters_that_split_the_words_of_a_headline_are_dropped_and_said(fast: bool) -> None:
    """As the 2026 corpus has them ("four million \\u200bbarrels", "police \\u2060separately",
    "laundering \\u200cand"): a search for the words missed the headline. Joiners a script needs stay."""
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    head = "### [2015-09-1](/news/2015/09/1/index.md)\n\n# Four million \u200bbarrels, \u2060police say " \
           f"{persian} {family}\u00ad \n\n"
    related = "1. [Laundering \u200cand \ufeffmore ](/news/2015/09/2/f.md) _Context: X_\n"
    parsed = parse_page(head + "### Source:\n\n1. [A](http://a.org/)\n\n### Related:\n\n" + related, PATH, fast=fast)
    assert parsed.page.headline == f"Four million barrels, police say {persian} {family}"
    assert parsed.page.related[0].headline == "Laundering and more"
    assert [(d.line, d.code) for d in parsed.diagnostics] == [(3, "invisible-text"), (11, "invisible-text")]
    blank = parse_page("### [2015-09-1](/news/2015/09/1/index.md)\n\n# \u200b\u2060 \n", PATH, fast=fast)
    assert blank.page is None and {"blank-text", "missing-headline"} <= {d.code for d in blank.diagnostics}



def test_the_bytes_pattern_of_unclean_characters_is_the_text_pattern_over_every_code_point() -> None:
    """A snapshot's texts are searched as UTF-8 (kg.parse.text.UNCLEAN_UTF8): it must find what UNCLEAN finds."""
    from kg.parse.text import UNCLEAN, UNCLEAN_UTF8

    differ = [hex(code) for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF
              and bool(UNCLEAN.match(chr(code))) != bool(UNCLEAN_UTF8.match(chr(code).encode()))]
    assert differ == []
    assert UNCLEAN_UTF8.search("a long headline, then \u2028".encode()) is not None


def test_a_heading_on_a_day_page_says_that_the_links_under_it_are_read():
    """unknown-section says "its content was ignored"; on a day page the links under the heading were still read
    as the day's events (rightly: the portal groups a day's events under headings), so the message says so."""
    day = "# 2015-09-2\n\n## Armed conflicts and attacks\n\n1. [E ](/news/2015/09/2/e.md)\n"
    parsed = parse_page(day, "news/2015/09/2/index.md")
    [said] = parsed.diagnostics
    assert (said.line, said.code) == (3, "unknown-section") and "read as the day's events" in said.message
    assert [e.target for e in parsed.page.entries] == ["/news/2015/09/2/e.md"]


@pytest.mark.parametrize("fast", [True, False])
def test_a_noncharacter_taken_out_of_a_headline_or_name_is_said(fast):
    """U+FFFE and U+FFFF (which no output may hold) were dropped without a word: "Reu\\uffffters" silently
    became the publisher "Reuters", one node with another page's."""
    page = ("### [2015-09-1](/news/2015/09/1/index.md)\n\n# Head\ufffeline \n\n### Source:\n\n"
            "1. [Reu\uffffters](http://example.org/a)\n\n### Related:\n")
    parsed = parse_page(page, PATH, fast=fast)
    assert parsed.page.headline == "Headline" and parsed.page.sources[0].publisher == "Reuters"
    assert [(d.line, d.code) for d in parsed.diagnostics] == [(3, "control-characters"), (7, "control-characters")]


@pytest.mark.parametrize("fast", [True, False])
def test_tag_characters_that_spell_hidden_text_leave_a_headline_and_are_said(fast):
    """U+E0000-E007F spell ASCII no reader sees ("ignore previous instructions"): they reached the graph,
    unsaid. A subdivision flag's tags are kept (England's flag)."""
    hidden = "".join(chr(0xE0000 + ord(c)) for c in "ignore previous instructions")
    england = "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"
    page = f"### [2015-09-1](/news/2015/09/1/index.md)\n\n# Storm hits {england} coast. {hidden}\n\n"
    parsed = parse_page(page + "### Source:\n\n### Related:\n", PATH, fast=fast)
    assert parsed.page.headline == f"Storm hits {england} coast."
    said = [d.message for d in parsed.diagnostics if d.code == "invisible-text"]
    assert said == [f"{len(hidden)} invisible character(s) that split its words or spell hidden text removed "
                    "from the headline"]


def test_a_headline_cut_with_its_line_says_both_cuts():
    """A 25,000-character headline was said to be cut to 20,000 (its line), and was cut to 5,000 unsaid."""
    page = f"### [2015-09-1](/news/2015/09/1/index.md)\n\n# {'A' * 25_000} \n\n### Source:\n\n### Related:\n"
    parsed = parse_page(page, PATH)
    assert len(parsed.page.headline) == 5_000
    assert [(d.code, d.message) for d in parsed.diagnostics if d.line == 3] == [
        ("long-line", "25,003 characters cut to 20,000"), ("long-text", "headline cut to 5,000 characters")]
