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
  /* The contexts in most of events `evs` but entity `i`: at most `n` [index, events], most first (what
   * the drawn lines, three an entity, may leave out: Israel of Iran's events). */
  function partnersOf(i, evs, n) {
    var counts = new Map();
    for (var k = 0; k < evs.length; k += 1) {
      entitiesOfEvent(evs[k]).forEach(function (j) {
        if (j !== i && A.entity_kind[j] === 0) { counts.set(j, (counts.get(j) || 0) + 1); }
      });
    }
    return Array.from(counts.entries()).sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; }).slice(0, n);
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
  var range = { since: cfg.since, until: cfg.until, low: 0, high: 0, busiest: 0 };  // (busiest: see shareNow)
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

  /* The count an entity is sized by when drawn now: in a period, its events there on the scale of the
   * period's leaders (the busiest as the overview's largest; see drawPeriodLeaders), else all its events. */
  function shareNow(i) {
    var count = Math.max(eventsInPeriod(i).length, 1);
    if (!range.since && !range.until) { return count; }
    if (!range.busiest) {
      range.busiest = 1;
      for (var j = 0; j < A.N; j += 1) {
        if (cfg.kinds.indexOf(entityKind(j)) >= 0) { range.busiest = Math.max(range.busiest, eventsInPeriod(j).length); }
      }
    }
    return count / range.busiest * cfg.largest;
  }

  function sizeFor(count) { return Math.round((S.sizeBase + S.sizeSpan * Math.sqrt(count / cfg.largest)) * 10) / 10; }
  function fontFor(count) { return Math.round((S.fontBase + S.fontSpan * Math.sqrt(count / cfg.largest)) * 10) / 10; }

