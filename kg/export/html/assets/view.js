/* The kg explorer page.
 *
 * The first view (entities, their sizes, colours and positions) was decided
 * in Python and arrives as vis-network nodes; the archive (every event, its
 * sources, entities and related events) arrives as two gzipped buffers of
 * typed arrays and texts (kg.export.html.packing), unpacked after the first drawing:
 * the first (entities, links, days) settles the first view, the second
 * (headlines, URLs; last in the file) is read one text at a time, when shown.
 * Everything the page adds later (expanded events, searched nodes) is placed
 * on the first free spot of a spiral around its anchor, so nothing drawn
 * overlaps.
 *
 * Every text from the corpus reaches the page through textContent or
 * vis-network's plain-text titles, never as markup, and only http(s) URLs
 * become links.  `window.kgView` is the page's API: each action returns a
 * Promise that resolves once the view has settled (drawn). */
(function () {
  'use strict';

  // ------------------------------------------------------------ helpers
  function readJson(id) { return JSON.parse(document.getElementById(id).textContent); }

  function el(tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (key) {
      if (key === 'text') { node.textContent = props[key]; } else { node[key] = props[key]; }
    });
    (children || []).forEach(function (child) { if (child) { node.appendChild(child); } });
    return node;
  }

  function svg(tag, attrs) {
    var node = document.createElementNS('http://www.w3.org/2000/svg', tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    return node;
  }

  /* The URL, normalised, if it is http(s); otherwise null. */
  function safeUrl(text) {
    try {
      var url = new URL(String(text));
      return (url.protocol === 'http:' || url.protocol === 'https:') ? url.href : null;
    } catch (err) {
      return null;
    }
  }

  /* Case- and accent-insensitive form of a text, for search. */
  function fold(text) {
    // (dashes as one: "Israel-Lebanon" finds "Israel\u2013Lebanon"; a typed ' finds the page's \u2019;
    // a run of spaces is one; the dot after a short word (one to three letters) standing alone, as in
    // an abbreviation, an initial or a title, as none: "US treasury" finds "U.S. treasury", "PhD"
    // "Ph.D.", "George W Bush" "George W. Bush", "Sgt Smith" "Sgt. Smith"; as kg.export.html.explorer)
    return String(text).normalize('NFD').replace(/[\u0300-\u036f]/g, '')
      .replace(/[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]/g, '-').replace(/[\u2018\u2019\u201b\u2032]/g, "'")
      .replace(/\s+/g, ' ').toLowerCase().replace(/(?<![\p{L}\p{N}])(\p{L}{1,3})\./gu, '$1');
  }

  /* Whether folded `text` holds every word of the folded query `words` (in any order). */
  function holdsAll(text, words) {
    return words.every(function (w) { return text.indexOf(w) >= 0; });
  }

  function num(n) { return n.toLocaleString('en'); }
  function events(n) { return num(n) + (n === 1 ? ' event' : ' events'); }

  function short(text, limit) {
    return text.length <= limit ? text : text.slice(0, limit - 1) + '…';
  }

  var cfg = readJson('kg-config');
  var S = cfg.sizing;

  // ------------------------------------------------------------ first view
  var firstNodes = readJson('kg-nodes');
  var firstEdges = readJson('kg-edges');
  var boxOf = new Map();       // node id -> [left, right, top, bottom] around its centre
  var kindOf = new Map();      // node id -> 'context' | 'publisher' | 'event'
  var owners = new Map();      // node id -> Set of what keeps it drawn ('overview', expansions, 'search')
  firstNodes.forEach(function (n) {
    boxOf.set(n.id, n.box);
    kindOf.set(n.id, n.kind);
    owners.set(n.id, new Set(['overview']));
    n.title = n.label;
    n.baseSize = n.size;
    n.baseFont = n.font.size;
  });
  firstEdges.forEach(styleEdge);

  nodes = new vis.DataSet(firstNodes);
  edges = new vis.DataSet(firstEdges);
  data = { nodes: nodes, edges: edges };
  network = new vis.Network(document.getElementById('mynetwork'), data, options);

  // vis-network's frame is the focusable canvas: name it for keyboard and screen-reader users.
  network.canvas.frame.setAttribute('role', 'application');
  network.canvas.frame.setAttribute('aria-label', 'Network: arrow keys move, + and - zoom, Escape clears the selection');
  var api = { safeUrl: safeUrl, drawnAt: null, settledAt: null, readyAt: null };
  window.kgView = api;
  network.once('afterDrawing', function () {
    readable(nodes.getIds({ filter: function (n) { return !n.hidden; } }));
    api.drawnAt = performance.now();
    document.documentElement.setAttribute('data-kg-drawn', '1');
  });

  /* On a narrow screen, the whole overview fitted draws every label below vis-network's
   * threshold (none at 375 px): zoom in, on the biggest entity of `ids`, until the biggest read. */
  function readable(ids) {
    var threshold = options.nodes.scaling.label.drawThreshold, biggest = null, font = 0;
    ids.forEach(function (id) {
      var body = network.body.nodes[id];
      if (body && body.options.font.size > font) { font = body.options.font.size; biggest = id; }
    });
    var needed = font ? 1.5 * threshold / font : 0;  // the biggest at 1.5 times the smallest label drawn
    if (biggest !== null && network.getScale() < needed) {
      network.moveTo({ position: network.getPosition(biggest), scale: needed });
    }
  }

  function styleEdge(e) {
    var t = cfg.edgeTypes[e.kind];
    e.color = { color: t.color, highlight: '#222222', hover: '#444444', opacity: 0.7 };
    e.dashes = t.dashes;
    if (e.kind === 'co-occurs') {
      e.width = Math.min(1 + Math.log2(e.weight), 8);
      e.baseWidth = e.width;
    }
    return e;
  }

  /* A Promise resolved once the view is drawn as it stands (vis-network draws on redraw()). */
  function settle() {
    return new Promise(function (resolve) {
      network.once('afterDrawing', function () { resolve(); });
      network.redraw();
    });
  }

  // ------------------------------------------------------------ the archive
  var A = null;  // the columns and their indices, once unpacked

  /* One of the archive's buffers (the script element `id`): base64 -> bytes -> inflated
   * into a buffer of the size Python wrote down.  (Reading the stream chunk by chunk
   * into a buffer is about twice as fast as Response.arrayBuffer() on a large archive.) */
  function inflate(id, size) {
    var text = document.getElementById(id).textContent.trim();
    var bytes;
    if (typeof Uint8Array.fromBase64 === 'function') {
      bytes = Uint8Array.fromBase64(text);
    } else {
      var raw = atob(text);
      bytes = new Uint8Array(raw.length);
      for (var i = 0; i < raw.length; i += 1) { bytes[i] = raw.charCodeAt(i); }
    }
    var out = new Uint8Array(size);
    var filled = 0;
    var reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip')).getReader();
    function pump() {
      return reader.read().then(function (step) {
        if (step.done) {
          if (filled !== out.length) { throw new Error('the archive is ' + filled + ' bytes, not ' + out.length); }
          return out;
        }
        if (filled + step.value.length > out.length) { throw new Error('the archive is larger than announced'); }
        out.set(step.value, filled);
        filled += step.value.length;
        return pump();
      });
    }
    return pump();
  }

  /* Resolves once the whole page is parsed (the texts' buffer comes last in the file). */
  function parsed() {
    if (document.readyState !== 'loading') { return Promise.resolve(); }
    return new Promise(function (resolve) { document.addEventListener('DOMContentLoaded', function () { resolve(); }); });
  }

  /* The slug of a headline as kg.export.html.packing.slug_guess makes it: the first 140
   * code points, each run of characters other than ASCII letters and digits as '-'. */
  function slugGuess(headline) {
    var cut = headline;
    if (cut.length > 140) {
      var units = 0;
      for (var points = 0; points < 140 && units < cut.length; points += 1) {
        var c = cut.charCodeAt(units);
        units += (c >= 0xD800 && c <= 0xDBFF && units + 1 < cut.length) ? 2 : 1;
      }
      cut = cut.slice(0, units);
    }
    return cut.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase().replace(/^-+|-+$/g, '');
  }

  /* Percent-encoding as Python's urllib.parse.quote(text, safe=''). */
  function quote(text) {
    return encodeURIComponent(text).replace(/[!'()*]/g, function (c) {
      return '%' + c.charCodeAt(0).toString(16).toUpperCase();
    });
  }

  /* An article's path as kg.iri.wikipedia_iri makes it (MediaWiki's encoding; dot segments encoded). */
  function wikiPath(name) {
    return quote(name.replace(/ /g, '_')).replace(/%(3B|40|24|21|2A|28|29|2C|2F|3A)/g, function (m, hex) {
      return String.fromCharCode(parseInt(hex, 16));
    }).split('/').map(function (part) {
      return part === '.' || part === '..' ? part.replace(/\./g, '%2E') : part;
    }).join('/');
  }

  /* A name as an IRI path segment, as kg.export.html.packing.name_guess makes it. */
  function nameGuess(name) {
    return quote(name).replace(/_/g, '%5F').replace(/\./g, '%2E').replace(/~/g, '%7E').replace(/%20/g, '_');
  }

  /* The columns of the buffers, as kg.export.html.packing wrote them (see its docstring).
   * `bufs[1]` (headlines and URLs) may come later: its texts are read only when shown. */
  function readColumns(bufs, manifest) {
    var u8 = bufs[0];
    var buffer = u8.buffer;
    // Not `fatal`: Python wrote valid UTF-8, and checking it costs twice the decoding.
    var decoder = new TextDecoder('utf-8');
    var types = { u8: Uint8Array, u16: Uint16Array, u32: Uint32Array };
    function ints(s) { return new types[s.type](buffer, s.at, s.n); }
    function sums(s) {
      var steps = ints(s);
      var out = new Int32Array(steps.length);
      var total = 0;
      for (var i = 0; i < steps.length; i += 1) { total += steps[i]; out[i] = total; }
      return out;
    }
    function texts(s) {
      if (s.units === 'utf8') { return lazyTexts(s); }
      var run = decoder.decode(u8.subarray(s.at, s.at + s.bytes));
      var lengths = ints(s.lengths);
      var out = new Array(lengths.length);
      var at = 0;
      for (var i = 0; i < lengths.length; i += 1) { out[i] = run.slice(at, at + lengths[i]); at += lengths[i]; }
      if (at !== run.length) { throw new Error('a text column is ' + run.length + ' long, not ' + at); }
      return out;
    }
    /* Text `i` decoded when first asked for; `.length` texts. */
    function lazyTexts(s) {
      var lengths = ints(s.lengths);
      var starts = new Float64Array(lengths.length + 1);
      for (var i = 0; i < lengths.length; i += 1) { starts[i + 1] = starts[i] + lengths[i]; }
      if (starts[lengths.length] !== s.bytes) { throw new Error('a text column is ' + s.bytes + ' bytes, not ' + starts[lengths.length]); }
      var known = new Array(lengths.length);
      var at = s.at;
      function text(j) {
        var t = known[j];
        if (t === undefined) { t = known[j] = decoder.decode(bufs[s.buf].subarray(at + starts[j], at + starts[j + 1])); }
        return t;
      }
      text.count = lengths.length;
      return text;
    }
    /* Pairs grouped by their first member: CSR offsets and the second members. */
    function pairs(c) {
      var lengths = ints(c.lengths);
      var off = new Int32Array(lengths.length + 1);
      for (var i = 0; i < lengths.length; i += 1) { off[i + 1] = off[i] + lengths[i]; }
      return { off: off, values: ints(c.targets) };
    }
    var col = {};
    var front = [];
    Object.keys(manifest.columns).forEach(function (name) {
      var c = manifest.columns[name];
      if (c.enc === 'text') { col[name] = texts(c.text); }
      if (c.enc === 'ints') { col[name] = ints(c.ints); }
      if (c.enc === 'steps') { col[name] = sums(c.steps); }
      if (c.enc === 'pairs') { col[name] = pairs(c); }
      if (c.enc === 'front') { front.push(name); }
    });
    // The guesses that IRIs and URLs were front-coded against (kg.export.html.packing._guesses).
    var P = manifest.prefixes;
    var kindPrefix = [P.context, P.publisher];
    var guesses = {
      event_iri: function (i) { return P.event + col.days[col.event_day[i]] + '/' + slugGuess(col.event_headline(i)); },
      entity_iri: function (i) { return kindPrefix[col.entity_kind[i]] + nameGuess(col.entity_name[i]); },
      entity_link: function (i) { return col.entity_kind[i] === 0 ? P.wikipedia + wikiPath(col.entity_name[i]) : ''; },
      article_url: function (i, previous) { return i % manifest.block ? previous : ''; }
    };
    /* Text `i` of a front-coded column, decoded when first asked for (article URLs
     * from the start of their block, since each is guessed from the one before). */
    front.forEach(function (name) {
      var c = manifest.columns[name];
      var shared = ints(c.shared);
      var rest = texts(c.rest);
      var restAt = typeof rest === 'function' ? rest : function (i) { return rest[i]; };
      var guess = guesses[name];
      var known = new Array(rest.length);
      var chained = name === 'article_url';
      function one(i, previous) {
        var g = guess(i, previous);
        var tail = restAt(i);
        return (shared[i] === g.length && tail === '') ? g : g.slice(0, shared[i]) + tail;
      }
      col[name] = function (i) {
        if (known[i] !== undefined) { return known[i]; }
        var text = '';
        for (var j = chained ? i - i % manifest.block : i; j <= i; j += 1) { text = one(j, text); }
        known[i] = text;
        return text;
      };
    });
    return col;
  }

  /* The transpose of CSR lists over `n` rows: row j lists the rows that list j, in order. */
  function transpose(lists, n) {
    var off = new Int32Array(n + 1);
    var values = lists.values;
    for (var k = 0; k < values.length; k += 1) { off[values[k] + 1] += 1; }
    for (var i = 0; i < n; i += 1) { off[i + 1] += off[i]; }
    var fill = off.slice(0, n);
    var out = new Int32Array(values.length);
    for (var row = 0; row + 1 < lists.off.length; row += 1) {
      for (k = lists.off[row]; k < lists.off[row + 1]; k += 1) { out[fill[values[k]]++] = row; }
    }
    return { off: off, values: out };
  }

  function indexArchive(col) {
    var a = col;
    a.eventIri = col.event_iri;
    a.articleUrl = col.article_url;
    var entityIri = col.entity_iri;
    a.entity_iri = new Array(col.entity_name.length);
    for (var e = 0; e < a.entity_iri.length; e += 1) { a.entity_iri[e] = entityIri(e); }
    a.E = col.event_headline.count;
    a.N = col.entity_name.length;
    // The corpus's own days and events: an event out of it (named by a Related line) may
    // lie years away, and neither stretches the timeline nor counts as one of the corpus's.
    a.corpusBefore = new Int32Array(a.E + 1);
    var firstDay = -1;
    var lastDay = -1;
    for (var ev = 0; ev < a.E; ev += 1) {
      var own = col.event_in_corpus[ev] ? 1 : 0;
      a.corpusBefore[ev + 1] = a.corpusBefore[ev] + own;
      if (own) {
        if (firstDay < 0) { firstDay = col.event_day[ev]; }
        lastDay = col.event_day[ev];
      }
    }
    if (firstDay < 0 && col.days.length) { firstDay = 0; lastDay = col.days.length - 1; }
    a.firstDay = firstDay < 0 ? null : col.days[firstDay];
    a.lastDay = lastDay < 0 ? null : col.days[lastDay];
    // entity -> its events (in event order, which is date order)
    a.entityEvents = transpose({ off: col.event_entities_offsets, values: col.event_entities }, a.N);
    a.total = new Int32Array(a.N);
    for (var i = 0; i < a.N; i += 1) { a.total[i] = a.entityEvents.off[i + 1] - a.entityEvents.off[i]; }
    a.relOut = col.related;
    a.relIn = transpose(col.related, a.E);
    a.entityByIri = new Map();
    a.entity_iri.forEach(function (id, j) { a.entityByIri.set(id, { kind: 'entity', i: j }); });
    a.eventByIri = null;  // made only if an event IRI does not name its day
    a.foldedNames = col.entity_name.map(fold);
    a.foldedHeadlines = new Array(a.E);  // filled as searches and idle time need them
    return a;
  }

  /* What node `id` (an IRI) is: {kind: 'entity' | 'event', i: index}, or null. */
  function lookup(id) {
    var hit = A.entityByIri.get(id);
    if (hit) { return hit; }
    var prefix = cfg.archive.prefixes.event;
    if (cfg.archive.eventIriByDay) {
      // An event's IRI names its day: look among that day's events only.
      if (id.slice(0, prefix.length) !== prefix) { return null; }
      var d = lowerBound(A.days, id.slice(prefix.length, id.indexOf('/', prefix.length)));
      for (var ev = lowerBound(A.event_day, d); ev < A.E && A.event_day[ev] === d; ev += 1) {
        if (A.eventIri(ev) === id) { return { kind: 'event', i: ev }; }
      }
      return null;
    }
    if (!A.eventByIri) {
      A.eventByIri = new Map();
      for (ev = 0; ev < A.E; ev += 1) { A.eventByIri.set(A.eventIri(ev), { kind: 'event', i: ev }); }
    }
    return A.eventByIri.get(id) || null;
  }

  function entityKind(i) { return A.entity_kind[i] === 0 ? 'context' : 'publisher'; }
  function day(ev) { return A.days[A.event_day[ev]]; }
  function eventsOf(i) {
    var off = A.entityEvents.off;
    return A.entityEvents.values.subarray(off[i], off[i + 1]);
  }
  function entitiesOfEvent(ev) {
    return A.event_entities.slice(A.event_entities_offsets[ev], A.event_entities_offsets[ev + 1]);
  }
  function sourcesOf(ev) {
    var out = [];
    for (var k = A.event_sources_offsets[ev]; k < A.event_sources_offsets[ev + 1]; k += 1) {
      var art = A.event_sources[k];
      var pubs = [];
      for (var p = A.article_publishers_offsets[art]; p < A.article_publishers_offsets[art + 1]; p += 1) {
        pubs.push(A.entity_name[A.article_publishers[p]]);
      }
      out.push({ url: A.articleUrl(art), publishers: pubs });
    }
    return out;
  }
  /* Related events of `ev`: one entry per other event, with the link's direction. */
  function relatedOf(ev) {
    var seen = new Map();
    function add(csrIndex, flag) {
      for (var k = csrIndex.off[ev]; k < csrIndex.off[ev + 1]; k += 1) {
        var other = csrIndex.values[k];
        if (other !== ev) { seen.set(other, (seen.get(other) || 0) | flag); }
      }
    }
    add(A.relOut, 1);
    add(A.relIn, 2);
    return Array.from(seen.entries()).map(function (item) { return { ev: item[0], dir: item[1] }; });
  }

  // ------------------------------------------------------------ the period
  var range = { since: cfg.since, until: cfg.until, low: 0, high: 0 };
  var rangeNote = '';  // why the period was left for all dates, if it was

  function lowerBound(list, value) {
    var lo = 0;
    var hi = list.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (list[mid] < value) { lo = mid + 1; } else { hi = mid; } }
    return lo;
  }

  /* Events of the period are the slice [low, high) (events are sorted by day). */
  function sliceOf(since, until) {
    var dayLow = since ? lowerBound(A.days, since) : 0;
    var dayHigh = until ? lowerBound(A.days, until + '\uffff') : A.days.length;
    return [lowerBound(A.event_day, dayLow), lowerBound(A.event_day, dayHigh)];
  }
  function inPeriod(ev) { return ev >= range.low && ev < range.high; }
  function eventsInPeriod(i) {
    var all = eventsOf(i);
    return all.subarray(lowerBound(all, range.low), lowerBound(all, range.high));
  }

  /* How many values two sorted arrays share. */
  function sharedCount(a, b) {
    var i = 0;
    var j = 0;
    var n = 0;
    while (i < a.length && j < b.length) {
      if (a[i] < b[j]) { i += 1; } else if (a[i] > b[j]) { j += 1; } else { n += 1; i += 1; j += 1; }
    }
    return n;
  }

  function sizeFor(count) { return Math.round((S.sizeBase + S.sizeSpan * Math.sqrt(count / cfg.largest)) * 10) / 10; }
  function fontFor(count) { return Math.round((S.fontBase + S.fontSpan * Math.sqrt(count / cfg.largest)) * 10) / 10; }

  // ------------------------------------------------------------ placing new nodes
  var measure = document.createElement('canvas').getContext('2d');
  function labelBox(label, size, font) {
    measure.font = font + 'px sans-serif';
    var half = Math.max(size, (measure.measureText(label).width + 8) / 2);
    // As kg.export.html.layout.label_box: vis-network hangs the label font/2 + 4 under the dot.
    return [-half, half, -size, size + 6 + font * 1.5];
  }

  function occupied() {
    var rects = [];
    nodes.forEach(function (n) {
      if (n.hidden) { return; }
      var b = boxOf.get(n.id);
      rects.push([n.x + b[0] - 3, n.x + b[1] + 3, n.y + b[2] - 3, n.y + b[3] + 3]);
    });
    return rects;
  }

  /* The first point of a spiral around (x, y), from point `from` on, where `box` hits
   * none of `rects`; returns [x, y, index of the point].  Nodes added together share
   * one spiral, each going on from where the last was placed. */
  var SPIRAL_STEP = 8;
  function freeSpot(x, y, box, rects, from) {
    for (var k = from || 0; k < 1000000; k += 1) {
      var angle = Math.sqrt(4 * Math.PI * k);
      var radius = SPIRAL_STEP * angle / (2 * Math.PI);
      var cx = Math.round((x + radius * Math.cos(angle)) * 10) / 10;
      var cy = Math.round((y + radius * Math.sin(angle)) * 10) / 10;
      var l = cx + box[0] - 3;
      var r = cx + box[1] + 3;
      var t = cy + box[2] - 3;
      var b = cy + box[3] + 3;
      var hit = false;
      for (var j = 0; j < rects.length && !hit; j += 1) {
        var q = rects[j];
        hit = Math.min(r, q[1]) > Math.max(l, q[0]) && Math.min(b, q[3]) > Math.max(t, q[2]);
      }
      if (!hit) { rects.push([l, r, t, b]); return [cx, cy, k]; }
    }
    return [x, y, 0];
  }

  /* `share`: the count it is sized by (its events in the period by default). */
  function entityNode(i, x, y, share) {
    var count = share === undefined ? Math.max(eventsInPeriod(i).length, 1) : share;
    var kind = entityKind(i);
    var label = short(A.entity_name[i], cfg.labelLength);
    var size = sizeFor(count);
    var font = fontFor(count);
    return {
      id: A.entity_iri[i], entity: i, kind: kind, label: label, title: A.entity_name[i],
      shape: cfg.nodeTypes[kind].shape, size: size, font: { size: font }, baseSize: size, baseFont: font,
      color: { background: cfg.otherCommunity, border: '#ffffff',
        highlight: { background: cfg.otherCommunity, border: '#222222' } },
      box: labelBox(label, size, font), x: x, y: y
    };
  }

  function eventNode(ev) {
    var label = short(A.event_headline(ev), cfg.eventLabelLength);
    var t = cfg.nodeTypes.event;
    var external = !A.event_in_corpus[ev];
    return {
      id: A.eventIri(ev), event: ev, kind: 'event', label: label,
      title: day(ev) + ': ' + short(A.event_headline(ev), 300),
      shape: t.shape, size: cfg.eventSize, font: { size: cfg.eventFont },
      baseSize: cfg.eventSize, baseFont: cfg.eventFont,
      color: { background: external ? '#ffffff' : t.color, border: t.color,
        highlight: { background: t.color, border: '#222222' } },
      box: labelBox(label, cfg.eventSize, cfg.eventFont)
    };
  }

  /* Add nodes (made by `make(x, y)` lists) around `anchor`, owned by `owner`. */
  function addAround(anchor, specs, owner, rects) {
    // Without an anchor, new nodes go where the user looks.
    var at = (anchor !== null && nodes.get(anchor)) || network.getViewPosition();
    var fresh = [];
    var from = 0;
    specs.forEach(function (spec) {
      var id = spec.id;
      if (owners.has(id)) {
        owners.get(id).add(owner);
        if (nodes.get(id).hidden && !hiddenByFilter(nodes.get(id))) { nodes.update({ id: id, hidden: false }); }
        return;
      }
      var spot = freeSpot(at.x, at.y, spec.box, rects, Math.max(0, from - 64));
      spec.x = spot[0];
      spec.y = spot[1];
      from = spot[2];
      owners.set(id, new Set([owner]));
      boxOf.set(id, spec.box);
      kindOf.set(id, spec.kind);
      spec.hidden = hiddenByFilter(spec);
      fresh.push(spec);
    });
    nodes.add(fresh);
    return fresh;
  }

  function pairId(prefix, a, b) { return a < b ? prefix + a + '|' + b : prefix + b + '|' + a; }

  /* Edges among drawn nodes for the events `evs`: to their entities, between related events. */
  function linkEvents(evs) {
    var add = [];
    evs.forEach(function (ev) {
      var id = A.eventIri(ev);
      if (!owners.has(id)) { return; }
      Array.prototype.forEach.call(entitiesOfEvent(ev), function (i) {
        var other = A.entity_iri[i];
        var eid = pairId('n', id, other);
        if (owners.has(other) && !edges.get(eid)) { add.push(styleEdge({ id: eid, from: id, to: other, kind: 'names' })); }
      });
      relatedOf(ev).forEach(function (r) {
        var other = A.eventIri(r.ev);
        var eid = pairId('r', id, other);
        if (owners.has(other) && !edges.get(eid) && !add.some(function (e) { return e.id === eid; })) {
          var e = styleEdge({ id: eid, from: id, to: other, kind: 'related' });
          e.title = 'related: ' + (r.dir === 3 ? 'both pages link to each other'
            : 'one page links to the other');
          add.push(e);
        }
      });
    });
    edges.add(add);
  }

  // ------------------------------------------------------------ expand and collapse
  var expansions = new Map();  // node id -> {nodes: [ids], children: [ids]}

  function expandNode(id) {
    if (!A || expansions.has(id) || !owners.has(id)) { return []; }
    var ref = lookup(id);
    var rects = occupied();
    var evs = [];
    var entities = [];
    if (ref.kind === 'entity') {
      var mine = eventsInPeriod(ref.i);
      evs = Array.from(mine.subarray(Math.max(0, mine.length - cfg.expandEvents)));
      var tally = new Map();
      evs.forEach(function (ev) {
        Array.prototype.forEach.call(entitiesOfEvent(ev), function (i) {
          if (i !== ref.i && cfg.kinds.indexOf(entityKind(i)) >= 0 && !owners.has(A.entity_iri[i])) {
            tally.set(i, (tally.get(i) || 0) + 1);
          }
        });
      });
      entities = Array.from(tally.entries()).sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; })
        .slice(0, cfg.expandEntities).map(function (item) { return item[0]; });
    } else {
      evs = relatedOf(ref.i).map(function (r) { return r.ev; }).filter(inPeriod);
      entities = Array.prototype.filter.call(entitiesOfEvent(ref.i), function (i) {
        return cfg.kinds.indexOf(entityKind(i)) >= 0 && !owners.has(A.entity_iri[i]);
      }).slice(0, cfg.expandEntities);
    }
    var specs = evs.map(eventNode).concat(entities.map(function (i) { return entityNode(i, 0, 0); }));
    var fresh = addAround(id, specs, id, rects);
    expansions.set(id, { nodes: specs.map(function (s) { return s.id; }), fresh: fresh.length });
    linkEvents(ref.kind === 'event' ? evs.concat([ref.i]) : evs);
    restyle();
    return specs.map(function (s) { return s.id; });
  }

  function collapseNode(id) {
    var x = expansions.get(id);
    if (!x) { return; }
    expansions.delete(id);
    // What a depth of 2 expanded goes with it, though those nodes stay (others own them too).
    (x.deep || []).forEach(function (child) { if (expansions.has(child)) { collapseNode(child); } });
    // Expansions of nodes that go away go too.
    var gone = [];
    x.nodes.forEach(function (child) {
      var own = owners.get(child);
      if (!own) { return; }
      own.delete(id);
      if (own.size === 0) { gone.push(child); }
    });
    gone.forEach(function (child) { if (expansions.has(child)) { collapseNode(child); } });
    removeNodes(gone);
    if (selected !== null && !owners.has(selected)) { selected = null; }
    restyle();
  }

  function removeNodes(ids) {
    if (!ids.length) { return; }
    var set = new Set(ids);
    var dead = edges.getIds({ filter: function (e) { return set.has(e.from) || set.has(e.to); } });
    edges.remove(dead);
    nodes.remove(ids);
    ids.forEach(function (id) { owners.delete(id); boxOf.delete(id); kindOf.delete(id); });
  }

  function depthOf(id) {
    var x = expansions.get(id);
    if (!x) { return 0; }
    return (x.deep || []).some(function (child) { return expansions.has(child); }) ? 2 : 1;
  }

  function setDepth(id, depth) {
    collapseNode(id);
    if (depth >= 1) {
      var added = expandNode(id);
      var second = [];  // the second ring, brought into sight as the first is
      if (depth >= 2) {
        var budget = cfg.depthTwoNodes;
        var deep = [];
        added.forEach(function (child) {
          // (a child expanded on its own before stays so, and is not this depth's to undo)
          if (budget > 0 && owners.has(child) && !expansions.has(child)) {
            var more = expandNode(child);
            budget -= more.length;
            second = second.concat(more);
            if (expansions.has(child)) { deep.push(child); }
          }
        });
        if (expansions.has(id)) { expansions.get(id).deep = deep; }
      }
      reveal([id].concat(added, second));
    }
    restyle();
  }

  /* Fit the view to `ids` when one of them (its dot or its label) is drawn outside it (what an expansion added). */
  function reveal(ids) {
    var shown = ids.filter(function (other) { return owners.has(other) && !nodes.get(other).hidden; });
    var frame = network.canvas.frame.getBoundingClientRect();
    var at = network.getPositions(shown);
    var out = shown.some(function (other) {
      var b = boxOf.get(other);
      var p = at[other];
      if (!b || !p) { return false; }
      var lt = network.canvasToDOM({ x: p.x + b[0], y: p.y + b[2] });
      var rb = network.canvasToDOM({ x: p.x + b[1], y: p.y + b[3] });
      return lt.x < 0 || lt.y < 0 || rb.x > frame.width || rb.y > frame.height;
    });
    if (out) { fitTo(shown); }
  }

  /* Fit the view to the boxes of `ids` (each node with its label, as placed), zoomed in no further
   * than 1 (as vis-network's fit).  Not vis-network's fit: it takes the label of a node it has not
   * drawn yet (one just added outside the view: a second search's) as lying at the canvas's
   * origin, and centres the view between the two. */
  function fitTo(ids) {
    var frame = network.canvas.frame.canvas;
    var at = network.getPositions(ids);
    var l = Infinity;
    var r = -Infinity;
    var t = Infinity;
    var b = -Infinity;
    ids.forEach(function (id) {
      var box = boxOf.get(id);
      var p = at[id];
      if (!box || !p) { return; }
      l = Math.min(l, p.x + box[0]);
      r = Math.max(r, p.x + box[1]);
      t = Math.min(t, p.y + box[2]);
      b = Math.max(b, p.y + box[3]);
    });
    if (l > r || !frame.clientWidth || !frame.clientHeight) { return; }
    var scale = Math.min(1, frame.clientWidth / (1.1 * (r - l)), frame.clientHeight / (1.1 * (b - t)));
    network.moveTo({ position: { x: (l + r) / 2, y: (t + b) / 2 }, scale: scale, animation: false });
  }

  // ------------------------------------------------------------ filters and styles
  var typeOn = { context: true, publisher: true, event: true };
  var edgeOn = { 'co-occurs': true, names: true, related: true };
  var selected = null;

  function hiddenByFilter(n) {
    if (!typeOn[n.kind]) { return true; }
    if (!A) { return false; }
    if (n.kind === 'event') { return !inPeriod(n.event); }
    return eventsInPeriod(n.entity).length === 0;
  }

  /* Sizes for the period, visibility, and the selection's highlight, in one update. */
  function restyle() {
    var near = null;
    if (selected !== null && owners.has(selected)) {
      near = new Set(network.getConnectedNodes(selected));
      near.add(selected);
    }
    var updates = [];
    var period = Boolean(A && (range.since || range.until));
    // In a period, sizes are to the period's largest entity drawn, so that its biggest are labelled.
    var largest = 1;
    if (period) {
      nodes.forEach(function (n) {
        if (n.kind !== 'event') { largest = Math.max(largest, eventsInPeriod(n.entity).length); }
      });
    }
    nodes.forEach(function (n) {
      var hidden = hiddenByFilter(n);
      var size = n.baseSize;
      var font = n.baseFont;
      if (period && n.kind !== 'event') {
        var share = eventsInPeriod(n.entity).length / largest * cfg.largest;
        // Never larger than in the first view, so nothing that was apart can overlap.
        size = Math.min(n.baseSize, sizeFor(share));
        font = Math.min(n.baseFont, fontFor(share));
      }
      var opacity = near === null || near.has(n.id) ? 1 : 0.2;
      // Only what changed: vis-network re-measures every node it is handed.
      var change = { id: n.id };
      var changed = false;
      if (Boolean(n.hidden) !== hidden) { change.hidden = hidden; changed = true; }
      if (n.size !== size) { change.size = size; changed = true; }
      if (n.font.size !== font || (n.opacity === undefined ? 1 : n.opacity) !== opacity) {
        change.font = { size: font, color: opacity < 1 ? '#9a9a9a' : '#222222' };
        change.opacity = opacity;
        changed = true;
      }
      if (changed) { updates.push(change); }
    });
    nodes.update(updates);
    var edgeUpdates = [];
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
      var lit = near === null || e.from === selected || e.to === selected;
      var opacity = lit ? (near === null ? 0.7 : 1) : 0.08;
      if (Boolean(e.hidden) !== hidden || e.color.opacity !== opacity || e.width !== width) {
        var update = { id: e.id, hidden: hidden, color: { color: cfg.edgeTypes[e.kind].color,
          highlight: '#222222', hover: '#444444', opacity: opacity } };
        if (width !== undefined) { update.width = width; }
        edgeUpdates.push(update);
      }
    });
    edges.update(edgeUpdates);
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
    status.textContent = 'Drawn: ' + parts.join(' · ') + ' · Period: ' + period + rangeNote + why + link.note;
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
      // Entities are coloured by community (below), not by kind: their symbol tells the shape alone.
      swatch.style.color = k === 'event' ? t.color : '#6b6b6b';
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
    var peak = Math.max.apply(null, all.map(function (k) { return months.get(k) || 0; }));
    var width = 300;
    var height = 54;
    var bar = width / all.length;
    var chart = svg('svg', { viewBox: '0 0 ' + width + ' ' + (height + 14), class: 'kg-months', role: 'img' });
    chart.appendChild(svg('title')).textContent = 'Events per month, ' + all[0] + ' to ' + last + '; most in a month: ' + peak;
    all.forEach(function (k, i) {
      var v = months.get(k) || 0;
      var h = peak ? Math.max(v ? 1 : 0, height * v / peak) : 0;
      var r = svg('rect', { x: i * bar + 0.5, y: height - h, width: Math.max(bar - 1, 0.5), height: h, fill: '#4e79a7' });
      r.appendChild(svg('title')).textContent = k + ': ' + events(v);
      chart.appendChild(r);
    });
    var first = svg('text', { x: 0, y: height + 12, 'font-size': 10, fill: '#555' });
    first.textContent = all[0];
    var end = svg('text', { x: width, y: height + 12, 'font-size': 10, fill: '#555', 'text-anchor': 'end' });
    end.textContent = last + ' · max ' + peak + '/month';
    chart.appendChild(first);
    chart.appendChild(end);
    return chart;
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
    var chart = monthChart(evs);
    if (chart) { details.appendChild(chart); }
    var pages = Math.max(1, Math.ceil(evs.length / PAGE));
    var page = Math.min(pageOf.get(id) || 0, pages - 1);
    var nav = el('div', { className: 'kg-pager' });
    var list = el('ol', { className: 'kg-events' });
    function render() {
      var pressed = nav.contains(document.activeElement) ? document.activeElement.textContent : null;
      list.replaceChildren();
      list.start = page * PAGE + 1;
      for (var k = page * PAGE; k < Math.min(evs.length, (page + 1) * PAGE); k += 1) {
        var ev = evs[k];
        list.appendChild(el('li', {}, [el('span', { className: 'kg-date', text: day(ev) + ' ' }),
          nodeButton(A.eventIri(ev), A.event_headline(ev)), sourceList(ev)]));
      }
      nav.replaceChildren();
      if (pages > 1) {
        var prev = el('button', { type: 'button', text: '‹ Earlier', disabled: page === 0 });
        var next = el('button', { type: 'button', text: 'Later ›', disabled: page >= pages - 1 });
        prev.addEventListener('click', function () { page -= 1; pageOf.set(id, page); render(); });
        next.addEventListener('click', function () { page += 1; pageOf.set(id, page); render(); });
        nav.appendChild(prev);
        nav.appendChild(el('span', { text: ' Page ' + (page + 1) + ' of ' + pages + ' ' }));
        nav.appendChild(next);
        // Paged from the keyboard: the same button keeps the focus (the other one on the last page).
        var again = [next, prev].filter(function (b) { return !b.disabled; });
        if (pressed !== null && again.length) {
          (again.filter(function (b) { return b.textContent === pressed; })[0] || again[0]).focus();
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
    details.appendChild(el('h2', { text: A.event_headline(ev) }));
    if (!A.event_in_corpus[ev]) {
      details.appendChild(el('p', { className: 'kg-hint', text: 'Not in the corpus: only a link names this event.' }));
    }
    details.appendChild(expandButton(id));
    details.appendChild(el('h3', { text: 'Sources' }));
    details.appendChild(sourceList(ev));
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
        nodeButton(A.eventIri(r.ev), A.event_headline(r.ev), arrows[r.dir])]));
    });
    details.appendChild(list);
  }

  function expandButton(id) {
    var open = expansions.has(id);
    var b = el('button', { type: 'button', className: 'kg-expand', text: open ? 'Collapse' : 'Expand in the view' });
    b.addEventListener('click', function () { (open ? api.collapse : api.expand)(id); });
    return b;
  }

  function showOverviewHelp() {
    details.appendChild(el('h2', { text: cfg.title }));
    details.appendChild(el('p', { className: 'kg-hint', text: 'The entities with most events, sized by their number of events, coloured by community, joined when they occur together. Click one to see its events; double-click to expand it in place; drag on the timeline to choose a period.' }));
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

  // ------------------------------------------------------------ selection
  /* Draw the node `id` if needed (near what it is linked to), select it and go there. */
  function ensureDrawn(id) {
    if (owners.has(id)) {
      var n = nodes.get(id);
      if (n.hidden && !typeOn[n.kind]) { typeOn[n.kind] = true; syncLegendBoxes(); }
      return;
    }
    var ref = lookup(id);
    var anchor = null;
    if (ref.kind === 'entity') {
      var tally = new Map();
      Array.prototype.forEach.call(eventsOf(ref.i), function (ev) {
        Array.prototype.forEach.call(entitiesOfEvent(ev), function (i) {
          if (owners.has(A.entity_iri[i]) && i !== ref.i) { tally.set(i, (tally.get(i) || 0) + 1); }
        });
      });
      var best = Array.from(tally.entries()).sort(function (a, b) { return b[1] - a[1]; })[0];
      anchor = best ? A.entity_iri[best[0]] : null;
      addAround(anchor, [entityNode(ref.i, 0, 0)], 'search', occupied());
      // Joined to its anchor as the first view joins entities: placed near it, it reads as its neighbour.
      if (anchor !== null && !edges.get(pairId('p', id, anchor))) {
        edges.add(styleEdge({ id: pairId('p', id, anchor), from: id, to: anchor, kind: 'co-occurs', weight: best[1] }));
      }
    } else {
      var ents = Array.prototype.filter.call(entitiesOfEvent(ref.i), function (i) { return owners.has(A.entity_iri[i]); });
      anchor = ents.length ? A.entity_iri[ents[0]] : null;
      addAround(anchor, [eventNode(ref.i)], 'search', occupied());
      // An event is read with its entities: those not drawn come with it.
      var missing = Array.prototype.filter.call(entitiesOfEvent(ref.i), function (i) {
        return cfg.kinds.indexOf(entityKind(i)) >= 0 && !owners.has(A.entity_iri[i]);
      }).slice(0, cfg.expandEntities);
      addAround(id, missing.map(function (i) { return entityNode(i, 0, 0); }), 'search', occupied());
      linkEvents([ref.i]);
    }
    if (!typeOn[kindOf.get(id)]) { typeOn[kindOf.get(id)] = true; syncLegendBoxes(); }
  }

  function syncLegendBoxes() {
    document.querySelectorAll('#kg-legend input[data-type]').forEach(function (box) {
      box.checked = typeOn[box.getAttribute('data-type')];
    });
  }

  function goTo(id) {
    var ids = [id].concat(network.getConnectedNodes(id).filter(function (other) { return !nodes.get(other).hidden; }));
    fitTo(ids);
  }

  /* Nodes drawn only because they were selected go when something else is selected. */
  function dropSearched(keep) {
    removeNodes(Array.from(owners.keys()).filter(function (other) {
      var own = owners.get(other);
      return other !== keep && own.size === 1 && own.has('search') && !expansions.has(other);
    }));
  }

  /* Select `id`; `stay` keeps the camera (a click on the canvas: the user sees the node). */
  function select(id, stay) {
    if (!A || !lookup(id)) { return Promise.reject(new Error('no node ' + id)); }
    dropSearched(id);
    choose(id);
    restyle();
    network.selectNodes([id]);
    if (!stay) { goTo(id); }
    showDetails();
    announce(selectionSaid(id));
    return settle();
  }

  /* Make `id` the selection, drawn; a node outside the period is shown in all dates rather than not at all. */
  function choose(id) {
    var ref = lookup(id);
    if ((ref.kind === 'event' && !inPeriod(ref.i)) || (ref.kind === 'entity' && !eventsInPeriod(ref.i).length)) {
      var was = (range.since || A.firstDay) + ' to ' + (range.until || A.lastDay);
      setRange(null, null);
      // Said in the status line until the period changes again: the user chose that period.
      rangeNote = ' (all dates: ' + (ref.kind === 'event' ? 'that event is not in ' : 'no event of ' +
        A.entity_name[ref.i] + ' in ') + was + ')';
      drawPeriodLeaders();
      drawTimeline();
    }
    ensureDrawn(id);
    selected = id;
  }

  function clearSelection() {
    selected = null;
    dropSearched(null);
    network.unselectAll();
    restyle();
    showDetails();
    announce('Selection cleared');
    return settle();
  }

  /* One short line for screen readers on a selection: the panel itself (a chart and 25
   * headlines with their sources) is not a live region, which would read all of it out. */
  function announce(text) { document.getElementById('kg-announce').textContent = text; }
  function selectionSaid(id) {
    var ref = lookup(id);
    return ref.kind === 'entity'
      ? A.entity_name[ref.i] + ', ' + events(eventsInPeriod(ref.i).length) + ' in the panel'
      : 'Event of ' + day(ref.i) + ': ' + short(A.event_headline(ref.i), 160);
  }

  // ------------------------------------------------------------ the period, and the timeline
  function setRange(since, until) {
    rangeNote = '';
    range.since = since || null;
    range.until = until || null;
    var s = sliceOf(range.since, range.until);
    range.low = s[0];
    range.high = s[1];
    totalCache = null;
    document.getElementById('kg-since').value = range.since || '';
    document.getElementById('kg-until').value = range.until || '';
    moved = null;  // (a period set otherwise replaces one the handles were moving to)
    clearTimeout(movedTimer);
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
    var busy = [];
    for (var i = 0; i < A.N; i += 1) {
      var n = cfg.kinds.indexOf(entityKind(i)) >= 0 ? eventsInPeriod(i).length : 0;
      if (n) { busy.push([n, i]); }
    }
    busy.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
    // Clear of every drawn node, hidden ones too: they come back with all dates.
    var rects = [];
    nodes.forEach(function (n) {
      var b = boxOf.get(n.id);
      rects.push([n.x + b[0] - 3, n.x + b[1] + 3, n.y + b[2] - 3, n.y + b[3] + 3]);
    });
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
      // Sized as restyle sizes the period's entities: to the period's largest.
      addAround(best, [entityNode(i, 0, 0, item[0] / busy[0][0] * cfg.largest)], 'period', rects);
      if (best !== null) {
        links.push(styleEdge({ id: pairId('p', id, best), from: id, to: best, kind: 'co-occurs',
          weight: sharedCount(eventsOf(i), eventsOf(lookup(best).i)) }));
      }
    });
    edges.add(links.filter(function (e) { return !edges.get(e.id); }));
  }

  function setDateRange(since, until) {
    if (since && until && since > until) { return Promise.reject(new Error('since is after until')); }
    setRange(since, until);
    drawPeriodLeaders();
    var chosen = selected === null ? null : nodes.get(selected);
    if (selected !== null && (!chosen || hiddenByFilter(chosen))) {  // no longer drawn: no longer selected
      selected = null;
      network.unselectAll();
    }
    restyle();
    var ids = visibleIds();
    if (ids.length) { fitTo(ids); readable(ids); }  // (none: a period without events)
    drawTimeline();
    showDetails();
    return settle();
  }

  var timeline = document.getElementById('kg-timeline');
  var bins = [];
  var lastClick = { bin: -1, at: 0 };

  /* The period's ends on the timeline are two handles (ARIA sliders): the keys move them as the
   * date boxes would set them, within the archive and From never after To.  Where they are
   * going shows at once; the period is drawn once the keys rest (a key held down would
   * otherwise redraw the view at every repeat). */
  var HANDLE = 6;           // px
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
  function setHandle(handle, ends, width) {
    var k = handle.getAttribute('data-end') === 'since' ? 0 : 1;
    var first = bins[0].since;
    var span = daysFrom(first, bins[bins.length - 1].until) + 1;
    var x = (daysFrom(first, ends[k]) + k) / span * width;
    handle.setAttribute('x', Math.max(0, Math.min(width - HANDLE, x - HANDLE / 2)));
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
    document.getElementById('kg-since').value = ends[0];
    document.getElementById('kg-until').value = ends[1];
    return ends;
  }

  function drawMoved() {
    clearTimeout(movedTimer);
    var ends = moved;
    moved = null;
    var were = handleEnds();
    if (ends && (ends[0] !== were[0] || ends[1] !== were[1])) { api.setDateRange(ends[0], ends[1]); return; }
    // (moved back where they were, or not at all: nothing to draw, the boxes as they were)
    document.getElementById('kg-since').value = range.since || '';
    document.getElementById('kg-until').value = range.until || '';
    drawTimeline();
  }

  function onHandleKey(evt) {
    var k = evt.currentTarget.getAttribute('data-end') === 'since' ? 0 : 1;
    var day = handleEnds()[k];
    var page = bins.unit === 'day' ? function (n) { return addDays(day, 7 * n); } : function (n) { return addMonths(day, n); };
    var steps = { ArrowLeft: -1, ArrowDown: -1, ArrowRight: 1, ArrowUp: 1 };
    if (steps[evt.key]) { day = addDays(day, steps[evt.key]); } else if (evt.key === 'PageUp') { day = page(1); } else if (evt.key === 'PageDown') { day = page(-1); } else if (evt.key === 'Home') { day = A.firstDay; } else if (evt.key === 'End') { day = A.lastDay; } else { return; }
    evt.preventDefault();
    evt.stopPropagation();
    moveEnd(k, day);
    drawTimeline();
    clearTimeout(movedTimer);
    movedTimer = setTimeout(drawMoved, KEYS_REST_MS);
  }
  function makeBins() {
    bins = [];
    if (A.firstDay === null) { return; }
    var first = new Date(A.firstDay + 'T00:00:00Z');
    var last = new Date(A.lastDay + 'T00:00:00Z');
    var span = Math.round((last - first) / 864e5) + 1;
    var unit = span <= 120 ? 'day' : span <= 7 * 160 ? 'week' : 'month';
    var start = new Date(first);
    if (unit === 'week') { start.setUTCDate(start.getUTCDate() - ((start.getUTCDay() + 6) % 7)); }
    if (unit === 'month') { start.setUTCDate(1); }
    var out = [];
    var cursor = new Date(start);
    while (cursor <= last) {
      var next = new Date(cursor);
      if (unit === 'day') { next.setUTCDate(next.getUTCDate() + 1); }
      if (unit === 'week') { next.setUTCDate(next.getUTCDate() + 7); }
      if (unit === 'month') { next.setUTCMonth(next.getUTCMonth() + 1); }
      var end = new Date(next - 864e5);
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
    bins.unit = unit;
  }

  function drawTimeline() {
    if (!A || !bins.length) { return; }
    var width = Math.max(timeline.clientWidth - 20, 200);
    var height = 56;
    var bar = width / bins.length;
    var peak = Math.max.apply(null, bins.map(function (x) { return x.n; })) || 1;
    var ends = handleEnds();
    var shown = moved ? { since: moved[0], until: moved[1] } : range;  // (where the handles are going, shown at once)
    var chart = svg('svg', { width: width, height: height + 16, id: 'kg-timeline-chart' });
    chart.appendChild(svg('title')).textContent = 'Events per ' + bins.unit + '; drag to choose a period, double-click for all dates';
    bins.forEach(function (x, i) {
      var inside = (!shown.since || x.until >= shown.since) && (!shown.until || x.since <= shown.until);
      var h = Math.max(x.n ? 1 : 0, height * x.n / peak);
      var r = svg('rect', { x: i * bar, y: height - h, width: Math.max(bar - (bar > 3 ? 1 : 0), 0.5), height: h,
        fill: inside ? '#4e79a7' : '#c9d3de' });
      r.appendChild(svg('title')).textContent = x.since + (bins.unit === 'day' ? '' : ' to ' + x.until) + ': ' + events(x.n);
      chart.appendChild(r);
    });
    var label = svg('text', { x: 0, y: height + 13, 'font-size': 11, fill: '#444' });
    label.textContent = bins[0].since + ' · events per ' + bins.unit + ' (most: ' + num(peak) + ')';
    var end = svg('text', { x: width, y: height + 13, 'font-size': 11, fill: '#444', 'text-anchor': 'end' });
    end.textContent = bins[bins.length - 1].until;
    chart.appendChild(label);
    chart.appendChild(end);
    var brush = svg('rect', { y: 0, height: height, fill: 'rgba(242,142,43,0.25)', stroke: '#f28e2b', width: 0, x: 0 });
    chart.appendChild(brush);
    var from = null;
    function binAt(evt) {
      var box = chart.getBoundingClientRect();
      return Math.min(bins.length - 1, Math.max(0, Math.floor((evt.clientX - box.left) / bar)));
    }
    [['since', 'From (first day of the period)'], ['until', 'To (last day of the period)']].forEach(function (end) {
      var handle = svg('rect', { y: 0, height: height, width: HANDLE, rx: 2, class: 'kg-handle', tabindex: 0,
        role: 'slider', 'aria-label': end[1], 'aria-orientation': 'horizontal', 'data-end': end[0] });
      setHandle(handle, ends, width);
      handle.addEventListener('keydown', onHandleKey);
      // Dragged, a handle moves its end alone (a press on it is no click on the chart, which picks a day).
      var k = end[0] === 'since' ? 0 : 1;
      var dragging = false;
      handle.addEventListener('pointerdown', function (evt) {
        evt.stopPropagation();
        dragging = true;
        handle.setPointerCapture(evt.pointerId);
      });
      handle.addEventListener('pointermove', function (evt) {
        if (!dragging) { return; }
        var box = chart.getBoundingClientRect();
        var first = bins[0].since;
        var span = daysFrom(first, bins[bins.length - 1].until) + 1;
        // (to the nearest edge of a day: From's left edge, To's right edge)
        var day = addDays(first, Math.round((evt.clientX - box.left) / width * span) - k);
        setHandle(handle, moveEnd(k, within(day, A.firstDay, A.lastDay)), width);
      });
      handle.addEventListener('pointerup', function (evt) {
        evt.stopPropagation();
        if (dragging) { dragging = false; drawMoved(); }
      });
      chart.appendChild(handle);
    });
    chart.addEventListener('pointerdown', function (evt) { from = binAt(evt); chart.setPointerCapture(evt.pointerId); });
    chart.addEventListener('pointermove', function (evt) {
      if (from === null) { return; }
      var to = binAt(evt);
      brush.setAttribute('x', Math.min(from, to) * bar);
      brush.setAttribute('width', (Math.abs(to - from) + 1) * bar);
    });
    chart.addEventListener('pointerup', function (evt) {
      if (from === null) { return; }
      var to = binAt(evt);
      var lo = Math.min(from, to);
      var hi = Math.max(from, to);
      from = null;
      // A click redraws the chart, so the browser's dblclick does not come: the second of two
      // clicks on one bar within half a second is one.
      var now = evt.timeStamp;  // (when the click came, not when this handler runs: a redraw may be slow)
      var again = lo === hi && lastClick.bin === lo && now - lastClick.at < 500;
      lastClick = lo === hi && !again ? { bin: lo, at: now } : { bin: -1, at: 0 };
      if (again) { setDateRange(null, null); } else { setDateRange(bins[lo].since, bins[hi].until); }
    });
    chart.addEventListener('dblclick', function (evt) {
      if (evt.target.getAttribute('role') !== 'slider') { setDateRange(null, null); }
    });
    // Drawn anew, the timeline keeps the focus on the handle that had it.
    var had = timeline.contains(document.activeElement) ? document.activeElement.getAttribute('data-end') : null;
    timeline.replaceChildren(chart);
    if (had) { chart.querySelector('[data-end="' + had + '"]').focus(); }
  }

  // ------------------------------------------------------------ search
  var searchBox = document.getElementById('kg-search');
  var suggest = document.getElementById('kg-suggest');
  var active = -1;

  /* Entities first (exact, prefix, word start, anywhere; bigger first), then headlines (newest first). */
  function suggestions(text, limit) {
    var q = fold(text).trim();
    if (!q || !A) { return []; }
    limit = limit || 12;
    var found = [];
    // The words of a query of several, each found anywhere ("iran sanctions", "hormuz strait"),
    // after the text found as typed.
    var words = q.indexOf(' ') >= 0 ? q.split(' ') : null;
    for (var i = 0; i < A.N; i += 1) {
      var name = A.foldedNames[i];
      var at = name.indexOf(q);
      if (at < 0 && !(words && holdsAll(name, words))) { continue; }
      var rank = at < 0 ? 4 : name === q ? 0 : at === 0 ? 1 : /[\s(,.-]/.test(name.charAt(at - 1)) ? 2 : 3;
      found.push({ rank: rank, n: eventsInPeriod(i).length, i: i });
    }
    found.sort(function (a, b) { return a.rank - b.rank || b.n - a.n || a.i - b.i; });
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
    return out;
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
      var hint = el('li', { className: 'kg-hint', text: A ? 'Nothing matches.' : 'Loading the archive…' });
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

  searchBox.addEventListener('input', function () { showSuggestions(suggestions(searchBox.value)); });
  searchBox.addEventListener('keydown', function (evt) {
    var list = suggest.current || [];
    if (evt.key === 'ArrowDown' && list.length) { evt.preventDefault(); markActive(Math.min(active + 1, list.length - 1)); }
    if (evt.key === 'ArrowUp' && list.length) { evt.preventDefault(); markActive(Math.max(active - 1, 0)); }
    if (evt.key === 'Enter') {
      evt.preventDefault();
      var fresh = suggestions(searchBox.value);
      var pick = active >= 0 && list[active] ? list[active] : fresh[0];
      if (pick) { go(pick.id); } else { showSuggestions(fresh); }
    }
    if (evt.key === 'Escape') { evt.preventDefault(); evt.stopPropagation(); searchBox.value = ''; showSuggestions([]); }
  });
  searchBox.addEventListener('blur', function () { suggest.hidden = true; });

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
      for (var i = A.N - 1; i >= 0; i -= 1) { A.entityByKey.set(entityKind(i) + ':' + A.entity_name[i], i); }
    }
    var found = A.entityByKey.get(kind + ':' + rest);
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
    if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) { return null; }
    var d = new Date(text + 'T00:00:00Z');
    if (isNaN(d) || d.toISOString().slice(0, 10) !== text || A.firstDay === null) { return null; }
    return text < A.firstDay ? A.firstDay : text > A.lastDay ? A.lastDay : text;
  }

  /* A fragment read into a view (see applyView), and what of it was ignored and why. */
  function parseLink(text) {
    var view = { select: null, since: null, until: null, expand: [], hide: [] };
    var notes = [];
    var used = 0;  // parts taken
    if (text.length > LINK_MAX) { return { view: null, used: 0, notes: ['it is ' + num(text.length) + ' characters long'] }; }
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
          notes.push(/^(context|publisher|event):/.test(value) ? 'no ' + value.slice(0, value.indexOf(':')) + ' ' +
            quoted(value.slice(value.indexOf(':') + 1)) + ' in this page' : quoted(value) + ' names no node');
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
    if (view.since && view.until && view.since > view.until) {
      notes.push('from ' + view.since + ' is after to ' + view.until);
      view.since = view.until = null;
      used -= 2;
    }
    return { view: view, used: used, notes: notes.filter(function (n, k) { return notes.indexOf(n) === k; }) };
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
    var read = fragment ? parseLink(fragment) : { view: openingView(), notes: [] };
    link.restoring = true;
    try { applyView(read.view || openingView()); } finally { link.restoring = false; }
    link.note = !read.notes.length ? '' : ' · Link ' + (read.used ? 'partly ' : '') + 'ignored: ' +
      read.notes.slice(0, 3).join('; ') + (read.notes.length > 3 ? '; and ' + (read.notes.length - 3) + ' more' : '');
    link.shown = linkOf();
    // The address then names the view drawn (what was ignored goes from it); the opening view keeps none.
    if (fragment && fragment !== link.shown.text) { writeLink(link.shown.text, true); }
    link.written = location.hash.slice(1);
    updateStatus();
    announce(read.notes.length ? 'The link was ' + (read.used ? 'partly ' : '') + 'ignored (see the status line)'
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
      link.periodAt = periodOnly ? at : -1e9;
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

  // ------------------------------------------------------------ wiring
  network.on('click', function (params) {
    // Until the headlines are in, a click waits for them (the panel lists them).
    if (params.nodes.length) {
      api.ready.then(function () { return select(params.nodes[0], true); });
    } else if (!params.edges.length && A) { clearSelection(); }
  });
  network.on('doubleClick', function (params) {
    if (!params.nodes.length) { return; }
    var id = params.nodes[0];
    (expansions.has(id) ? api.collapse : api.expand)(id);
  });
  document.addEventListener('keydown', function (evt) {
    if (evt.key === 'Escape' && evt.target !== searchBox && A) { clearSelection(); }
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
  ['kg-since', 'kg-until'].forEach(function (name) {
    var box = document.getElementById(name);
    box.addEventListener('input', function () { box.setCustomValidity(''); });
    box.addEventListener('change', function () {
      var since = withinArchive(document.getElementById('kg-since'));
      var until = withinArchive(document.getElementById('kg-until'));
      if (since && until && since > until) {  // said at the box, kept to be mended; the period stays
        box.setCustomValidity(name === 'kg-since' ? 'From is after To (' + until + ')'
          : 'To is before From (' + since + ')');
        box.reportValidity();
        return;
      }
      document.getElementById('kg-since').setCustomValidity('');
      document.getElementById('kg-until').setCustomValidity('');
      box.setCustomValidity('');
      api.setDateRange(since, until);
    });
  });
  document.getElementById('kg-reset').addEventListener('click', function () { api.reset(); });
  var toggle = document.getElementById('kg-panel-toggle');
  function setPanel(open) {
    document.body.classList.toggle('kg-panel-closed', !open);
    toggle.setAttribute('aria-expanded', String(open));
    toggle.textContent = open ? 'Hide panel' : 'Show panel';
    drawTimeline();
  }
  toggle.addEventListener('click', function () { setPanel(document.body.classList.contains('kg-panel-closed')); });
  if (window.innerWidth < 900) { setPanel(false); }
  window.addEventListener('resize', function () { drawTimeline(); });

  document.getElementById('kg-title').textContent = cfg.title;
  document.title = cfg.title;
  if (cfg.notice) {
    var notice = document.getElementById('kg-notice');
    notice.textContent = cfg.notice;
    notice.hidden = false;
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
    if (!list.length) { return settle().then(function () { return []; }); }
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
      var added = expandNode(id);
      reveal([id].concat(added));
      showDetails();
      return settle().then(function () { return added; });
    });
  });
  api.collapse = whenReady(function (id) { collapseNode(id); showDetails(); return settle(); });
  api.setDepth = whenReady(function (id, depth) { setDepth(id, depth); showDetails(); return settle(); });
  api.setDateRange = whenReady(setDateRange);
  api.reset = whenReady(function () {
    searchBox.value = '';  // the view as it opened, the search box with it
    showSuggestions([]);
    Array.from(expansions.keys()).forEach(collapseNode);
    dropSearched(null);
    Object.keys(typeOn).forEach(function (k) { typeOn[k] = true; });
    Object.keys(edgeOn).forEach(function (k) { edgeOn[k] = true; });
    document.querySelectorAll('#kg-legend input[type=checkbox]').forEach(function (box) { box.checked = true; });
    selected = null;
    network.unselectAll();
    return setDateRange(cfg.since, cfg.until);
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
      entity_link: all(A.entity_link, A.N)
    };
  };
  /* The guesses IRIs are front-coded against (kg.export.html.packing): for tests. */
  api.guess = { slug: slugGuess, name: nameGuess, quote: quote };
  /* Every node id of the page's data (entities, then events). */
  api.allIds = function () {
    if (!A) { return []; }
    var ids = A.entity_iri.slice();
    for (var ev = 0; ev < A.E; ev += 1) { ids.push(A.eventIri(ev)); }
    return ids;
  };
  /* What is drawn now: for tests and embedding pages. */
  api.state = function () {
    return { selected: selected, since: range.since, until: range.until, expanded: Array.from(expansions.keys()),
      drawn: visibleIds(), counts: drawnCounts(), totals: A ? totals() : null };
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
}());
