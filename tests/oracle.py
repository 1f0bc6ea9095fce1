"""An independent reading of the sample corpus, from its raw records.

``events.json`` holds the normalised records the pages were written from.
Following the conversion rules in ``SOURCE.md`` (not our parser), this
recomputes every Related line and so what a careful reader of the markdown
must find: each event's contexts (own lines plus lines pointing at it, names
split on ", " as the markdown forces).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from kg.parse.slug import slugify


@dataclass(frozen=True)
class OracleLink:
    source: str
    target: str
    rank: int
    contexts: tuple[str, ...]


def page_path(date: str, headline: str) -> str:
    y, m, d = date.split("-")
    return f"news/{y}/{m}/{int(d)}/{slugify(headline)}.md"


def naive_split(names: list[str]) -> list[str]:
    out: list[str] = []
    for part in ", ".join(names).split(", "):
        if part not in out:
            out.append(part)
    return out


def whole_names(names: list[str]) -> list[str]:
    """The names as the raw records have them, once each: a reader told the names with a comma."""
    return list(dict.fromkeys(names))


def related_links(corpus: Path, split: Callable[[list[str]], list[str]] = naive_split,
                  ) -> tuple[dict[str, dict], list[OracleLink]]:
    records = json.loads((corpus / "events.json").read_text(encoding="utf-8"))
    events = {page_path(r["date"], r["headline"]): r for r in records}
    by_context: dict[str, set[str]] = defaultdict(set)
    for path, r in events.items():
        for c in r["contexts"]:
            by_context[c].add(path)
    links: list[OracleLink] = []
    for path, r in events.items():
        shared: dict[str, list[str]] = defaultdict(list)
        for c in r["contexts"]:
            for other in by_context[c]:
                if other != path:
                    shared[other].append(c)
        # date descending, then path ascending: two stable sorts
        ranked = sorted(shared, key=lambda p: p)
        ranked = sorted(ranked, key=lambda p: (-len(shared[p]), _neg_date(events[p]["date"])))
        for rank, other in enumerate(ranked[:10], start=1):
            names = sorted(shared[other], key=str.lower)
            links.append(OracleLink(path, other, rank, tuple(split(names))))
    return events, links


def _neg_date(date: str) -> tuple[int, ...]:
    return tuple(-int(x) for x in date.split("-"))


def event_contexts(links: list[OracleLink]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for link in links:
        out[link.source].update(link.contexts)
        out[link.target].update(link.contexts)
    return out


def organization_key_by_hand(name: str) -> str:
    """What README says spellings of one organization share: letters and digits, in any case, with or
    without accents, and a leading "The" aside (not before one word of three letters or fewer), a last "Online",
    an "and" between words, and a "News" after initials (words of at most three)."""
    words = _words_by_hand(name)
    joined = "".join(words)
    # (initials: what comes before a last word "news", or a last word's "news": "i24NEWS")
    before = joined[:-4] if joined.endswith("news") and (len(words) > 1 or words[0] != "news") else ""
    if len(before) >= 2 and all(len(w) <= 3 for w in [*words[:-1], words[-1][:-4]]):
        return before
    return joined


def _words_by_hand(name: str) -> list[str]:
    plain = "".join(c for c in unicodedata.normalize("NFD", name.lower()) if unicodedata.category(c) != "Mn")
    words = re.findall(r"[^\W_]+", plain)
    if words[-1:] == ["online"] and len(words) > 1 and words[-2] != "the":  # ("The Online" is "Online")
        words.pop()
    while len(words) > 1 and words[0] == "the":
        if len(words) == 2 and len(words[1]) <= 3:  # ("The Sun" keeps its "The")
            break
        words.pop(0)
    return [w for k, w in enumerate(words) if w != "and" or k in (0, len(words) - 1)]


def organization_labels_by_hand(spellings: set[str], pages: Mapping[str, int] | None = None) -> dict[str, str]:
    """Each spelling -> its organization's label, as README says it is chosen: the most accented letters,
    then the one the most ``pages`` write,
    one without the "News" of a news service,
    the most capitals (not counting a leading "The" or a word of five letters or more all in capitals), the
    fewest spaces and hyphens after a leading "The", one without "The", and the first in code-point order."""
    groups: dict[str, list[str]] = defaultdict(list)
    for name in spellings:
        groups[organization_key_by_hand(name)].append(name)

    def untitled(name: str) -> str:
        return name[4:] if name.lower().startswith("the ") and name[4:].strip() else name

    def accents(name: str) -> int:
        return sum(unicodedata.category(c) == "Mn" for c in unicodedata.normalize("NFD", name))

    def service(name: str) -> bool:  # (True ranks first: one without the "News")
        return "".join(_words_by_hand(name)) == organization_key_by_hand(name)

    def capitals(name: str) -> int:
        shouting = [w for w in untitled(name).split() if sum(c.isalpha() for c in w) >= 5 and w.upper() == w]
        return sum(c.isupper() for w in untitled(name).split() if w not in shouting for c in w)

    def label(names: list[str]) -> str:
        left = names
        written = pages or {}
        for measure in (accents, lambda n: written.get(n, 0), service, capitals,
                        lambda n: -untitled(n).count(" ") - untitled(n).count("-"), lambda n: untitled(n) == n):
            best = max(map(measure, left))
            left = [n for n in left if measure(n) == best]
        return sorted(left)[0]

    return {name: label(groups[organization_key_by_hand(name)]) for name in spellings}
