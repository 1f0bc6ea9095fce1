  // ------------------------------------------------------------ an entity's events over time (the panel's chart)
  /* The longest period, in days, whose chart has a bar a day rather than a month: a month's bar scaled
   * from a few days said "about 56 over the whole month" of a ten-day period, and a period of five weeks
   * drew its last five days' month taller than the whole month before. */
  var DAY_BARS_AT_MOST = 62;

  /* The chart of `evs` in the panel: a bar a day in a period of DAY_BARS_AT_MOST days or fewer, else a month. */
  function eventsChart(evs) {
    var from = range.since || A.firstDay;
    var to = range.until || A.lastDay;
    var span = Math.round((Date.parse(to) - Date.parse(from)) / 864e5) + 1;
    return span <= DAY_BARS_AT_MOST ? dayChart(evs, from, span) : monthChart(evs);
  }

  /* The line the bars stand on, `width` long at `height`. */
  function baseline(width, height) {
    return svg('line', { x1: 0, x2: width, y1: height + 0.5, y2: height + 0.5, stroke: INK.axis, 'stroke-width': 0.5 });
  }

  /* The chart's width in its own units: the panel's in CSS pixels (at most the 320 the page's style lets
   * it have), so that its 10-unit texts are 10 px: drawn 300 units wide, a phone's panel (175 px) shrank
   * them to 6 px. */
  function chartWidth() {
    var room = document.getElementById('kg-details').clientWidth;
    return room ? Math.max(150, Math.min(320, Math.floor(room))) : 300;
  }

  /* The texts under the line the bars stand on: `left` at its start, `right` and then `peak` at its end,
   * `peak` on a line of its own when the three would not fit on one (a phone's panel). The height
   * they take under the line. */
  function axisEnds(chart, width, height, left, right, peak) {
    var oneLine = (left.length + right.length + peak.length + 6) * 5.8 <= width;  // (10-unit digits: ~5.6 wide)
    var ends = [[0, height + 12, left, 'start'],
      [width, height + 12, oneLine ? right + ' \u00b7 ' + peak : right, 'end']];
    if (!oneLine) { ends.push([width, height + 24, peak, 'end']); }
    ends.forEach(function (e) {
      var t = svg('text', { x: e[0], y: e[1], 'font-size': 10, fill: INK.axis, 'text-anchor': e[3] });
      t.textContent = e[2];
      chart.appendChild(t);
    });
    return oneLine ? 14 : 26;
  }

  /* Events per day of `evs`, each day of the `span` days from `from` a bar (a day without any too). */
  function dayChart(evs, from, span) {
    var counts = new Map();
    Array.prototype.forEach.call(evs, function (ev) { counts.set(day(ev), (counts.get(day(ev)) || 0) + 1); });
    if (!counts.size) { return null; }
    var start = Date.parse(from);
    var all = [];
    for (var i = 0; i < span; i += 1) { all.push(new Date(start + i * 864e5).toISOString().slice(0, 10)); }
    var peak = Math.max.apply(null, all.map(function (d) { return counts.get(d) || 0; }));
    var width = chartWidth();
    var height = 54;
    var bar = width / all.length;
    var chart = svg('svg', { class: 'kg-months kg-days', role: 'img' });
    chart.appendChild(svg('title')).textContent = 'Events per day, ' + all[0] + ' to ' + all[all.length - 1] +
      '; most in a day: ' + peak;
    chart.appendChild(baseline(width, height));  // (a day without events is a gap on it)
    all.forEach(function (d, i) {
      var v = counts.get(d) || 0;
      var h = peak ? height * v / peak : 0;
      var r = svg('rect', { x: i * bar + 0.5, y: height - h, width: Math.max(bar - 1, 0.5), height: h,
        fill: '#4e79a7', 'data-day': d });
      r.appendChild(svg('title')).textContent = d + ': ' + events(v);
      chart.appendChild(r);
    });
    var under = axisEnds(chart, width, height, all[0], all[all.length - 1], 'max ' + peak + '/day');
    chart.setAttribute('viewBox', '0 0 ' + width + ' ' + (height + under));
    return chart;
  }

  /* Events per month of `evs`. A month the archive (or the period) covers in part, its first or last,
   * is drawn as its events per day over a whole month, pale, so that it does not look a quiet month. */
  function monthChart(evs) {
    var months = new Map();
    Array.prototype.forEach.call(evs, function (ev) {
      var m = day(ev).slice(0, 7);
      months.set(m, (months.get(m) || 0) + 1);
    });
    var keys = Array.from(months.keys()).sort();
    if (!keys.length) { return null; }
    var all = [];
    var y = +keys[0].slice(0, 4);
    var m = +keys[0].slice(5, 7);
    var last = keys[keys.length - 1];
    for (var guard = 0; guard < 1200; guard += 1) {
      var key = y + '-' + (m < 10 ? '0' : '') + m;
      all.push(key);
      if (key >= last) { break; }
      m += 1;
      if (m > 12) { m = 1; y += 1; }
    }
    var from = range.since || A.firstDay;
    var to = range.until || A.lastDay;
    var bars = all.map(function (k) {
      var v = months.get(k) || 0;
      var days = new Date(Date.UTC(+k.slice(0, 4), +k.slice(5, 7), 0)).getUTCDate();
      var start = from && from > k + '-01' ? from : k + '-01';
      var end = to && to < k + '-' + days ? to : k + '-' + days;
      var covered = Math.max(1, Math.round((Date.parse(end) - Date.parse(start)) / 864e5) + 1);
      return { k: k, v: v, days: days, covered: Math.min(covered, days), rate: v * days / Math.min(covered, days) };
    });
    var peak = Math.max.apply(null, bars.map(function (b) { return b.rate; }));
    // The caption and title give the most events a month holds, as counted: a pale bar's rate, scaled
    // to a whole month, is no month's count (May's 12 events in 6 days read "max 62/month").
    var most = Math.max.apply(null, bars.map(function (b) { return b.v; }));
    var partial = bars.some(function (b) { return b.covered < b.days; });
    var width = chartWidth();
    var height = 54;
    var bar = width / all.length;
    var chart = svg('svg', { class: 'kg-months', role: 'img' });
    chart.appendChild(svg('title')).textContent = 'Events per month, ' + all[0] + ' to ' + last + '; most in a month: ' +
      most + (partial ? '; pale: a month covered in part, drawn as its events per day over the whole month' : '');
    chart.appendChild(baseline(width, height));
    bars.forEach(function (b, i) {
      var h = peak ? Math.max(b.v ? 1 : 0, height * b.rate / peak) : 0;
      var part = b.covered < b.days;
      var r = svg('rect', { x: i * bar + 0.5, y: height - h, width: Math.max(bar - 1, 0.5), height: h,
        fill: part ? INK.pale : '#4e79a7', 'data-month': b.k });
      if (part) { r.setAttribute('data-days', b.covered + '/' + b.days); }
      r.appendChild(svg('title')).textContent = b.k + ': ' + events(b.v) + (part ? ' in ' + b.covered + ' of its ' +
        b.days + ' days (about ' + Math.round(b.rate) + ' over the whole month)' : '');
      chart.appendChild(r);
    });
    var under = axisEnds(chart, width, height, all[0], last, 'max ' + most + '/month');
    if (partial) {
      var note = svg('text', { x: 0, y: height + under + 10, 'font-size': 10, fill: INK.axis });
      note.textContent = width >= 230 ? 'pale: part of a month, scaled to a whole one' : 'pale: part of a month, scaled';
      chart.appendChild(note);
      under += 12;
    }
    chart.setAttribute('viewBox', '0 0 ' + width + ' ' + (height + under));
    return chart;
  }
