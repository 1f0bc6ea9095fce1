/* The kg explorer page's script: one closure, in parts (the files of this folder, each a concern of
 * the page), joined in the order of kg.export.html.page.VIEW_PARTS; a part uses what those before
 * it define, and functions of any part (declarations are hoisted).
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
    // "Ph.D.", "George W Bush" "George W. Bush", "Sgt Smith" "Sgt. Smith"; as kg.parse.text.typed_form)
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

  /* An event's heading in the panel. On a phone's narrow panel a long headline (565 characters fill it
   * whole) is folded to six lines, a button unfolding it, so that Expand, the sources and the contexts
   * stay in sight; elsewhere the CSS shows it whole and hides the button (a screen reader reads it whole). */
  var FOLDED_CHARS = 150;
  function headingOf(text) {
    var heading = el('h2', { text: text });
    if (text.length <= FOLDED_CHARS) { return [heading]; }
    heading.className = 'kg-folded';
    var unfold = el('button', { type: 'button', className: 'kg-link kg-unfold', text: 'Show the whole headline' });
    unfold.addEventListener('click', function () {  // (the focus to the heading, which the button left)
      heading.className = '';
      unfold.remove();
      heading.setAttribute('tabindex', '-1');
      heading.focus();
    });
    return [heading, unfold];
  }

  var cfg = readJson('kg-config');
  var S = cfg.sizing;

  /* The inks of what the canvas and the charts draw, for a light page or, where the reader's system
   * asks for it, a dark one (view.css says the same of the rest of the page). */
  var DARK_SCHEME = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;
  var DARK = !!(DARK_SCHEME && DARK_SCHEME.matches);
  // The canvas's inks are chosen once: a page left open as the system turns dark (or light) is opened again,
  // its view kept in its fragment; the graph stayed light on a dark page.
  if (DARK_SCHEME && DARK_SCHEME.addEventListener) {
    DARK_SCHEME.addEventListener('change', function () { location.reload(); });
  }
  var INK = DARK
    ? { label: '#e6e6e6', halo: '#1c1c1e', faded: '#6a6a6a', strong: '#f2f2f2', hover: '#c8c8c8',
      quiet: '#a8a8a8', axis: '#b4b4b4', outside: '#3e4852', pale: '#3d5673' }
    : { label: '#222222', halo: '#ffffff', faded: '#9a9a9a', strong: '#222222', hover: '#444444',
      quiet: '#6b6b6b', axis: '#555555', outside: '#c9d3de', pale: '#a8c0da' };
  if (DARK) {  // (the first view's colours were decided in Python, for a light page)
    options.nodes.font.color = INK.label;
    options.nodes.font.strokeColor = INK.halo;
    // Lines between entities as quiet on the dark ground as on the light one (there a light grey).
    if (cfg.edgeTypes['co-occurs']) { cfg.edgeTypes['co-occurs'].color = '#6a6a6e'; }
  }

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
    if (DARK && n.color) {
      n.color.border = INK.halo;
      [n.color.highlight, n.color.hover].forEach(function (c) { if (c) { c.border = INK.strong; } });
    }
  });
  firstEdges.forEach(styleEdge);

  nodes = new vis.DataSet(firstNodes);
  edges = new vis.DataSet(firstEdges);
  data = { nodes: nodes, edges: edges };
  network = new vis.Network(document.getElementById('mynetwork'), data, options);

  // vis-network's frame is the focusable canvas: name it for keyboard and screen-reader users.
  network.canvas.frame.setAttribute('role', 'application');
  network.canvas.frame.setAttribute('aria-label', 'Network: arrow keys move, + and - zoom, Escape clears the selection');
  var ZOOM_KEYS = { '+': 1.25, '=': 1.25, '-': 0.8, '_': 0.8 };  // key -> scale a press
  var api = { safeUrl: safeUrl, drawnAt: null, settledAt: null, readyAt: null };
  window.kgView = api;
  network.once('afterDrawing', function () {
    // Fitted to the boxes of nodes and labels, as Reset fits it: vis-network's own first fit leaves
    // labels out, and cuts the long ones at the canvas's edges.
    var ids = nodes.getIds({ filter: function (n) { return !n.hidden; } });
    fitTo(ids);
    readable(ids);
    api.drawnAt = performance.now();
    document.documentElement.setAttribute('data-kg-drawn', '1');
  });

  /* On a narrow screen, the whole overview fitted draws its labels too small to read (none at all
   * at 375 px): zoom in, on the biggest entity of `ids`, until the biggest label is PHONE_LABEL_PX.
   * Elsewhere a fit stays whole (zoomed past, it would cut nodes and labels at its edges): the
   * labels part lifts the biggest labels to a size that reads where they have room. */
  var NARROW_PX = 600;      // a canvas narrower than this is a phone's
  var PHONE_LABEL_PX = 20;  // there, the biggest label's size: the next ones then read too (12 px and more)
  function readable(ids) {
    if (network.canvas.frame.canvas.clientWidth >= NARROW_PX) { return; }
    var biggest = null;
    var font = 0;
    ids.forEach(function (id) {  // (the sizes restyle gave, not the labels lifted for the view)
      var n = nodes.get(id);
      if (n && n.font.size > font) { font = n.font.size; biggest = id; }
    });
    var needed = font ? PHONE_LABEL_PX / font : 0;
    if (biggest !== null && network.getScale() < needed) {
      network.moveTo({ position: network.getPosition(biggest), scale: needed, animation: false });
    }
  }

  function styleEdge(e) {
    var t = cfg.edgeTypes[e.kind];
    e.color = { color: t.color, highlight: INK.strong, hover: INK.hover, opacity: 0.7 };
    e.dashes = t.dashes;
    if (e.kind === 'co-occurs') {
      e.width = Math.min(1 + Math.log2(e.weight), 8);
      e.baseWidth = e.width;
    }
    return e;
  }

  /* A Promise resolved once the view is drawn as it stands (vis-network draws on redraw()): drawn twice, as
   * the labels placed at the end of a draw (a zoom's) take their sizes and places at the next one. */
  function settle() {
    function drawOnce() {
      return new Promise(function (resolve) {
        network.once('afterDrawing', function () { resolve(); });
        network.redraw();
      });
    }
    return drawOnce().then(drawOnce);
  }

