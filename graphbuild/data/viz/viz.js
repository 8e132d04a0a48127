/* graphbuild viz: the page script.  Reads the graph from the inert JSON block
 * #graphbuild-data, draws it with vis-network and wires the side panel, the
 * search box and the filters.  Text from the data is only ever set with
 * textContent (never as HTML).  Exposes, for tests and curious analysts:
 *   window.graphbuildStats   {nodes, edges, totalNodes, totalEdges, ready}: what is drawn
 *   window.graphbuildNetwork the vis.Network
 *   window.graphbuildFocus(id) select and centre a node and show it in the panel
 */
(function () {
  "use strict";

  var DATA = JSON.parse(document.getElementById("graphbuild-data").textContent);
  var statsEl = document.getElementById("graphbuild-stats");
  var panel = document.getElementById("panel");
  var nodeById = new Map();
  var edgeById = new Map();
  var edgesOfNode = new Map();
  DATA.nodes.forEach(function (n) { nodeById.set(n.id, n); edgesOfNode.set(n.id, []); });
  DATA.edges.forEach(function (e) {
    edgeById.set(e.id, e);
    if (edgesOfNode.has(e.from)) edgesOfNode.get(e.from).push(e);
    if (e.to !== e.from && edgesOfNode.has(e.to)) edgesOfNode.get(e.to).push(e);
  });

  // -- small DOM helpers (text only) ------------------------------------------
  function el(tag, props) {
    var node = document.createElement(tag);
    if (props) {
      Object.keys(props).forEach(function (k) {
        if (k === "text") node.textContent = props[k];
        else if (k === "className") node.className = props[k];
        else node.setAttribute(k, props[k]);
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined || child === false) continue;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }
  function fmt(v) {
    if (v === null || v === undefined || v === "") return "\u2014";
    if (Array.isArray(v)) return v.length ? v.map(fmt).join(", ") : "\u2014";
    if (typeof v === "number") return String(Math.round(v * 1000) / 1000);
    return String(v);
  }
  function nameOf(id) { var n = nodeById.get(id); return n ? n.name : id; }
  function nodeColors(type) { return DATA.node_colors[type] || DATA.node_colors.Entity; }
  function relColor(type) { return DATA.relation_colors[type] || "#A5ABB6"; }

  // -- vis data ------------------------------------------------------------------
  function visNode(n) {
    var c = nodeColors(n.type);
    return {
      id: n.id, label: n.name, group: n.type, shape: "dot", size: n.type === "Country" ? 18 : 13,
      color: { background: c[0], border: c[1], highlight: { background: c[0], border: "#2A2C34" },
               hover: { background: c[0], border: "#2A2C34" } },
      borderWidth: 2, font: { size: 13, color: "#2A2C34", strokeWidth: 3, strokeColor: "#ffffff" },
      title: tooltip(n.name, n.type + (n.aliases.length ? " \u00b7 " + n.aliases.join(", ") : ""))
    };
  }
  function visEdge(e) {
    var denied = e.modality === "denied";
    var dashed = e.modality === "possible" || e.modality === "promised";
    var smooth = { enabled: true, type: "continuous", roundness: 0.15 };
    if (e.parallel > 1) {
      var cw = (e.curve % 2 === 0) !== e.reversed;
      smooth = { enabled: true, type: cw ? "curvedCW" : "curvedCCW", roundness: 0.12 + 0.14 * Math.floor(e.curve / 2) + (e.curve % 2 ? 0.07 : 0) };
    }
    return {
      id: e.id, from: e.from, to: e.to,
      label: e.type + (denied ? " (denied)" : ""),
      arrows: e.symmetric ? "" : { to: { enabled: true, scaleFactor: 0.6 } },
      dashes: denied ? [2, 5] : dashed ? [8, 6] : false,
      width: Math.min(1.5 + 0.5 * (e.count - 1), 6) * (e.inferred ? 0.6 : 1),
      color: { color: denied ? "#9E9E9E" : relColor(e.type), highlight: "#2A2C34", hover: "#2A2C34", opacity: denied ? 0.7 : 1 },
      font: { size: 10, align: "middle", color: "#444", strokeWidth: 3, strokeColor: "#ffffff" },
      smooth: smooth,
      title: tooltip(nameOf(e.from) + " " + e.type + " " + nameOf(e.to),
                     e.modality + " \u00b7 \u00d7" + e.count + (e.inferred ? " \u00b7 inferred" : ""))
    };
  }
  function tooltip(head, sub) {
    return el("div", { style: "max-width:320px" }, el("strong", { text: head }), el("br"), el("span", { text: sub }));
  }

  // -- filters -------------------------------------------------------------------
  var enabledTypes = new Set(DATA.relation_types);
  var dateFrom = "", dateTo = "";
  function evidenceInRange(ev) {
    if (!dateFrom && !dateTo) return true;
    if (!ev.date) return false;
    var d = String(ev.date);
    return (!dateFrom || d >= dateFrom) && (!dateTo || d.slice(0, 10) <= dateTo);
  }
  function edgeVisible(e) {
    if (!enabledTypes.has(e.type)) return false;
    if (!dateFrom && !dateTo) return true;
    return e.evidence.some(evidenceInRange);
  }

  var nodes = new vis.DataSet(DATA.nodes.map(visNode));
  var allEdges = new vis.DataSet(DATA.edges.map(visEdge));
  var edges = new vis.DataView(allEdges, { filter: function (item) { return edgeVisible(edgeById.get(item.id)); } });

  var physicsBox = document.getElementById("physics");
  physicsBox.checked = true;
  var network = new vis.Network(document.getElementById("network"), { nodes: nodes, edges: edges }, {
    autoResize: true,
    interaction: { hover: true, tooltipDelay: 150, multiselect: false, navigationButtons: false, keyboard: false },
    physics: {
      enabled: true, solver: "forceAtlas2Based",
      forceAtlas2Based: { gravitationalConstant: -80, springLength: 130, springConstant: 0.06, avoidOverlap: 0.6 },
      // fewer layout rounds for big graphs: about 10 s for 2,000 nodes in headless Chromium
      stabilization: { enabled: true, iterations: Math.max(150, Math.min(600, Math.round(150000 / Math.max(DATA.nodes.length, 1)))),
                       updateInterval: 25 }
    },
    layout: { randomSeed: 7, improvedLayout: DATA.nodes.length <= 150 },
    edges: { selectionWidth: 2, hoverWidth: 1 }
  });

  var stats = window.graphbuildStats = {
    nodes: 0, edges: 0, totalNodes: DATA.nodes.length, totalEdges: DATA.edges.length, ready: false
  };
  function updateStats() {
    stats.nodes = nodes.length;
    stats.edges = edges.length;
    statsEl.setAttribute("data-nodes", String(stats.nodes));
    statsEl.setAttribute("data-edges", String(stats.edges));
    statsEl.setAttribute("data-ready", stats.ready ? "1" : "0");
    statsEl.textContent = stats.nodes + " nodes \u00b7 " + stats.edges + " edges shown" +
      (stats.edges !== stats.totalEdges ? " (of " + stats.totalEdges + ")" : "");
  }
  function refilter() {
    edges.refresh();
    updateStats();
  }
  updateStats();

  // Once the layout has settled, stop the physics (a still picture is easier to read and to click).
  function settled() {
    if (stats.ready) return;
    physicsBox.checked = false;
    network.setOptions({ physics: { enabled: false } });
    network.fit({ animation: false });
    stats.ready = true;
    updateStats();
  }
  network.on("stabilizationProgress", function (p) {
    if (!stats.ready) statsEl.textContent = "laying out " + stats.totalNodes + " nodes and " + stats.totalEdges +
      " edges\u2026 " + Math.round(100 * p.iterations / p.total) + "%";
  });
  network.once("stabilizationIterationsDone", settled);
  network.once("stabilized", settled);
  if (!DATA.nodes.length) settled();
  physicsBox.addEventListener("change", function () {
    network.setOptions({ physics: { enabled: physicsBox.checked } });
  });

  // relation type checkboxes
  var filterBox = document.getElementById("relation-filter");
  var countByType = {};
  DATA.edges.forEach(function (e) { countByType[e.type] = (countByType[e.type] || 0) + 1; });
  var typeBoxes = DATA.relation_types.map(function (t) {
    var box = el("input", { type: "checkbox", "data-type": t, id: "type-" + t });
    box.checked = true;
    box.addEventListener("change", function () {
      if (box.checked) enabledTypes.add(t); else enabledTypes.delete(t);
      refilter();
    });
    filterBox.appendChild(el("label", { "for": "type-" + t }, box,
      el("span", { className: "line", style: "border-color:" + relColor(t) }),
      el("span", { text: t }), el("span", { className: "muted", text: String(countByType[t]) })));
    return box;
  });
  function setAllTypes(on) {
    typeBoxes.forEach(function (box) {
      box.checked = on;
      if (on) enabledTypes.add(box.getAttribute("data-type")); else enabledTypes.delete(box.getAttribute("data-type"));
    });
    refilter();
  }
  document.getElementById("types-all").addEventListener("click", function () { setAllTypes(true); });
  document.getElementById("types-none").addEventListener("click", function () { setAllTypes(false); });

  var fromInput = document.getElementById("date-from"), toInput = document.getElementById("date-to");
  function onDates() { dateFrom = fromInput.value || ""; dateTo = toInput.value || ""; refilter(); }
  fromInput.addEventListener("change", onDates);
  toInput.addEventListener("change", onDates);
  fromInput.addEventListener("input", onDates);
  toInput.addEventListener("input", onDates);

  // legend
  var legend = document.getElementById("legend");
  DATA.entity_types.forEach(function (t) {
    var c = nodeColors(t);
    legend.appendChild(el("div", null, el("span", { className: "swatch", style: "background:" + c[0] + ";border-color:" + c[1] }),
      el("span", { text: t })));
  });
  legend.appendChild(el("div", null, el("span", { className: "line" }), "stated"));
  legend.appendChild(el("div", null, el("span", { className: "line dashed" }), "promised or possible"));
  legend.appendChild(el("div", null, el("span", { className: "line dotted" }), "denied"));
  legend.appendChild(el("div", { className: "muted", text: "green cooperative \u00b7 red hostile \u00b7 blue structural" }));

  // -- side panel ----------------------------------------------------------------
  function dl(rows) {
    var list = el("dl");
    rows.forEach(function (r) { list.appendChild(el("dt", { text: r[0] })); list.appendChild(el("dd", { text: fmt(r[1]) })); });
    return list;
  }
  function articleLine(ev) {
    var art = DATA.articles[ev.article_id] || {};
    var meta = el("span", { className: "meta" });
    var title = art.title || ev.article_id;
    if (art.url && /^https?:\/\//i.test(art.url)) {
      meta.appendChild(el("a", { href: art.url, target: "_blank", rel: "noopener noreferrer", text: title }));
    } else {
      meta.appendChild(el("span", { className: "article-title", text: title }));
    }
    meta.appendChild(document.createTextNode(" \u2014 " + fmt(ev.date || art.date) +
      (ev.dated_by === "event" ? " (event date)" : "") + " \u00b7 " + fmt(ev.modality) +
      (ev.claimed_by ? " \u00b7 claimed by " + ev.claimed_by : "") +
      " \u00b7 rule " + fmt(ev.rule) + " \u00b7 confidence " + fmt(ev.confidence)));
    return meta;
  }
  function evidenceBlock(ev) {
    var block = el("blockquote", { className: "evidence" }, el("span", { className: "sentence", text: ev.sentence }));
    if (!evidenceInRange(ev)) block.classList.add("muted");
    block.appendChild(articleLine(ev));
    return block;
  }
  function relLink(e) {
    var b = el("button", { type: "button", className: "rel-link", "data-edge": e.id, text: e.type });
    b.addEventListener("click", function () { network.selectEdges([e.id]); showEdge(e.id); });
    return b;
  }
  function showNode(id) {
    var n = nodeById.get(id);
    if (!n) return;
    panel.replaceChildren();
    panel.setAttribute("data-kind", "node");
    panel.setAttribute("data-id", id);
    panel.appendChild(el("h2", { text: n.name }));
    panel.appendChild(dl([["Type", n.type], ["Id", n.id], ["ISO3", n.iso3], ["Aliases", n.aliases]]));
    var rels = edgesOfNode.get(id) || [];
    panel.appendChild(el("h3", { text: "Relations (" + rels.length + ")" }));
    var list = el("ul", { className: "relations" });
    rels.forEach(function (e) {
      var outgoing = e.from === id;
      var other = outgoing ? e.to : e.from;
      var arrow = e.symmetric ? " \u2194 " : outgoing ? " \u2192 " : " \u2190 ";
      var item = el("li", null, relLink(e), arrow, el("span", { text: nameOf(other) }),
        el("span", { className: "tag", text: e.modality }), el("span", { className: "tag", text: "\u00d7" + e.count }),
        e.inferred ? el("span", { className: "tag", text: "inferred" }) : null,
        edgeVisible(e) ? null : el("span", { className: "tag", text: "filtered out" }));
      e.evidence.slice(0, 3).forEach(function (ev) { item.appendChild(evidenceBlock(ev)); });
      if (e.evidence.length > 3) item.appendChild(el("div", { className: "muted", text: "+ " + (e.evidence.length - 3) + " more" }));
      list.appendChild(item);
    });
    panel.appendChild(list);
  }
  function showEdge(id) {
    var e = edgeById.get(id);
    if (!e) return;
    panel.replaceChildren();
    panel.setAttribute("data-kind", "edge");
    panel.setAttribute("data-id", id);
    panel.appendChild(el("h2", null, el("span", { text: nameOf(e.from) }), " ", el("span", { text: e.type }), " ",
      el("span", { text: nameOf(e.to) })));
    panel.appendChild(dl([
      ["Type", e.type], ["From", nameOf(e.from)], ["To", nameOf(e.to)], ["Modality", e.modality],
      ["Modalities", e.modalities], ["Count", e.count], ["First date", e.first_date], ["Last date", e.last_date],
      ["Dates from", e.dated_by === "event" ? "the sentences' event dates" : e.dated_by === "mixed" ?
        "event dates where the sentence has one, else the articles' dates" : "the articles' dates"],
      ["Items", e.items.map(nameOf)], ["CAMEO", e.cameo], ["Weight", e.weight], ["Confidence", e.confidence],
      ["Contested", e.contested ? "yes: one claimant asserts it, another denies it" : "no"],
      ["Articles", e.articles], ["Outlets", e.outlets], ["Corroboration", e.corroboration],
      ["Inferred", e.inferred ? "yes (lifted from persons to states)" : "no"]
    ]));
    panel.appendChild(el("h3", { text: "Evidence (" + e.evidence.length + ")" }));
    e.evidence.forEach(function (ev) { panel.appendChild(evidenceBlock(ev)); });
  }
  network.on("click", function (params) {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) showEdge(params.edges[0]);
  });

  // -- search ----------------------------------------------------------------------
  var searchBox = document.getElementById("search");
  var results = document.getElementById("search-results");
  function norm(s) { return String(s).normalize("NFKC").toLowerCase().trim(); }
  var index = DATA.nodes.map(function (n) { return { id: n.id, forms: [n.name].concat(n.aliases).map(norm) }; });
  function matches(query) {
    var q = norm(query);
    if (!q) return [];
    var scored = [];
    index.forEach(function (entry) {
      var best = 9;
      entry.forms.forEach(function (f) {
        if (f === q) best = Math.min(best, 0);
        else if (f.indexOf(q) === 0) best = Math.min(best, 1);
        else if (f.indexOf(q) > 0) best = Math.min(best, 2);
      });
      if (best < 9) scored.push([best, nameOf(entry.id), entry.id]);
    });
    scored.sort(function (a, b) { return a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0); });
    return scored.map(function (s) { return s[2]; });
  }
  function focusNode(id) {
    if (!nodeById.has(id)) return false;
    network.selectNodes([id]);
    network.focus(id, { scale: 1.3, animation: false });
    showNode(id);
    return true;
  }
  window.graphbuildFocus = focusNode;
  window.graphbuildNetwork = network;
  searchBox.addEventListener("input", function () {
    results.replaceChildren();
    matches(searchBox.value).slice(0, 12).forEach(function (id) {
      var b = el("button", { type: "button", "data-id": id, text: nameOf(id) });
      b.addEventListener("click", function () { focusNode(id); });
      results.appendChild(el("li", null, b));
    });
  });
  searchBox.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter") return;
    ev.preventDefault();
    var found = matches(searchBox.value);
    if (found.length) focusNode(found[0]);
  });
})();
