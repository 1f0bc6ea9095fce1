  // ------------------------------------------------------------ filters and styles
  var typeOn = { context: true, publisher: true, event: true };
  var edgeOn = { 'co-occurs': true, names: true, related: true };
  var selected = null;
  var neighbourIds = [];  // the selection's neighbours, as restyle last drew them

  function hiddenByFilter(n) {
    if (!typeOn[n.kind]) { return true; }
    if (!A) { return false; }
    if (n.kind === 'event') { return !inPeriod(n.event); }
    return eventsInPeriod(n.entity).length === 0;
  }

  /* The count an entity's node was placed for (its size and label as placed, as sizeFor and fontFor
   * make them): drawn no larger, it overlaps nothing it was placed apart from. */
  function placedShare(n) {
    var bySize = Math.max(0, n.baseSize - S.sizeBase) / S.sizeSpan;
    var byFont = Math.max(0, n.baseFont - S.fontBase) / S.fontSpan;
    var part = Math.min(bySize, byFont);
    return cfg.largest * part * part;
  }

  /* The scale of a period's sizes (an entity is sized for its events in the period times it) over
   * the nodes `drawn`: the period's largest as large as the overview's largest, unless two drawn
   * nodes or labels that are apart as placed would then overlap (the overview's nodes were placed
   * for their sizes in all dates: one of few events, busy in the period, has no room to grow);
   * then the largest scale at which none do. */
  var GAP = 2;  // px kept between boxes that had it as placed
  function periodScale(drawn) {
    var items = [];
    var largest = 1;
    var lowest = Infinity;
    drawn.forEach(function (n) {
      var count = n.kind === 'event' ? 0 : eventsInPeriod(n.entity).length;
      var b = boxOf.get(n.id);
      if (!b) { return; }
      items.push({ n: n, count: count, base: [n.x + b[0], n.x + b[1], n.y + b[2], n.y + b[3]] });
      if (count) { largest = Math.max(largest, count); lowest = Math.min(lowest, placedShare(n) / count); }
    });
    function clash(p, q, gap) {
      return Math.min(p[1], q[1]) - Math.max(p[0], q[0]) > -gap && Math.min(p[3], q[3]) - Math.max(p[2], q[2]) > -gap;
    }
    function fits(k) {
      var rects = items.map(function (it) {
        if (!it.count) { return it.base; }
        var b = grownBox(it.n, it.count * k);
        return [it.n.x + b[0], it.n.x + b[1], it.n.y + b[2], it.n.y + b[3]];
      });
      var order = rects.map(function (r, i) { return i; }).sort(function (i, j) { return rects[i][0] - rects[j][0]; });
      for (var a = 0; a < order.length; a += 1) {
        var i = order[a];
        for (var c = a + 1; c < order.length && rects[order[c]][0] < rects[i][1] + GAP; c += 1) {
          var j = order[c];
          if (!clash(rects[i], rects[j], GAP)) { continue; }
          // (a pair placed closer than the gap, as an expansion's may be: only not to overlap more)
          var base = [items[i].base, items[j].base];
          if (clash(base[0], base[1], 0)) { continue; }
          if (!clash(base[0], base[1], GAP) || clash(rects[i], rects[j], 0)) { return false; }
        }
      }
      return true;
    }
    var top = cfg.largest / largest;
    if (fits(top)) { return top; }
    var lo = Math.min(lowest, top);
    var hi = top;
    if (!fits(lo)) { return lo; }
    for (var step = 0; step < 16; step += 1) {
      var mid = (lo + hi) / 2;
      if (fits(mid)) { lo = mid; } else { hi = mid; }
    }
    return lo;
  }

  /* Sizes for the period, visibility, and the selection's highlight, in one update. */
  function restyle() {
    var period = Boolean(A && (range.since || range.until));
    var hiddenNode = new Map();
    nodes.forEach(function (n) { hiddenNode.set(n.id, hiddenByFilter(n)); });
    // The lines drawn: of the kinds the legend shows, between drawn nodes ("occur together" in a
    // period: only of entities that share an event in it, as wide as the events they share).
    var lines = [];
    edges.forEach(function (e) {
      var hidden = !edgeOn[e.kind];
      var width = e.width;
      if (e.kind === 'co-occurs' && e.baseWidth !== undefined) {
        width = e.baseWidth;
        var a = period && !hidden ? nodes.get(e.from) : null;
        var b = period && !hidden ? nodes.get(e.to) : null;
        if (a && b && a.entity !== undefined && b.entity !== undefined) {  // the events they share in the period
          var shared = sharedCount(eventsInPeriod(a.entity), eventsInPeriod(b.entity));
          hidden = shared === 0;
          width = Math.min(e.baseWidth, 1 + Math.log2(Math.max(shared, 1)));
        }
      }
      lines.push({ e: e, hidden: hidden, width: width });
    });
    // The selection's neighbours: the nodes a line drawn now joins it to (not one the period or the legend hides).
    var near = null;
    if (selected !== null && owners.has(selected)) {
      near = new Set([selected]);
      lines.forEach(function (line) {
        var e = line.e;
        if (line.hidden || hiddenNode.get(e.from) || hiddenNode.get(e.to)) { return; }
        if (e.from === selected) { near.add(e.to); } else if (e.to === selected) { near.add(e.from); }
      });
    }
    var brought = broughtIn();
    var updates = [];
    // In a period, entities are sized by their events in it, on one scale for all of them (equal
    // counts, equal sizes; see periodScale).
    var scale = 1;
    if (period) {
      var drawn = [];
      nodes.forEach(function (n) { if (!hiddenNode.get(n.id)) { drawn.push(n); } });
      scale = periodScale(drawn);
    }
    var sizes = new Map();  // node id -> [size, font] for the period
    nodes.forEach(function (n) {
      var share = period && n.kind !== 'event' ? eventsInPeriod(n.entity).length * scale : -1;
      sizes.set(n.id, share < 0 ? [n.baseSize, n.baseFont] : [sizeFor(share), fontFor(share)]);
    });
    nodes.forEach(function (n) {
      var hidden = hiddenNode.get(n.id);
      var size = sizes.get(n.id)[0];
      var font = sizes.get(n.id)[1];
      var opacity = near === null || near.has(n.id) || brought.lit.has(n.id) ? 1 : 0.2;
      // Only what changed: vis-network re-measures every node it is handed.
      var change = { id: n.id };
      var changed = false;
      if (Boolean(n.hidden) !== hidden) { change.hidden = hidden; changed = true; }
      if (n.size !== size) { change.size = size; changed = true; }
      if (n.font.size !== font || (n.opacity === undefined ? 1 : n.opacity) !== opacity) {
        change.font = { size: font, color: opacity < 1 ? INK.faded : INK.label };
        change.opacity = opacity;
        changed = true;
      }
      if (changed) { updates.push(change); }
    });
    nodes.update(updates);
    relabel(near, new Map(Array.from(sizes).filter(function (s) { return !hiddenNode.get(s[0]); })), brought.lit);
    var edgeUpdates = [];
    lines.forEach(function (line) {
      var e = line.e;
      var lit = near === null || ((e.from === selected || e.to === selected) && near.has(e.from) && near.has(e.to)) ||
        broughtLine(e, near, brought);
      var opacity = lit ? (near === null ? 0.7 : 1) : 0.08;
      if (Boolean(e.hidden) !== line.hidden || e.color.opacity !== opacity || e.width !== line.width) {
        var update = { id: e.id, hidden: line.hidden, color: { color: cfg.edgeTypes[e.kind].color,
          highlight: INK.strong, hover: INK.hover, opacity: opacity } };
        if (line.width !== undefined) { update.width = line.width; }
        edgeUpdates.push(update);
      }
    });
    edges.update(edgeUpdates);
    neighbourIds = near === null ? [] : Array.from(near).filter(function (id) { return id !== selected; });
    updateStatus();
    updateLegend();
    var depthBox = document.getElementById('kg-depth');
    depthBox.disabled = selected === null;
    depthBox.value = selected === null ? 0 : depthOf(selected);
    queueLinkSync();
  }

  function visibleIds() {
    return nodes.getIds({ filter: function (n) { return !n.hidden; } });
  }

  // ------------------------------------------------------------ status and legend
  function drawnCounts() {
    var c = { context: 0, publisher: 0, event: 0, external: 0 };
    nodes.forEach(function (n) {
      if (n.hidden) { return; }
      if (n.kind === 'event' && A && !A.event_in_corpus[n.event]) { c.external += 1; } else { c[n.kind] += 1; }
    });
    return c;
  }

  function totals() {
    var t = { context: 0, publisher: 0, event: A ? A.corpusBefore[range.high] - A.corpusBefore[range.low] : 0 };
    if (A) {
      for (var i = 0; i < A.N; i += 1) {
        if (eventsInPeriod(i).length) { t[entityKind(i)] += 1; }
      }
    }
    return t;
  }

  var totalCache = null;
  /* Set the status line to `text`, each day in it kept on one line: a narrow window broke "2026-" from
   * "08-22" at the hyphen. */
  function statusText(line, text) {
    line.textContent = '';
    text.split(/(\d{4}-\d{2}-\d{2})/).forEach(function (part, k) {
      if (k % 2) {
        line.appendChild(document.createElement('span')).textContent = part;
        line.lastChild.className = 'kg-nowrap';
      } else if (part) {
        line.appendChild(document.createTextNode(part));
      }
    });
  }

  function updateStatus() {
    var drawn = drawnCounts();
    var status = document.getElementById('kg-status');
    if (!A) { status.textContent = 'Drawn: ' + num(drawn.context + drawn.publisher) + ' entities. Loading the archive…'; return; }
    if (totalCache === null) { totalCache = totals(); }
    var parts = ['context', 'publisher', 'event'].filter(function (k) {  // (a kind a search drew too)
      return k === 'event' || cfg.kinds.indexOf(k) >= 0 || drawn[k] > 0;
    }).map(function (k) {
      return num(drawn[k]) + ' of ' + num(totalCache[k]) + ' ' + cfg.nodeTypes[k].label.toLowerCase() + 's' +
        (k === 'event' && drawn.external ? ' and ' + num(drawn.external) + ' outside the corpus' : '');
    });
    var period = A.firstDay === null ? 'no events' : (range.since || A.firstDay) + ' to ' + (range.until || A.lastDay);
    // An empty view says why: a blank canvas alone reads as a fault.
    var none = drawn.context + drawn.publisher + drawn.event + drawn.external === 0;
    var why = !none ? '' : Object.keys(typeOn).some(function (k) { return !typeOn[k]; })
      ? ' · Nothing drawn: the legend hides what there is (tick a kind again)'
      : ' · Nothing drawn: no event in this period (double-click the timeline for all dates)';
    var x = selected === null ? null : expansions.get(selected);
    var short = x && x.short && depthOf(selected) === 2 ? ' · Depth 2: the newest ' + num(x.short[0]) + ' of its ' +
      num(x.short[1]) + ' events expanded (at most ' + num(cfg.depthTwoNodes) + ' nodes more)' : '';
    // Closed, the panel names no selection: the status line does (a phone's panel starts closed).
    var chosen = selected !== null && document.body.classList.contains('kg-panel-closed')
      ? 'Selected: ' + selectionNamed(selected) + ' · ' : '';
    statusText(status, chosen + 'Drawn: ' + parts.join(' · ') + ' · Period: ' + period + rangeNote + short + why + link.note);
    // The notice counts the first view's entities among those of its period: in a period that holds
    // other events the status line's counts are the ones that hold.
    var first = sliceOf(cfg.since, cfg.until);
    document.getElementById('kg-notice').hidden = noticeDismissed || !cfg.notice || range.low !== first[0] ||
      range.high !== first[1];
  }

  var noticeDismissed = false;  // (its button pressed, or a phone's first selection made)
  /* Hide the notice for good; the canvas takes its room, keeping what was in view. */
  function dismissNotice() {
    noticeDismissed = true;
    var notice = document.getElementById('kg-notice');
    if (!notice.hidden) { keepingView(function () { notice.hidden = true; }); }
  }
  var legendBoxes = {};
  function buildLegend() {
    var legend = document.getElementById('kg-legend');
    legend.replaceChildren(el('h3', { text: 'Legend' }));
    var list = el('div', { className: 'kg-legend-list' });
    ['context', 'publisher', 'event'].forEach(function (k) {
      var t = cfg.nodeTypes[k];
      var box = el('input', { type: 'checkbox', checked: typeOn[k] });
      box.setAttribute('data-type', k);
      box.addEventListener('change', function () { typeOn[k] = box.checked; restyle(); });
      var swatch = el('span', { className: 'kg-symbol', text: t.symbol });
      swatch.setAttribute('aria-hidden', 'true');  // (a shape: a screen reader read "black circle, Context")
      // Entities are coloured by community (below), not by kind: their symbol tells the shape alone.
      swatch.style.color = k === 'event' ? t.color : INK.quiet;
      var count = el('span', { className: 'kg-count' });
      var row = el('label', {}, [box, swatch, document.createTextNode(t.label + ' '), count]);
      legendBoxes[k] = { row: row, count: count };
      list.appendChild(row);
    });
    Object.keys(cfg.edgeTypes).forEach(function (k) {
      var t = cfg.edgeTypes[k];
      var box = el('input', { type: 'checkbox', checked: edgeOn[k] });
      box.setAttribute('data-edge', k);
      box.addEventListener('change', function () { edgeOn[k] = box.checked; restyle(); });
      var swatch = el('span', { className: t.dashes ? 'kg-line kg-dashed' : 'kg-line' });
      swatch.style.borderTopColor = t.color;
      var row = el('label', {}, [box, swatch, document.createTextNode(t.label)]);
      legendBoxes['edge:' + k] = { row: row };
      list.appendChild(row);
    });
    legend.appendChild(list);
    var palette = el('div', { className: 'kg-palette' });
    cfg.communityColors.forEach(function (c) {
      var dot = el('span', { className: 'kg-dot' });
      dot.style.background = c;
      palette.appendChild(dot);
    });
    legend.appendChild(el('p', { className: 'kg-hint', text: 'Entity colour: its community (entities that often ' +
      'occur together; grey: a community past the ten colours, or an entity a search or an expansion added). ' +
      'Size: number of events.' }));
    legend.appendChild(palette);
  }

  function updateLegend() {
    if (!legendBoxes.context) { return; }
    var drawn = drawnCounts();
    var present = { context: false, publisher: false, event: false };
    kindOf.forEach(function (k) { present[k] = true; });
    ['context', 'publisher', 'event'].forEach(function (k) {
      legendBoxes[k].row.hidden = !present[k];
      legendBoxes[k].count.textContent = '(' + num(drawn[k]) + ' drawn)';
    });
    var edgePresent = {};
    edges.forEach(function (e) { edgePresent[e.kind] = true; });
    Object.keys(cfg.edgeTypes).forEach(function (k) { legendBoxes['edge:' + k].row.hidden = !edgePresent[k]; });
  }

  // ------------------------------------------------------------ the side panel
  var details = document.getElementById('kg-details');
  var PAGE = 25;

  function nodeButton(id, text, title) {
    var b = el('button', { type: 'button', className: 'kg-link', text: text });
    if (title) { b.title = title; }
    b.addEventListener('click', function () { select(id); });
    return b;
  }

  function sourceList(ev) {
    var list = el('ul', { className: 'kg-sources' });
    sourcesOf(ev).forEach(function (s) {
      var href = safeUrl(s.url);
      var who = s.publishers.length ? s.publishers.join(', ') : 'source';
      list.appendChild(el('li', {}, [href
        ? el('a', { href: href, target: '_blank', rel: 'noopener noreferrer', text: who, title: s.url })
        : el('span', { className: 'kg-dead', text: who + ': ' + s.url + ' (not a web link)' })]));
    });
    return list;
  }

  var pageOf = new Map();
  function showEntity(id, i) {
    var kind = entityKind(i);
    var evs = eventsInPeriod(i);
    details.appendChild(el('div', { className: 'kg-kind', text: cfg.nodeTypes[kind].label }));
    details.appendChild(el('h2', { text: A.entity_name[i] }));
    var link = safeUrl(A.entity_link(i));
    if (link) {
      details.appendChild(el('p', {}, [el('a', { href: link, target: '_blank', rel: 'noopener noreferrer', text: 'Wikipedia article' })]));
    }
    details.appendChild(el('p', { text: num(evs.length) + (evs.length === 1 ? ' event' : ' events') +
      (range.since || range.until ? ' in the period' : '') +
      (evs.length !== A.total[i] ? ' (' + num(A.total[i]) + ' in all)' : '') }));
    details.appendChild(expandButton(id));
    var partners = partnersOf(i, evs, 5).map(function (p) {
      return nodeButton(A.entity_iri[p[0]], A.entity_name[p[0]] + ' (' + num(p[1]) + ')');
    });
    if (partners.length) {
      details.appendChild(el('p', { className: 'kg-partners', text: kind === 'context' ? 'Most often with: ' : 'Most often about: ' }, partners));
    }
    var chart = eventsChart(evs);
    if (chart) { details.appendChild(chart); }
    var pages = Math.max(1, Math.ceil(evs.length / PAGE));
    var page = Math.min(pageOf.get(id) || 0, pages - 1);
    var nav = el('div', { className: 'kg-pager' });
    var list = el('ol', { className: 'kg-events' });
    function paged() {
      return 'Page ' + (page + 1) + ' of ' + pages + ': events ' + (page * PAGE + 1) + ' to ' +
        Math.min(evs.length, (page + 1) * PAGE) + ' of ' + evs.length;
    }
    function render() {
      var pressed = nav.contains(document.activeElement) ? document.activeElement.textContent : null;
      list.replaceChildren();
      list.start = page * PAGE + 1;
      // (room for the page's last number and its dot: "120." was drawn "20.", its first digit cut)
      list.style.paddingLeft = (0.65 * String(Math.min(evs.length, (page + 1) * PAGE)).length + 1) + 'em';
      for (var k = page * PAGE; k < Math.min(evs.length, (page + 1) * PAGE); k += 1) {
        var ev = evs[k];
        list.appendChild(el('li', {}, [el('span', { className: 'kg-date', text: day(ev) + ' ' }),
          nodeButton(A.eventIri(ev), A.event_headline(ev)), sourceList(ev)]));
      }
      nav.replaceChildren();
      if (pages > 1) {
        // At either end a button says it does nothing (aria-disabled) but keeps the focus: disabled, it
        // would hand the focus to the other button, and the next Enter would page back.
        var prev = el('button', { type: 'button', text: '‹ Earlier' });
        var next = el('button', { type: 'button', text: 'Later ›' });
        prev.setAttribute('aria-disabled', String(page === 0));
        next.setAttribute('aria-disabled', String(page >= pages - 1));
        // (the page said to a screen reader: the focus stays on the button, and the list changed unheard)
        prev.addEventListener('click', function () {
          if (page > 0) { page -= 1; pageOf.set(id, page); render(); announce(paged()); }
        });
        next.addEventListener('click', function () {
          if (page < pages - 1) { page += 1; pageOf.set(id, page); render(); announce(paged()); }
        });
        nav.appendChild(prev);
        nav.appendChild(el('span', { text: ' Page ' + (page + 1) + ' of ' + pages + ' ' }));
        nav.appendChild(next);
        if (pressed !== null) {  // paged from the keyboard: the same button keeps the focus
          ([next, prev].filter(function (b) { return b.textContent === pressed; })[0] || next).focus();
        }
      }
    }
    render();
    details.appendChild(el('h3', { text: 'Events, in time order' }));
    details.appendChild(nav);
    details.appendChild(list);
  }

  function showEvent(id, ev) {
    details.appendChild(el('div', { className: 'kg-kind', text: 'Event · ' + day(ev) }));
    headingOf(A.event_headline(ev)).forEach(function (part) { details.appendChild(part); });
    if (!A.event_in_corpus[ev]) {
      details.appendChild(el('p', { className: 'kg-hint', text: 'Not in the corpus: only a link names this event.' }));
    }
    details.appendChild(expandButton(id));
    if (A.event_sources_offsets[ev + 1] > A.event_sources_offsets[ev]) {
      details.appendChild(el('h3', { text: 'Sources' }));
      details.appendChild(sourceList(ev));
    } else {
      details.appendChild(el('p', { className: 'kg-hint', text: 'No source.' }));
    }
    var ents = Array.prototype.slice.call(entitiesOfEvent(ev));
    ['context', 'publisher'].forEach(function (kind) {
      var mine = ents.filter(function (i) { return entityKind(i) === kind; });
      if (!mine.length) { return; }
      details.appendChild(el('h3', { text: cfg.nodeTypes[kind].label + 's' }));
      var list = el('ul', { className: 'kg-inline' });
      mine.forEach(function (i) { list.appendChild(el('li', {}, [nodeButton(A.entity_iri[i], A.entity_name[i])])); });
      details.appendChild(list);
    });
    var rel = relatedOf(ev).sort(function (a, b) { return b.ev - a.ev; });
    details.appendChild(el('h3', { text: 'Related events (' + rel.length + ')' }));
    var arrows = { 1: '→ this page links to it', 2: '← its page links here', 3: '↔ both pages link' };
    var list = el('ul', { className: 'kg-related' });
    rel.forEach(function (r) {
      list.appendChild(el('li', {}, [el('span', { className: 'kg-dir', text: arrows[r.dir].slice(0, 1), title: arrows[r.dir] }),
        el('span', { className: 'kg-date', text: ' ' + day(r.ev) + ' ' }),
        nodeButton(A.eventIri(r.ev), A.event_headline(r.ev), arrows[r.dir]),
        // (drawn hollow on the canvas; said here too)
        A.event_in_corpus[r.ev] ? null : el('span', { className: 'kg-detail', text: ' (not in the corpus)' })]));
    });
    details.appendChild(list);
  }

  function expandButton(id) {
    var open = expansions.has(id);
    var b = el('button', { type: 'button', className: 'kg-expand', text: open ? 'Collapse' : 'Expand in the view' });
    // (said to a screen reader: the focus goes to the heading, and the view's change was heard of nowhere)
    var ref = lookup(id);
    var name = ref.kind === 'entity' ? A.entity_name[ref.i] : 'The event';
    b.addEventListener('click', function () {
      if (open) {
        api.collapse(id).then(function () { announce(name + ' collapsed'); });
        return;
      }
      api.expand(id).then(function (added) {
        var evs = added.filter(function (x) { return kindOf.get(x) === 'event'; }).length;
        var others = added.length - evs;
        announce(name + ' expanded: ' + (added.length ? events(evs) + ' and ' + num(others) +  // (some drawn before)
          (others === 1 ? ' entity' : ' entities') + ' around it' : 'nothing more to draw'));
      });
    });
    return b;
  }

  function showOverviewHelp() {
    details.appendChild(el('h2', { text: cfg.title }));
    details.appendChild(el('p', { className: 'kg-hint', text: 'The entities with most events, sized by their number of events, coloured by community, joined when they occur together. Click one to see its events; double-click to expand it in place; drag on the timeline to choose a period.' }));
    var drawn = drawnList();
    if (drawn) { details.appendChild(drawn); }
  }

  function showDetails() {
    // A control of the panel pressed from the keyboard rebuilds the panel: focus then goes to
    // the same control in the new one (Later, Expand ...), else to its heading, not to the page's top.
    var had = details.contains(document.activeElement) ? document.activeElement : null;
    var key = had ? had.tagName + '|' + had.textContent : null;
    details.replaceChildren();
    if (selected === null || !A) { showOverviewHelp(); } else {
      var ref = lookup(selected);
      if (ref.kind === 'entity') { showEntity(selected, ref.i); } else { showEvent(selected, ref.i); }
    }
    if (had) { keepFocus(key); }
    if (selected !== shownFor) { shownFor = selected; headingInView(); }  // (with none: the overview's help)
  }

  /* A new selection is read from its heading: the panel scrolled down a list (an event picked from it),
   * or opened on a phone's legend, which fills its first screen, is scrolled to it. A heading in view
   * stays where it is, under the legend, in a laptop's panel; in one over the canvas (a phone's) it goes
   * to the top, with what follows it: Iran's heading stood half way down, its events under the fold. */
  var shownFor = null;
  function headingInView() {
    var side = document.getElementById('kg-side');
    var first = details.firstElementChild;  // (an event's kind and date, over its headline)
    var heading = details.querySelector('h2');
    // (closed, nothing to scroll, or no selection: the legend, its filters, stays in view over the help)
    if (selected === null || !first || !heading || side.scrollHeight <= side.clientHeight) { return; }
    var box = side.getBoundingClientRect();
    var top = first.getBoundingClientRect().top - box.top;
    var bottom = heading.getBoundingClientRect().bottom - box.top;
    // The heading whole in view (a headline of many lines too), or at the panel's top where it is taller.
    var over = getComputedStyle(side).position === 'absolute';
    if (top < 0 || (top > 4 && (over || bottom > side.clientHeight))) { side.scrollTop += top - 4; }
  }

  function keepFocus(key) {
    var same = Array.prototype.find.call(details.querySelectorAll('a, button, input'), function (e) {
      return !e.disabled && e.tagName + '|' + e.textContent === key;
    });
    var target = same || details.querySelector('h2');
    if (!target) { return; }
    if (!same) { target.setAttribute('tabindex', '-1'); }
    target.focus();
  }

