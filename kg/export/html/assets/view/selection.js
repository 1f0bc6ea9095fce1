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
    if (id === selected) { fitTo(litShown(), true); } else { fitTo([id]); }
  }

  /* The selection, its neighbours (as restyle drew them) and what its lit expansions drew or name, as shown
   * now (not hidden): what a view of the selection fits, whether it was chosen, expanded or opened by a link. */
  function litShown() {
    var ids = new Set([selected].concat(neighbourIds, Array.from(broughtIn().lit)));
    return Array.from(ids).filter(function (id) { return owners.has(id) && !nodes.get(id).hidden; });
  }

  /* Nodes drawn only because they were selected go when something else is selected. */
  function dropSearched(keep) {
    removeNodes(Array.from(owners.keys()).filter(function (other) {
      var own = owners.get(other);
      return other !== keep && own.size === 1 && own.has('search') && !expansions.has(other);
    }));
  }

  /* What an expansion the user asked for brought in is lit beside the selection's neighbours: most
   * of it is joined to the selection by no line (an entity's expansion adds the entities its events
   * name), and dimmed it read as not part of what was asked for. Lit: the selection's own expansion
   * (depth 2's too; one a link or a focus opened as well) and those asked for while it stands. */
  var askedFor = new Set();  // nodes expanded on request while `askedWhile` was the selection
  var askedWhile = null;
  function askedSince() {
    if (askedWhile !== selected) { askedFor.clear(); askedWhile = selected; }  // (another selection: its own)
    return askedFor;
  }
  function askExpansion(id) { askedSince().add(id); }

  /* {lit: the nodes the lit expansions drew, and the expanded nodes; expanded: those alone}. */
  function broughtIn() {
    var lit = new Set();
    var seen = new Set();
    function take(id) {
      var x = expansions.get(id);
      if (!x || seen.has(id)) { return; }
      seen.add(id);
      lit.add(id);
      x.nodes.forEach(function (child) { lit.add(child); });
      // (and every entity drawn before that its events name: Hezbollah and Lebanon for Iran on 10 June, which
      // the panel named first, were dimmed while the lesser ones it drew were lit)
      x.named.forEach(function (other) { if (owners.has(other)) { lit.add(other); } });
      (x.deep || []).forEach(take);  // (what depth 2 expanded belongs to it)
    }
    var asked = askedSince();  // (read with no selection too: one cleared forgets what was asked)
    if (selected !== null) { take(selected); asked.forEach(take); }
    return { lit: lit, expanded: seen };
  }
  /* A line lit by them: one that joins a newcomer, a node an expansion drew (or one expanded) that is
   * not the selection's neighbour, to a neighbour or to an expanded node: what explains why it is
   * there. The many lines among the newcomers, or from the expanded events to the neighbours, stay
   * dimmed: lit, they were a tangle that hid the selection's own lines. */
  function broughtLine(e, near, brought) {
    function newcomer(id) { return brought.lit.has(id) && !near.has(id); }
    function anchor(id) { return near.has(id) || brought.expanded.has(id); }
    return (newcomer(e.from) && anchor(e.to)) || (newcomer(e.to) && anchor(e.from));
  }

  /* Select `id`; `stay` (a click on the canvas: the user sees the node) keeps the camera unless
   * some of its neighbours lie outside the view (a phone's, zoomed in on the labels). */
  function select(id, stay) {
    if (!A || !lookup(id)) { return Promise.reject(new Error('no node ' + id)); }
    // On a phone the notice (three lines: search, click or expand) has served once a node is chosen: by
    // the user, not the page opening on its focus or its link's selection (link.on: opened).
    if (link.on && network.canvas.frame.canvas.clientWidth < NARROW_PX) { dismissNotice(); }
    dropSearched(id);
    var left = choose(id);
    restyle();
    network.selectNodes([id]);
    if (!stay || !inView([id].concat(neighbourIds))) { goTo(id); }
    showDetails();
    // (a period left for all dates is said too: the status line says it, a screen reader heard nothing)
    announce(selectionSaid(id) + (left ? '; ' + rangeNote.slice(2, -1) : ''));
    return settle();
  }

  /* Make `id` the selection, drawn; a node outside the period is shown in all dates rather than not at all
   * (then true: the period was left). */
  function choose(id) {
    var ref = lookup(id);
    if (id !== selected) { rangeNote = ''; }  // (it named the selection before)
    var left = (ref.kind === 'event' && !inPeriod(ref.i)) || (ref.kind === 'entity' && !eventsInPeriod(ref.i).length);
    if (left) {
      var was = (range.since || A.firstDay) + ' to ' + (range.until || A.lastDay);
      setRange(null, null);
      // Said in the status line until the period or the selection changes: the user chose that period.
      rangeNote = ' (all dates: ' + (ref.kind === 'event' ? 'that event is not in ' : 'no event of ' +
        A.entity_name[ref.i] + ' in ') + was + ')';
      drawPeriodLeaders();
      drawTimeline();
    }
    ensureDrawn(id);
    selected = id;
    return left;
  }

  function clearSelection() {
    // The search box's text named what was selected: left, it reads as a search the view answers.
    // (A search typed while nothing is selected stays, a click on the canvas aside.)
    var had = selected !== null;
    if (had) {
      searchBox.value = '';
      showSuggestions([]);
    }
    selected = null;
    rangeNote = '';  // (it named the selection)
    dropSearched(null);
    network.unselectAll();
    restyle();
    showDetails();
    if (had) { announce('Selection cleared'); }  // (nothing was: nothing to say)
    return settle();
  }

  /* The entities drawn, as buttons, most events first: what a keyboard or a screen reader reaches
   * without the canvas, whose dots have no text of their own (folded, so that the panel stays short). */
  function drawnList() {
    if (!A) { return null; }  // (the archive not read yet: the overview is drawn again once it is)
    var drawn = visibleIds().map(lookup).filter(function (ref) { return ref && ref.kind === 'entity'; })
      .map(function (ref) { return [ref.i, eventsInPeriod(ref.i).length]; });
    if (!drawn.length) { return null; }
    drawn.sort(function (a, b) {
      var x = A.entity_name[a[0]], y = A.entity_name[b[0]];
      return b[1] - a[1] || (x < y ? -1 : x > y ? 1 : 0);
    });
    var list = el('ol', { className: 'kg-drawn-list' }, drawn.map(function (item) {
      return el('li', {}, [nodeButton(A.entity_iri[item[0]], A.entity_name[item[0]]),
        el('span', { className: 'kg-count', text: ' ' + events(item[1]) })]);
    }));
    return el('details', { className: 'kg-drawn' }, [el('summary', { text: 'The ' + num(drawn.length) +
      (drawn.length === 1 ? ' entity' : ' entities') + ' drawn, as a list' }), list]);
  }

  /* One short line for screen readers on a selection: the panel itself (a chart and 25
   * headlines with their sources) is not a live region, which would read all of it out. */
  function announce(text) { document.getElementById('kg-announce').textContent = text; }
  /* `text` cut at a word within `limit` characters, for the ear: "..., but f…" read as a word. */
  function saidShort(text, limit) {
    if (text.length <= limit) { return text; }
    var cut = text.slice(0, limit - 1);
    var space = cut.lastIndexOf(' ');
    return (space > limit / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:]+$/, '') + '\u2026';
  }
  function selectionSaid(id) {
    var ref = lookup(id);
    return ref.kind === 'entity'
      ? A.entity_name[ref.i] + ', ' + events(eventsInPeriod(ref.i).length) +  // (a phone's panel starts closed)
        (document.body.classList.contains('kg-panel-closed') ? ' (Show panel to list them)' : ' in the panel')
      : 'Event of ' + day(ref.i) + ': ' + saidShort(A.event_headline(ref.i), 160);
  }
  /* The selection as the status line names it while the panel, which names it, is closed (a phone's). */
  function selectionNamed(id) {
    var ref = lookup(id);
    var n = ref.kind === 'entity' ? eventsInPeriod(ref.i).length : 0;
    return ref.kind === 'entity'
      ? A.entity_name[ref.i] + ', ' + events(n) + ' (Show panel to list ' + (n === 1 ? 'it' : 'them') + ')'
      : 'event of ' + day(ref.i) + ', \u201c' + short(A.event_headline(ref.i), 50) + '\u201d (Show panel for more)';
  }

