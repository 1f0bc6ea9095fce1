/* The kg network page: draws the network, then wires legend filters, date
 * range, search and the details panel.  Every text from the corpus reaches
 * the page through textContent or vis-network's plain-text titles, never as
 * markup, and only http(s) URLs become links. */
(function () {
  'use strict';

  function readJson(id) {
    return JSON.parse(document.getElementById(id).textContent);
  }

  function el(tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (key) {
      if (key === 'text') { node.textContent = props[key]; } else { node[key] = props[key]; }
    });
    (children || []).forEach(function (child) { node.appendChild(child); });
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

  var cfg = readJson('kg-config');
  var rawNodes = readJson('kg-nodes');
  var rawEdges = readJson('kg-edges');
  rawEdges.forEach(function (e) {
    var style = cfg.edgeTypes[e.kind];
    e.color = { color: style.color, highlight: '#222222', hover: '#222222', opacity: 0.8 };
    e.dashes = style.dashes;
    if (style.arrow) { e.arrows = { to: { enabled: true, scaleFactor: 0.5 } }; }
    e.title = e.contexts ? e.kind + ': ' + e.contexts.join(', ') : e.kind;
  });
  nodes = new vis.DataSet(rawNodes);
  edges = new vis.DataSet(rawEdges);
  data = { nodes: nodes, edges: edges };
  network = new vis.Network(document.getElementById('mynetwork'), data, options);

  var api = { safeUrl: safeUrl, drawnAt: null };
  window.kgView = api;
  network.once('afterDrawing', function () {
    api.drawnAt = performance.now();
    document.documentElement.setAttribute('data-kg-drawn', '1');
  });

  document.getElementById('kg-title').textContent = cfg.title;
  document.title = cfg.title;
  if (cfg.notice) {
    var notice = document.getElementById('kg-notice');
    notice.textContent = cfg.notice;
    notice.hidden = false;
  }

  // ---------------------------------------------------------------- filters
  var nodeTypeOn = {};
  var edgeTypeOn = {};
  var since = document.getElementById('kg-since');
  var until = document.getElementById('kg-until');
  if (cfg.dateRange) {
    [since, until].forEach(function (input) { input.min = cfg.dateRange[0]; input.max = cfg.dateRange[1]; });
  }
  var forward = null; // id -> ids reached by an edge into an undated node
  function forwardEdges() {
    if (forward === null) {
      forward = new Map();
      rawEdges.forEach(function (e) {
        if (nodes.get(e.to).date === undefined) {
          if (!forward.has(e.from)) { forward.set(e.from, []); }
          forward.get(e.from).push(e.to);
        }
      });
    }
    return forward;
  }

  /* Dated nodes in the range, and the undated ones they reach (as kg.html.select does). */
  function inRange(low, high) {
    var kept = new Set();
    var queue = [];
    nodes.forEach(function (n) {
      if (n.date !== undefined && (!low || n.date >= low) && (!high || n.date <= high)) {
        kept.add(n.id);
        queue.push(n.id);
      }
    });
    var next = forwardEdges();
    while (queue.length) {
      (next.get(queue.pop()) || []).forEach(function (id) {
        if (!kept.has(id)) { kept.add(id); queue.push(id); }
      });
    }
    return kept;
  }

  function applyFilters() {
    var kept = (since.value || until.value) ? inRange(since.value, until.value) : null;
    var nodeUpdates = [];
    var shown = 0;
    nodes.forEach(function (n) {
      var hide = !nodeTypeOn[n.group] || (kept !== null && !kept.has(n.id));
      if (!hide) { shown += 1; }
      if (Boolean(n.hidden) !== hide) { nodeUpdates.push({ id: n.id, hidden: hide }); }
    });
    var edgeUpdates = [];
    edges.forEach(function (e) {
      var hide = !edgeTypeOn[e.kind];
      if (Boolean(e.hidden) !== hide) { edgeUpdates.push({ id: e.id, hidden: hide }); }
    });
    nodes.update(nodeUpdates);
    edges.update(edgeUpdates);
    document.getElementById('kg-status').textContent =
      'Showing ' + shown.toLocaleString('en') + ' of ' + nodes.length.toLocaleString('en') + ' nodes' +
      (cfg.description ? ' (' + cfg.description + ')' : '');
  }

  function legendEntry(name, on, swatch, text, count, onChange) {
    var box = el('input', { type: 'checkbox', checked: on });
    box.setAttribute('data-type', name);
    box.addEventListener('change', function () { onChange(box.checked); applyFilters(); });
    return el('label', {}, [box, swatch, document.createTextNode(text + ' (' + count.toLocaleString('en') + ')')]);
  }

  function buildLegend() {
    var legend = document.getElementById('kg-legend');
    var nodeCount = {};
    var edgeCount = {};
    rawNodes.forEach(function (n) { nodeCount[n.group] = (nodeCount[n.group] || 0) + 1; });
    rawEdges.forEach(function (e) { edgeCount[e.kind] = (edgeCount[e.kind] || 0) + 1; });
    legend.appendChild(el('h3', { text: 'Nodes' }));
    cfg.nodeOrder.forEach(function (name) {
      var t = cfg.nodeTypes[name];
      nodeTypeOn[name] = true;
      var swatch = el('span', { className: 'kg-symbol', text: t.symbol });
      swatch.style.color = t.color;
      legend.appendChild(legendEntry(name, true, swatch, t.label, nodeCount[name] || 0,
        function (on) { nodeTypeOn[name] = on; }));
    });
    legend.appendChild(el('h3', { text: 'Edges' }));
    cfg.edgeOrder.forEach(function (name) {
      var t = cfg.edgeTypes[name];
      edgeTypeOn[name] = true;
      var swatch = el('span', { className: t.dashes ? 'kg-line kg-dashed' : 'kg-line' });
      swatch.style.borderTopColor = t.color;
      legend.appendChild(legendEntry(name, true, swatch, name + (t.arrow ? ' →' : ''), edgeCount[name] || 0,
        function (on) { edgeTypeOn[name] = on; }));
    });
  }

  // ---------------------------------------------------------------- details
  var details = document.getElementById('kg-details');
  var pinned = null;

  function neighbourList(id) {
    var list = el('ul');
    var seen = [];
    network.getConnectedEdges(id).forEach(function (edgeId) {
      var e = edges.get(edgeId);
      var other = nodes.get(e.from === id ? e.to : e.from);
      seen.push({ kind: e.kind + (e.from === id ? ' →' : ' ←'), node: other });
    });
    seen.sort(function (a, b) {
      return a.kind.localeCompare(b.kind) || String(a.node.date || '').localeCompare(String(b.node.date || '')) ||
        a.node.label.localeCompare(b.node.label);
    });
    seen.slice(0, 60).forEach(function (item) {
      var button = el('button', { type: 'button', className: 'kg-neighbour',
        text: (item.node.date ? item.node.date + ' ' : '') + item.node.label });
      button.title = item.node.name;
      button.addEventListener('click', function () { focusNode(item.node.id); });
      list.appendChild(el('li', {}, [el('span', { className: 'kg-kind', text: item.kind + ' ' }), button]));
    });
    if (seen.length > 60) { list.appendChild(el('li', { text: '… and ' + (seen.length - 60) + ' more' })); }
    return { list: list, count: seen.length };
  }

  function showDetails(id) {
    details.replaceChildren();
    var n = (id === null || id === undefined) ? null : nodes.get(id);
    if (!n) {
      details.appendChild(el('p', { className: 'kg-hint', text: 'Hover or click a node to see its details.' }));
      return;
    }
    details.appendChild(el('div', { className: 'kg-kind', text: cfg.nodeTypes[n.group].label }));
    details.appendChild(el('h2', { text: n.name }));
    var facts = el('dl');
    (n.facts || []).forEach(function (fact) {
      if (!fact[1].length) { return; }
      facts.appendChild(el('dt', { text: fact[0] }));
      facts.appendChild(el('dd', { text: fact[1].join('; ') }));
    });
    details.appendChild(facts);
    if (n.links && n.links.length) {
      var links = el('ul');
      n.links.forEach(function (text) {
        var href = safeUrl(text);
        links.appendChild(el('li', {}, [href
          ? el('a', { href: href, target: '_blank', rel: 'noopener noreferrer', text: text })
          : el('span', { className: 'kg-dead', text: text + ' (not a web link)' })]));
      });
      details.appendChild(el('h3', { text: 'Links' }));
      details.appendChild(links);
    }
    var around = neighbourList(n.id);
    details.appendChild(el('h3', { text: 'Connected (' + around.count + ')' }));
    details.appendChild(around.list);
  }

  function focusNode(id) {
    var n = nodes.get(id);
    if (!n) { return; }
    if (n.hidden) { resetFilters(); }
    pinned = id;
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.0),
      animation: { duration: 400, easingFunction: 'easeInOutQuad' } });
    showDetails(id);
  }

  network.on('hoverNode', function (params) { showDetails(params.node); });
  network.on('blurNode', function () { showDetails(pinned); });
  network.on('click', function (params) {
    pinned = params.nodes.length ? params.nodes[0] : null;
    showDetails(pinned);
  });

  // ---------------------------------------------------------------- search
  var searchBox = document.getElementById('kg-search');
  var results = document.getElementById('kg-results');

  /* Nodes whose name or label holds the query: equal first, then prefix, then by size. */
  function search(query) {
    var q = String(query).trim().toLocaleLowerCase();
    if (!q) { return []; }
    var found = [];
    nodes.forEach(function (n) {
      var name = n.name.toLocaleLowerCase();
      var rank = (name === q || n.label.toLocaleLowerCase() === q) ? 0 : name.indexOf(q) === 0 ? 1
        : name.indexOf(q) > 0 ? 2 : -1;
      if (rank >= 0) { found.push({ rank: rank, node: n }); }
    });
    found.sort(function (a, b) { return a.rank - b.rank || b.node.size - a.node.size || a.node.id - b.node.id; });
    return found.map(function (f) { return f.node.id; });
  }

  function runSearch() {
    var found = search(searchBox.value);
    results.replaceChildren();
    if (!found.length) {
      results.appendChild(el('li', { className: 'kg-hint', text: 'No node matches.' }));
      return;
    }
    found.slice(0, 12).forEach(function (id) {
      var n = nodes.get(id);
      var button = el('button', { type: 'button', text: cfg.nodeTypes[n.group].label + ': ' + n.label });
      button.title = n.name;
      button.addEventListener('click', function () { focusNode(id); });
      results.appendChild(el('li', {}, [button]));
    });
    focusNode(found[0]);
  }

  searchBox.addEventListener('keydown', function (event) {
    if (event.key === 'Enter') { event.preventDefault(); runSearch(); }
  });
  document.getElementById('kg-find').addEventListener('click', runSearch);

  function resetFilters() {
    since.value = '';
    until.value = '';
    document.querySelectorAll('#kg-legend input[type=checkbox]').forEach(function (box) {
      box.checked = true;
      (cfg.nodeTypes[box.getAttribute('data-type')] ? nodeTypeOn : edgeTypeOn)[box.getAttribute('data-type')] = true;
    });
    applyFilters();
  }
  document.getElementById('kg-reset').addEventListener('click', resetFilters);
  since.addEventListener('change', applyFilters);
  until.addEventListener('change', applyFilters);

  buildLegend();
  applyFilters();
  showDetails(null);
  api.search = search;
  api.focus = focusNode;
  api.showDetails = showDetails;
  api.applyFilters = applyFilters;
  api.resetFilters = resetFilters;
}());
