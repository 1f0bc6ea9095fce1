  // ------------------------------------------------------------ the selection's labels
  /* A selection is read with its neighbours' names. Their labels are lifted to LIT_LABEL_PX on
   * screen (a pixel or two less where that has no room) whatever the zoom: vis-network leaves out
   * a label under its draw threshold, and a small entity beside a big selection would go unnamed.
   * Biggest first, a label is lifted where it stays clear of the nodes lit, of the labels lit and
   * of the canvas's edges; it may cross a dimmed node, and the dimmed labels it would cover give
   * way. The rest are lifted as the view is zoomed in. */
  var LIT_LABEL_PX = 12;
  var LIT_LEAST_PX = 10;     // where 12 px has no room, 11 or 10 may
  var LIT_GAP_PX = 3;        // kept between a lifted label and what it must not touch
  var LIT_MOST = 40;         // a hub's neighbours are many: only its biggest are tried
  var QUIET = 1e9;           // the draw threshold of a label that gives way: never drawn
  var litNodes = new Map();  // node id -> [size, font], for the selection and its neighbours
  var litNatural = [];       // [id, size, font] of the nodes tried, biggest first, as restyle sized them
  var lifted = new Map();    // node id -> the font it is drawn at, for those lifted now
  var quieted = new Set();   // the dimmed nodes whose labels give way now
  var litScale = 0;          // the view's scale and centre they were lifted for
  var litAt = { x: 0, y: 0 };

  /* Lift the labels of `near` (the selection and its neighbours, or null) as restyle sized them (`sizes`). */
  function relabel(near, sizes) {
    litNatural = [];
    litNodes = new Map();
    if (near !== null) {
      near.forEach(function (id) {
        if (sizes.has(id)) { litNodes.set(id, sizes.get(id)); litNatural.push([id].concat(sizes.get(id))); }
      });
      litNatural.sort(function (a, b) {
        return (b[0] === selected) - (a[0] === selected) || b[2] - a[2] || (a[0] < b[0] ? -1 : 1);
      });
      litNatural = litNatural.slice(0, LIT_MOST + 1);
    }
    liftFor(network.getScale());
  }

  /* Choose the labels lifted and quieted for the view at `scale`, and draw them so. */
  function liftFor(scale) {
    litScale = scale;
    litAt = network.getViewPosition();
    var threshold = options.nodes.scaling.label.drawThreshold;
    var gap = LIT_GAP_PX / scale;
    var frame = network.canvas.frame.canvas;
    var low = network.DOMtoCanvas({ x: 0, y: 0 });
    var high = network.DOMtoCanvas({ x: frame.clientWidth, y: frame.clientHeight });
    var taken = [];  // [left, right, top, bottom, the node's id]: the nodes lit, then their labels
    litNodes.forEach(function (sized, id) {
      var body = network.body.nodes[id];
      if (!body || body.options.hidden) { return; }
      var size = sized[0];
      taken.push([body.x - size, body.x + size, body.y - size, body.y + size, id]);
      // Its label as vis-network draws it unlifted: another's lifted label must leave it room.
      if (sized[1] * scale >= threshold - 1) { taken.push(labelRect(body, size, sized[1]).concat([id])); }
    });
    var nodeBoxes = taken.length;
    var lift = new Map();
    litNatural.forEach(function (item) {
      var body = network.body.nodes[item[0]];
      if (!body || body.options.hidden) { return; }
      var box = null;
      for (var px = LIT_LABEL_PX; px >= LIT_LEAST_PX && box === null && px / scale > item[2]; px -= 1) {
        var wanted = labelRect(body, item[1], px / scale);
        var inside = wanted[0] >= low.x + gap && wanted[1] <= high.x - gap && wanted[2] >= low.y + gap &&
          wanted[3] <= high.y - gap;
        if (inside && clear(wanted, item[0], 0)) { box = wanted; lift.set(item[0], px / scale); }
      }
      if (box !== null) { taken.push(box.concat([item[0]])); }  // (else no room: it is drawn as it is)
    });
    var tried = new Set(litNatural.map(function (item) { return item[0]; }));
    var quiet = new Set();
    network.body.nodeIndices.forEach(function (id) {
      var body = network.body.nodes[id];
      var font = body.options.font.size;
      if (!tried.has(id) && font * scale >= threshold - 1 &&
          !clear(labelRect(body, body.options.size, font), id, nodeBoxes)) { quiet.add(id); }
    });
    function clear(box, id, from) {
      for (var k = from; k < taken.length; k += 1) {
        var t = taken[k];
        if (t[4] !== id && Math.min(t[1], box[1]) + gap > Math.max(t[0], box[0]) &&
            Math.min(t[3], box[3]) + gap > Math.max(t[2], box[2])) { return false; }
      }
      return true;
    }
    var updates = new Map();
    function update(id) { if (!updates.has(id)) { updates.set(id, { id: id }); } return updates.get(id); }
    litNatural.forEach(function (item) {
      var n = nodes.get(item[0]);
      var size = lift.has(item[0]) ? lift.get(item[0]) : item[2];
      if (n && n.font.size !== size) {
        var font = { size: size };
        if (n.font.color) { font.color = n.font.color; }
        update(item[0]).font = font;
      }
    });
    quieted.forEach(function (id) {
      if (!quiet.has(id) && nodes.get(id)) { update(id).scaling = { label: { drawThreshold: threshold } }; }
    });
    quiet.forEach(function (id) { if (!quieted.has(id)) { update(id).scaling = { label: { drawThreshold: QUIET } }; } });
    lifted = lift;
    quieted = quiet;
    if (updates.size) { nodes.update(Array.from(updates.values())); }
  }

  /* The box (canvas units) of the label of node `body` of `size`, at `font`: vis-network hangs it under the dot. */
  function labelRect(body, size, font) {
    var half = (labelPerPx(body.options.label || '') * font + 8) / 2;
    var top = body.y + size + 4;
    return [body.x - half, body.x + half, top, top + font * 1.25];
  }

  var perPxOf = new Map();  // label -> its width at a font of 1 px
  function labelPerPx(label) {
    if (!perPxOf.has(label)) {
      measure.font = '100px sans-serif';
      perPxOf.set(label, measure.measureText(label).width / 100);
    }
    return perPxOf.get(label);
  }

  // A zoom or a move (the user's, or a fit to the selection) lifts the labels again, for the new view.
  network.on('afterDrawing', function () {
    var scale = network.getScale();
    var at = network.getViewPosition();
    if (!litNatural.length && !quieted.size) { return; }
    if (scale !== litScale || at.x !== litAt.x || at.y !== litAt.y) { liftFor(scale); }
  });
