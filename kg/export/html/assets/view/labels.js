  // ------------------------------------------------------------ labels that read
  /* vis-network draws a label at the size its node's font gives at the view's scale, fades one in
   * over its draw threshold's last pixel and leaves out a smaller one: much of a view's text is
   * then 7-8 px and faint. Here every label is placed for the view as it shows:
   * - the selection's and its neighbours' labels are lifted to LIT_LABEL_PX (a pixel or two less
   *   where that has no room), biggest first, clear of the lit nodes, of the lit labels and of the
   *   canvas's edges (over the dimmed nodes), so that a selection is read with its neighbours' names;
   * - any other label under LEGIBLE_PX is lifted to it where it has room, and gives way (is not
   *   drawn) where it has none, as does a dimmed label a lifted one covers.
   * So every label drawn is legible, and none overlaps another or a node: the rest come as the view
   * is zoomed in. */
  var LIT_LABEL_PX = 12;
  var LIT_LEAST_PX = 10;     // where 12 px has no room, 11 or 10 may
  var LEGIBLE_PX = 9;        // the least size of any label drawn
  var GAP_PX = 3;            // kept around a label lifted
  var LIT_MOST = 40;         // a hub's neighbours are many: only its biggest are lifted
  var QUIET = 1e9;           // the draw threshold of a label that gives way: never drawn
  var natural = new Map();   // node id -> [size, font] as restyle sized it
  var lit = [];              // the selection and its neighbours, the selection first, then biggest first
  var lifted = new Map();    // node id -> the font it is drawn at, for those lifted now
  var placedFor = null;      // [scale, x, y, nodes drawn] of the view the labels were placed for

  /* Place the labels again: the selection and its neighbours are `near` (or null), nodes sized by `sizes`. */
  function relabel(near, sizes) {
    natural = sizes;
    lit = near === null ? [] : Array.from(near).filter(function (id) { return sizes.has(id); });
    lit.sort(function (a, b) {
      return (b === selected) - (a === selected) || sizes.get(b)[1] - sizes.get(a)[1] || (a < b ? -1 : 1);
    });
    placeLabels();
  }

  /* Boxes as a grid (as Taken), each naming its node and whether it is a dimmed dot. */
  function Boxes() { Taken.call(this); }
  Boxes.prototype.each = Taken.prototype.each;
  Boxes.prototype.add = Taken.prototype.add;
  /* Whether box `q` of node `id`, padded by `gap`, meets no box but its own (nor a dimmed dot, `overDim`). */
  Boxes.prototype.clear = function (q, id, gap, overDim) {
    var cells = this.cells;
    return !this.each(q[0] - gap, q[1] + gap, q[2] - gap, q[3] + gap, function (key) {
      var list = cells.get(key) || [];
      for (var j = 0; j < list.length; j += 1) {
        var t = list[j];
        if (t[4] !== id && !(overDim && t[5]) && Math.min(t[1], q[1]) + gap > Math.max(t[0], q[0]) &&
            Math.min(t[3], q[3]) + gap > Math.max(t[2], q[2])) { return true; }
      }
      return false;
    });
  };

  function placeLabels() {
    var scale = network.getScale();
    var at = network.getViewPosition();
    placedFor = [scale, at.x, at.y, network.body.nodeIndices.length];
    var threshold = options.nodes.scaling.label.drawThreshold;
    var gap = GAP_PX / scale;
    var frame = network.canvas.frame.canvas;
    var low = network.DOMtoCanvas({ x: 0, y: 0 });
    var high = network.DOMtoCanvas({ x: frame.clientWidth, y: frame.clientHeight });
    function inside(q) { return q[0] >= low.x + gap && q[1] <= high.x - gap && q[2] >= low.y + gap && q[3] <= high.y - gap; }
    // Those drawn, read through vis-network's bodies (a DataSet get copies): the lit among them.
    var ids = network.body.nodeIndices.filter(function (id) { return network.body.nodes[id]; });
    var drawnIds = new Set(ids);
    var litNow = lit.filter(function (id) { return drawnIds.has(id); });
    var isLit = new Set(litNow);
    function sizeOf(id) {
      var o = network.body.nodes[id].options;
      return natural.get(id) || [o.size, o.font.size];
    }
    var boxes = new Boxes();
    ids.forEach(function (id) {
      var body = network.body.nodes[id];
      var size = sizeOf(id)[0];
      boxes.add([body.x - size, body.x + size, body.y - size, body.y + size, id, isLit.size > 0 && !isLit.has(id)]);
    });
    // The lit labels vis-network draws as they are stand where they are: another's lift leaves them room.
    litNow.forEach(function (id) {
      var s = sizeOf(id);
      if (s[1] * scale >= LEGIBLE_PX) { boxes.add(labelRect(network.body.nodes[id], s[0], s[1]).concat([id, false])); }
    });
    var lift = new Map();
    var quiet = new Set();
    function tryLift(id, s, most, least, overDim) {
      var body = network.body.nodes[id];
      for (var px = most; px >= least && px / scale > s[1]; px -= 1) {
        var q = labelRect(body, s[0], px / scale);
        if (inside(q) && boxes.clear(q, id, gap, overDim)) { lift.set(id, px / scale); boxes.add(q.concat([id, false])); return true; }
      }
      return false;
    }
    litNow.slice(0, LIT_MOST + 1).forEach(function (id) {
      var s = sizeOf(id);
      if (!tryLift(id, s, LIT_LABEL_PX, LIT_LEAST_PX, true) && s[1] * scale < LEGIBLE_PX) { quiet.add(id); }
    });
    litNow.slice(LIT_MOST + 1).forEach(function (id) { if (sizeOf(id)[1] * scale < LEGIBLE_PX) { quiet.add(id); } });
    var rest = ids.filter(function (id) { return !isLit.has(id); });
    rest.sort(function (a, b) { return sizeOf(b)[1] - sizeOf(a)[1] || (a < b ? -1 : 1); });
    rest.forEach(function (id) {
      var s = sizeOf(id);
      if (s[1] * scale >= LEGIBLE_PX) {
        var q = labelRect(network.body.nodes[id], s[0], s[1]);
        if (boxes.clear(q, id, 0, true)) { boxes.add(q.concat([id, false])); } else { quiet.add(id); }
      } else if (!tryLift(id, s, LEGIBLE_PX, LEGIBLE_PX, false)) {
        quiet.add(id);
      }
    });
    // Set on vis-network's bodies, not through the DataSet: an update there re-reads every node (50 ms
    // a view of a thousand), and the DataSet keeps each node's size as restyle gave it.
    var changed = false;
    ids.forEach(function (id) {
      var body = network.body.nodes[id];
      var size = lift.has(id) ? lift.get(id) : sizeOf(id)[1];
      var limit = quiet.has(id) ? QUIET : threshold;
      if (body.options.font.size !== size || body.options.scaling.label.drawThreshold !== limit) {
        body.setOptions({ font: { size: size }, scaling: { label: { drawThreshold: limit } } });
        changed = true;
      }
    });
    lifted = lift;
    if (changed) { network.body.emitter.emit('_requestRedraw'); }
  }

  /* The box (canvas units) of the label of node `body` of `size`, at `font`: vis-network hangs it under the dot
   * (its text alone, where labelBox keeps a margin around a label placed). */
  function labelRect(body, size, font) {
    var half = (labelPerPx(body.options.label || '') * font + 8) / 2;
    var top = body.y + size + 4;
    return [body.x - half, body.x + half, top, top + font * 1.25];
  }

  // A zoom or a move (the user's, or a fit), or nodes drawn or hidden, place the labels again.
  network.on('afterDrawing', function () {
    var scale = network.getScale();
    var at = network.getViewPosition();
    var p = placedFor;
    if (p === null || scale !== p[0] || at.x !== p[1] || at.y !== p[2] || network.body.nodeIndices.length !== p[3]) {
      placeLabels();
    }
  });
