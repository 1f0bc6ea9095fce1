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
    if (found === undefined) {  // typed otherwise ("context:iran"): the one name it reads as, as --focus
      if (!A.entityByFold) {
        A.entityByFold = new Map();
        for (var j = 0; j < A.N; j += 1) {
          var folded = entityKind(j) + ':' + fold(A.entity_name[j]);
          A.entityByFold.set(folded, A.entityByFold.has(folded) ? -1 : j);  // (-1: two names read so)
        }
      }
      found = A.entityByFold.get(kind + ':' + fold(rest.replace(/_/g, ' ')));
      if (found === -1) { found = undefined; }
    }
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
      return 'organization ' + quoted(makers.name) + ' is no node: the page draws publishers, not organizations' +
        (makers.length ? ' (its ' + num(makers.length) + ' publisher' + (makers.length > 1 ? 's' : '') + ' here: ' +
          makers.slice(0, 3).map(quoted).join(', ') + (makers.length > 3 ? ', \u2026)' : ')') : ', and none of its publishers is here');
    }
    var said = 'no ' + kind + ' ' + quoted(rest) + ' in this page';
    if (kind === 'publisher' && makers.length) {  // ("publisher:AFP": no source writes AFP alone)
      return said + ': no source writes it alone (organization ' + quoted(makers.name) + ' has ' + num(makers.length) +
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
   * Reuters via Al Jazeera" ...), its own name first, as the graph's made-by and distributed-by edges say
   * (the archive's entity_organizations); `found.name` is the organization's label. */
  function publishersOf(org) {
    var key = organizationKey(org.replace(/_/g, ' '));  // (any spelling: "publisher:afp" is AFP's)
    var o = A.organization_key.indexOf(key);
    var found = [];
    for (var i = 0; o >= 0 && i < A.N; i += 1) {
      for (var k = A.entity_organizations_offsets[i]; k < A.entity_organizations_offsets[i + 1]; k += 1) {
        if (A.entity_organizations[k] === o) { found.push(A.entity_name[i]); break; }
      }
    }
    found.sort(function (a, b) {
      return (organizationKey(a) !== key) - (organizationKey(b) !== key) || (a < b ? -1 : a > b ? 1 : 0);
    });
    found.name = o >= 0 ? A.organization_label[o] : org.replace(/_/g, ' ');
    return found;
  }

  /* What the spellings of one organization share, as kg.parse.publishers.organization_key reads them: its
   * letters and digits in lower case, without accents, a leading "the" (but before one short word: "The Sun"),
   * a last "online", an "and" between words ("Stars and Stripes": "starsstripes") or a "news" after initials
   * ("BBC News": "bbc"). */
  function organizationKey(name) {
    // (Python's casefold where it differs from lower case in a name's letters: "Straße" is "strasse")
    var words = name.normalize('NFKD').toLowerCase().replace(/\u00df/g, 'ss').replace(/\u03c2/g, '\u03c3').normalize('NFKD').replace(/\p{M}/gu, '').match(/[\p{L}\p{N}]+/gu) || [];
    if (words.length > 1 && words[words.length - 1] === 'online' && words[words.length - 2] !== 'the') { words.pop(); }
    while (words.length > 1 && words[0] === 'the' && !(words.length === 2 && Array.from(words[1]).length <= 3)) {
      words.shift();
    }
    words = words.filter(function (w, k) { return w !== 'and' || k === 0 || k === words.length - 1; });
    var last = words.length ? words[words.length - 1] : '';
    if (/news$/.test(last) && !(last === 'news' && words.length === 1)) {
      var initials = words.slice(0, -1).concat([last.slice(0, -4)]).filter(function (w) { return w; });
      var sizes = initials.map(function (w) { return Array.from(w).length; });
      if (sizes.every(function (n) { return n <= 3; }) && sizes.reduce(function (a, n) { return a + n; }, 0) >= 2) {
        words = initials;
      }
    }
    return words.join('') || name;
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
    if (expansions.size) {  // (all at once: each removal from the canvas re-reads every node)
      var gone = [];
      Array.from(expansions.keys()).forEach(function (id) { collapseInto(id, gone); });
      takeOut(gone);
      restyle();
    }
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
      goTo(selected);  // (with what its expansions drew: fitted without, the link opened with it off the canvas)
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
    // (the gap from the last period's end to this change's start, its drawing left out: a busy machine
    // took more than the merge's second to draw a period, and two set in a row were two entries)
    var at = performance.now();
    Promise.resolve().then(function () {
      link.queued = false;
      if (link.restoring) { return; }
      var now = linkOf();
      var was = link.shown;
      if (now.text === was.text) { return; }
      var periodOnly = now.select === was.select && now.expand === was.expand && now.period !== was.period;
      var hideOnly = now.select === was.select && now.expand === was.expand && now.period === was.period;
      writeLink(now.text, hideOnly || (periodOnly && at - link.periodAt < PERIOD_MERGE_MS));
      // (a period that let go of the selection, which lay outside it, is an entry of its own, and the
      // period changes right after it join that entry: Back then returns to the selection)
      var letGo = now.period !== was.period && was.select && !now.select && now.expand === was.expand;
      link.periodAt = periodOnly || letGo ? performance.now() : -1e9;  // (from its end to the next's start)
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

