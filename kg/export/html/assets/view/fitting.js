  // ------------------------------------------------------------ fitting the view
  /* Fit the view to `id` and what expanding it `added` when one of them (its dot or its label) is drawn outside it. */
  function reveal(id, added) {
    // (an expanded selection keeps in view all it lights, as selecting it showed its neighbours)
    var ids = Array.from(new Set([id].concat(added, id === selected ? litShown() : []))).filter(function (other) {
      return owners.has(other) && !nodes.get(other).hidden;
    });
    if (someOutOfView(ids)) { fitTo(ids); }
  }

  /* Whether a node of `ids` (its dot or its label, as drawn at this scale) lies outside the view, or under a
   * narrow page's panel. */
  function someOutOfView(ids) {
    var frame = network.canvas.frame.canvas;
    var box = drawingBox(ids, fontMostAt(network.getScale()), 0);
    if (box === null) { return false; }
    var lt = network.canvasToDOM({ x: box[0], y: box[2] });
    var rb = network.canvasToDOM({ x: box[1], y: box[3] });
    return lt.x < 0 || lt.y < 0 || rb.x > frame.clientWidth - coveredByPanel(frame) || rb.y > frame.clientHeight;
  }

  /* vis-network's hover box stays up until the pointer moves off its node: after a tap (no pointer to
   * move) it would name a node that the view has moved away, over the nodes drawn there now. */
  function hideTooltip() {
    var handler = network.interactionHandler;
    if (handler && handler.popup && !handler.popup.hidden) {
      handler.popup.hide();
      handler.popupObj = undefined;  // (so that hovering that node again shows it again)
    }
  }

  /* Fit the view to the boxes of `ids` (each node with its label, as placed), zoomed in no further
   * than 1 (as vis-network's fit).  Not vis-network's fit: it takes the label of a node it has not
   * drawn yet (one just added outside the view: a second search's) as lying at the canvas's
   * origin, and centres the view between the two. */
  var LIFTED_FIT_MOST = 10;  // nodes a fit makes room for lifted labels among, at most
  function fitTo(ids, lifted) {
    hideTooltip();
    // vis-network rescales the view at its next draw when the canvas changed size since its last one
    // (the notice or the status line shown while the page opens): drawn first, the fit is kept.
    network.redraw();
    var box = drawingBox(ids, Infinity, 0);
    if (box === null) { return; }
    // The labels as labels.js draws them at the scale the fit zooms to: none over maxVisible on the
    // screen (a hub's smaller than placed); `lifted` (a selection and its neighbours), none under
    // LIT_LABEL_PX, which a view zoomed out widens: a phone's fit of a searched event cut its neighbour's
    // name at the canvas's edge. Not for a busy selection: zoomed out for its many labels, its dots
    // crowd, and fewer are named (Iran's on a phone). A few rounds find the scale.
    var least = lifted && ids.length <= LIFTED_FIT_MOST ? LIT_LABEL_PX : 0;
    for (var round = 0; round < 3; round += 1) {
      var scale = fitScale(box, 1.1, 1);
      box = drawingBox(ids, fontMostAt(scale), least / scale) || box;
    }
    fitBox(box, 1.1, 1);
  }

  /* The largest font (canvas units) of a label at `scale`: none is drawn over vis-network's maxVisible on the
   * screen (labels.js), and the boxes that fits reckon with are as drawn. */
  function fontMostAt(scale) { return options.nodes.scaling.label.maxVisible / scale; }

  /* The least zoom: half the scale at which all that is drawn fits (as Reset fits it). Zoomed out further
   * (vis-network's wheel goes to 0.00001), the graph was a speck, or nothing, and an arrow key moved it by
   * thousands. */
  function zoomFloor() {
    var box = drawingBox(visibleIds(), Infinity, 0);
    return box === null ? 0.01 : fitScale(box, 1.1, 1) / 2;  // (half the view Reset gives, which is 1 at most)
  }
  /* The scale zoomed out to, `scale`, held to the floor, but never above `from`, the scale it was zoomed
   * out from: a view already below the floor (a collapse shrank what is drawn) stays, not zoomed in. */
  function zoomedOut(scale, from) { return Math.max(scale, Math.min(zoomFloor(), from)); }
  var drawnScale = null;  // the scale of the last frame drawn: what a wheel's or a pinch's zoom began at
  network.on('afterDrawing', function () { drawnScale = network.getScale(); });
  network.on('zoom', function () {
    hideTooltip();  // (a wheel's or a pinch's zoom moves another node or line under the pointer, as a key's does)
    var scale = network.getScale();
    var held = zoomedOut(scale, drawnScale === null ? scale : drawnScale);
    if (held !== scale) { network.moveTo({ scale: held, animation: false }); }
  });

  /* The box [left, right, top, bottom] that the nodes of `ids` and their labels cover, as placed (a label
   * at `fontMost` at most, at `fontLeast` at least); null for none. */
  function drawingBox(ids, fontMost, fontLeast) {
    var at = network.getPositions(ids);
    var l = Infinity;
    var r = -Infinity;
    var t = Infinity;
    var b = -Infinity;
    ids.forEach(function (id) {
      var box = boxOf.get(id);
      var p = at[id];
      if (!box || !p) { return; }
      var n = nodes.get(id);
      if (n && n.font.size > fontMost) {  // (its label drawn smaller than placed: see labels.js)
        box = boxAt(n, n.size, fontMost);
      } else if (n && n.font.size < fontLeast) {  // (lifted: larger than placed)
        box = boxFor(n, n.size, Math.min(fontLeast, fontMost));
      } else if (n && n.kind !== 'event' && (n.size > n.baseSize || n.font.size > n.baseFont)) {
        // (an entity drawn larger in a period than as placed: its label lies lower, and may be wider)
        box = boxFor(n, n.size, n.font.size);
      }
      l = Math.min(l, p.x + box[0]);
      r = Math.max(r, p.x + box[1]);
      t = Math.min(t, p.y + box[2]);
      b = Math.max(b, p.y + box[3]);
    });
    return l > r ? null : [l, r, t, b];
  }

  /* The scale at which `box` shows whole with `margin` around it, `most` at most (1 where the canvas is not laid out). */
  function fitScale(box, margin, most) {
    var frame = network.canvas.frame.canvas;
    if (!frame.clientWidth || !frame.clientHeight) { return 1; }
    var width = frame.clientWidth - coveredByPanel(frame);
    return Math.min(most, width / (margin * Math.max(box[1] - box[0], 1)),
      frame.clientHeight / (margin * Math.max(box[3] - box[2], 1)));
  }

  /* Show `box` whole and centred, with `margin` (1.1: a tenth more) around it, zoomed in no further
   * than `most`; on a narrow screen, in the part of the canvas that the panel leaves. */
  function fitBox(box, margin, most) {
    var frame = network.canvas.frame.canvas;
    if (!frame.clientWidth || !frame.clientHeight) { return; }
    var covered = coveredByPanel(frame);
    var scale = fitScale(box, margin, most);
    network.moveTo({ position: { x: (box[0] + box[1]) / 2 + covered / (2 * scale), y: (box[2] + box[3]) / 2 },
      scale: scale, animation: false });
  }

  /* Run `change`, which may resize the canvas (the panel opened or closed), keeping in view what was
   * in view: vis-network keeps the view's width of the graph, so that a canvas grown wider (the panel
   * closed on a laptop) would crop its top and bottom.  What was in view is fitted to the new canvas
   * (the whole drawing as Reset fits it, where it was all in view); the view that a resize left
   * untouched since is the one from before it, when the canvas is back to its size. */
  var lastResize = null;  // { from: [width, height, scale, x, y], to: the same after it }
  function camera(frame) {
    var at = network.getViewPosition();
    return [frame.clientWidth, frame.clientHeight, network.getScale(), at.x, at.y];
  }
  function keepingView(change) {
    var frame = network.canvas.frame.canvas;
    var from = camera(frame);
    var low = network.DOMtoCanvas({ x: 0, y: 0 });
    var high = network.DOMtoCanvas({ x: from[0] - coveredByPanel(frame), y: from[1] });
    change();
    // (a phone's panel lies over the canvas, which it leaves as it was: so does the view)
    if (frame.clientWidth === from[0] && frame.clientHeight === from[1]) { return; }
    hideTooltip();
    network.canvas.setSize();  // (vis-network's own rescale for the new size, else run when its observer sees it)
    var back = lastResize;
    var undo = back !== null && back.from[0] === frame.clientWidth && back.from[1] === frame.clientHeight &&
      back.to.every(function (v, k) { return Math.abs(v - from[k]) < 1e-6; });
    var ids = visibleIds();
    var drawing = drawingBox(ids, fontMostAt(network.getScale()), 0);
    if (undo) {
      network.moveTo({ position: { x: back.from[3], y: back.from[4] }, scale: back.from[2], animation: false });
    } else if (drawing !== null && drawing[0] >= low.x && drawing[1] <= high.x && drawing[2] >= low.y &&
               drawing[3] <= high.y) {
      fitTo(ids);
      readable(ids);
    } else if (high.x > low.x && high.y > low.y) {
      fitBox([low.x, high.x, low.y, high.y], 1, Infinity);
    }
    lastResize = { from: from, to: camera(frame) };
  }

  /* Whether every node of `ids` lies in the part of the canvas that the panel leaves. */
  function inView(ids) {
    var frame = network.canvas.frame.canvas;
    var width = frame.clientWidth - coveredByPanel(frame);
    var at = network.getPositions(ids);
    return ids.every(function (id) {
      if (!at[id]) { return true; }
      var d = network.canvasToDOM(at[id]);
      return d.x >= 0 && d.x <= width && d.y >= 0 && d.y <= frame.clientHeight;
    });
  }

  /* How many pixels of the canvas's right side the side panel covers (0 where it stands beside it, is
   * closed, or would leave under two fifths of the canvas: then the whole canvas is fitted). */
  function coveredByPanel(frame) {
    var side = document.getElementById('kg-side');
    if (!side || getComputedStyle(side).position !== 'absolute' || !side.offsetWidth) { return 0; }
    var canvas = frame.getBoundingClientRect();
    var over = Math.max(0, canvas.right - Math.max(canvas.left, side.getBoundingClientRect().left));
    return over > 0.6 * canvas.width ? 0 : over;
  }
