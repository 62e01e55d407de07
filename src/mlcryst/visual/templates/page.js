/* mlcryst network page: filters, search, legend, tooltips, layout freezing.
 *
 * Every string that comes from the data is put into the page with textContent (never as
 * HTML); vis-network draws labels on a canvas and gets tooltips as DOM elements.
 * window.mlcryst is a small API used by the tests and handy in the browser console.
 */
(function () {
  "use strict";

  var DATA = JSON.parse(document.getElementById("mlcryst-data").textContent);
  if (DATA.note) { document.getElementById("mlc-note").textContent = DATA.note; }
  var $ = function (id) { return document.getElementById(id); };
  var N = DATA.nodes, E = DATA.edges;
  var KIND = {};
  DATA.kinds.forEach(function (k) { KIND[k.kind] = k; });
  var byIri = new Map();
  var adj = N.map(function () { return []; });
  var pos = new Map();
  N.forEach(function (n) {
    byIri.set(n.iri, n.id);
    if (n.x !== undefined) { pos.set(n.id, { x: n.x, y: n.y }); }
  });
  E.forEach(function (e) { adj[e.from].push(e.to); adj[e.to].push(e.from); });
  var hasSpans = N.some(function (n) { return n.y0 !== undefined; });
  var hasArch = N.some(function (n) { return n.arch !== undefined; });
  var visible = new Set();
  var frozen = true, stabilizing = false, pending = null, network = null;
  var showCaptions = true;
  var matched = new Set(), hovered = null, drawnCaptions = [];

  var el = function (tag, text, cls) {
    var x = document.createElement(tag);
    if (text !== undefined && text !== null) { x.textContent = String(text); }
    if (cls) { x.className = cls; }
    return x;
  };

  function infoBlock(n, withKind) {
    var box = el("div");
    var head = el("p", null, "mlc-name");
    if (withKind) {
      var badge = el("span", KIND[n.kind].label, "mlc-kind");
      badge.style.background = KIND[n.kind].color;
      head.appendChild(badge);
    }
    head.appendChild(document.createTextNode(n.label));
    box.appendChild(head);
    var dl = el("dl");
    n.info.forEach(function (pair) {
      dl.appendChild(el("dt", pair[0]));
      dl.appendChild(el("dd", pair[1]));
    });
    box.appendChild(dl);
    return box;
  }

  function edgeTip(e) {
    var box = el("div", null, "mlc-tip");
    box.appendChild(el("p", e.rel.replace(/_/g, " "), "mlc-name"));
    var dl = el("dl");
    (e.info || []).forEach(function (pair) {
      dl.appendChild(el("dt", pair[0]));
      dl.appendChild(el("dd", pair[1]));
    });
    box.appendChild(dl);
    return box;
  }

  /* node size and label size grow with log(degree), so mid-sized nodes stay readable */
  DATA.options.nodes.scaling.customScalingFunction = function (min, max, total, value) {
    if (max === min) { return 0.5; }
    return Math.max(0, Math.log(value / min) / Math.log(max / min));
  };
  var nodes = new vis.DataSet(N.map(function (n) {
    var k = KIND[n.kind];
    var tip = infoBlock(n, true);
    tip.className = "mlc-tip";
    return {
      id: n.id, shape: k.shape, value: n.deg + 1, title: tip,
      mass: 1 + Math.sqrt(n.deg) * (DATA.hubMass || 0), x: n.x, y: n.y,
      color: { background: k.color, border: k.border,
               highlight: { background: k.color, border: "#111" },
               hover: { background: k.color, border: "#111" } }
    };
  }));
  var edges = new vis.DataSet(E.map(function (e, i) {
    return { id: i, from: e.from, to: e.to, value: e.w, title: edgeTip(e) };
  }));
  var nodesView = new vis.DataView(nodes, { filter: function (n) { return visible.has(n.id); } });
  var edgesView = new vis.DataView(edges, {
    filter: function (e) { return visible.has(e.from) && visible.has(e.to); }
  });

  /* --- controls ---------------------------------------------------------------------------- */
  var search = $("mlc-search"), yFrom = $("mlc-year-from"), yTo = $("mlc-year-to");
  var arch = $("mlc-arch");
  var hiddenKinds = new Set(DATA.hiddenKinds);
  var checkboxes = {};

  function shapeIcon(k) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "16"); svg.setAttribute("height", "16");
    svg.setAttribute("viewBox", "0 0 16 16");
    var shapes = {
      dot: ["circle", { cx: 8, cy: 8, r: 6 }],
      diamond: ["polygon", { points: "8,1 15,8 8,15 1,8" }],
      square: ["rect", { x: 2, y: 2, width: 12, height: 12 }],
      star: ["polygon", { points: "8,1 10,6 15,6 11,9.5 12.5,15 8,11.5 3.5,15 5,9.5 1,6 6,6" }],
      triangle: ["polygon", { points: "8,1 15,14 1,14" }],
      triangleDown: ["polygon", { points: "1,2 15,2 8,15" }],
      hexagon: ["polygon", { points: "4,1.5 12,1.5 15.5,8 12,14.5 4,14.5 0.5,8" }]
    };
    var spec = shapes[k.shape] || shapes.dot;
    var s = document.createElementNS(ns, spec[0]);
    Object.keys(spec[1]).forEach(function (a) { s.setAttribute(a, spec[1][a]); });
    s.setAttribute("fill", k.color); s.setAttribute("stroke", k.border);
    svg.appendChild(s);
    return svg;
  }

  DATA.kinds.forEach(function (k) {
    var li = el("li"), label = el("label");
    var box = document.createElement("input");
    box.type = "checkbox"; box.value = k.kind; box.checked = !hiddenKinds.has(k.kind);
    box.id = "mlc-kind-" + k.kind;
    box.addEventListener("change", function () {
      if (box.checked) { hiddenKinds.delete(k.kind); } else { hiddenKinds.add(k.kind); }
      schedule(0);
    });
    checkboxes[k.kind] = box;
    label.appendChild(box); label.appendChild(shapeIcon(k)); label.appendChild(el("span", k.label));
    label.appendChild(el("span", k.count, "mlc-count"));
    li.appendChild(label); $("mlc-legend").appendChild(li);
  });

  var Y0 = DATA.years ? DATA.years[0] : 0, Y1 = DATA.years ? DATA.years[1] : 0;
  [yFrom, yTo].forEach(function (r) { r.min = Y0; r.max = Y1; });
  yFrom.value = Y0; yTo.value = Y1;
  if (!hasSpans) { $("mlc-years-box").hidden = true; }
  if (!hasArch) { $("mlc-arch-box").hidden = true; }
  function yearLabel() { $("mlc-years-label").textContent = yFrom.value + "–" + yTo.value; }
  yFrom.addEventListener("input", function () {
    if (+yFrom.value > +yTo.value) { yTo.value = yFrom.value; }
    yearLabel(); schedule(60);
  });
  yTo.addEventListener("input", function () {
    if (+yTo.value < +yFrom.value) { yFrom.value = yTo.value; }
    yearLabel(); schedule(60);
  });
  yearLabel();
  arch.addEventListener("change", function () { schedule(0); });
  search.addEventListener("input", function () { schedule(150); });

  function schedule(ms) {
    if (pending !== null) { clearTimeout(pending); }
    pending = setTimeout(apply, ms);
  }

  /* --- filtering ----------------------------------------------------------------------------- */
  function archOk(want, have) {
    if (want === "deep learning") { return have === "deep learning" || have === "both"; }
    if (want === "conventional") { return have === "conventional" || have === "both"; }
    return have === "other" || have === "non-ML";
  }
  function isAnchor(n) { return hasSpans ? n.y0 !== undefined : n.arch !== undefined; }

  function computeVisible() {
    var y0 = +yFrom.value, y1 = +yTo.value, a = arch.value;
    var yearOn = hasSpans && (y0 > Y0 || y1 < Y1), archOn = hasArch && a !== "all";
    var filtering = yearOn || archOn;
    var own = new Uint8Array(N.length), vis = new Set();
    N.forEach(function (n) {
      if (hiddenKinds.has(n.kind)) { return; }
      if (yearOn && n.y0 !== undefined && (n.y1 < y0 || n.y0 > y1)) { return; }
      if (archOn && n.arch !== undefined && !archOk(a, n.arch)) { return; }
      own[n.id] = 1;
      if (!filtering || isAnchor(n)) { vis.add(n.id); }
    });
    if (filtering) {
      var supported = [];
      N.forEach(function (n) {
        if (own[n.id] && !isAnchor(n) && adj[n.id].some(function (m) {
          return vis.has(m) && isAnchor(N[m]);
        })) { supported.push(n.id); }
      });
      supported.forEach(function (id) { vis.add(id); });
      var stack = supported.slice();
      while (stack.length) {
        (N[stack.pop()].up || []).forEach(function (p) {
          if (own[p] && !vis.has(p)) { vis.add(p); stack.push(p); }
        });
      }
    }
    var q = search.value.trim().toLowerCase(), matches = [], revealed = [];
    if (q) {
      /* a search looks at every node the year and method filters let through, whatever its
         type: a match of a hidden type (an author, at the start) is shown with its neighbours */
      N.forEach(function (n) {
        if (n.label.toLowerCase().indexOf(q) < 0) { return; }
        if (vis.has(n.id)) { matches.push(n.id); return; }
        if (!hiddenKinds.has(n.kind)) { return; }
        if (yearOn && n.y0 !== undefined && (n.y1 < y0 || n.y0 > y1)) { return; }
        if (archOn && n.arch !== undefined && !archOk(a, n.arch)) { return; }
        if (filtering && !isAnchor(n) && !adj[n.id].some(function (m) { return vis.has(m); })) {
          return;
        }
        matches.push(n.id); revealed.push(n.id);
      });
      var keep = new Set(matches);
      matches.forEach(function (id) {
        adj[id].forEach(function (m) { if (vis.has(m)) { keep.add(m); } });
      });
      vis = keep;
    }
    return { vis: vis, matches: matches, revealed: revealed, query: q };
  }

  function rememberPositions() {
    if (!network) { return; }
    var p = network.getPositions();
    Object.keys(p).forEach(function (id) { pos.set(+id, p[id]); });
  }

  var seed = 12345;
  function rand() { seed = (seed * 16807) % 2147483647; return seed / 2147483647; }

  function apply() {
    pending = null;
    var r = computeVisible();
    rememberPositions();
    var entering = [], unplaced = 0;
    r.vis.forEach(function (id) {
      if (visible.has(id)) { return; }
      var p = pos.get(id);
      if (!p) {
        var anchor = adj[id].map(function (m) { return pos.get(m); }).filter(Boolean)[0];
        if (anchor) {
          p = { x: anchor.x + (rand() - 0.5) * 80, y: anchor.y + (rand() - 0.5) * 80 };
          pos.set(id, p); unplaced++;
        }
      }
      if (p) { entering.push({ id: id, x: p.x, y: p.y }); } else { unplaced++; }
    });
    if (entering.length) { nodes.update(entering); }
    visible = r.vis;
    matched = new Set(r.matches);
    nodesView.refresh();
    edgesView.refresh();
    showMatches(r);
    updateCounts();
    if (network && unplaced > 0) { relayout(120); }
    if (network && r.query && r.matches.length) {
      network.selectNodes(r.matches.slice(0, 200));
      network.fit({ nodes: Array.from(visible), animation: false });
      zoomOut();
    } else if (network) {
      network.unselectAll();
    }
  }

  function showMatches(r) {
    var list = $("mlc-matches");
    list.textContent = "";
    if (!r.query) { return; }
    if (!r.matches.length) {
      list.appendChild(el("li", "No node matches “" + r.query + "”.", "mlc-none"));
      return;
    }
    if (r.revealed.length) {
      var kinds = Array.from(new Set(r.revealed.map(function (id) { return KIND[N[id].kind].label; })));
      list.appendChild(el("li", "Shown for this search, though their type is unticked: " +
        kinds.join(", ") + ".", "mlc-note"));
    }
    r.matches.slice(0, 20).forEach(function (id) {
      var li = el("li"), b = el("button", N[id].label);
      b.type = "button";
      b.addEventListener("click", function () { focusNode(id); });
      li.appendChild(b); list.appendChild(li);
    });
    if (r.matches.length > 20) { list.appendChild(el("li", "… " + (r.matches.length - 20) + " more")); }
  }

  function updateCounts() {
    $("mlc-counts").textContent = "showing " + nodesView.length + " of " + N.length + " nodes, " +
      edgesView.length + " of " + E.length + " edges";
  }

  function showDetails(id) {
    var box = $("mlc-details");
    box.textContent = "";
    box.appendChild(infoBlock(N[id], true));
    var drill = N[id].drill;
    if (drill && drill.items.length) {  /* a group of an aggregated view: what it holds */
      box.appendChild(el("p", drill.what + " (" + drill.items.length + " of " + drill.total + ")",
        "mlc-h"));
      var list = el("ol", null, "mlc-drill");
      drill.items.forEach(function (d) {
        list.appendChild(el("li", d[0] + (d[1] ? " (" + d[1] + ")" : "")));
      });
      box.appendChild(list);
    }
  }

  function focusNode(id) {
    if (!visible.has(id)) { return; }
    network.selectNodes([id]);
    network.focus(id, { scale: 1.2, animation: false });
    showDetails(id);
  }

  /* --- community captions (canvas text: never parsed as HTML) ------------------------------- */
  function drawCaptions(ctx) {
    if (!showCaptions || !DATA.clusters.length) { return; }
    var scale = network.getScale(), body = network.body.nodes;
    ctx.save();
    ctx.font = "600 " + (14 / scale) + "px system-ui, sans-serif";
    ctx.textAlign = "center";
    ctx.fillStyle = "rgba(60,60,60,0.8)";
    ctx.strokeStyle = "rgba(255,255,255,0.9)";
    ctx.lineWidth = 4 / scale;
    drawnCaptions = [];
    DATA.clusters.forEach(function (c) {
      var xs = 0, n = 0, top = Infinity, left = Infinity, right = -Infinity;
      c.members.forEach(function (id) {
        var b = body[id];
        if (!b || !visible.has(id)) { return; }
        xs += b.x; n++; top = Math.min(top, b.y - b.shape.height / 2 - 4);
        left = Math.min(left, b.x); right = Math.max(right, b.x);
      });
      if (n < 4) { return; }
      /* room: the cluster's width and most of the gap to the next one (layout.py: 110) */
      var room = Math.max(right - left + 100, 70 / scale), lines = [], lh = 0;
      [14, 12.5, 11].some(function (px) {  /* a smaller font before a cut caption */
        ctx.font = "600 " + (px / scale) + "px system-ui, sans-serif";
        lines = wrap(ctx, c.label, room); lh = (px + 2) / scale;
        return lines.join(" ") === c.label;
      });
      var widest = Math.max.apply(null, lines.map(function (l) { return ctx.measureText(l).width; }));
      lines.forEach(function (line, i) {
        var y = top - 6 / scale - (lines.length - 1 - i) * lh;
        ctx.strokeText(line, xs / n, y);
        ctx.fillText(line, xs / n, y);
      });
      drawnCaptions.push({ text: lines.join(" "), box: [xs / n - widest / 2,
        top - 6 / scale - lines.length * lh, xs / n + widest / 2, top - 6 / scale] });
    });
    ctx.restore();
  }

  /* a caption on one line, else on two lines split where the wider one is narrowest; cut with
     "…" only when even that is wider than room */
  function wrap(ctx, text, room) {
    var width = function (t) { return ctx.measureText(t).width; };
    if (width(text) <= room) { return [text]; }
    var words = text.split(" "), best = null, bestWidth = Infinity;
    for (var k = 1; k < words.length; k++) {
      var a = words.slice(0, k).join(" "), b = words.slice(k).join(" ");
      var w = Math.max(width(a), width(b));
      if (w < bestWidth) { best = [a, b]; bestWidth = w; }
    }
    var lines = best || [text];
    return lines.map(function (line) {
      while (line.length > 4 && width(line) > room) { line = line.slice(0, -2) + "…"; }
      return line;
    });
  }

  /* --- node labels (canvas text) ---------------------------------------------------------------
   * Drawn by the page, not by vis-network, so that no two overlap: the labels of the hovered
   * node, the selection and the search matches first, then by degree; a label whose box would
   * overlap one already drawn is left out (it appears when one zooms in). Font size grows with
   * log(degree) per node type (DATA.kinds[].labels: min and max; floor, the smallest size on
   * screen, so that concept labels stay readable zoomed out; drawThreshold, the smallest size
   * on screen worth drawing: paper and author labels appear as one zooms in). */
  var degMin = 1, degMax = 1, LABEL_MARGIN = 5;
  function labelSize(n) {
    var k = KIND[n.kind].labels, f = degMax === degMin ? 0.5
      : Math.max(0, Math.log((n.deg + 1) / degMin) / Math.log(degMax / degMin));
    return k.min + (k.max - k.min) * f;
  }
  var labelOrder = N.map(function (n) { return n.id; }).sort(function (a, b) {
    return N[b].deg - N[a].deg || (N[a].label < N[b].label ? -1 : N[a].label > N[b].label ? 1 : 0);
  });
  var drawnLabels = [];
  function drawLabels(ctx) {
    var scale = network.getScale(), body = network.body.nodes;
    var boxes = drawnCaptions.map(function (c) { return c.box; });  /* captions stay clear */
    var maxOnScreen = DATA.options.nodes.scaling.label.maxVisible || 26;
    var selected = new Set(network.getSelectedNodes());
    var first = [], near = [], rest = [];
    var around = new Set();  /* the neighbours of the search matches get labels next */
    matched.forEach(function (id) { adj[id].forEach(function (m) { around.add(m); }); });
    degMin = Infinity; degMax = -Infinity;  /* as vis-network scales sizes: over what is shown */
    visible.forEach(function (id) {
      degMin = Math.min(degMin, N[id].deg + 1); degMax = Math.max(degMax, N[id].deg + 1);
    });
    labelOrder.forEach(function (id) {
      if (!visible.has(id) || !body[id]) { return; }
      (id === hovered || selected.has(id) || matched.has(id) ? first
        : around.has(id) ? near : rest).push(id);
    });
    ctx.save();
    ctx.textAlign = "center"; ctx.textBaseline = "top"; ctx.lineJoin = "round";
    drawnLabels = [];
    first.concat(near, rest).forEach(function (id, i) {
      var n = N[id], b = body[id], forced = i < first.length;
      var spec = KIND[n.kind].labels, size = labelSize(n), onScreen = size * scale;
      var floor = i < first.length + near.length ? 11 : spec.floor || 0;
      if (onScreen < floor) { onScreen = floor; }
      if (forced && onScreen < 12) { onScreen = 12; }
      if (!forced && onScreen < spec.drawThreshold) { return; }
      size = Math.min(onScreen, maxOnScreen) / scale;
      ctx.font = size + "px system-ui, sans-serif";
      var w = ctx.measureText(n.label).width, x = b.x, y = b.y + b.shape.height / 2 + 3 / scale;
      var m = LABEL_MARGIN / scale;  /* room kept around each label */
      var box = [x - w / 2 - m, y - m, x + w / 2 + m, y + size * 1.15 + m];
      if (!forced && boxes.some(function (o) {
        return box[0] < o[2] && o[0] < box[2] && box[1] < o[3] && o[1] < box[3];
      })) { return; }
      boxes.push(box);
      drawnLabels.push({ id: id, box: [x - w / 2, y, x + w / 2, y + size * 1.15] });
      ctx.lineWidth = 3 / scale; ctx.strokeStyle = "rgba(255,255,255,0.92)";
      ctx.fillStyle = id === hovered ? "#000" : "#1a1a1a";
      ctx.strokeText(n.label, x, y);
      ctx.fillText(n.label, x, y);
    });
    ctx.restore();
  }

  /* fit the shown nodes, with room for the captions above the top row of clusters */
  function fitAll() {
    network.fit({ animation: false });
    zoomOut();
  }
  function zoomOut() {  /* after a fit: labels below the nodes and captions above need room */
    var scale = network.getScale() * 0.9, view = network.getViewPosition();
    network.moveTo({ position: { x: view.x, y: view.y - 14 / scale }, scale: scale, animation: false });
  }

  /* --- layout --------------------------------------------------------------------------------- */
  function setFrozen(f) {
    frozen = f;
    network.setOptions({ physics: { enabled: !f } });
    $("mlc-freeze").textContent = f ? "Resume layout" : "Freeze layout";
    $("mlc-status").textContent = f ? "layout frozen: drag nodes, or press Resume layout"
      : "layout running: press Freeze layout to stop it";
  }
  function relayout(iterations) {
    stabilizing = true;
    network.setOptions({ physics: { enabled: true } });
    network.stabilize(iterations);
  }

  function start() {
    visible = computeVisible().vis;
    nodesView.refresh(); edgesView.refresh();
    /* start positions from mlcryst (communities packed side by side) need no layout run */
    var seeded = N.every(function (n) { return n.x !== undefined; });
    DATA.options.physics.enabled = !seeded;
    network = new vis.Network($("mlc-network"), { nodes: nodesView, edges: edgesView }, DATA.options);
    $("mlc-freeze").textContent = "Resume layout";
    network.on("click", function (p) { if (p.nodes.length) { showDetails(p.nodes[0]); } });
    network.on("beforeDrawing", drawCaptions);
    network.on("afterDrawing", drawLabels);
    network.on("hoverNode", function (p) { hovered = p.node; network.redraw(); });
    network.on("blurNode", function () { hovered = null; network.redraw(); });
    $("mlc-freeze").addEventListener("click", function () { setFrozen(!frozen); });
    $("mlc-fit").addEventListener("click", fitAll);
    $("mlc-reset").addEventListener("click", reset);
    network.on("stabilizationProgress", function (p) {
      $("mlc-status").textContent = "laying out… " + Math.round(100 * p.iterations / p.total) + "%";
    });
    network.on("stabilizationIterationsDone", function () {
      stabilizing = false;
      setFrozen(frozen);
      $("mlc-status").textContent = frozen ? "layout frozen: drag nodes, or press Resume layout" : "";
      if (!window.mlcryst.ready) { fitAll(); window.mlcryst.ready = true; }
    });
    updateCounts();
    if (seeded || visible.size === 0) {
      fitAll();
      $("mlc-status").textContent = "layout frozen: drag nodes, or press Resume layout";
      window.mlcryst.ready = true;
    } else {
      stabilizing = true;
      $("mlc-status").textContent = "laying out…";
    }
  }

  function reset() {
    search.value = ""; arch.value = "all"; yFrom.value = Y0; yTo.value = Y1; yearLabel();
    hiddenKinds = new Set(DATA.hiddenKinds);
    Object.keys(checkboxes).forEach(function (k) { checkboxes[k].checked = !hiddenKinds.has(k); });
    apply();
    fitAll();
  }

  function domBox(name, box) {
    var a = network.canvasToDOM({ x: box[0], y: box[1] });
    var b = network.canvasToDOM({ x: box[2], y: box[3] });
    return [name, a.x, a.y, b.x, b.y];
  }

  window.mlcryst = {
    ready: false,
    data: DATA,
    network: function () { return network; },
    totalNodeCount: function () { return N.length; },
    totalEdgeCount: function () { return E.length; },
    visibleNodeCount: function () { return nodesView.length; },
    visibleEdgeCount: function () { return edgesView.length; },
    renderedNodeCount: function () { return network ? network.body.nodeIndices.length : 0; },
    renderedEdgeCount: function () { return network ? network.body.edgeIndices.length : 0; },
    visibleIris: function () { return Array.from(visible).map(function (id) { return N[id].iri; }); },
    idle: function () { return pending === null && !stabilizing; },
    isFrozen: function () { return frozen; },
    freeze: function (f) { setFrozen(f !== false); },
    setSearch: function (text) { search.value = text; apply(); },
    setKinds: function (kinds) {
      hiddenKinds = new Set(DATA.kinds.map(function (k) { return k.kind; })
        .filter(function (k) { return kinds.indexOf(k) < 0; }));
      Object.keys(checkboxes).forEach(function (k) { checkboxes[k].checked = !hiddenKinds.has(k); });
      apply();
    },
    setYearRange: function (a, b) { yFrom.value = a; yTo.value = b; yearLabel(); apply(); },
    setArchitecture: function (a) { arch.value = a; apply(); },
    select: function (iri) { if (byIri.has(iri)) { focusNode(byIri.get(iri)); } },
    drawnLabels: function () { return drawnLabels.map(function (d) { return N[d.id].iri; }); },
    /* where each drawn label is, in CSS px of the drawing: [iri, left, top, right, bottom] */
    labelBoxes: function () {
      return drawnLabels.map(function (d) { return domBox(N[d.id].iri, d.box); });
    },
    captionBoxes: function () {
      return drawnCaptions.map(function (d) { return domBox(d.text, d.box); });
    },
    hover: function (iri) { hovered = byIri.has(iri) ? byIri.get(iri) : null; network.redraw(); },
    reset: reset
  };
  start();
})();
