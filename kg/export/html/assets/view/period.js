  // ------------------------------------------------------------ the period, and the timeline
  function setRange(since, until) {
    rangeNote = '';
    range.since = since || null;
    range.until = until || null;
    var s = sliceOf(range.since, range.until);
    range.low = s[0];
    range.high = s[1];
    totalCache = null;
    range.busiest = 0;
    showRange(range.since, range.until);
    moved = null;  // (a period set otherwise replaces one the handles were moving to)
    clearTimeout(movedTimer);
  }

  /* The day a date box shows for an open end of the period (the archive's first or last day, while
   * the other end is set, as the status line says the period), by the box's id; null once a day is
   * typed or picked there. Such a day left as shown (the box left, Enter) keeps the end open. */
  var openEnd = { 'kg-since': null, 'kg-until': null };
  /* Whether a day is being typed over an open end: each digit makes a whole day of it (the month
   * typed first, the day of the end shown is kept), so it is read on Enter or the box left. */
  var typedOver = { 'kg-since': false, 'kg-until': false };

  /* Show the period `since` to `until` in the date boxes (only the box `only`, if given): an open
   * end as the archive's first or last day when the other end is set, both empty for all dates. */
  function showRange(since, until, only) {
    var bounded = Boolean(A && A.firstDay !== null && (since || until));
    [['kg-since', since, bounded && A.firstDay], ['kg-until', until, bounded && A.lastDay]].forEach(function (end) {
      if (only && only !== end[0]) { return; }
      openEnd[end[0]] = end[1] ? null : end[2] || null;
      typedOver[end[0]] = false;
      document.getElementById(end[0]).value = end[1] || openEnd[end[0]] || '';
    });
  }

  /* A period draws its own busiest entities too (the overview drew the archive's): those of
   * them not drawn are added beside the drawn entity they share most of the period's events
   * with, joined to it; they go when the period changes, unless expanded. */
  function drawPeriodLeaders() {
    removeNodes(Array.from(owners.keys()).filter(function (id) {
      var own = owners.get(id);
      return own.size === 1 && own.has('period') && !expansions.has(id);
    }));
    // An expanded node that only the last period drew stays that period's, to go once collapsed.
    owners.forEach(function (own, id) { if (!(own.size === 1 && expansions.has(id))) { own.delete('period'); } });
    if (!range.since && !range.until) { return; }
    // A period that holds every event (a page built --since/--until, opened or reset on its own
    // period) is all dates: the first view's entities stand for it.
    var whole = sliceOf(null, null);
    if (range.low === whole[0] && range.high === whole[1]) { return; }
    var busy = [];
    for (var i = 0; i < A.N; i += 1) {
      var n = cfg.kinds.indexOf(entityKind(i)) >= 0 ? eventsInPeriod(i).length : 0;
      if (n) { busy.push([n, i]); }
    }
    busy.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
    // Clear of every drawn node, hidden ones too: they come back with all dates.
    var taken = occupied(true);
    var links = [];
    busy.slice(0, cfg.periodEntities).forEach(function (item) {
      var i = item[1];
      var id = A.entity_iri[i];
      if (owners.has(id)) { owners.get(id).add('period'); return; }
      var mine = eventsInPeriod(i);
      var best = null;
      var most = 0;
      owners.forEach(function (own, other) {
        var ref = kindOf.get(other) === 'event' ? null : lookup(other);
        if (!ref || ref.kind !== 'entity' || ref.i === i) { return; }
        var shared = sharedCount(mine, eventsInPeriod(ref.i));
        if (shared > most) { most = shared; best = other; }
      });
      // Sized as restyle sizes the period's entities: to the period's largest (shareNow).
      addAround(best, [entityNode(i, 0, 0)], 'period', taken);
      if (best !== null) {
        links.push(styleEdge({ id: pairId('p', id, best), from: id, to: best, kind: 'co-occurs',
          weight: sharedCount(eventsOf(i), eventsOf(lookup(best).i)) }));
      }
    });
    edges.add(links.filter(function (e) { return !edges.get(e.id); }));
  }

  function setDateRange(since, until) {
    if (since && until && since > until) { return Promise.reject(new Error('since is after until')); }
    // An expansion draws its period's events: it is made again for the new period, as the view's link
    // opens it (the selection, taken out with it, drawn again first where the period holds it).
    var reopen = topExpansions().map(function (id) { return [id, depthOf(id)]; });
    var retaken = false;  // (the selection taken out with an expansion: still the selection, if drawn again)
    if (reopen.length) {
      var gone = [];
      Array.from(expansions.keys()).forEach(function (id) { collapseInto(id, gone); });
      retaken = selected !== null && gone.indexOf(selected) >= 0;
      removeNodes(gone);
    }
    setRange(since, until);
    drawPeriodLeaders();
    if (retaken && heldByPeriod(selected)) { ensureDrawn(selected); }
    reopen.forEach(function (item) {
      if (!owners.has(item[0])) { ensureDrawn(item[0]); }
      if (!expansions.has(item[0])) { setDepth(item[0], item[1]); }
    });
    if (retaken && owners.has(selected)) { network.selectNodes([selected]); }
    var chosen = selected === null ? null : nodes.get(selected);
    if (selected !== null && (!chosen || hiddenByFilter(chosen))) {  // no longer drawn: no longer selected
      var ref = lookup(selected);  // (said: a selection gone with no word read as a fault)
      if (ref && (!chosen || typeOn[chosen.kind])) {  // (one the legend hides is said there)
        rangeNote = ' (' + (ref.kind === 'entity' ? A.entity_name[ref.i] + ' has no event in it'
          : 'the selected event is not in it') + ': no longer selected)';
        // (to a screen reader too: the live line still named the selection, with its count of before)
        announce(rangeNote.slice(2, -1).replace(/^./, function (c) { return c.toUpperCase(); }));
      } else {
        announce('Selection cleared');
      }
      selected = null;
      network.unselectAll();
    } else if (selected !== null) {
      announce(selectionSaid(selected));  // (an entity's count, the period's now)
    } else if (A) {  // (nothing selected: the period's own count, which only the status line said)
      announce((range.since || range.until ? 'Period ' + (range.since || A.firstDay) + ' to ' +
        (range.until || A.lastDay) : 'All dates') + ': ' +
        events(A.corpusBefore[range.high] - A.corpusBefore[range.low]));
    }
    restyle();
    var ids = visibleIds();
    // On a phone the whole view fitted is zoomed in on its biggest entity to read: a selection that
    // stands is fitted with its neighbours instead, as choosing it fitted them.
    if (selected !== null && network.canvas.frame.canvas.clientWidth < NARROW_PX) {
      goTo(selected);
    } else if (ids.length) {  // (none: a period without events)
      fitTo(ids);
      readable(ids);
    }
    drawTimeline();
    showDetails();
    return settle();
  }

  /* Whether the period holds the node `id`: an entity with events in it, or an event of it. */
  function heldByPeriod(id) {
    var ref = lookup(id);
    return Boolean(ref) && (ref.kind === 'entity' ? eventsInPeriod(ref.i).length > 0 : inPeriod(ref.i));
  }

  var timeline = document.getElementById('kg-timeline');
  var bins = [];
  var lastClick = { bin: -1, at: 0 };

  /* The period's ends on the timeline are two handles (ARIA sliders): the keys move them as the
   * date boxes would set them, within the archive and From never after To.  Where they are
   * going shows at once; the period is drawn once the keys rest (a key held down would
   * otherwise redraw the view at every repeat). */
  var HANDLE = 6;           // px
  // A handle stands outside its period, beside the bar of its day, From on the left and To on the right,
  // and the bars are inset by a handle at either end: at the archive's ends, or on a day picked, handles
  // covered its bars (a phone's are 4 px wide).
  var INSET = HANDLE;
  var KEYS_REST_MS = 250;
  var moved = null;         // [since, until] the handles were moved to and the view not yet drawn for
  var movedTimer = null;

  function isoDay(d) { return d.toISOString().slice(0, 10); }
  function addDays(text, n) {
    var d = new Date(text + 'T00:00:00Z');
    d.setUTCDate(d.getUTCDate() + n);
    return isoDay(d);
  }
  /* The same day `n` months on (the month's last day if it has no such day). */
  function addMonths(text, n) {
    var d = new Date(text + 'T00:00:00Z');
    var want = d.getUTCDate();
    d.setUTCDate(1);
    d.setUTCMonth(d.getUTCMonth() + n);
    d.setUTCDate(Math.min(want, new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate()));
    return isoDay(d);
  }
  function daysFrom(first, text) { return Math.round((Date.parse(text + 'T00:00:00Z') - Date.parse(first + 'T00:00:00Z')) / 864e5); }
  function within(text, low, high) { return text < low ? low : text > high ? high : text; }

  /* The ends the handles show: where the keys moved them, else the period (all dates: the archive's ends). */
  function handleEnds() {
    if (moved) { return moved.slice(); }
    var since = within(range.since || A.firstDay, A.firstDay, A.lastDay);
    return [since, within(range.until || A.lastDay, since, A.lastDay)];
  }

  /* A handle's ARIA values: a day number from the archive's first day, the date as its text. */
  function setHandle(handle, ends, plot) {
    var k = handle.getAttribute('data-end') === 'since' ? 0 : 1;
    var first = bins[0].since;
    var span = daysFrom(first, bins[bins.length - 1].until) + 1;
    handle.setAttribute('x', INSET + (daysFrom(first, ends[k]) + k) / span * plot - (k ? 0 : HANDLE));
    handle.setAttribute('aria-valuemin', daysFrom(A.firstDay, k ? ends[0] : A.firstDay));
    handle.setAttribute('aria-valuemax', daysFrom(A.firstDay, k ? A.lastDay : ends[1]));
    handle.setAttribute('aria-valuenow', daysFrom(A.firstDay, ends[k]));
    handle.setAttribute('aria-valuetext', ends[k]);
  }

  /* The end `k` (0 From, 1 To) moved to `day`, kept in the archive and on its side of the other. */
  function moveEnd(k, day) {
    var ends = handleEnds();
    ends[k] = k ? within(day, ends[0], A.lastDay) : within(day, A.firstDay, ends[1]);
    moved = ends;
    showRange(ends[0], ends[1]);
    return ends;
  }

  function drawMoved() {
    clearTimeout(movedTimer);
    var ends = moved;
    moved = null;
    var were = handleEnds();
    if (ends && (ends[0] !== were[0] || ends[1] !== were[1])) { api.setDateRange(ends[0], ends[1]); return; }
    // (moved back where they were, or not at all: nothing to draw, the boxes as they were)
    showRange(range.since, range.until);
    drawTimeline();
  }

  function onHandleKey(evt) {
    var k = evt.currentTarget.getAttribute('data-end') === 'since' ? 0 : 1;
    var day = handleEnds()[k];
    // Page Up and Down: a week on a timeline of days, a bar on one of years, else a month.
    var page = bins.unit === 'day' ? function (n) { return addDays(day, 7 * n); }
      : function (n) { return addMonths(day, bins.years ? 12 * bins.years * n : n); };
    var steps = { ArrowLeft: -1, ArrowDown: -1, ArrowRight: 1, ArrowUp: 1 };
    if (steps[evt.key]) { day = addDays(day, steps[evt.key]); } else if (evt.key === 'PageUp') { day = page(1); } else if (evt.key === 'PageDown') { day = page(-1); } else if (evt.key === 'Home') { day = A.firstDay; } else if (evt.key === 'End') { day = A.lastDay; } else { return; }
    evt.preventDefault();
    evt.stopPropagation();
    moveEnd(k, day);
    drawTimeline();
    clearTimeout(movedTimer);
    movedTimer = setTimeout(drawMoved, KEYS_REST_MS);
  }
  var LAST_DATE = Date.UTC(9999, 11, 31);  // (a day past it would be written +010000-01-01)
  function makeBins() {
    bins = [];
    if (A.firstDay === null) { return; }
    var first = new Date(A.firstDay + 'T00:00:00Z');
    var last = new Date(A.lastDay + 'T00:00:00Z');
    var span = Math.round((last - first) / 864e5) + 1;
    var months = (last.getUTCFullYear() - first.getUTCFullYear()) * 12 + last.getUTCMonth() - first.getUTCMonth() + 1;
    var unit = span <= 120 ? 'day' : span <= 7 * 160 ? 'week' : months <= 160 ? 'month' : 'year';
    // Past 160 months, bars of as many years as keep them to 160 at most: an archive's dates may
    // run from the year 1 to 9999 (a month a bar drew 120,000 of them, for seconds at each redraw).
    var years = unit === 'year' ? Math.ceil((last.getUTCFullYear() - first.getUTCFullYear() + 1) / 160) : 1;
    var start = new Date(first);
    if (unit === 'week') { start.setUTCDate(start.getUTCDate() - ((start.getUTCDay() + 6) % 7)); }
    if (unit === 'month' || unit === 'year') { start.setUTCDate(1); }
    if (unit === 'year') { start.setUTCMonth(0); }
    var out = [];
    var cursor = new Date(start);
    while (cursor <= last) {
      var next = new Date(cursor);
      if (unit === 'day') { next.setUTCDate(next.getUTCDate() + 1); }
      if (unit === 'week') { next.setUTCDate(next.getUTCDate() + 7); }
      if (unit === 'month') { next.setUTCMonth(next.getUTCMonth() + 1); }
      if (unit === 'year') { next.setUTCFullYear(next.getUTCFullYear() + years); }
      var end = new Date(Math.min(next - 864e5, LAST_DATE));
      out.push({ since: cursor.toISOString().slice(0, 10), until: end.toISOString().slice(0, 10), n: 0 });
      cursor = next;
    }
    var perDay = new Int32Array(A.days.length);
    for (var ev = 0; ev < A.E; ev += 1) { if (A.event_in_corpus[ev]) { perDay[A.event_day[ev]] += 1; } }
    var b = 0;
    for (var d = 0; d < A.days.length; d += 1) {
      while (b < out.length - 1 && A.days[d] > out[b].until) { b += 1; }
      out[b].n += perDay[d];
    }
    bins = out;
    bins.unit = years > 1 ? years + ' years' : unit;
    bins.years = unit === 'year' ? years : 0;  // (a bar's years, for Page Up and Down)
  }

  function drawTimeline() {
    if (!A || !bins.length) { return; }
    var width = Math.max(timeline.clientWidth - 20, 200);
    var height = 56;
    var plot = width - 2 * INSET;  // (the bars' width, all together)
    var bar = plot / bins.length;
    var peak = Math.max.apply(null, bins.map(function (x) { return x.n; })) || 1;
    var ends = handleEnds();
    var shown = moved ? { since: moved[0], until: moved[1] } : range;  // (where the handles are going, shown at once)
    var chart = svg('svg', { width: width, height: height + 16, id: 'kg-timeline-chart' });
    chart.appendChild(svg('title')).textContent = 'Events per ' + bins.unit + '; drag to choose a period, double-click for all dates';
    bins.forEach(function (x, i) {
      var inside = (!shown.since || x.until >= shown.since) && (!shown.until || x.since <= shown.until);
      var h = Math.max(x.n ? 1 : 0, height * x.n / peak);
      var r = svg('rect', { x: INSET + i * bar, y: height - h, width: Math.max(bar - (bar > 3 ? 1 : 0), 0.5), height: h,
        fill: inside ? '#4e79a7' : INK.outside });
      // (a week or month at either end said as far as the archive goes)
      var since = within(x.since, A.firstDay, A.lastDay);
      var until = within(x.until, A.firstDay, A.lastDay);
      r.appendChild(svg('title')).textContent = since + (since === until ? '' : ' to ' + until) + ': ' + events(x.n);
      chart.appendChild(r);
    });
    var label = svg('text', { x: 0, y: height + 13, 'font-size': 11, fill: INK.axis });
    // The archive's first and last days, not those of the weeks or months that hold them.
    label.textContent = A.firstDay + ' · events per ' + bins.unit + ' (most: ' + num(peak) + ')';
    var end = svg('text', { x: width, y: height + 13, 'font-size': 11, fill: INK.axis, 'text-anchor': 'end' });
    end.textContent = A.lastDay;
    chart.appendChild(label);
    chart.appendChild(end);
    var brush = svg('rect', { y: 0, height: height, fill: 'rgba(242,142,43,0.25)', stroke: '#f28e2b', width: 0, x: 0 });
    chart.appendChild(brush);
    var from = null;
    function binAt(evt) {
      var box = chart.getBoundingClientRect();
      return Math.min(bins.length - 1, Math.max(0, Math.floor((evt.clientX - box.left - INSET) / bar)));
    }
    [['since', 'From (first day of the period)'], ['until', 'To (last day of the period)']].forEach(function (end) {
      var handle = svg('rect', { y: 0, height: height, width: HANDLE, rx: 2, class: 'kg-handle', tabindex: 0,
        role: 'slider', 'aria-label': end[1], 'aria-orientation': 'horizontal', 'data-end': end[0] });
      setHandle(handle, ends, plot);
      handle.addEventListener('keydown', onHandleKey);
      // Dragged, a handle moves its end alone; pressed with a mouse, it picks no day; tapped in place by a
      // finger, it picks the day under it, as the chart does (a tap on a phone's 4 px bar beside a handle
      // lands on the handle, and did nothing).
      var k = end[0] === 'since' ? 0 : 1;
      var dragging = false;
      var went = false;  // (whether a drag took its end to another day)
      var finger = false;  // (whether the press was a finger's)
      handle.addEventListener('pointerdown', function (evt) {
        evt.stopPropagation();
        // A day picked by a click has its handles beside its bar: the second click of a double-click, a
        // little off, may land on one, and is the double-click still.
        var own = bins.findIndex(function (x) { return x.until >= ends[k]; });
        if (lastClick.bin === own && evt.timeStamp - lastClick.at < 500) {
          lastClick = { bin: -1, at: 0 };
          setDateRange(null, null);
          return;
        }
        dragging = true;
        went = false;
        finger = evt.pointerType === 'touch';
        handle.setPointerCapture(evt.pointerId);
      });
      handle.addEventListener('pointermove', function (evt) {
        if (!dragging) { return; }
        var box = chart.getBoundingClientRect();
        var first = bins[0].since;
        var span = daysFrom(first, bins[bins.length - 1].until) + 1;
        // (to the nearest edge of a day: From's left edge, To's right edge)
        var day = within(addDays(first, Math.round((evt.clientX - box.left - INSET) / plot * span) - k), A.firstDay,
          A.lastDay);
        went = went || day !== ends[k];
        setHandle(handle, moveEnd(k, day), plot);
      });
      handle.addEventListener('pointerup', function (evt) {
        evt.stopPropagation();
        if (!dragging) { return; }
        dragging = false;
        if (went || !finger) { drawMoved(); return; }
        clearTimeout(movedTimer);
        moved = null;
        var b = binAt(evt);
        pick(b, b, evt.timeStamp);
      });
      chart.appendChild(handle);
    });
    chart.addEventListener('pointerdown', function (evt) { from = binAt(evt); chart.setPointerCapture(evt.pointerId); });
    chart.addEventListener('pointermove', function (evt) {
      if (from === null) { return; }
      var to = binAt(evt);
      brush.setAttribute('x', INSET + Math.min(from, to) * bar);
      brush.setAttribute('width', (Math.abs(to - from) + 1) * bar);
    });
    chart.addEventListener('pointerup', function (evt) {
      if (from === null) { return; }
      var to = binAt(evt);
      var lo = Math.min(from, to);
      var hi = Math.max(from, to);
      from = null;
      pick(lo, hi, evt.timeStamp);  // (when the click came, not when this handler runs: a redraw may be slow)
    });
    /* The bars from `lo` to `hi` picked (brushed, or one clicked) at time `now`. */
    function pick(lo, hi, now) {
      // A click redraws the chart, so the browser's dblclick does not come: the second of two
      // clicks on one bar within half a second is one.
      var again = lo === hi && lastClick.bin === lo && now - lastClick.at < 500;
      lastClick = lo === hi && !again ? { bin: lo, at: now } : { bin: -1, at: 0 };
      // (the period brushed stays in the archive, as the date boxes keep it)
      if (again) { setDateRange(null, null); } else {
        setDateRange(within(bins[lo].since, A.firstDay, A.lastDay), within(bins[hi].until, A.firstDay, A.lastDay));
      }
    }
    chart.addEventListener('dblclick', function (evt) {
      if (evt.target.getAttribute('role') !== 'slider') { setDateRange(null, null); }
    });
    // Drawn anew, the timeline keeps the focus on the handle that had it.
    var had = timeline.contains(document.activeElement) ? document.activeElement.getAttribute('data-end') : null;
    timeline.replaceChildren(chart);
    if (had) { chart.querySelector('[data-end="' + had + '"]').focus(); }
  }

