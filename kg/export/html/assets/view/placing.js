  // ------------------------------------------------------------ placing new nodes
  var measure = document.createElement('canvas').getContext('2d');
  function labelBox(label, size, font) {
    measure.font = font + 'px sans-serif';
    var half = Math.max(size, (measure.measureText(label).width + 8) / 2);
    // As kg.export.html.layout.label_box: vis-network hangs the label font/2 + 4 under the dot.
    return [-half, half, -size, size + 6 + font * 1.5];
  }

  var perPxOf = new Map();  // label -> its width at a font of 1 px
  function labelPerPx(label) {
    if (!perPxOf.has(label)) {
      measure.font = '100px sans-serif';
      perPxOf.set(label, measure.measureText(label).width / 100);
    }
    return perPxOf.get(label);
  }

  /* The box of entity node `n` drawn for `share` (as labelBox makes it), never less than the box it
   * was placed with (about its centre). */
  function grownBox(n, share) { return boxFor(n, sizeFor(share), fontFor(share)); }
  /* The box of node `n` drawn at `size` and `font`, never less than the box it was placed with. */
  function boxFor(n, size, font) {
    var a = boxAt(n, size, font);
    var b = boxOf.get(n.id);
    return [Math.min(b[0], a[0]), Math.max(b[1], a[1]), Math.min(b[2], a[2]), Math.max(b[3], a[3])];
  }
  /* The box of node `n` drawn at `size` and `font`, as labelBox makes it. */
  function boxAt(n, size, font) {
    var half = Math.max(size, (labelPerPx(n.label) * font + 8) / 2);
    return [-half, half, -size, size + 6 + font * 1.5];
  }

  /* The boxes that drawn nodes and labels take, padded by 3, as a grid of cells: a spot is then
   * checked against the boxes of the cells it covers, not every box drawn (a depth of 2 places
   * hundreds of nodes, each trying many spots). */
  var CELL = 64;
  /* `cell`: the cells' width (canvas units), CELL unless said. */
  function Taken(cell) { this.cells = new Map(); this.cell = cell || CELL; }
  Taken.prototype.each = function (l, r, t, b, visit) {
    var cell = this.cell;
    for (var cx = Math.floor(l / cell); cx <= Math.floor(r / cell); cx += 1) {
      for (var cy = Math.floor(t / cell); cy <= Math.floor(b / cell); cy += 1) {
        if (visit(cx + ',' + cy) === true) { return true; }
      }
    }
    return false;
  };
  Taken.prototype.add = function (q) {
    var cells = this.cells;
    this.each(q[0], q[1], q[2], q[3], function (key) {
      var list = cells.get(key);
      if (list) { list.push(q); } else { cells.set(key, [q]); }
    });
  };
  Taken.prototype.hits = function (l, r, t, b) {
    var cells = this.cells;
    return this.each(l, r, t, b, function (key) {
      var list = cells.get(key);
      for (var j = 0; list && j < list.length; j += 1) {
        var q = list[j];
        if (Math.min(r, q[1]) > Math.max(l, q[0]) && Math.min(b, q[3]) > Math.max(t, q[2])) { return true; }
      }
      return false;
    });
  };

  /* What the drawn nodes take (`all`: hidden ones too, which come back with all dates). */
  function occupied(all) {
    var taken = new Taken();
    nodes.forEach(function (n) {
      if (n.hidden && !all) { return; }
      var b = boxOf.get(n.id);
      taken.add([n.x + b[0] - 3, n.x + b[1] + 3, n.y + b[2] - 3, n.y + b[3] + 3]);
    });
    return taken;
  }

  /* The first point of a spiral around (x, y), from point `from` on, where `box` hits
   * nothing `taken` holds, which then holds it; returns [x, y, index of the point].  Nodes
   * added together share one spiral, each going on from where the last was placed. */
  var SPIRAL_STEP = 8;
  function freeSpot(x, y, box, taken, from) {
    for (var k = from || 0; k < 1000000; k += 1) {
      var angle = Math.sqrt(4 * Math.PI * k);
      var radius = SPIRAL_STEP * angle / (2 * Math.PI);
      var cx = Math.round((x + radius * Math.cos(angle)) * 10) / 10;
      var cy = Math.round((y + radius * Math.sin(angle)) * 10) / 10;
      var l = cx + box[0] - 3;
      var r = cx + box[1] + 3;
      var t = cy + box[2] - 3;
      var b = cy + box[3] + 3;
      if (!taken.hits(l, r, t, b)) { taken.add([l, r, t, b]); return [cx, cy, k]; }
    }
    return [x, y, 0];
  }

  /* `share`: the count it is sized by (by default as shareNow has it). */
  function entityNode(i, x, y, share) {
    var count = share === undefined ? shareNow(i) : share;
    var kind = entityKind(i);
    var label = short(A.entity_name[i], cfg.labelLength);
    var size = sizeFor(count);
    var font = fontFor(count);
    return {
      id: A.entity_iri[i], entity: i, kind: kind, label: label, title: A.entity_name[i],
      shape: cfg.nodeTypes[kind].shape, size: size, font: { size: font }, baseSize: size, baseFont: font,
      color: { background: cfg.otherCommunity, border: INK.halo,
        highlight: { background: cfg.otherCommunity, border: INK.strong } },
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
      color: { background: external ? INK.halo : t.color, border: t.color,
        highlight: { background: t.color, border: INK.strong } },
      box: labelBox(label, cfg.eventSize, cfg.eventFont)
    };
  }

  /* While a depth of 2 expands a ring, what it adds is held here and handed to vis-network at
   * once (each add there re-reads every node): the nodes and lines, and the boxes taken. */
  var batch = null;
  function batched(work) {
    batch = { nodes: [], byId: new Map(), edges: [], edgeIds: new Set(), taken: occupied() };
    try { return work(); } finally {
      var held = batch;
      batch = null;
      nodes.add(held.nodes);
      edges.add(held.edges);
    }
  }
  function drawnNode(id) { return nodes.get(id) || (batch && batch.byId.get(id)) || null; }

  /* Add nodes (made by `make(x, y)` lists) around `anchor`, owned by `owner`. */
  function addAround(anchor, specs, owner, taken) {
    // Without an anchor, new nodes go where the user looks.
    var at = (anchor !== null && drawnNode(anchor)) || network.getViewPosition();
    var fresh = [];
    var from = 0;
    specs.forEach(function (spec) {
      var id = spec.id;
      if (owners.has(id)) {
        owners.get(id).add(owner);
        var n = drawnNode(id);
        if (n.hidden && !hiddenByFilter(n)) {
          if (nodes.get(id)) { nodes.update({ id: id, hidden: false }); } else { n.hidden = false; }
        }
        return;
      }
      var spot = freeSpot(at.x, at.y, spec.box, taken, Math.max(0, from - 64));
      spec.x = spot[0];
      spec.y = spot[1];
      from = spot[2];
      owners.set(id, new Set([owner]));
      boxOf.set(id, spec.box);
      kindOf.set(id, spec.kind);
      spec.hidden = hiddenByFilter(spec);
      fresh.push(spec);
    });
    if (batch) {
      fresh.forEach(function (spec) { batch.nodes.push(spec); batch.byId.set(spec.id, spec); });
    } else { nodes.add(fresh); }
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
        if (owners.has(other) && !drawnEdge(eid)) { add.push(styleEdge({ id: eid, from: id, to: other, kind: 'names' })); }
      });
      relatedOf(ev).forEach(function (r) {
        var other = A.eventIri(r.ev);
        var eid = pairId('r', id, other);
        if (owners.has(other) && !drawnEdge(eid) && !add.some(function (e) { return e.id === eid; })) {
          var e = styleEdge({ id: eid, from: id, to: other, kind: 'related' });
          e.title = relatedTitle(ev, r.ev, r.dir);
          add.push(e);
        }
      });
    });
    if (batch) {
      add.forEach(function (e) { batch.edges.push(e); batch.edgeIds.add(e.id); });
    } else { edges.add(add); }
  }
  /* A related line's box: which event's page links to which (`dir` as relatedOf has it, from `ev`'s side). */
  function relatedTitle(ev, other, dir) {
    function named(k) { return day(k) + ' \u201c' + short(A.event_headline(k), 90) + '\u201d'; }
    if (dir === 3) { return 'Related: ' + named(ev) + ' and ' + named(other) + ' link to each other'; }
    var from = dir === 1 ? ev : other;
    return 'Related: ' + named(from) + ' links to ' + named(from === ev ? other : ev);
  }
  function drawnEdge(id) { return Boolean(edges.get(id) || (batch && batch.edgeIds.has(id))); }

  // ------------------------------------------------------------ expand and collapse
  // node id -> {nodes: the ids it drew, fresh: how many of them were new, named: the drawn entities its events
  // name (lit with it), deep: the children a depth of 2 expanded, short: [expanded, of] where it stopped short}
  var expansions = new Map();

  /* Expand `id` in place; `quiet`: leave the restyle to the caller (a depth of 2 expands many). */
  function expandNode(id, quiet) {
    if (!A || expansions.has(id) || !owners.has(id)) { return []; }
    var ref = lookup(id);
    var taken = batch ? batch.taken : occupied();
    var evs = [];
    var entities = [];
    var named = [];  // the entities drawn already that its events (or it, an event) name: lit with what it draws
    function drawnAlready(i) {
      if (cfg.kinds.indexOf(entityKind(i)) >= 0 && owners.has(A.entity_iri[i])) { named.push(A.entity_iri[i]); }
    }
    if (ref.kind === 'entity') {
      var mine = eventsInPeriod(ref.i);
      evs = Array.from(mine.subarray(Math.max(0, mine.length - cfg.expandEvents)));
      var tally = new Map();
      evs.forEach(function (ev) {
        Array.prototype.forEach.call(entitiesOfEvent(ev), function (i) {
          if (i !== ref.i && cfg.kinds.indexOf(entityKind(i)) >= 0 && !owners.has(A.entity_iri[i])) {
            tally.set(i, (tally.get(i) || 0) + 1);
          } else if (i !== ref.i) { drawnAlready(i); }
        });
      });
      entities = Array.from(tally.entries()).sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; })
        .slice(0, cfg.expandEntities).map(function (item) { return item[0]; });
    } else {
      evs = relatedOf(ref.i).map(function (r) { return r.ev; }).filter(inPeriod);
      entities = Array.prototype.filter.call(entitiesOfEvent(ref.i), function (i) {
        return cfg.kinds.indexOf(entityKind(i)) >= 0 && !owners.has(A.entity_iri[i]);
      }).slice(0, cfg.expandEntities);
      Array.prototype.forEach.call(entitiesOfEvent(ref.i), drawnAlready);
    }
    var specs = evs.map(eventNode).concat(entities.map(function (i) { return entityNode(i, 0, 0); }));
    var fresh = addAround(id, specs, id, taken);
    expansions.set(id, { nodes: specs.map(function (s) { return s.id; }), fresh: fresh.length,
      named: Array.from(new Set(named)) });
    linkEvents(ref.kind === 'event' ? evs.concat([ref.i]) : evs);
    if (!quiet) { restyle(); }
    return specs.map(function (s) { return s.id; });
  }

  /* Collapse `id`, and the expansions that go with it. */
  function collapseNode(id) {
    if (!expansions.has(id)) { return; }
    var gone = [];
    collapseInto(id, gone);
    takeOut(gone);
    restyle();
  }

  /* Collapse `id` and the expansions that go with it; gather in `gone` the nodes to take out of the
   * canvas, which the caller does at once (each removal there re-reads every node). */
  function collapseInto(id, gone) {
    var x = expansions.get(id);
    if (!x) { return; }
    expansions.delete(id);
    // What a depth of 2 expanded goes with it, though those nodes stay (others own them too).
    (x.deep || []).forEach(function (child) { collapseInto(child, gone); });
    // Expansions of nodes that go away go too.
    var mine = [];
    x.nodes.forEach(function (child) {
      var own = owners.get(child);
      if (!own) { return; }
      own.delete(id);
      if (own.size === 0) { mine.push(child); }
    });
    mine.forEach(function (child) { owners.delete(child); });  // (gone now for the expansions below)
    mine.forEach(function (child) { collapseInto(child, gone); });
    gone.push.apply(gone, mine);
  }

  /* Take out of the canvas the nodes a collapse let go of (a selection among them goes too). */
  function takeOut(gone) {
    removeNodes(gone);
    if (selected !== null && !owners.has(selected)) { selected = null; }
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

  /* Collapse `id` and expand it again to `depth`, restyled once (each restyle re-measures what changed). */
  function setDepth(id, depth) {
    var gone = [];
    collapseInto(id, gone);
    takeOut(gone);
    var added = [];
    var second = [];  // the second ring, brought into sight as the first is
    if (depth >= 1) {
      added = expandNode(id, true);
      if (depth >= 2) {
        var budget = cfg.depthTwoNodes;
        var deep = [];
        // Its events first, the newest first (events are indexed in time order), as far as the budget goes.
        var events = added.filter(function (child) { return kindOf.get(child) === 'event'; });
        events.sort(function (a, b) { return lookup(b).i - lookup(a).i; });
        var children = events.concat(added.filter(function (child) { return kindOf.get(child) !== 'event'; }));
        var eventsExpanded = 0;
        batched(function () {
          children.forEach(function (child) {
            // (a child expanded on its own before stays so, and is not this depth's to undo)
            if (budget > 0 && owners.has(child) && !expansions.has(child)) {
              var more = expandNode(child, true);
              budget -= more.length;
              second = second.concat(more);
              if (expansions.has(child)) { deep.push(child); }
            }
            if (kindOf.get(child) === 'event' && expansions.has(child)) { eventsExpanded += 1; }
          });
        });
        if (expansions.has(id)) {
          expansions.get(id).deep = deep;
          // Said in the status line while it is selected: a depth that stopped short looks whole.
          expansions.get(id).short = eventsExpanded < events.length ? [eventsExpanded, events.length] : null;
        }
      }
    }
    restyle();
    if (depth >= 1) { reveal(id, added.concat(second)); }
  }
