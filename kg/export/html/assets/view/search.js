  // ------------------------------------------------------------ search
  var searchBox = document.getElementById('kg-search');
  var suggest = document.getElementById('kg-suggest');
  var active = -1;

  /* Entities first (the name itself or, typed in capitals, its initials; then beginning with the words
   * typed, holding it as a whole word, at a word's start, holding each of its words, mid-word; busiest
   * first), then headlines (newest first). */
  function suggestions(text, limit, quick) {
    var q = fold(text).trim();
    if (!q || !A) { return []; }
    limit = limit || 12;
    var found = [];
    // The words of a query of several, each found anywhere ("iran sanctions", "hormuz strait",
    // "israel-hezbollah"), after the text found as typed (as kg.export.html.ranking's rank).
    var words = /[ -]/.test(q) ? q.split(/[ -]+/).filter(Boolean) : null;
    if (words && !words.length) { words = null; }  // (dashes alone hold no word)
    // A short word typed in capitals may be a name's initials ("UK": "United Kingdom" before "Ukraine",
    // "FBI": "Federal Bureau of Investigation", "US": "United States" with "U.S.").
    var abbreviation = /^\p{Lu}{2,5}$/u.test(String(text).trim()) ? q : null;  // (typed in capitals)
    if (abbreviation && !A.initials) { A.initials = A.foldedNames.map(initialsOf); }
    for (var i = 0; i < A.N; i += 1) {
      var name = A.foldedNames[i];
      var initial = abbreviation !== null && name !== q &&
        (A.initials[i] === abbreviation || ALSO_INITIALS.get(abbreviation) === name);
      var place = placeOf(name, q);
      // 0 the name itself; typed in capitals, 1 a name whose first word it is ("JD": "JD Vance"), 2 whose
      // initials it is: these three busiest first ("US": "United States" before "U.S."); then 3 a name
      // that begins with the words typed ("Hezbollah–Israel conflict"), 4 holding it as a whole word,
      // 5 at a word's start, 6 each word typed, 7 only inside a word.
      var rank = name === q ? 0 : abbreviation !== null && name.lastIndexOf(q, 0) === 0 && place === 1 &&
        !WORD_CHAR.test(name.charAt(q.length)) ? 1 : initial ? 2 : words && words.length > 1 && leads(name, words)
        ? 3 : place < 0 ? -1 : place + 3;
      if ((rank < 0 || rank > 6) && words && holdsAll(name, words)) { rank = 6; }
      if (rank < 0) { continue; }
      found.push({ rank: rank, tier: Math.max(rank, 2), n: eventsInPeriod(i).length, i: i });
    }
    found.sort(function (a, b) { return a.tier - b.tier || b.n - a.n || a.rank - b.rank || a.i - b.i; });
    var out = found.slice(0, limit).map(function (f) {
      return { id: A.entity_iri[f.i], kind: entityKind(f.i), text: A.entity_name[f.i], detail: events(A.total[f.i]) };
    });
    var taken = new Set();
    [function (h) { return h.indexOf(q) >= 0; }, words && function (h) { return holdsAll(h, words); }]
      .forEach(function (holds) {
        for (var ev = A.E - 1; holds && textsReady && ev >= 0 && out.length < limit; ev -= 1) {
          if (!taken.has(ev) && holds(foldedHeadline(ev))) {
            taken.add(ev);
            out.push({ id: A.eventIri(ev), kind: 'event', text: A.event_headline(ev), detail: day(ev) });
          }
        }
      });
    return out.length || q.length < 3 || quick ? out : nearlySpelt(q, 5);
  }

  /* Entities whose name, or a word of it, is spelt nearly as `q` ("zelenskiy": "Volodymyr Zelenskyy",
   * "ukriane": "Ukraine", "kiev": "Kyiv"), closest first: offered when nothing holds what was typed.
   * As kg html --focus names the closest names (kg.parse.text.closest_names, whose likeness is
   * difflib's ratio): names alike by 0.6 or more and nearly as alike as the closest, then names with a
   * word alike by 0.8 or more; of names folded alike, the busiest first. */
  function nearlySpelt(q, limit) {
    if (!A.nearNames) {
      A.nearNames = new Map();  // folded name: its entities
      A.nearWords = new Map();  // a word of four letters or more of a longer name: the names holding it
      A.foldedNames.forEach(function (name, i) {
        if (!A.nearNames.has(name)) { A.nearNames.set(name, []); }
        A.nearNames.get(name).push(i);
        name.split(' ').forEach(function (word) {
          if (word.length >= 4 && word !== name) {
            if (!A.nearWords.has(word)) { A.nearWords.set(word, []); }
            var holding = A.nearWords.get(word);
            if (holding[holding.length - 1] !== name) { holding.push(name); }
          }
        });
      });
    }
    var close = closeMatches(q, A.nearNames.keys(), limit, 0.6);
    if (close.length) {  // only those nearly as close as the closest: "Ravine" is no guess for "Ukriane"
      var best = likeness(q, close[0]);
      close = close.filter(function (name) { return likeness(q, name) >= best - 0.08; });
    }
    if (close.length < limit && q.length >= 4) {
      closeMatches(q, A.nearWords.keys(), limit, 0.8).forEach(function (word) {
        A.nearWords.get(word).forEach(function (name) { if (close.indexOf(name) < 0) { close.push(name); } });
      });
    }
    if (close.length < limit) {  // a name holding it ("putin": "Vladimir Putin"), shortest first
      Array.from(A.nearNames.keys()).filter(function (name) { return name.indexOf(q) >= 0 && close.indexOf(name) < 0; })
        .sort(function (x, y) { return x.length - y.length; }).forEach(function (name) { close.push(name); });
    }
    var out = [];
    close.slice(0, limit).forEach(function (name) {
      A.nearNames.get(name).slice().sort(function (x, y) {
        return eventsInPeriod(y).length - eventsInPeriod(x).length || x - y;
      }).forEach(function (i) {
        out.push({ id: A.entity_iri[i], kind: entityKind(i), text: A.entity_name[i], detail: events(A.total[i]), near: true });
      });
    });
    return out.slice(0, limit);
  }

  /* The `n` of `known` most like `q` by `cutoff` or more, most alike first (difflib.get_close_matches). */
  function closeMatches(q, known, n, cutoff) {
    var scored = [];
    Array.from(known).forEach(function (x) {
      if (2 * Math.min(x.length, q.length) / (x.length + q.length) < cutoff) { return; }  // (too long or short)
      var score = likeness(x, q);
      if (score >= cutoff) { scored.push([score, x]); }
    });
    scored.sort(function (u, v) { return v[0] - u[0] || (u[1] < v[1] ? 1 : u[1] > v[1] ? -1 : 0); });
    return scored.slice(0, n).map(function (u) { return u[1]; });
  }

  /* How alike two texts are: twice the letters in their matching blocks over both lengths, the blocks
   * found as difflib.SequenceMatcher finds them (the longest first, then on either side of it). */
  function likeness(a, b) {
    if (!a.length && !b.length) { return 1; }
    var at = new Map();  // a letter of b: where it is in b
    for (var j = 0; j < b.length; j += 1) {
      if (!at.has(b[j])) { at.set(b[j], []); }
      at.get(b[j]).push(j);
    }
    var matched = 0;
    var todo = [[0, a.length, 0, b.length]];
    while (todo.length) {
      var r = todo.pop();
      var besti = r[0];
      var bestj = r[2];
      var size = 0;
      var runs = new Map();
      for (var i = r[0]; i < r[1]; i += 1) {
        var next = new Map();
        var places = at.get(a[i]) || [];
        for (var k = 0; k < places.length; k += 1) {
          var jj = places[k];
          if (jj < r[2]) { continue; }
          if (jj >= r[3]) { break; }
          var run = (runs.get(jj - 1) || 0) + 1;
          next.set(jj, run);
          if (run > size) { besti = i - run + 1; bestj = jj - run + 1; size = run; }
        }
        runs = next;
      }
      if (size) {
        matched += size;
        if (r[0] < besti && r[2] < bestj) { todo.push([r[0], besti, r[2], bestj]); }
        if (besti + size < r[1] && bestj + size < r[3]) { todo.push([besti + size, r[1], bestj + size, r[3]]); }
      }
    }
    return 2 * matched / (a.length + b.length);
  }

  /* Whether folded `name`'s first words are `words`, in any order, after a year that leads it: the name
   * of the thing typed ("israel-hezbollah": "Hezbollah–Israel conflict", "2026 Israel–Hezbollah war"),
   * not one that speaks of it further on. As kg.export.html.ranking's leads. */
  function leads(name, words) {
    var held = name.split(/[ -]+/).filter(Boolean);
    if (held.length && /^\d{4}$/.test(held[0]) && words.indexOf(held[0]) < 0) { held = held.slice(1); }
    return held.slice(0, words.length).sort().join(' ') === words.slice().sort().join(' ');
  }

  /* Where folded `name` holds `q`: 1 as a whole word (or words: "gaza" in "Gaza Strip", "us" in
   * "Georgia (U.S. state)"), 2 at a word's start ("ukr": "Ukraine"), 4 only inside a word ("usa" in
   * "Jerusalem", after the names holding each word typed, 3); -1 not at all. As kg.export.html.ranking's rank. */
  function placeOf(name, q) {
    var best = -1;
    var closed = !WORD_CHAR.test(q.charAt(q.length - 1));  // (what is typed ends a word: "georgia (")
    for (var at = name.indexOf(q); at >= 0; at = name.indexOf(q, at + 1)) {
      if (at > 0 && WORD_CHAR.test(name.charAt(at - 1)) && WORD_CHAR.test(q.charAt(0))) {
        if (best < 0) { best = 4; }
      } else if (closed || at + q.length >= name.length || !WORD_CHAR.test(name.charAt(at + q.length))) {
        return 1;
      } else {
        best = 2;
      }
    }
    return best;
  }
  var WORD_CHAR = /[\p{L}\p{N}]/u;

  // Initialisms that are not the initials of the name they stand for ("USA": "United States"); as
  // kg.export.html.ranking's ALSO_INITIALS.
  var ALSO_INITIALS = new Map([['usa', 'united states'], ['ussr', 'soviet union'], ['dprk', 'north korea']]);

  // Words that initials leave out ("Federal Bureau of Investigation": FBI); as kg.export.html.explorer.
  var MINOR_WORDS = new Set(['a', 'an', 'and', 'at', 'de', 'del', 'des', 'du', 'el', 'et', 'for', 'in', 'la', 'le',
    'of', 'on', 'the', 'to', 'y']);
  /* The initials of a folded name of two words or more, its minor words left out ("" for one word). */
  function initialsOf(name) {
    var words = name.split(/[ -]+/).filter(function (w) { return w && !MINOR_WORDS.has(w); });
    if (words.length < 2) { return ''; }
    return words.map(function (w) { var m = w.match(/[\p{L}\p{N}]/u); return m ? m[0] : ''; }).join('');
  }

  function foldedHeadline(ev) {
    var f = A.foldedHeadlines[ev];
    if (f === undefined) { f = A.foldedHeadlines[ev] = fold(A.event_headline(ev)); }
    return f;
  }

  /* Fold headlines, newest first (the order search reads them), while the page is idle. */
  function foldWhenIdle(from) {
    var later = window.requestIdleCallback || function (f) { return setTimeout(function () { f(null); }, 50); };
    later(function (deadline) {
      var stop = performance.now() + (deadline ? Math.min(deadline.timeRemaining(), 20) : 10);
      var ev = from;
      while (ev >= 0 && performance.now() < stop) {
        for (var k = 0; k < 200 && ev >= 0; k += 1, ev -= 1) { foldedHeadline(ev); }
      }
      if (ev >= 0) { foldWhenIdle(ev); }
    });
  }

  function showSuggestions(list) {
    suggest.replaceChildren();
    active = -1;
    searchBox.removeAttribute('aria-activedescendant');  // (it named an option just removed)
    if (list.length && list[0].near) {  // nothing holds what was typed: say so above the guesses
      var said = el('li', { className: 'kg-hint', text: 'Nothing matches; did you mean (Enter twice or click):' });
      said.setAttribute('role', 'option');
      said.setAttribute('aria-disabled', 'true');
      suggest.appendChild(said);
    }
    list.forEach(function (s, k) {
      var item = el('li', { id: 'kg-suggest-' + k, className: 'kg-suggestion' },
        [el('span', { className: 'kg-kind', text: cfg.nodeTypes[s.kind].label + ' ' }),
          el('span', { text: short(s.text, 90) }), el('span', { className: 'kg-detail', text: ' ' + s.detail })]);
      item.setAttribute('role', 'option');
      item.setAttribute('aria-selected', 'false');
      item.addEventListener('mousedown', function (evt) { evt.preventDefault(); go(s.id); });
      suggest.appendChild(item);
    });
    if (!list.length && searchBox.value.trim()) {
      var hint = el('li', { className: 'kg-hint', text: A ? 'Nothing matches.' : 'Loading the archive\u2026' });
      hint.setAttribute('role', 'option');  // the listbox's only child: an option, never chosen
      hint.setAttribute('aria-disabled', 'true');
      suggest.appendChild(hint);
    }
    suggest.hidden = !suggest.children.length;
    searchBox.setAttribute('aria-expanded', String(!suggest.hidden));
    suggest.current = list;
  }

  function go(id) {
    suggest.hidden = true;
    searchBox.setAttribute('aria-expanded', 'false');
    return api.ready.then(function () { return select(id); });
  }

  function markActive(k) {
    var items = suggest.querySelectorAll('.kg-suggestion');
    items.forEach(function (item, j) {
      item.classList.toggle('kg-active', j === k);
      item.setAttribute('aria-selected', String(j === k));  // what a screen reader announces as chosen
    });
    active = k;
    if (items[k]) { searchBox.setAttribute('aria-activedescendant', items[k].id); }
  }

  // As one types, what holds the text at once; the names spelt nearly so (a pass over every name)
  // once the keys rest.
  var nearTimer = null;
  searchBox.addEventListener('input', function () {
    clearTimeout(nearTimer);
    var typed = searchBox.value;
    var list = suggestions(typed, undefined, true);
    showSuggestions(list);
    if (!list.length) {
      nearTimer = setTimeout(function () { if (searchBox.value === typed) { showSuggestions(suggestions(typed)); } }, 250);
    }
  });
  searchBox.addEventListener('keydown', function (evt) {
    var list = suggest.current || [];
    if (evt.key === 'ArrowDown' && !list.length && searchBox.value.trim()) {
      // (a key pressed before the keys rested: look for the names spelt nearly so now)
      clearTimeout(nearTimer);
      showSuggestions(suggestions(searchBox.value));
      list = suggest.current || [];
    }
    if (evt.key === 'ArrowDown' && list.length) { evt.preventDefault(); markActive(Math.min(active + 1, list.length - 1)); }
    if (evt.key === 'ArrowUp' && list.length) { evt.preventDefault(); markActive(Math.max(active - 1, 0)); }
    if (evt.key === 'Enter') {
      evt.preventDefault();
      clearTimeout(nearTimer);  // (else the list shown here is shown again, unchosen, when it fires)
      var fresh = suggestions(searchBox.value);
      var pick = active >= 0 && list[active] ? list[active] : fresh[0];
      // (a guess at a misspelling is gone to when chosen, not on Enter alone: Enter marks the first
      // guess, and a second Enter goes there)
      if (pick && (active >= 0 || !pick.near)) { go(pick.id); } else {
        showSuggestions(fresh);
        if (pick) { markActive(0); }
      }
    }
    if (evt.key === 'Escape') { evt.preventDefault(); evt.stopPropagation(); searchBox.value = ''; showSuggestions([]); }
  });
  searchBox.addEventListener('blur', function () {
    // (a guess marked, then the box left: Enter on coming back must not go to what is not shown)
    suggest.hidden = true;
    markActive(-1);
    searchBox.removeAttribute('aria-activedescendant');
  });

  // ------------------------------------------------------------ the view in the URL
  /* The view (selection, period, expansions, hidden kinds) lives in the page's fragment, so
   * that it can be bookmarked or sent, and Back returns to the view before.  Nodes are named
   * by stable keys (an entity's kind and name, an event's day and slug), never by indices,
   * so that a link still opens after the corpus is built again.  A fragment is only read,
   * never run or shown as markup: what the page does not know in it is ignored, and said. */
  var LINK_MAX = 8000;       // characters of a fragment read at all
  var LINK_EXPANSIONS = 30;  // expansions a fragment may ask for
  var PERIOD_MERGE_MS = 1000;  // period changes this close together are one history entry
  var framed = (function () { try { return window.self !== window.top; } catch (err) { return true; } }());
  var link = { on: false, restoring: false, queued: false, shown: null, written: '', note: '', periodAt: -1e9 };

  function keyOf(id) {
    var ref = lookup(id);
    if (ref.kind === 'entity') { return entityKind(ref.i) + ':' + A.entity_name[ref.i]; }
    var iri = A.eventIri(ref.i);
    var prefix = cfg.archive.prefixes.event;
    return 'event:' + (prefix && iri.slice(0, prefix.length) === prefix ? iri.slice(prefix.length) : iri);
  }

  /* The node id a key names, or null. */
  function idOfKey(key) {
    var colon = key.indexOf(':');
    var kind = key.slice(0, colon);
    var rest = key.slice(colon + 1);
    if (colon < 0 || !rest) { return null; }
    if (kind === 'event') {
      var hit = lookup(cfg.archive.prefixes.event + rest) || lookup(rest);
      return hit && hit.kind === 'event' ? A.eventIri(hit.i) : null;
    }
    if (kind !== 'context' && kind !== 'publisher') { return null; }
    if (!A.entityByKey) {
      A.entityByKey = new Map();
      // The name as written first; else as the end of its IRI, the form kg query prints
      // (context:United_States, context:Merck_%26_Co%2E), read once decoded as the fragment is.
      A.entityByLocal = new Map();
      for (var i = A.N - 1; i >= 0; i -= 1) {
        A.entityByKey.set(entityKind(i) + ':' + A.entity_name[i], i);
        var iri = A.entity_iri[i];
        A.entityByLocal.set(entityKind(i) + ':' + safeDecode(iri.slice(iri.lastIndexOf('/') + 1)), i);
      }
    }
    var found = A.entityByKey.get(kind + ':' + rest);
    if (found === undefined) { found = A.entityByLocal.get(kind + ':' + rest); }
    return found === undefined ? null : A.entity_iri[found];
  }

  /* Expanded nodes that no depth of 2 expanded, in the order they were expanded. */
  function topExpansions() {
    var deep = new Set();
    expansions.forEach(function (x) { (x.deep || []).forEach(function (child) { deep.add(child); }); });
    return Array.from(expansions.keys()).filter(function (id) { return !deep.has(id); });
  }

  // (':' and '/' stay readable; '&', '=', '#', '%' and '+' are encoded)
  function encodePart(text) { return encodeURIComponent(text).replace(/%3A/g, ':').replace(/%2F/g, '/'); }

  /* The view as its fragment, in parts (to tell what changed) and `text`. */
  function linkOf() {
    var sel = selected !== null && owners.has(selected) ? 'select=' + encodePart(keyOf(selected))
      : cfg.focus ? 'select=' : '';  // (a page that opens on a focus says that none is selected)
    var period = [range.since ? 'from=' + range.since : '', range.until ? 'to=' + range.until : ''];
    var open = topExpansions().map(function (id) {
      return (depthOf(id) === 2 ? 'expand2=' : 'expand=') + encodePart(keyOf(id));
    });
    var hidden = Object.keys(typeOn).filter(function (k) { return !typeOn[k]; })
      .concat(Object.keys(edgeOn).filter(function (k) { return !edgeOn[k]; }));
    var parts = { select: sel, period: period.filter(Boolean).join('&'), expand: open.join('&'),
      hide: hidden.length ? 'hide=' + hidden.join(',') : '' };
    parts.text = [parts.select, parts.period, parts.expand, parts.hide].filter(Boolean).join('&');
    return parts;
  }

  function quoted(text) { return '\u201c' + short(text, 60) + '\u201d'; }

  /* A date of the fragment: a real day, brought into the archive as the date boxes bring it. */
  function linkDay(text) {
    if (!isDay(text) || A.firstDay === null) { return null; }
    return text < A.firstDay ? A.firstDay : text > A.lastDay ? A.lastDay : text;
  }

  /* Whether `text` is a day of the calendar written YYYY-MM-DD. */
  function isDay(text) {
    if (typeof text !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(text)) { return false; }
    var d = new Date(text + 'T00:00:00Z');
    return !isNaN(d) && d.toISOString().slice(0, 10) === text;
  }

  /* A fragment read into a view (see applyView), and what of it was ignored and why. */
  function parseLink(text) {
    var view = { select: null, since: null, until: null, expand: [], hide: [] };
    var notes = [];
    var moved = [];  // dates brought into the archive: taken, and said
    var written = { from: null, to: null };  // the dates as the link has them
    var used = 0;  // parts taken
    if (text.length > LINK_MAX) { return { view: null, used: 0, notes: ['it is ' + num(text.length) + ' characters long'], moved: [] }; }
    text.split('&').forEach(function (part) {
      if (!part) { return; }
      var eq = part.indexOf('=');
      var name = part.slice(0, eq < 0 ? part.length : eq);
      var value;
      try { value = decodeURIComponent(part.slice(name.length + 1).replace(/\+/g, ' ')); } catch (err) { value = null; }
      if (value === null || ['select', 'from', 'to', 'expand', 'expand2', 'hide'].indexOf(name) < 0) {
        notes.push(quoted(value === null ? part : safeDecode(part)) + ' not understood');
        return;
      }
      if (name === 'from' || name === 'to') {
        var d = linkDay(value);
        if (d === null) { notes.push(quoted(value) + ' is not a day of the archive'); } else { view[name === 'from' ? 'since' : 'until'] = d; used += 1; }
        if (d !== null) { written[name] = value; }
        if (d !== null && d !== value) {
          moved.push(name + ' ' + value + ' read as ' + d + ', the archive\u2019s ' + (value < A.firstDay ? 'first' : 'last') + ' day');
        }
      } else if (name === 'hide') {
        value.split(',').forEach(function (k) {
          if (typeOn.hasOwnProperty(k) || edgeOn.hasOwnProperty(k)) { view.hide.push(k); used += 1; } else { notes.push(quoted(k) + ' is no kind'); }
        });
      } else if (name === 'select' && value === '') {
        view.select = null;
        used += 1;
      } else {
        var id = idOfKey(value);
        if (id === null) {
          notes.push(notANode(value));
        } else if (name === 'select') {
          view.select = id;
          used += 1;
        } else if (view.expand.length < LINK_EXPANSIONS) {
          view.expand.push([id, name === 'expand2' ? 2 : 1]);
          used += 1;
        } else {
          notes.push('more than ' + LINK_EXPANSIONS + ' expansions');
        }
      }
    });
    if (view.since && view.until && written.from <= written.to &&
        (written.to < A.firstDay || written.from > A.lastDay)) {
      // (not a day of the archive's edge: nothing of the period is there)
      notes.push('from ' + written.from + ' to ' + written.to + ' holds no day of the archive (' + A.firstDay +
        ' to ' + A.lastDay + ')');
      view.since = view.until = null;
      used -= 2;
    } else if (view.since && view.until && view.since > view.until) {
      notes.push('from ' + written.from + ' is after to ' + written.to);
      view.since = view.until = null;
      used -= 2;
    }
    return { view: view, used: used, notes: notes.filter(function (n, k) { return notes.indexOf(n) === k; }),
      moved: view.since === null && view.until === null ? [] : moved.filter(function (n, k) { return moved.indexOf(n) === k; }) };
  }

  /* Why a link's `key` names no node of the page, with the nearest names (as kg html --focus says it):
   * `context:Irann` "did you mean “Iran” \u2026?"; an organization is no node, its publishers are. */
  function notANode(key) {
    var colon = key.indexOf(':');
    var kind = key.slice(0, colon);
    var rest = key.slice(colon + 1);
    if (colon < 0 || !rest || ['context', 'publisher', 'event', 'organization'].indexOf(kind) < 0) {
      return quoted(key) + ' names no node';
    }
    var makers = kind === 'event' ? [] : publishersOf(rest);
    if (kind === 'organization') {
      return 'organization ' + quoted(rest) + ' is no node: the page draws publishers, not organizations' +
        (makers.length ? ' (its ' + num(makers.length) + ' publisher' + (makers.length > 1 ? 's' : '') + ' here: ' +
          makers.slice(0, 3).map(quoted).join(', ') + (makers.length > 3 ? ', \u2026)' : ')') : ', and none of its publishers is here');
    }
    var said = 'no ' + kind + ' ' + quoted(rest) + ' in this page';
    if (kind === 'publisher' && makers.length) {  // ("publisher:AFP": no source writes AFP alone)
      return said + ': no source writes it alone (organization ' + quoted(rest) + ' has ' + num(makers.length) +
        ' publisher' + (makers.length > 1 ? 's' : '') + ' here: ' + makers.slice(0, 3).map(quoted).join(', ') +
        (makers.length > 3 ? ', \u2026)' : ')');
    }
    // Names of every kind, closest first, as --focus guesses them (a link's kind may be what was
    // misremembered: "context:9to5Googel" is the publisher 9to5Google); another kind is said.
    var guesses = kind === 'event' ? [] : nearlySpelt(fold(rest.replace(/_/g, ' ')).trim(), 3);
    return said + (guesses.length ? ': did you mean ' + guesses.map(function (g) {
      return (g.kind === kind ? '' : g.kind + ' ') + quoted(g.text);
    }).join(' or ') + '?' : '');
  }

  /* The publishers of the page made or distributed by organization `org` ("Reuters": "Reuters", "AFP and
   * Reuters via Al Jazeera" ...), its own name first: their names read as kg.parse.publishers reads them. */
  function publishersOf(org) {
    var names = [org, org.replace(/_/g, ' ')];
    var found = [];
    for (var i = 0; i < A.N; i += 1) {
      if (entityKind(i) !== 'publisher') { continue; }
      var name = A.entity_name[i];
      var trimmed = name.trim();
      var via = /\s*,?\s+via\s+/i.exec(trimmed);
      var parts = via && via.index > 0 && via.index + via[0].length < trimmed.length
        ? trimmed.slice(0, via.index).split(/\s+and\s+|\s*[,&\/]\s*/).filter(Boolean)
          .concat([trimmed.slice(via.index + via[0].length)]) : [name];
      if (parts.some(function (p) { return names.indexOf(p) >= 0; })) { found.push(name); }
    }
    return found.sort(function (a, b) {
      return (names.indexOf(a) < 0) - (names.indexOf(b) < 0) || (a < b ? -1 : a > b ? 1 : 0);
    });
  }

  function safeDecode(text) { try { return decodeURIComponent(text); } catch (err) { return text; } }

  /* The view the page opens on without a fragment. */
  function openingView() {
    var focus = cfg.focus && lookup(cfg.focus) ? cfg.focus : null;
    return { select: focus, since: cfg.since, until: cfg.until,
      expand: focus && cfg.depth > 0 ? [[focus, cfg.depth]] : [], hide: [] };
  }

  /* Draw `view` afresh: {select: id or null, since, until, expand: [[id, depth]], hide: [kinds]}. */
  function applyView(view) {
    searchBox.value = '';
    showSuggestions([]);
    Array.from(expansions.keys()).forEach(collapseNode);
    selected = null;
    network.unselectAll();
    dropSearched(null);
    Object.keys(typeOn).forEach(function (k) { typeOn[k] = true; });
    Object.keys(edgeOn).forEach(function (k) { edgeOn[k] = true; });
    setRange(view.since, view.until);
    drawPeriodLeaders();
    if (view.select) { choose(view.select); }
    view.expand.forEach(function (item) {
      if (!owners.has(item[0])) { ensureDrawn(item[0]); }
      if (!expansions.has(item[0])) { setDepth(item[0], item[1]); }
    });
    // Hidden last: drawing a selection or an expansion shows its kind.
    view.hide.forEach(function (k) { if (typeOn.hasOwnProperty(k)) { typeOn[k] = false; } else { edgeOn[k] = false; } });
    document.querySelectorAll('#kg-legend input[data-edge]').forEach(function (box) {
      box.checked = edgeOn[box.getAttribute('data-edge')];
    });
    syncLegendBoxes();
    restyle();
    if (selected !== null) {
      network.selectNodes([selected]);
      goTo(selected);
    } else {
      var ids = visibleIds();
      if (ids.length) { fitTo(ids); readable(ids); }
    }
    drawTimeline();
    showDetails();
  }

  /* Open the view of `fragment` (none: the opening view); what it names that is not here is said. */
  function openLink(fragment) {
    var read = fragment ? parseLink(fragment) : { view: openingView(), notes: [], moved: [] };
    link.restoring = true;
    try { applyView(read.view || openingView()); } finally { link.restoring = false; }
    link.note = (!read.notes.length ? '' : ' · Link ' + (read.used ? 'partly ' : '') + 'ignored: ' +
      read.notes.slice(0, 3).join('; ') + (read.notes.length > 3 ? '; and ' + (read.notes.length - 3) + ' more' : '')) +
      (read.moved.length ? ' · Link\u2019s ' + read.moved.join('; ') : '');
    link.shown = linkOf();
    // The address then names the view drawn (what was ignored goes from it); the opening view keeps none.
    if (fragment && fragment !== link.shown.text) { writeLink(link.shown.text, true); }
    link.written = location.hash.slice(1);
    updateStatus();
    var said = [read.notes.length ? 'The link was ' + (read.used ? 'partly ' : '') + 'ignored' : '',
      read.moved.length ? 'its period was brought into the archive' : ''].filter(Boolean).join('; ');
    announce(said ? said.charAt(0).toUpperCase() + said.slice(1) + ' (see the status line)'
      : selected !== null ? selectionSaid(selected) : 'No selection');
  }

  function writeLink(text, replace) {
    // In a frame (a notebook's output, another page), the host's Back button stays the host's.
    if (framed) { return; }
    var url = location.href.split('#')[0] + (text ? '#' + text : '');
    try {
      history[replace ? 'replaceState' : 'pushState'](null, '', url);
    } catch (err) {
      return;  // (a page shown where its address cannot change, a sandboxed frame: the view still works)
    }
    link.written = location.hash.slice(1);
  }

  /* After each change of the view (once per task: an action's steps are one change): a new
   * selection, expansion or period is a history entry; period changes in a row (a handle of
   * the timeline moved key by key) and legend filters replace the current one. */
  function queueLinkSync() {
    if (!link.on || link.restoring || link.queued) { return; }
    link.queued = true;
    Promise.resolve().then(function () {
      link.queued = false;
      if (link.restoring) { return; }
      var now = linkOf();
      var was = link.shown;
      if (now.text === was.text) { return; }
      var periodOnly = now.select === was.select && now.expand === was.expand && now.period !== was.period;
      var hideOnly = now.select === was.select && now.expand === was.expand && now.period === was.period;
      var at = performance.now();
      writeLink(now.text, hideOnly || (periodOnly && at - link.periodAt < PERIOD_MERGE_MS));
      // (a period that let go of the selection, which lay outside it, is an entry of its own, and the
      // period changes right after it join that entry: Back then returns to the selection)
      var letGo = now.period !== was.period && was.select && !now.select && now.expand === was.expand;
      link.periodAt = periodOnly || letGo ? at : -1e9;
      link.shown = now;
      if (link.note) { link.note = ''; updateStatus(); }
    });
  }

  /* Back, Forward, or a fragment typed in the address bar. */
  function onLinkChange() {
    if (!link.on || location.hash.slice(1) === link.written) { return; }
    api.ready.then(function () {
      if (location.hash.slice(1) !== link.written) { openLink(location.hash.slice(1)); }
      return settle();
    });
  }
  window.addEventListener('popstate', onLinkChange);
  window.addEventListener('hashchange', onLinkChange);

