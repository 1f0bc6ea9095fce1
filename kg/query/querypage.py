"""The page ``kg serve`` gives a browser at its endpoint: a query box and its answer, offline.

YASGUI, the usual endpoint page, loads its scripts from a CDN, so without the
internet it is blank.  This one is a single document with its script and
style inline and nothing else to fetch: the query is POSTed to the endpoint
itself (a form of the SPARQL protocol), the answer (SPARQL results JSON; a
graph as Turtle) drawn as a table or text, IRIs under the endpoint's
prefixes as prefixed names.  Every value goes into the page as text, never as
markup.

Examples
--------
>>> page = query_page({"context": "https://kg.example.org/news/context/"})
>>> page.startswith(b"<!DOCTYPE html>") and b"<script src" not in page and b"https://kg.example.org" in page
True
"""

from __future__ import annotations

import html
import json

__all__ = ["EXAMPLE_QUERY", "PAGE_POLICY", "query_page"]

#: the query the box holds at first
EXAMPLE_QUERY = """\
# The contexts with the most events
SELECT ?context (COUNT(?event) AS ?events) WHERE {
  ?event a kg:Event ; schema:about ?context .
}
GROUP BY ?context
ORDER BY DESC(?events)
LIMIT 20"""

#: the Content-Security-Policy the page is sent with: its own inline script and style, requests to its origin
PAGE_POLICY = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; "
               "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")

_STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 0; color: #1d2733; background: #f6f7f9; }
header { background: #1d2733; color: #fff; padding: .6rem 1.2rem; display: flex; gap: 1rem; align-items: baseline; }
header h1 { font-size: 1.05rem; margin: 0; font-weight: 600; }
header span { opacity: .75; font-size: .85rem; }
main { padding: 1rem 1.2rem; max-width: 80rem; }
textarea { width: 100%; box-sizing: border-box; min-height: 12rem; font: 14px/1.4 ui-monospace, monospace;
  padding: .6rem; border: 1px solid #b8c1cc; border-radius: 4px; resize: vertical; }
.bar { display: flex; gap: .8rem; align-items: center; margin: .6rem 0 1rem; flex-wrap: wrap; }
button { font: inherit; padding: .35rem 1rem; border: 0; border-radius: 4px; background: #2f6db5; color: #fff;
  cursor: pointer; }
button:disabled { background: #8aa3c0; cursor: wait; }
#status { color: #4a5866; }
#status.error { color: #a8201a; font-weight: 600; }
details { font-size: .85rem; color: #4a5866; }
details code { font-size: .8rem; }
table { border-collapse: collapse; background: #fff; font-size: .9rem; }
th, td { border: 1px solid #d5dbe2; padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: #e9edf2; position: sticky; top: 0; }
td { max-width: 40rem; overflow-wrap: anywhere; }
td.iri { font-family: ui-monospace, monospace; font-size: .82rem; }
pre { background: #fff; border: 1px solid #d5dbe2; padding: .6rem; overflow: auto; }
"""

_SCRIPT = r"""
"use strict";
const prefixes = JSON.parse(document.getElementById("kg-prefixes").textContent);
const box = document.getElementById("query"), run = document.getElementById("run");
const status = document.getElementById("status"), out = document.getElementById("answer");
// As kg query's table names IRIs (kg.query.pnames, the same rules): prefixed where a local name can
// write them, escaped so that they paste back into a query.
const BASE = [[0xC0, 0xD6], [0xD8, 0xF6], [0xF8, 0x2FF], [0x370, 0x37D], [0x37F, 0x1FFF], [0x200C, 0x200D],
  [0x2070, 0x218F], [0x2C00, 0x2FEF], [0x3001, 0xD7FF], [0xF900, 0xFDCF], [0xFDF0, 0xFFFD]];
const INNER = [[0xB7, 0xB7], [0x300, 0x36F], [0x203F, 0x2040]];
const within = (ranges, c) => ranges.some(r => c.codePointAt(0) >= r[0] && c.codePointAt(0) <= r[1]);
const bare = (c, first) => c < "\x80" ? /[A-Za-z0-9_:]/.test(c) || (c === "-" && !first)
  : within(BASE, c) || (!first && within(INNER, c));
function local(text) {
  const chars = Array.from(text);  // code points, as Python counts them
  let s = "";
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === "%" && /^[0-9A-Fa-f]{2}$/.test(chars.slice(i + 1, i + 3).join(""))) {
      s += chars.slice(i, i + 3).join(""); i += 2;
    } else if (bare(c, i === 0)) s += c;
    else if ("_~.-!$&'()*+,;=/?#@%".includes(c)) s += "\\" + c;
    else return null;
  }
  return s;
}
function short(iri) {
  let best = null;
  for (const [name, ns] of Object.entries(prefixes)) {
    if (iri.startsWith(ns) && (!best || ns.length > best[1].length)) {
      const rest = local(iri.slice(ns.length));
      if (rest) best = [name + ":" + rest, ns];
    }
  }
  return best ? best[0] : iri;
}
function cell(term) {
  const td = document.createElement("td");
  if (!term) return td;
  if (term.type === "uri") { td.textContent = short(term.value); td.title = term.value; td.className = "iri"; }
  else if (term.type === "bnode") td.textContent = "_:" + term.value;
  else td.textContent = term.value;
  return td;
}
function say(text, error) { status.textContent = text; status.className = error ? "error" : ""; }
// The query's form, as kg.query.querytext reads it: a graph is asked for as Turtle, the rest as JSON results.
function form(query) {
  const bare = query.replace(/<[^<>\s]*>/g, "<>").replace(/#[^\n]*/g, " ")
    .replace(/^\s*(?:(?:PREFIX\s+[^\s:]*:\s*|BASE\s*)<>\s*)*/i, "");
  return ((bare.match(/^[A-Za-z]+/) || [""])[0]).toUpperCase();
}
async function ask() {
  run.disabled = true; out.replaceChildren(); say("running…");
  const started = performance.now();
  const graph = ["CONSTRUCT", "DESCRIBE"].includes(form(box.value));
  try {
    const response = await fetch(location.pathname, {method: "POST",
      headers: {"Content-Type": "application/x-www-form-urlencoded",
                "Accept": graph ? "text/turtle" : "application/sparql-results+json"},
      body: new URLSearchParams({query: box.value})});
    const type = response.headers.get("content-type") || "", body = await response.text();
    const took = Math.round(performance.now() - started) + " ms";
    if (!response.ok) {
      let message = body;
      try { message = JSON.parse(body).message; } catch (e) { /* not JSON: the text as it is */ }
      say(`HTTP ${response.status}: ${message}`, true);
      return;
    }
    const cut = response.headers.get("x-kg-truncated");
    const note = cut ? ` (cut at ${Number(cut).toLocaleString()}: the server's --max-rows)` : "";
    if (type.startsWith("application/sparql-results+json")) {
      const data = JSON.parse(body);
      if ("boolean" in data) { say(`${data.boolean} · ${took}`); return; }
      const names = data.head.vars, rows = data.results.bindings;
      const table = document.createElement("table"), head = table.createTHead().insertRow();
      for (const name of names) { const th = document.createElement("th"); th.textContent = name; head.append(th); }
      const tbody = table.createTBody();
      for (const row of rows) { const tr = tbody.insertRow(); for (const name of names) tr.append(cell(row[name])); }
      out.append(table);
      say(`${rows.length.toLocaleString()} row${rows.length === 1 ? "" : "s"}${note} · ${took}`);
    } else {
      const pre = document.createElement("pre");
      pre.textContent = body;
      out.append(pre);
      say(`a graph (${type.split(";")[0]})${note} · ${took}`);
    }
  } catch (err) {
    say("the endpoint did not answer: " + err, true);
  } finally {
    run.disabled = false;
  }
}
// A run puts its query in the address, so that the page (and its answer) can be bookmarked or sent on:
// the endpoint gives a browser that opens such a link this page again, the query in its box, run at once.
function remember() {
  try { history.replaceState(null, "", location.pathname + "?" + new URLSearchParams({query: box.value})); }
  catch (e) { /* an address too long to keep: the answer is shown all the same */ }
}
run.addEventListener("click", () => { remember(); ask(); });
if (document.body.dataset.run === "yes") ask();
box.addEventListener("keydown", e => {
  if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); remember(); ask(); }
});
"""


def query_page(prefixes: dict[str, str], title: str = "kg · SPARQL", query: str | None = None) -> bytes:
    """The page's HTML, its prefixes bound as the endpoint binds them (listed under the box); with a
    ``query`` (a link to the endpoint opened in a browser), that query in the box, run as the page opens.

    >>> b'data-run="no"' in query_page({}) and b'data-run="yes"' in query_page({}, query="ASK {}")
    True
    """
    # No "<" at all in the <script> element ("</script", "<!--" could end it or change how it is read):
    # written as "\\u003c" the JSON is the same.
    bound = json.dumps(prefixes, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")
    listed = "<br>".join(f"<code>PREFIX {html.escape(name)}: &lt;{html.escape(ns)}&gt;</code>"
                         for name, ns in sorted(prefixes.items()))
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>{_STYLE}</style>
</head>
<body data-run="{'no' if query is None else 'yes'}">
<header><h1>{html.escape(title)}</h1><span>read-only SPARQL 1.1 endpoint</span></header>
<main>
<label for="query">Query</label>
<textarea id="query" spellcheck="false">{html.escape(EXAMPLE_QUERY if query is None else query)}</textarea>
<div class="bar"><button id="run" type="button">Run</button><span>Ctrl+Enter runs it too</span>
<span id="status" role="status" aria-live="polite"></span></div>
<details><summary>Prefixes bound without a PREFIX line</summary>{listed}</details>
<div id="answer"></div>
</main>
<script type="application/json" id="kg-prefixes">{bound}</script>
<script>{_SCRIPT}</script>
</body>
</html>
""".encode()
