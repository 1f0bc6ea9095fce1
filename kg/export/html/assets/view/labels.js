  // ------------------------------------------------------------ labels that read
  /* vis-network draws a label at the size its node's font gives at the view's scale, fades one in
   * over its draw threshold's last pixel and leaves out a smaller one: much of a view's text is
   * then 7-8 px and faint. Here every label is placed for the view as it shows:
   * - the selection's and its neighbours' labels are lifted to LIT_LABEL_PX (a pixel or two less
   *   where that has no room), biggest first, clear of the lit nodes, of the lit labels and of the
   *   canvas's edges (over the dimmed nodes), so that a selection is read with its neighbours' names;
   *   the selection's first (a neighbour's in its way gives way: the panel names it too); one with no
   *   room under its dot lies above it, or beside it, and one with none there either (or too wide for
   *   the canvas, less the part the panel covers on a phone) is shortened to fit ("…");
   * - any other label under LEGIBLE_PX is lifted to it where it has room; one with no room under its
   *   dot lies over it or beside it where that is clear, and gives way (is not drawn) where it has room
   *   nowhere, as does a dimmed label a lifted one covers, and any label that would run off the canvas
   *   (or under the panel); but with nothing selected the HUBS_NAMED biggest, which a view zoomed out packs
   *   among their neighbours' dots, lie over smaller dots where nothing else has room (their halo keeps
   *   them legible), so that a zoomed-out view keeps the names of its hubs rather than its outskirts'.
   * So every label drawn is legible and whole, and none overlaps another, or a node but those: the rest
   * come as the view is zoomed in or moved. */
  var LIT_LABEL_PX = 12;
  var LIT_LEAST_PX = 10;     // where 12 px has no room, 11 or 10 may
  var LEGIBLE_PX = 9;        // the least size of any label drawn
  var GAP_PX = 3;            // kept around a label lifted
  var LIT_MOST = 40;         // a hub's neighbours are many: only its biggest are lifted
  var HUBS_NAMED = 6;        // the biggest nodes named over smaller dots where nothing else has room
  var QUIET = 1e9;           // the draw threshold of a label that gives way: never drawn
  var natural = new Map();   // node id -> [size, font] as restyle sized it
  var lit = [];              // the selection and its neighbours, the selection first, then biggest first
  var bright = new Set();    // nodes lit beside them (what an expansion asked for brought in): not dimmed
  var lifted = new Map();    // node id -> the font it is drawn at, for those lifted now
  var overSmaller = [];      // the hubs whose labels lie over smaller nodes' dots now
  var SHORT_LEAST = 8;       // the fewest characters a label shortened to fit keeps
  var DOT_LEAST_PX = 8;      // a node is drawn this wide where it is smaller and has room (grownSizes)
  var DOT_GAP_PX = 1.5;      // kept between two nodes grown
  var fullOf = new Map();    // node id -> its label, for those drawn shortened now
  // Where a lit label may lie, most readable first: under its dot (where vis-network hangs it), over it,
  // beside it. A phone's neighbours crowd: under their dots, half their labels met.
  var SIDES = ['below', 'above', 'right', 'left'];
  var UNDER = SIDES.slice(0, 1);  // (a dimmed label stays there)
  var placedFor = null;      // [scale, x, y, nodes drawn, px the panel covers] of the view the labels were placed for

  /* Place the labels again: the selection and its neighbours are `near` (or null), nodes sized by `sizes`,
   * `also` the other nodes lit (their labels are not lifted, but no label is drawn over their dots). */
  function relabel(near, sizes, also) {
    natural = sizes;
    bright = near === null ? new Set() : also;
    lit = near === null ? [] : Array.from(near).filter(function (id) { return sizes.has(id); });
    lit.sort(function (a, b) {
      return (b === selected) - (a === selected) || sizes.get(b)[1] - sizes.get(a)[1] || (a < b ? -1 : 1);
    });
    placeLabels();
  }

  /* The sizes (vis-network's: a dot's radius, half a square's side) of the nodes of `ids` that are drawn
   * larger for this view: one smaller than `least` grows to it (DOT_LEAST_PX: a dot or square that a mouse
   * or a finger finds, where an expanded hub's events were 2-3 px), as far as every other node leaves
   * `gap` between them, so that no two nodes that did not meet come to.  (Two that grow share the room
   * between them; one grows up to a node that does not.) */
  function grownSizes(ids, least, gap) {
    var n = ids.length;
    var xs = new Float64Array(n);
    var ys = new Float64Array(n);
    var sizes = new Float64Array(n);
    var small = [];
    for (var i = 0; i < n; i += 1) {
      var body = network.body.nodes[ids[i]];
      xs[i] = body.x;
      ys[i] = body.y;
      sizes[i] = (natural.get(ids[i]) || [body.options.size])[0];
      if (sizes[i] < least) { small.push(i); }
    }
    var grown = new Map();
    if (!small.length) { return grown; }
    // A grid of the nodes' boxes, its cells as wide as a small node's reach (the view zoomed far out:
    // a few cells, not thousands, for each); this runs at each frame of a zoom.
    var reach = 2 * least + gap;
    var cell = Math.max(CELL, reach);
    var cells = new Map();
    for (var k = 0; k < n; k += 1) {
      for (var cx = Math.floor((xs[k] - sizes[k]) / cell); cx <= Math.floor((xs[k] + sizes[k]) / cell); cx += 1) {
        for (var cy = Math.floor((ys[k] - sizes[k]) / cell); cy <= Math.floor((ys[k] + sizes[k]) / cell); cy += 1) {
          var key = cx + ',' + cy;
          var list = cells.get(key);
          if (list) { list.push(k); } else { cells.set(key, [k]); }
        }
      }
    }
    small.forEach(function (a) {
      var most = least;
      for (var cx = Math.floor((xs[a] - reach) / cell); cx <= Math.floor((xs[a] + reach) / cell); cx += 1) {
        for (var cy = Math.floor((ys[a] - reach) / cell); cy <= Math.floor((ys[a] + reach) / cell); cy += 1) {
          var list = cells.get(cx + ',' + cy);
          for (var j = 0; list && j < list.length && most > sizes[a]; j += 1) {  // (none: it stays as it is)
            var b = list[j];
            if (b === a) { continue; }
            // (boxes: they meet where both their x and y spans do)
            var room = Math.max(Math.abs(xs[b] - xs[a]), Math.abs(ys[b] - ys[a])) - gap;
            most = Math.min(most, sizes[b] < least ? Math.min(room / 2, room - sizes[b]) : room - sizes[b]);
          }
        }
      }
      if (most > sizes[a]) { grown.set(ids[a], most); }
    });
    return grown;
  }

  /* Boxes as a grid (as Taken), each naming its node and whether it is a dimmed dot. */
  function Boxes(cell) { Taken.call(this, cell); }
  Boxes.prototype.each = Taken.prototype.each;
  Boxes.prototype.add = Taken.prototype.add;
  /* Whether box `q`, padded by `gap`, meets a box that `passed` does not let it lie over. */
  Boxes.prototype.meets = function (q, gap, passed) {
    var cells = this.cells;
    return this.each(q[0] - gap, q[1] + gap, q[2] - gap, q[3] + gap, function (key) {
      var list = cells.get(key) || [];
      for (var j = 0; j < list.length; j += 1) {
        var t = list[j];
        if (!passed(t) && Math.min(t[1], q[1]) + gap > Math.max(t[0], q[0]) &&
            Math.min(t[3], q[3]) + gap > Math.max(t[2], q[2])) { return true; }
      }
      return false;
    });
  };
  /* Whether box `q` of node `id`, padded by `gap`, meets no box but its own (nor a dimmed dot, `overDim`). */
  Boxes.prototype.clear = function (q, id, gap, overDim) {
    return !this.meets(q, gap, function (t) { return t[4] === id || (overDim && t[5]); });
  };
  /* Whether box `q` of node `id`, padded by `gap`, meets no label and no dot as large as `size` but its own. */
  Boxes.prototype.clearOfLarger = function (q, id, gap, size) {
    return !this.meets(q, gap, function (t) { return t[4] === id || t[6] < size; });
  };

  /* Whether boxes `a` and `b` meet, or come within `gap` of each other. */
  Boxes.meet = function (a, b, gap) {
    return Math.min(a[1], b[1]) + gap > Math.max(a[0], b[0]) && Math.min(a[3], b[3]) + gap > Math.max(a[2], b[2]);
  };

  function placeLabels() {
    var scale = network.getScale();
    var at = network.getViewPosition();
    var frame = network.canvas.frame.canvas;
    // On a narrow screen the panel lies over the canvas's right side: what it covers is no room for a label.
    var covered = coveredByPanel(frame);
    placedFor = [scale, at.x, at.y, network.body.nodeIndices.length, covered];
    var threshold = options.nodes.scaling.label.drawThreshold;
    var gap = GAP_PX / scale;
    var low = network.DOMtoCanvas({ x: 0, y: 0 });
    var high = network.DOMtoCanvas({ x: frame.clientWidth - covered, y: frame.clientHeight });
    function inside(q) { return q[0] >= low.x + gap && q[1] <= high.x - gap && q[2] >= low.y + gap && q[3] <= high.y - gap; }
    function within(q) { return q[0] >= low.x && q[1] <= high.x && q[2] >= low.y && q[3] <= high.y; }
    // Those drawn, read through vis-network's bodies (a DataSet get copies): the lit among them.
    var ids = network.body.nodeIndices.filter(function (id) { return network.body.nodes[id]; });
    var drawnIds = new Set(ids);
    var litNow = lit.filter(function (id) { return drawnIds.has(id); });
    var isLit = new Set(litNow);
    var grown = grownSizes(ids, DOT_LEAST_PX / 2 / scale, DOT_GAP_PX / scale);
    // No label larger than vis-network's maxVisible on the screen: zoomed in on a hub, Iran's was 143 px
    // high at the most zoom (vis-network's own cap is not kept to by the sizes set here), found no room on
    // the canvas and gave way, leaving the hub unnamed.
    var fontMost = fontMostAt(scale);
    /* [size, font] of node `id` as drawn for this view (its dot grown: grownSizes), its label's font as
     * restyle gave it, but no larger than fontMost. */
    function sizeOf(id) {
      var o = network.body.nodes[id].options;
      var s = natural.get(id) || [o.size, o.font.size];
      return [grown.has(id) ? grown.get(id) : s[0], Math.min(s[1], fontMost)];
    }
    function rectOf(id, font, text) {
      var s = sizeOf(id);
      return labelRect(network.body.nodes[id], s[0], font, text === undefined ? wholeLabel(id) : text);
    }
    // (cells at least CELL px wide on the screen: a view zoomed far out held labels thousands of units
    // wide, each over thousands of cells of CELL units, and took 600 ms a frame)
    var boxes = new Boxes(Math.max(CELL, CELL / scale));
    ids.forEach(function (id) {
      var body = network.body.nodes[id];
      var size = sizeOf(id)[0];
      boxes.add([body.x - size, body.x + size, body.y - size, body.y + size, id,
        isLit.size > 0 && !isLit.has(id) && !bright.has(id), size]);  // (a label's box has no size)
    });
    var lift = new Map();
    var cut = new Map();     // node id -> the shortened text it is drawn with now
    var moved = new Map();   // node id -> [dx, dy] that moves its label from under its dot to its side
    var quiet = new Set();
    var own = null;          // the box of the selection's label, as placed
    var overDots = false;    // whether the selection's label, with room nowhere, lies over the dots around it
    function take(id, q, font, text, shift) {
      if (font !== sizeOf(id)[1]) { lift.set(id, font); }
      if (text !== undefined) { cut.set(id, text); }
      if (shift) { moved.set(id, shift); }
      boxes.add(q.concat([id, false]));
      if (id === selected) { own = q; }
      return true;
    }
    /* The box of node `id`'s label at `font` reading `text` on `side` of its dot, and the shift [dx, dy]
     * that moves vis-network's label there from under the dot (null: left there). vis-network draws a
     * label `font` high from font/2 + 4 under the dot: the box around it here is a little larger. */
    function sideRect(id, side, font, text) {
      var q = rectOf(id, font, text);
      if (side === 'below') { return [q, null]; }
      var body = network.body.nodes[id];
      var size = sizeOf(id)[0];
      var half = (q[1] - q[0]) / 2;
      var hung = body.y + size + 4 + font / 2;  // the top of the text as vis-network hangs it
      var top = side === 'above' ? body.y - size - gap - font : body.y - font / 2;
      var dx = side === 'above' ? 0 : (side === 'right' ? 1 : -1) * (size + gap + half);
      return [[body.x + dx - half, body.x + dx + half, top - font / 4, top + font * 1.125], [dx, top - hung]];
    }
    function tryLift(id, s, most, least, overDim, sides) {
      for (var px = most; px >= least && px / scale > s[1]; px -= 1) {
        for (var k = 0; k < sides.length; k += 1) {
          var at = sideRect(id, sides[k], px / scale);
          if (inside(at[0]) && boxes.clear(at[0], id, gap, overDim)) { return take(id, at[0], px / scale, undefined, at[1]); }
        }
      }
      return false;
    }
    /* A lit label with no room whole (too wide for the canvas, less the panel, or for the gaps between
     * the lit labels): the longest head of its text that fits on a side of its dot, ending in "…", at
     * `px` (or its own size, if larger), clear of what is around it (`anywhere`: over it, if need be). */
    function tryShort(id, s, px, anywhere) {
      var font = Math.max(px / scale, s[1]);
      var text = wholeLabel(id).replace(/\u2026$/, '');
      function fits(n, side) {
        var at = sideRect(id, side, font, text.slice(0, n).replace(/\s+$/, '') + '\u2026');
        return inside(at[0]) && (anywhere || boxes.clear(at[0], id, gap, true)) ? at : null;
      }
      // A shorter head's box lies within a longer one's on each side: the longest that fits is found by
      // halving (a few tries a side, not one a character: this runs at every frame of a move).
      var most = SHORT_LEAST - 1;
      var side = null;
      SIDES.forEach(function (where) {
        var lo = most;         // (a head of `lo` characters fits, or none longer than `most` does)
        var hi = text.length;  // (one of `hi` does not)
        while (hi - lo > 1) {
          var mid = (lo + hi) >> 1;
          if (fits(mid, where)) { lo = mid; } else { hi = mid; }
        }
        if (lo > most) { most = lo; side = where; }
      });
      if (side === null) { return false; }
      var at = fits(most, side);
      return take(id, at[0], font, text.slice(0, most).replace(/\s+$/, '') + '\u2026', at[1]);
    }
    /* A lit label: lifted where it has room (on a side of its dot), else as drawn where that reads and lies
     * in the canvas, else shortened to fit; or it gives way. */
    function placeLit(id, stands) {
      var s = sizeOf(id);
      if (tryLift(id, s, LIT_LABEL_PX, LIT_LEAST_PX, true, SIDES) || stands) { return; }
      // (a label already larger than a lift, zoomed in: over or beside its dot at its own size)
      if (s[1] * scale >= LIT_LEAST_PX && placeAside(id, s[1], true)) { return; }
      // Shortened, at the lit size where a head of it fits so: a phone's selected event read at 10 px
      // beside its neighbours at 12 (the panel and the status line hold its whole headline).
      if (tryShort(id, s, LIT_LABEL_PX, false) || tryShort(id, s, LIT_LEAST_PX, false)) { return; }
      if (id !== selected) {
        quiet.add(id);
        return;
      }
      // The selection's is drawn all the same, over the dots around it (its halo keeps it legible): a hub
      // expanded beside a phone's open panel, its neighbours' dots all around it, was left unnamed.
      var font = Math.max(LIT_LEAST_PX / scale, s[1]);
      var whole = sideRect(id, SIDES[0], font);
      overDots = true;  // (no ground under it: the dots it lies over show between its letters)
      if (inside(whole[0])) {
        take(id, whole[0], font, undefined, whole[1]);
      } else if (!tryShort(id, s, LIT_LEAST_PX, true)) {
        quiet.add(id);
      }
    }
    // The selection's own label first: it names what the user chose, and its neighbours are named in
    // the panel too.
    var chosen = litNow[0] === selected ? selected : null;
    if (chosen !== null) {
      var mine = rectOf(chosen, sizeOf(chosen)[1]);
      var readable = sizeOf(chosen)[1] * scale >= LEGIBLE_PX && inside(mine);
      if (readable) { take(chosen, mine, sizeOf(chosen)[1]); }
      placeLit(chosen, readable);
    }
    var others = chosen === null ? litNow : litNow.slice(1);
    // The lit labels vis-network draws as they are stand where they are (another's lift leaves them room),
    // but for one in the way of the selection's, which gives way, and one that runs out of the canvas (or
    // under the panel), placed as those lifted are.
    var stand = new Set();
    others.forEach(function (id) {
      if (sizeOf(id)[1] * scale < LEGIBLE_PX) { return; }
      var q = rectOf(id, sizeOf(id)[1]);
      if (own !== null && Boxes.meet(q, own, gap)) {
        return;  // (placed elsewhere below, or it gives way)
      } else if (inside(q)) {
        stand.add(id);
        boxes.add(q.concat([id, false]));
      }
    });
    var most = chosen === null ? LIT_MOST + 1 : LIT_MOST;
    others.slice(0, most).forEach(function (id) { if (!quiet.has(id)) { placeLit(id, stand.has(id)); } });
    others.slice(most).forEach(function (id) { if (!stand.has(id)) { quiet.add(id); } });
    var rest = ids.filter(function (id) { return !isLit.has(id); });
    rest.sort(function (a, b) { return sizeOf(b)[1] - sizeOf(a)[1] || (a < b ? -1 : 1); });
    /* A label with no room under its dot: over it or beside it, at `font`, where that is clear. A period's
     * dots are drawn larger than the first view placed them for: one's label may meet a neighbour's dot
     * below it, with room above. */
    function placeAside(id, font, overDim) {
      for (var k = 1; k < SIDES.length; k += 1) {
        var at = sideRect(id, SIDES[k], font);
        if (inside(at[0]) && boxes.clear(at[0], id, gap, overDim)) { return take(id, at[0], font, undefined, at[1]); }
      }
      return false;
    }
    // Beside a selection a dimmed label is drawn no larger than a lit one is lifted to: an event opened
    // from the panel zoomed the view in on it, and the faded names around it (Strait of Hormuz, 34 px)
    // dwarfed its own (12 px).
    var dimmedMost = litNow.length ? LIT_LABEL_PX / scale : Infinity;
    var named = litNow.length ? 0 : HUBS_NAMED;
    var over = [];
    /* One of the biggest with room nowhere else: over the dots of smaller nodes, at a size that reads. */
    function overDotsOf(id) {
      var s = sizeOf(id);
      var font = Math.max(s[1], LEGIBLE_PX / scale);
      for (var k = 0; k < SIDES.length; k += 1) {
        var at = sideRect(id, SIDES[k], font);
        if (inside(at[0]) && boxes.clearOfLarger(at[0], id, gap, s[0])) {
          over.push(id);
          return take(id, at[0], font, undefined, at[1]);
        }
      }
      return false;
    }
    rest.forEach(function (id, rank) {
      var s = sizeOf(id);
      var font = bright.has(id) ? s[1] : Math.min(s[1], dimmedMost);
      if (font * scale >= LEGIBLE_PX) {
        // (one that would run off the canvas, or under the panel, gives way too: cut, "Volodymyr Zelens"
        // reads as garbage; it comes back whole as the view moves)
        // (another eighth of an em at either end, a quarter in all: "Bahrain" and "Yemen", 3 px apart, read
        // as one name)
        var q = rectOf(id, font);
        q = [q[0] - font / 8, q[1] + font / 8, q[2], q[3]];
        if (within(q) && boxes.clear(q, id, 0, true)) {
          take(id, q, font);
        } else if (!placeAside(id, font, false) && !(rank < named && overDotsOf(id))) {
          quiet.add(id);
        }
      } else if (!tryLift(id, s, LEGIBLE_PX, LEGIBLE_PX, false, UNDER) && !placeAside(id, LEGIBLE_PX / scale, false) &&
                 !(rank < named && overDotsOf(id))) {
        quiet.add(id);
      }
    });
    // Set on vis-network's bodies, not through the DataSet: an update there re-reads every node (50 ms
    // a view of a thousand), and the DataSet keeps each node's size and label as restyle gave them.
    var changed = false;
    var full = new Map();  // (read before a label is shortened)
    // (each label drawn with another text than restyle gave it: shortened, or the selection's, longer)
    ids.forEach(function (id) {
      var own = fullLabel(id);
      if ((cut.has(id) ? cut.get(id) : wholeLabel(id)) !== own) { full.set(id, own); }
    });
    ids.forEach(function (id) {
      var body = network.body.nodes[id];
      var size = lift.has(id) ? lift.get(id) : sizeOf(id)[1];
      var limit = quiet.has(id) ? QUIET : threshold;
      var text = cut.has(id) ? cut.get(id) : wholeLabel(id);
      var halo = haloFor(size);
      // The selection's label on the canvas's ground: its own lines run out in every direction, and one along
      // it showed between its words, struck through.
      var ground = id === selected && !overDots ? INK.halo : 'none';
      if (body.options.font.size !== size || body.options.scaling.label.drawThreshold !== limit ||
          body.options.label !== text || body.options.font.strokeWidth !== halo ||
          (body.options.font.background || 'none') !== ground) {
        body.setOptions({ font: { size: size, strokeWidth: halo, background: ground },
          scaling: { label: { drawThreshold: limit } }, label: text });
        changed = true;
      }
      var dot = sizeOf(id)[0];
      if (body.options.size !== dot) {
        // (not setOptions, which parses every option: a thousand grown nodes took 20 ms a frame of a
        // zoom; the shape reads its node's options, and measures itself again when told)
        body.options.size = dot;
        body.needsRefresh();
        changed = true;
      }
      var shift = moved.get(id) || null;
      var was = body.labelModule.kgShift || null;
      if (shift !== was && (!shift || !was || shift[0] !== was[0] || shift[1] !== was[1])) {
        shiftable(body.labelModule);
        body.labelModule.kgShift = shift;
        changed = true;
      }
    });
    fullOf = full;
    lifted = lift;
    overSmaller = over;
    if (changed) { network.body.emitter.emit('_requestRedraw'); }
  }

  /* vis-network hangs a dot's label under it, with no option to move it: its labels' draw (one for all)
   * takes a label's own shift, so that the box vis-network keeps of it is where it is drawn. */
  function shiftable(label) {
    var proto = Object.getPrototypeOf(label);
    if (proto.kgShiftable) { return; }
    var draw = proto.draw;
    proto.draw = function (ctx, x, y, selected, hover, baseline) {
      var s = this.kgShift;
      return draw.call(this, ctx, s ? x + s[0] : x, s ? y + s[1] : y, selected, hover, baseline);
    };
    proto.kgShiftable = true;
  }

  /* The width of the halo around a label of `font` (canvas units, as the font): a share of its size, so that
   * a label lifted at a view's small scale keeps one, and the lines under it do not run through its letters
   * (vis-network's fixed width, 3 units, is under a pixel on screen at a scale of 0.3, and at a scale of 10,
   * round a label held to 30 px, a row of 30 px blobs). */
  var HALO_SHARE = 0.3;
  function haloFor(font) { return Math.round(font * HALO_SHARE * 100) / 100; }

  /* The text of node `id`'s label as restyle gave it (vis-network's body holds another while it is drawn
   * shortened, or as the selection's). */
  function fullLabel(id) { return fullOf.has(id) ? fullOf.get(id) : network.body.nodes[id].options.label || ''; }
  /* The text node `id`'s label is placed with: a selected event's headline up to SELECTED_EVENT_CHARS,
   * where its label is cfg.eventLabelLength (32) at most (shortened again where it has no room), as a
   * selection's is read first. */
  var SELECTED_EVENT_CHARS = 90;
  function wholeLabel(id) {
    var ref = id === selected && A ? lookup(id) : null;
    return ref && ref.kind === 'event' ? short(A.event_headline(ref.i), SELECTED_EVENT_CHARS) : fullLabel(id);
  }

  /* The box (canvas units) of the label of node `body` of `size`, at `font`, reading `text`: vis-network
   * hangs it under the dot (its text alone, where labelBox keeps a margin around a label placed). */
  function labelRect(body, size, font, text) {
    // (an eighth of an em more at either end: two labels on one line a word space apart read as one name,
    // "Ebola Strait of Hormuz")
    var half = (labelPerPx(text) * font + 8) / 2 + font / 8;
    var top = body.y + size + 4;
    return [body.x - half, body.x + half, top, top + font * 1.25];
  }

  // A zoom or a move (the user's, or a fit), or nodes drawn or hidden, place the labels again.
  network.on('afterDrawing', function () {
    var scale = network.getScale();
    var at = network.getViewPosition();
    var p = placedFor;
    if (p === null || scale !== p[0] || at.x !== p[1] || at.y !== p[2] || network.body.nodeIndices.length !== p[3] ||
        coveredByPanel(network.canvas.frame.canvas) !== p[4]) {
      placeLabels();
    }
  });
