  // ------------------------------------------------------------ search
  var searchBox = document.getElementById('kg-search');
  var suggest = document.getElementById('kg-suggest');
  var active = -1;

  /* Entities first (the name itself or, typed in capitals, its initials; then beginning with the words
   * typed, holding it as a whole word, at a word's start, holding each of its words, mid-word; busiest
   * first), then headlines (newest first). */
  var FEW_NAMES = 3;  // names holding what was typed, under which the names spelt nearly so are offered too
  var NEAR_BESIDE = 0.8;  // how alike those must be (difflib's ratio; 0.6 where nothing holds what was typed)
  function suggestions(text, limit, quick) {
    var q = fold(text).trim();
    if (!q || !A) { return []; }
    limit = limit || 12;
    var found = [];
    // The words of a query of several, each found anywhere ("iran sanctions", "hormuz strait",
    // "israel-hezbollah"), after the text found as typed (as kg.ranking's rank).
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
      return { id: A.entity_iri[f.i], kind: entityKind(f.i), text: A.entity_name[f.i], detail: countSaid(f.i) };
    });
    // Few names hold a word typed: the names spelt very nearly so follow them ("irn": IRNA, then Iran; not
    // "quarantine": National Quarantine Unit, then Ukraine and Argentina, before the headlines that hold it).
    if (out.length && out.length < FEW_NAMES && q.length >= 3 && !words && !quick) {
      var shown = new Set(out.map(function (s) { return s.id; }));
      nearlySpelt(q, FEW_NAMES, NEAR_BESIDE).forEach(function (s) { if (!shown.has(s.id) && out.length < FEW_NAMES) { out.push(s); } });
    }
    var taken = new Set();
    [function (h) { return h.indexOf(q) >= 0; }, words && function (h) { return holdsAll(h, words); }]
      .forEach(function (holds) {
        for (var ev = A.E - 1; holds && textsReady && ev >= 0 && out.length < limit; ev -= 1) {
          var folded = foldedHeadline(ev);
          if (!taken.has(ev) && holds(folded)) {
            taken.add(ev);
            var text = A.event_headline(ev);
            // (the words in any order: each shown where the headline holds it, but for those of one or two
            // letters, "in", which any headline holds early)
            var shownWords = folded.indexOf(q) >= 0 ? [q] : words.filter(function (w) { return w.length > 2; });
            var starts = (shownWords.length ? shownWords : words).map(function (w) { return whereIn(text, folded, w); });
            out.push({ id: A.eventIri(ev), kind: 'event', text: text, detail: day(ev), shown: excerpt(text, starts) });
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
  function nearlySpelt(q, limit, least) {
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
    var close = closeMatches(q, A.nearNames.keys(), limit, least || 0.6);
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
        out.push({ id: A.entity_iri[i], kind: entityKind(i), text: A.entity_name[i], detail: countSaid(i), near: true });
      });
    });
    return out.slice(0, limit);
  }

  /* A suggestion's count: in a period, its events there, which order the suggestions, and of all dates
   * ("3 of 5 events": all-time counts beside a period's order read as a list unsorted). */
  function countSaid(i) {
    return range.since || range.until ? num(eventsInPeriod(i).length) + ' of ' + events(A.total[i])
      : events(A.total[i]);
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
   * not one that speaks of it further on. As kg.ranking's leads. */
  function leads(name, words) {
    var held = name.split(/[ -]+/).filter(Boolean);
    if (held.length && /^\d{4}$/.test(held[0]) && words.indexOf(held[0]) < 0) { held = held.slice(1); }
    return held.slice(0, words.length).sort().join(' ') === words.slice().sort().join(' ');
  }

  /* Where folded `name` holds `q`: 1 as a whole word (or words: "gaza" in "Gaza Strip", "us" in
   * "Georgia (U.S. state)"), 2 at a word's start ("ukr": "Ukraine"), 4 only inside a word ("usa" in
   * "Jerusalem", after the names holding each word typed, 3); -1 not at all. As kg.ranking's rank. */
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
  // kg.ranking's ALSO_INITIALS.
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

  /* A headline as a suggestion shows it: from the word where what was typed is found, "…" before it, where
   * that lies past its first MATCH_LEAD characters (a phone's list shows some 20 of a headline): the list's
   * width cut "ceasefire talks in" off "Sudanese prime minister Kamil Idris and A…", and nothing said why
   * it was offered. */
  var MATCH_LEAD = 8;
  var PIECE_GAP = 40;  // characters between two words found, at most, for one piece of the headline to show both
  // Characters shown after the last word found in a piece, when another piece follows: none in a phone's
  // list (some 30 of a headline), whose second piece would be cut.
  function tail() { return window.innerWidth < NARROW_PX ? 0 : 24; }
  /* Where in `text` (a headline) the folded word `typed` is: about where in its `folded` text (shorter by a
   * dot or a space here and there), then the word itself where the headline writes it so ("U.S. ...
   * ceasefire"). */
  function whereIn(text, folded, typed) {
    var about = Math.round(folded.indexOf(typed) * text.length / Math.max(folded.length, 1));
    var word = typed.split(' ')[0];
    var exact = text.toLowerCase().indexOf(word, Math.max(0, about - word.length - 8));
    return exact >= 0 && exact - about < 16 ? exact : about;
  }
  /* The pieces of `text` from each word found (`starts`), "…" between them and before the first where that
   * lies past the first MATCH_LEAD characters: words typed apart ("iran sanctions") each show, though the
   * headline holds them far apart. */
  function excerpt(text, starts) {
    var pieces = [];
    starts.slice().sort(function (a, b) { return a - b; }).forEach(function (at) {
      var last = pieces[pieces.length - 1];
      if (last && at - last[1] <= PIECE_GAP) { last[1] = at; } else { pieces.push([at, at]); }
    });
    var more = tail();
    var from = pieces.map(function (piece, k) {
      return k === 0 && piece[0] <= MATCH_LEAD ? 0 : text.lastIndexOf(' ', piece[0] - 1) + 1;
    });
    var spans = [];  // [from, to] of each piece shown; one that runs into the next is one with it
    pieces.forEach(function (piece, k) {
      var next = k + 1 < pieces.length ? from[k + 1] : text.length;
      var space = text.indexOf(' ', piece[1] + more);
      var to = k + 1 < pieces.length && space >= 0 && space < next ? space : next;  // (the last runs to the end)
      var last = spans[spans.length - 1];
      if (last && last[1] >= from[k]) { last[1] = to; } else { spans.push([from[k], to]); }
    });
    return spans.map(function (span) {
      return (span[0] > 0 ? '\u2026' : '') + text.slice(span[0], span[1]).trim();
    }).join(' ');
  }

  var pickedBy = null;  // the pointerType of the last press on a suggestion
  var COARSE = window.matchMedia('(pointer: coarse)');  // a finger's screen: no Enter to press, nothing clicked
  function showSuggestions(list) {
    suggest.replaceChildren();
    active = -1;
    searchBox.removeAttribute('aria-activedescendant');  // (it named an option just removed)
    if (list.length && list[0].near) {  // nothing holds what was typed: say so above the guesses
      var said = el('li', { className: 'kg-hint', text: 'Nothing matches; did you mean (' +
        (COARSE.matches ? 'tap one' : 'Enter twice or click') + '):' });
      said.setAttribute('role', 'option');
      said.setAttribute('aria-disabled', 'true');
      suggest.appendChild(said);
    }
    list.forEach(function (s, k) {
      var item = el('li', { id: 'kg-suggest-' + k, className: 'kg-suggestion' },
        [el('span', { className: 'kg-kind', text: cfg.nodeTypes[s.kind].label + ' ' }),
          el('span', { className: 'kg-text', text: short(s.shown || s.text, 200), title: s.shown ? s.text : '' }), el('span', { className: 'kg-detail', text: ' ' + s.detail })]);
      item.setAttribute('role', 'option');
      item.setAttribute('aria-selected', 'false');
      item.addEventListener('pointerdown', function (evt) { pickedBy = evt.pointerType; });
      item.addEventListener('mousedown', function (evt) {
        evt.preventDefault();  // (the box keeps the focus, for a mouse: the keys go on from there)
        go(s.id);
        // A finger's pick leaves the box: focused, it would keep a phone's keyboard up over the view.
        if (pickedBy === 'touch') { searchBox.blur(); }
      });
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
    fitSuggestions();
    widenExcerpts(list);
    if (document.activeElement === searchBox) { saySuggestions(list); }
  }

  /* What the list holds, to a screen reader, once the typing rests (a line a key would be noise): the
   * list itself is read only as the arrows reach its options, and "Nothing matches" was never heard. */
  var SUGGESTIONS_SAID_MS = 600;
  var suggestionsSaid = null;
  function saySuggestions(list) {
    clearTimeout(suggestionsSaid);
    suggestionsSaid = setTimeout(function () {
      if (!A || !searchBox.value.trim() || document.activeElement !== searchBox || suggest.hidden) { return; }
      announce(!list.length ? 'Nothing matches'
        : list[0].near ? 'Nothing matches; did you mean ' + short(list[0].text, 80) + (list.length > 1
          ? ' or ' + (list.length - 1) + ' more' : '') + ': down arrow to choose'
        : list.length + (list.length === 1 ? ' suggestion' : ' suggestions') + ': down arrow to choose');
    }, SUGGESTIONS_SAID_MS);
  }

  /* A headline shown from a word found, "…" before it, starts as early as its box still shows it to its
   * end: "…ceasefire talks." left out "Hamas reports progress in the second phase of", which fitted; a
   * headline that fits is shown whole. (An excerpt in pieces stays as it is.) */
  function widenExcerpts(list) {
    if (suggest.hidden) { return; }
    var spans = suggest.querySelectorAll('.kg-suggestion .kg-text');
    list.forEach(function (s, k) {
      var span = spans[k];
      if (!span || !s.shown || s.shown.charAt(0) !== '\u2026' || s.shown.indexOf('\u2026', 1) >= 0) { return; }
      var shown = s.shown.slice(1);
      var from = s.text.length - shown.length;
      if (s.text.slice(from) !== shown) { return; }  // (trimmed: not a plain tail of the headline)
      var best = null;
      function fits(at) {
        span.textContent = (at > 0 ? '\u2026' : '') + s.text.slice(at);
        return span.scrollWidth <= span.clientWidth;
      }
      // the word starts before `from`, latest first, while the headline from there fits (each start an
      // earlier one than the last: the loop ends, whatever spaces the headline holds)
      for (var start = from; start > 0;) {
        var space = s.text.lastIndexOf(' ', start - 2);
        var earlier = space < 0 ? 0 : space + 1;
        if (earlier >= start || !fits(earlier)) { break; }
        best = start = earlier;
      }
      span.textContent = best === null ? short(s.shown, 200) : (best > 0 ? '\u2026' : '') + s.text.slice(best);
    });
  }

  /* The list hangs from the search box's left edge: where the box stands right of the middle of a narrow
   * window, it ran past the window's right edge, cut, and the page scrolled sideways. It moves left. */
  var EDGE_PX = 4;
  function fitSuggestions() {
    suggest.style.left = '';
    if (suggest.hidden) { return; }
    var room = document.documentElement.clientWidth - EDGE_PX;
    var list = suggest.getBoundingClientRect();
    var over = list.right - room;
    if (over > 0) { suggest.style.left = -Math.max(0, Math.min(over, list.left - EDGE_PX)) + 'px'; }
  }
  window.addEventListener('resize', fitSuggestions);

  function go(id) {
    clearTimeout(suggestionsSaid);  // (the list is gone: what it held would be said over the selection)
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
    // (nothing found, or few names: those spelt nearly so come too, "irn": IRNA, then Iran)
    var names = list.filter(function (s) { return s.kind !== 'event'; }).length;
    if (!list.length || (names < FEW_NAMES && typed.trim().length >= 3)) {
      nearTimer = setTimeout(function () {
        if (searchBox.value !== typed) { return; }
        var full = suggestions(typed);
        if (full.length !== list.length || full.some(function (s, k) { return s.id !== list[k].id; })) {
          showSuggestions(full);
        }
      }, 250);
    }
  });
  searchBox.addEventListener('keydown', function (evt) {
    if ((evt.key === 'ArrowDown' || evt.key === 'ArrowUp') && suggest.hidden && searchBox.value.trim()) {
      // A list closed as the box was left is opened again, on its first item: the arrows moved unseen
      // over it, and Enter went to what was never shown.
      evt.preventDefault();
      clearTimeout(nearTimer);
      showSuggestions(suggestions(searchBox.value));
      if ((suggest.current || []).length) { markActive(0); }
      return;
    }
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
    if (evt.key === 'Escape') {  // the box's text first; in an empty box, the selection, as elsewhere
      evt.preventDefault();
      evt.stopPropagation();
      if (!searchBox.value && A && selected !== null) { clearSelection(); }
      searchBox.value = '';
      showSuggestions([]);
    }
  });
  searchBox.addEventListener('blur', function () {
    // (a guess marked, then the box left: Enter on coming back must not go to what is not shown)
    suggest.hidden = true;
    searchBox.setAttribute('aria-expanded', 'false');
    markActive(-1);
    searchBox.removeAttribute('aria-activedescendant');
  });
