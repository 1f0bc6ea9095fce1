  // ------------------------------------------------------------ wiring
  /* A double-tap's second tap lands where the first did, on another node or none when the first
   * tap's selection moved the view (a phone's, zoomed in): within DOUBLE_TAP_MS and DOUBLE_TAP_PX
   * of a tap that selected a node, it is that node's double-tap, not a click of its own. The click
   * handler acts on it: vis-network's own doubleClick times the taps by when they are handled, so
   * a page busy with the first tap's selection may send none. */
  var DOUBLE_TAP_MS = 500;
  var DOUBLE_TAP_PX = 24;
  var lastTap = null;     // { id, at, x, y (on the screen) } of the last click on a node
  var lastDouble = null;  // the input time of the last double-tap acted on
  /* When the finger or the button came down: the time of the input, not of its handling, which a
   * busy page delays (the first tap's selection may take hundreds of ms). */
  function inputTime(params) {
    var src = params.event && params.event.srcEvent;
    return src && src.timeStamp ? src.timeStamp : performance.now();
  }
  /* Where on the screen the tap landed: the canvas itself may have moved since the first tap (on a
   * phone, the notice that a first selection dismisses gives the canvas its room). */
  function onScreen(params) {
    var r = network.canvas.frame.getBoundingClientRect();
    return { x: params.pointer.DOM.x + r.left, y: params.pointer.DOM.y + r.top };
  }
  function tappedTwice(params) {
    var t = lastTap;
    var p = onScreen(params);
    return t !== null && inputTime(params) - t.at < DOUBLE_TAP_MS && Math.abs(p.x - t.x) < DOUBLE_TAP_PX &&
      Math.abs(p.y - t.y) < DOUBLE_TAP_PX ? t.id : null;
  }
  /* A touch screen has no hover: vis-network shows the box of what lies under the finger once a tap
   * is over, when a tap on a node has moved the view, so that another node's box stayed up. On
   * touch, only the box of a line tapped (its count) is kept. */
  var touched = false;    // whether the last press was a finger's
  var tappedLines = [];   // the lines the last tap landed on (none when it landed on a node)
  network.canvas.frame.addEventListener('pointerdown', function (evt) { touched = evt.pointerType === 'touch'; },
    true);
  /* vis-network checks its box on a move over the canvas only: a pointer gone from a node straight off the
   * canvas (to the panel, the bar) left the box up, and a move just before could still show one. */
  network.canvas.frame.addEventListener('pointerleave', function () {
    clickedNode = null;  // (gone from it off the canvas, which vis-network does not tell as leaving the node)
    var handler = network.interactionHandler;
    if (handler.popupTimer !== undefined) { clearTimeout(handler.popupTimer); handler.popupTimer = undefined; }
    hideTooltip();
  });
  /* vis-network focuses the canvas as the pointer moves over it (for its keys), which Chromium then rings as
   * if reached from the keyboard: the ring is drawn only for a canvas reached by Tab (or a key pressed). */
  ['pointermove', 'pointerdown'].forEach(function (type) {
    network.canvas.frame.addEventListener(type, function () { network.canvas.frame.classList.add('kg-pointer-focus'); });
  });
  network.canvas.frame.addEventListener('keydown', function () {
    network.canvas.frame.classList.remove('kg-pointer-focus');
  });
  network.canvas.frame.addEventListener('blur', function () {
    network.canvas.frame.classList.remove('kg-pointer-focus');
  });
  /* A node clicked is named in the panel: its box, left up until the pointer moved off the node, hid
   * the neighbours beside it. It stays down until the pointer leaves the node. */
  var clickedNode = null;  // the node last clicked, while the pointer stays on it
  network.on('blurNode', function (params) { if (params.node === clickedNode) { clickedNode = null; } });
  /* A double-click expands a node and fits the view anew: another node or line then lies under a mouse (or
   * pen) that has not moved, Chromium tells vis-network of a move, and that one's box came up unasked. A box shows
   * only once the mouse has moved from where it was last pressed. */
  var pressedAt = null;  // [x, y] of the last press of a mouse or pen on the canvas, until it moves from there
  network.canvas.frame.addEventListener('pointerdown', function (evt) {
    pressedAt = evt.pointerType !== 'touch' ? [evt.clientX, evt.clientY] : null;  // (a pen hovers too)
  }, true);
  network.canvas.frame.addEventListener('pointermove', function (evt) {
    if (pressedAt !== null && Math.abs(evt.clientX - pressedAt[0]) + Math.abs(evt.clientY - pressedAt[1]) > 2) {
      pressedAt = null;
    }
  }, true);
  network.on('showPopup', function (id) {
    if ((touched && tappedLines.indexOf(id) < 0) || id === clickedNode || pressedAt !== null) { hideTooltip(); }
  });
  network.on('click', function (params) {
    tappedLines = params.nodes.length ? [] : params.edges;
    clickedNode = params.nodes.length ? params.nodes[0] : null;
    if (clickedNode !== null) { hideTooltip(); }
    var twice = tappedTwice(params);
    if (twice !== null) {
      if (params.nodes[0] !== twice) { network.selectNodes(selected === null ? [] : [selected]); }
      toggleExpansion(twice, params);
      return;
    }
    var at = onScreen(params);
    lastTap = params.nodes.length ? { id: params.nodes[0], at: inputTime(params), x: at.x, y: at.y } : null;
    // Until the headlines are in, a click waits for them (the panel lists them).
    if (params.nodes.length) {
      api.ready.then(function () { return select(params.nodes[0], true); });
    } else if (!params.edges.length && A) { clearSelection(); }
  });
  // A line "occur together" tells, hovered, the events its two entities share (in the period).
  network.on('hoverEdge', function (params) {
    var e = edges.get(params.edge);
    var a = e && e.kind === 'co-occurs' && A ? nodes.get(e.from) : null;
    var b = a ? nodes.get(e.to) : null;
    if (!b || a.entity === undefined || b.entity === undefined) { return; }
    var shared = sharedCount(eventsInPeriod(a.entity), eventsInPeriod(b.entity));
    var title = A.entity_name[a.entity] + ' \u2013 ' + A.entity_name[b.entity] + ': ' + events(shared) +
      ' together' + (range.since || range.until ? ' in the period' : '');
    if (e.title !== title) { edges.update({ id: e.id, title: title }); }
  });
  function toggleExpansion(id, params) {
    lastTap = null;
    lastDouble = inputTime(params);
    api.ready.then(function () { (expansions.has(id) ? api.collapse : api.expand)(id); });
  }
  network.on('doubleClick', function (params) {
    // (the click of the same input acted on it already, unless the taps were too far apart for it)
    if (lastDouble !== null && Math.abs(inputTime(params) - lastDouble) < DOUBLE_TAP_MS) { return; }
    if (params.nodes.length) { toggleExpansion(params.nodes[0], params); }
  });
  document.addEventListener('keydown', function (evt) {
    // (not in a date or the depth being edited, nor on a timeline handle: Escape there leaves the edit,
    // not the view; on a legend's box or a button it clears, as anywhere)
    var t = evt.target;
    var editing = t && ((t.tagName === 'INPUT' && /^(date|number|text|search)$/.test(t.type))
      || (t.getAttribute && t.getAttribute('role') === 'slider'));
    if (evt.key === 'Escape' && t !== searchBox && !editing && A) { clearSelection(); }
  });
  // + and - zoom the canvas a fifth a press, the arrow keys move it a fifth of its width or height
  // (vis-network's own keys move a little a frame while the key is down: a press shorter than a frame
  // moved nothing, and "+" typed with Shift was missed), a step a quarter as large while a key is held,
  // so that a held key stays usable.
  var PAN_KEYS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
  network.canvas.frame.addEventListener('keydown', function (evt) {
    var step = ZOOM_KEYS[evt.key];
    var pan = PAN_KEYS[evt.key];
    if ((!step && !pan) || evt.ctrlKey || evt.metaKey || evt.altKey) { return; }
    evt.preventDefault();
    hideTooltip();
    var scale = network.getScale();
    if (pan) {
      var frame = network.canvas.frame.canvas;
      var share = evt.repeat ? 0.05 : 0.2;
      var at = network.getViewPosition();
      network.moveTo({ position: { x: at.x + pan[0] * share * frame.clientWidth / scale,
        y: at.y + pan[1] * share * frame.clientHeight / scale }, scale: scale, animation: false });
      return;
    }
    scale *= Math.pow(step, evt.repeat ? 0.25 : 1);
    network.moveTo({ scale: Math.min(10, step < 1 ? zoomedOut(scale, network.getScale()) : scale), animation: false });
  });
  document.getElementById('kg-depth').addEventListener('change', function (evt) {
    if (selected !== null) { setDepth(selected, Math.max(0, Math.min(2, +evt.target.value || 0))); showDetails(); }
  });
  /* A date box's day, brought to the archive's first or last day if it lies outside (shown so):
   * a period of days without any event would draw an empty view and say nothing of why. */
  function withinArchive(box) {
    var day = box.value || null;
    if (day && box.min && day < box.min) { day = box.value = box.min; }
    if (day && box.max && day > box.max) { day = box.value = box.max; }
    return day;
  }
  /* Whether a date box holds a day still being typed: Chrome reports each digit of the year as it
   * comes (0002-06-10 after the first of 2026), and a day partly typed as none.  Such a day, or one
   * outside the archive, waits for Enter or for the box to be left: brought into the archive
   * under the cursor, it would take the next digit typed into the wrong year. */
  function unfinished(box) {
    if (box.validity.badInput || typedOver[box.id]) { return true; }
    var day = box.value;
    return Boolean(day) && (!/^[1-9]\d{3}-\d{2}-\d{2}$/.test(day) || Boolean(box.min && day < box.min) ||
      Boolean(box.max && day > box.max));
  }
  /* The period of the date boxes, from a change in `box` (`done`: Enter pressed, or the box left). */
  function fromBoxes(box, done) {
    var sinceBox = document.getElementById('kg-since');
    var untilBox = document.getElementById('kg-until');
    if (!done && (unfinished(sinceBox) || unfinished(untilBox))) { return; }
    if (done) { typedOver[sinceBox.id] = typedOver[untilBox.id] = false; }
    [sinceBox, untilBox].forEach(function (b) {  // (a day left half typed: the period's, as it was)
      if (b.validity.badInput) { showRange(range.since, range.until, b.id); }
    });
    // (an open end the box still shows stays open: the day shown is only the archive's)
    var since = sinceBox.value === openEnd[sinceBox.id] ? null : withinArchive(sinceBox);
    var until = untilBox.value === openEnd[untilBox.id] ? null : withinArchive(untilBox);
    if (since && until && since > until) {  // said at the box, kept to be mended; the period stays
      box.setCustomValidity(box === sinceBox ? 'From is after To (' + until + ')' : 'To is before From (' + since + ')');
      // Said at Enter, not while a day is typed (reporting resets the digit being typed), nor at a box being
      // left (it would keep the focus).
      if (done && document.activeElement === box) { box.reportValidity(); }
      return;
    }
    sinceBox.setCustomValidity('');
    untilBox.setCustomValidity('');
    if (done && since === range.since && until === range.until) { return; }  // (drawn already)
    api.setDateRange(since, until);
  }
  ['kg-since', 'kg-until'].forEach(function (name) {
    var box = document.getElementById(name);
    // A day typed or picked in the box is its own (not the open end it showed).
    box.addEventListener('input', function () { box.setCustomValidity(''); openEnd[name] = null; });
    box.addEventListener('change', function () { fromBoxes(box, false); });
    box.addEventListener('blur', function () { if (A) { fromBoxes(box, true); } });
    box.addEventListener('keydown', function (evt) {
      if (evt.key === 'Enter' && A) { fromBoxes(box, true); return; }
      // (a digit or a step of a part of the day, not a move between its parts)
      if (openEnd[name] !== null && (/^\d$/.test(evt.key) || evt.key === 'ArrowUp' || evt.key === 'ArrowDown')) {
        typedOver[name] = true;
      }
    });
  });
  document.getElementById('kg-reset').addEventListener('click', function () { api.reset(); });
  var toggle = document.getElementById('kg-panel-toggle');
  function setPanel(open) {
    document.body.classList.toggle('kg-panel-closed', !open);
    toggle.setAttribute('aria-expanded', String(open));
    toggle.textContent = open ? 'Hide panel' : 'Show panel';
    drawTimeline();
    updateStatus();  // (which names the selection while the panel is closed)
    // Over a narrow canvas the panel hides what it covers, and closed it leaves the whole canvas: a
    // selection is fitted again, with its neighbours, in the part of the canvas it leaves.
    if (selected !== null && A && panelLiesOver()) { goTo(selected); }
    // (made while closed, the panel's charts were drawn for no width, then shrunk: a phone's month chart's
    // labels read 6 px high; made again now, for the width the panel has)
    if (open && selected !== null && A) { showDetails(); }
    if (open) { headingInView(); }
  }
  /* Whether the panel lies over the canvas (a narrow page's), rather than beside it. */
  function panelLiesOver() { return getComputedStyle(document.getElementById('kg-side')).position === 'absolute'; }
  toggle.addEventListener('click', function () {
    var open = document.body.classList.contains('kg-panel-closed');
    // Beside the canvas, the panel leaves what was in view in view, and opened again the view it was
    // (keepingView), a selection or none: fitted again, a selection's view zoomed in and stayed so.
    if (selected !== null && A && panelLiesOver()) { setPanel(open); } else { keepingView(function () { setPanel(open); }); }
  });
  /* Whether the page opens with its panel open: not under 900 px wide, where it lies over the canvas. */
  function opensWithPanel() { return window.innerWidth >= 900; }
  if (!opensWithPanel()) { setPanel(false); }
  /* A window made narrower (a tablet turned) puts the panel over the canvas, and over some of the
   * selection's neighbours: once the size rests, they are fitted again in the part it leaves, as when
   * the panel opens; made wide again, in the whole canvas. */
  var RESIZE_REST_MS = 150;
  var resized = null;
  var sized = [window.innerWidth, panelLiesOver()];  // the width, and where the panel lay, as last fitted for
  window.addEventListener('resize', function () {
    drawTimeline();
    clearTimeout(resized);
    resized = setTimeout(function () {
      var now = [window.innerWidth, panelLiesOver()];
      // (narrower, or the panel over the canvas since: not a height changed, as a phone's keyboard does,
      // which would take a view the user moved back to the selection)
      var narrowed = now[1] && (now[0] < sized[0] || !sized[1]);
      // (and made wide again, the panel beside the canvas: the selection was fitted to the part the panel
      // left, at the canvas's left, where a neighbour ended cut at its edge)
      var widened = sized[1] && !now[1];
      sized = now;
      if ((narrowed || widened) && selected !== null && A && !document.body.classList.contains('kg-panel-closed') &&
          (widened || someOutOfView(litShown()))) { goTo(selected); }
    }, RESIZE_REST_MS);
  });

  document.getElementById('kg-title').textContent = cfg.title;
  document.title = cfg.title;
  if (cfg.notice) {
    var notice = document.getElementById('kg-notice');
    document.getElementById('kg-notice-text').textContent = cfg.notice;
    notice.hidden = false;  // (while the view is of every date and it is not dismissed: see updateStatus)
    // Dismissed, it stays so: on a phone it takes a tenth of the screen, which the canvas gets back.
    document.getElementById('kg-notice-close').addEventListener('click', function () {
      dismissNotice();
      network.canvas.frame.focus();  // (the button is gone: the focus goes on to the canvas)
    });
  }
  buildLegend();
  updateStatus();
  updateLegend();
  showDetails();

  // ------------------------------------------------------------ the page API
  function whenReady(action) {
    return function () {
      var args = arguments;
      return api.ready.then(function () { return action.apply(null, args); });
    };
  }
  api.search = whenReady(function (text) {
    searchBox.value = text;
    var list = suggestions(text);
    showSuggestions(list);
    if (!list.length || list[0].near) { return settle().then(function () { return list; }); }  // (guesses: none chosen)
    return go(list[0].id).then(function () { return list; });
  });
  api.suggestions = whenReady(function (text) { return suggestions(text); });
  api.settle = settle;
  api.select = whenReady(function (id) { return select(id); });
  api.clear = whenReady(clearSelection);
  api.expand = whenReady(function (id) {
    var wait = owners.has(id) ? Promise.resolve() : select(id);
    return wait.then(function () {
      if (selected === null) { selected = id; network.selectNodes([id]); }
      askExpansion(id);  // (what it brings in is lit beside the selection)
      var added = expandNode(id);
      reveal(id, added);
      showDetails();
      return settle().then(function () { return added; });
    });
  });
  api.collapse = whenReady(function (id) { collapseNode(id); showDetails(); return settle(); });
  api.setDepth = whenReady(function (id, depth) {
    if (depth !== 0 && depth !== 1 && depth !== 2) { throw new Error('not a depth 0, 1 or 2: ' + String(depth)); }
    if (typeof id !== 'string' || !lookup(id)) { throw new Error('no node ' + id); }
    if (depth > 0) { askExpansion(id); }
    setDepth(id, depth);
    showDetails();
    return settle();
  });
  /* An end of a period from a caller: none, or a day of the calendar (YYYY-MM-DD); anything else
   * is refused, as a reversed period is. */
  function periodEnd(end) {
    if (end === null || end === undefined || end === '') { return null; }
    if (!isDay(end)) { throw new Error('not a day YYYY-MM-DD: ' + String(end)); }
    return end;
  }
  /* A period from a caller, read as a link's: an end before or after the archive is its first or
   * last day; a period from a day to a day with no day of the archive between, as a reversed one,
   * is refused. */
  api.setDateRange = whenReady(function (since, until) {
    var from = periodEnd(since);
    var to = periodEnd(until);
    if (from && to && from > to) { throw new Error('since is after until'); }
    if (A.firstDay === null) { return setDateRange(from, to); }
    if (from && to && (to < A.firstDay || from > A.lastDay)) {
      throw new Error('from ' + from + ' to ' + to + ' holds no day of the archive (' + A.firstDay + ' to ' + A.lastDay + ')');
    }
    return setDateRange(from && within(from, A.firstDay, A.lastDay), to && within(to, A.firstDay, A.lastDay));
  });
  /* The view as the page opened without a fragment (the focus selected and expanded, if any; the panel
   * open or, on a narrow page, closed), the search box with it, and the address without a fragment
   * again (a history entry, as a new view). */
  api.reset = whenReady(function () {
    // The panel as the page opened (on a narrow page, left open, it would lie over the biggest entities).
    var opened = opensWithPanel();
    if (opened === document.body.classList.contains('kg-panel-closed')) { setPanel(opened); }
    openLink('');
    if (location.hash.length > 1) { writeLink('', false); }
    return settle();
  });
  /* The archive as the page decoded it, one plain array per column (the names of
   * kg.export.html.archive.Archive; `related` grouped by source event): for tests. */
  api.archive = function () {
    if (!A) { return null; }
    function all(get, n) { var out = new Array(n); for (var i = 0; i < n; i += 1) { out[i] = get(i); } return out; }
    var related = [];
    for (var ev = 0; ev < A.E; ev += 1) {
      for (var k = A.relOut.off[ev]; k < A.relOut.off[ev + 1]; k += 1) { related.push(ev, A.relOut.values[k]); }
    }
    var articles = A.article_publishers_offsets.length - 1;
    return {
      days: A.days.slice(), event_iri: all(A.eventIri, A.E), event_headline: all(A.event_headline, A.E),
      event_day: Array.from(A.event_day), event_in_corpus: Array.from(A.event_in_corpus),
      event_sources_offsets: Array.from(A.event_sources_offsets), event_sources: Array.from(A.event_sources),
      event_entities_offsets: Array.from(A.event_entities_offsets), event_entities: Array.from(A.event_entities),
      related: related, article_url: all(A.articleUrl, articles),
      article_publishers_offsets: Array.from(A.article_publishers_offsets),
      article_publishers: Array.from(A.article_publishers), entity_iri: A.entity_iri.slice(),
      entity_name: A.entity_name.slice(), entity_kind: Array.from(A.entity_kind),
      entity_link: all(A.entity_link, A.N),
      entity_organizations_offsets: Array.from(A.entity_organizations_offsets),
      entity_organizations: Array.from(A.entity_organizations),
      organization_key: A.organization_key.slice(), organization_label: A.organization_label.slice()
    };
  };
  /* The guesses IRIs are front-coded against (kg.export.html.packing), and an organization's key: for tests. */
  api.guess = { slug: slugGuess, name: nameGuess, quote: quote, organizationKey: organizationKey };
  /* Every node id of the page's data (entities, then events). */
  api.allIds = function () {
    if (!A) { return []; }
    var ids = A.entity_iri.slice();
    for (var ev = 0; ev < A.E; ev += 1) { ids.push(A.eventIri(ev)); }
    return ids;
  };
  /* What is drawn now: for tests and embedding pages (`lifted`: the nodes whose labels are drawn at another
   * size than their size says: larger, to be read, or beside a selection, dimmed, no larger than 12 px;
   * `overSmaller`: the hubs whose labels lie over smaller nodes' dots, having room nowhere else). */
  api.state = function () {
    return { selected: selected, since: range.since, until: range.until, expanded: Array.from(expansions.keys()),
      drawn: visibleIds(), counts: drawnCounts(), totals: A ? totals() : null, lifted: Array.from(lifted.keys()),
      overSmaller: overSmaller.slice() };
  };

  /* When each step of the start ended (ms since navigation), for the benchmark:
   * drawnAt (the first view drawn: it pans and zooms), settledAt (the archive's entities
   * and links indexed, the timeline and counts drawn), readyAt (headlines and URLs too:
   * every action works; kgView's actions wait for it). */
  api.timings = {};
  api.settledAt = null;
  var bufs = [null, null];
  var textsReady = false;
  // First what the first view needs (entities, events' days and links), then the texts.
  api.settled = inflate('kg-archive', cfg.archive.bytes[0]).then(function (u8) {
    api.timings.inflated = performance.now();
    bufs[0] = u8;
    var col = readColumns(bufs, cfg.archive);
    api.timings.unpacked = performance.now();
    A = indexArchive(col);
    api.timings.indexed = performance.now();
    if (A.firstDay !== null) {
      ['kg-since', 'kg-until'].forEach(function (name) {
        var input = document.getElementById(name);
        input.min = A.firstDay;
        input.max = A.lastDay;
      });
    }
    if (A.firstDay !== null) {
      // A page built for a period opens on the days of it the archive holds, and its links name those.
      if (cfg.since && cfg.since < A.firstDay) { cfg.since = A.firstDay; }
      if (cfg.until && cfg.until > A.lastDay) { cfg.until = A.lastDay; }
    }
    setRange(cfg.since, cfg.until);
    makeBins();
    drawTimeline();
    restyle();
    showDetails();
    return settle();
  }).then(function () {
    api.settledAt = performance.now();
    document.documentElement.setAttribute('data-kg-settled', '1');
  });
  api.ready = api.settled.then(parsed).then(function () {
    api.timings.parsed = performance.now();
    return inflate('kg-texts', cfg.archive.bytes[1]);
  }).then(function (u8) {
    bufs[1] = u8;
    textsReady = true;
    document.documentElement.setAttribute('data-kg-ready', '1');
    api.readyAt = performance.now();
    foldWhenIdle(A.E - 1);
    // A fragment opens its view (and the page keeps the view in it from then on); else the focus, if any.
    function follow() { link.shown = linkOf(); link.written = location.hash.slice(1); link.on = true; }
    if (location.hash.length > 1) {
      openLink(location.hash.slice(1));
      follow();
      return settle();
    }
    if (cfg.focus && lookup(cfg.focus)) {
      return select(cfg.focus).then(function () {
        if (cfg.depth > 0) { setDepth(cfg.focus, cfg.depth); showDetails(); }
        follow();
        return settle();
      });
    }
    follow();
    return settle();
  });
  api.ready.catch(function (err) {
    document.getElementById('kg-status').textContent = 'The archive could not be read: ' + err;
  });
