// The actor network: congruence (agreement) and conflict edges from /api/network, or the two-mode
// actor–concept network, drawn with cytoscape and laid out by fcose (no node overlaps). Nodes are
// coloured by actor type and sized by statements; only the largest nodes carry a label, chosen so
// that no two labels overlap, the others show theirs on hover. A weight/degree threshold, a search
// that focuses one actor's neighbourhood, a time slider over windows and downloads (PNG, SVG,
// GraphML) work on what is shown. Clicking an edge lists the quotes behind it and dispatches
// `stancegraph:edge-selected` with its statements. Everything from the store is shown with
// textContent, never parsed as HTML, each piece of it in its own <bdi>.
(function () {
  "use strict";

  const view = document.querySelector("[data-network]");
  if (!view) return;
  const mini = view.dataset.network === "mini";
  const graphBox = view.querySelector(".graph");
  const panel = view.querySelector(".edge-panel");
  const status = document.getElementById("network-status");
  const form = document.getElementById("network-filters");
  const $ = (id) => document.getElementById(id);
  const colours = { agree: "#1e8a4c", conflict: "#c4372b", supports: "#1e8a4c", opposes: "#c4372b" };
  // actor types (and the two concept kinds of the two-mode view), colour-blind safe (Okabe–Ito)
  const typeColours = { person: "#0072b2", organization: "#e69f00", country: "#009e73", group: "#cc79a7",
    issue: "#7f7f7f", actor: "#56b4e9", "": "#999999" };
  const typeNames = { person: "person", organization: "organization", country: "country", group: "group",
    issue: "concept (issue)", actor: "concept (actor as target)", "": "unknown type" };
  const MAX_LABELS = 40; // labels tried, largest nodes first; each is kept only if it overlaps no other
  const AUTO_EDGES = 300; // more edges than this and the threshold starts at the weight of the 300th
  // the extensions register themselves when cytoscape is a global; register them only if they have not
  if (window.cytoscape && window.cytoscapeFcose && !window.cytoscape("layout", "fcose")) window.cytoscape.use(window.cytoscapeFcose);
  if (window.cytoscape && window.cytoscapeSvg && !window.cytoscape("core", "svg")) window.cytoscape.use(window.cytoscapeSvg);

  let cy = null;
  let shown = 0; // the panel's latest request: an older one finishing late does not overwrite it
  let loaded = []; // the elements of the whole network (or of the window on the slider)
  let windows = null; // the time windows, when the slider is on
  let focusId = null;
  let thresholdTouched = false;
  const panelHint = "Click an edge to see the quotes behind it.";

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  function iso(text) {
    return el("bdi", text);
  }

  function link(href, text) {
    const a = el("a");
    a.append("“", iso(text), "”");
    // links come from the API and are paths on this server; anything else is not followed
    if (typeof href === "string" && href.startsWith("/") && !href.startsWith("//")) a.href = href;
    return a;
  }

  function setStatus(text) {
    if (status) status.textContent = text;
  }

  function actorPath(id) {
    return "/actors/" + encodeURIComponent(id);
  }

  async function getJSON(url) {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) {
      let message = response.status + " " + response.statusText;
      try {
        const body = await response.json();
        if (body && body.error) message = "[" + body.error.code + "] " + body.error.message;
      } catch (e) { /* not JSON */ }
      throw new Error(message);
    }
    return response.json();
  }

  function twoMode() {
    const mode = $("mode-filter");
    return mode ? mode.value === "two-mode" : false;
  }

  function filters() {
    const params = new URLSearchParams();
    if (!form) return params;
    const data = new FormData(form);
    for (const [name, value] of data.entries()) {
      if (name === "mode" || name === "window") continue;
      if (value !== "" && !(name === "min_confidence" && Number(value) === 0)) params.append(name, value);
    }
    return params;
  }

  function networkUrl(kind, params, path) {
    const query = new URLSearchParams(params);
    query.set("kind", kind);
    query.set("nodes", "actor");
    return (path || "/api/network") + "?" + query.toString();
  }

  function nodeItem(node) {
    const concept = node.kind === "concept";
    return { data: { id: node.id, name: node.name || node.id, type: node.type || "", statements: node.statements || 0,
      kind: concept ? "concept" : "actor" } };
  }

  function elements(networks) {
    const nodes = new Map();
    const edges = [];
    for (const [kind, network] of Object.entries(networks)) {
      for (const node of network.nodes) if (!nodes.has(node.id)) nodes.set(node.id, nodeItem(node));
      for (const edge of network.edges) {
        if (!(edge.weight > 0)) continue;
        const sign = kind === "two-mode" ? ((edge.negative || 0) > (edge.positive || 0) ? "opposes" : "supports") : kind;
        edges.push({
          data: {
            id: kind + ":" + edge.source + "|" + edge.target,
            source: edge.source, target: edge.target, kind: sign, weight: edge.weight,
            concepts: edge.concepts || [], quotes: edge.quotes || [], statements: edge.statements || [],
          },
        });
      }
    }
    // only nodes with an edge: an isolate says nothing about who sides with whom
    const linked = new Set(edges.flatMap((e) => [e.data.source, e.data.target]));
    return [...[...nodes.values()].filter((n) => linked.has(n.data.id)), ...edges];
  }

  // --- thinning: weight and degree thresholds, and the focus on one node's neighbourhood ---

  // The edges at or over the weight threshold; then either one node's neighbourhood (the focus) or
  // the nodes with at least the threshold degree, dropped repeatedly until every degree passes.
  function thinned(items) {
    const minWeight = Number(($("weight-threshold") || {}).value || 0);
    const minDegree = Number(($("degree-threshold") || {}).value || 0);
    let edges = items.filter((i) => i.data.source && i.data.weight >= minWeight);
    let nodes = items.filter((i) => !i.data.source);
    if (focusId) {
      edges = edges.filter((e) => e.data.source === focusId || e.data.target === focusId);
      const near = new Set(edges.flatMap((e) => [e.data.source, e.data.target]));
      return [...nodes.filter((n) => near.has(n.data.id)), ...edges];
    }
    for (;;) {
      const degree = new Map();
      for (const e of edges) for (const end of [e.data.source, e.data.target]) degree.set(end, (degree.get(end) || 0) + 1);
      const keep = nodes.filter((n) => (degree.get(n.data.id) || 0) >= Math.max(1, minDegree));
      const ids = new Set(keep.map((n) => n.data.id));
      const kept = edges.filter((e) => ids.has(e.data.source) && ids.has(e.data.target));
      const stable = keep.length === nodes.length && kept.length === edges.length;
      nodes = keep;
      edges = kept;
      if (stable) return [...nodes, ...edges];
    }
  }

  function autoThreshold(items) {
    const slider = $("weight-threshold");
    if (!slider) return;
    const weights = items.filter((i) => i.data.source).map((i) => i.data.weight).sort((a, b) => b - a);
    const top = weights.length ? weights[0] : 1;
    slider.max = String(top);
    slider.step = "any"; // the automatic threshold is an edge's weight, not a multiple of a step
    if (!thresholdTouched) {
      // the smallest weight that keeps at most AUTO_EDGES edges (the edges tied at the cut are dropped)
      const cut = weights.length > AUTO_EDGES ? weights[AUTO_EDGES] : 0;
      const above = weights.filter((w) => w > cut);
      slider.value = String(cut && above.length ? above[above.length - 1] : cut);
    }
    showThreshold();
  }

  function showThreshold() {
    const out = $("weight-value");
    if (out) out.textContent = Number($("weight-threshold").value).toFixed(2).replace(/\.?0+$/, "");
    const degree = $("degree-value");
    if (degree) degree.textContent = $("degree-threshold").value;
  }

  // --- drawing ---

  function layout() {
    if (window.cytoscapeFcose) {
      return { name: "fcose", quality: "proof", randomize: true, animate: false, padding: 30,
        nodeDimensionsIncludeLabels: false, nodeRepulsion: () => 120000, idealEdgeLength: () => 160, gravity: 0.05,
        nodeSeparation: 100, packComponents: true, numIter: 2500 };
    }
    return { name: "cose", animate: false, randomize: true, nodeRepulsion: () => 60000, idealEdgeLength: () => 120,
      padding: 30 };
  }

  // Run ``work`` with Math.random drawn from a fixed seed (mulberry32), so that the force layout's
  // random start is the same each time: the same network is drawn the same way on every visit.
  function seeded(work) {
    const random = Math.random;
    let state = 14;
    Math.random = () => {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    try {
      work();
    } finally {
      Math.random = random;
    }
  }

  function clearPanel() {
    shown += 1;
    panel.replaceChildren(el("p", panelHint, "muted"));
    panel.dataset.edge = "";
    panel.dataset.loaded = "false";
  }

  function graphMessage(text, cls) {
    if (cy) cy.destroy();
    cy = null;
    window.stancegraphNetwork = null;
    graphBox.replaceChildren(el("p", text, "graph-message " + cls));
  }

  function overlaps(a, b) {
    return a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
  }

  // Labels for the largest nodes, each kept only when its box overlaps no label already kept.
  function placeLabels() {
    if (!cy) return;
    cy.batch(() => cy.nodes().removeClass("labelled"));
    const kept = [];
    const candidates = cy.nodes(":visible").sort((a, b) => b.data("statements") - a.data("statements") ||
      a.degree() - b.degree()).slice(0, mini ? 15 : MAX_LABELS);
    candidates.forEach((node) => {
      node.addClass("labelled");
      const box = node.renderedBoundingBox({ includeLabels: true, includeNodes: false });
      if (box.w > 0 && kept.every((other) => !overlaps(box, other))) kept.push(box);
      else node.removeClass("labelled");
    });
    graphBox.dataset.labels = String(kept.length);
  }

  function draw(items) {
    if (cy) cy.destroy();
    graphBox.replaceChildren();
    const weights = items.filter((i) => i.data.source).map((i) => i.data.weight);
    const top = Math.max(1, ...weights);
    const most = Math.max(1, ...items.filter((i) => !i.data.source).map((i) => i.data.statements));
    cy = window.cytoscape({
      container: graphBox,
      elements: items,
      minZoom: 0.1,
      maxZoom: 3,
      style: [
        { selector: "node", style: {
          label: "", "font-size": 12, "text-valign": "bottom", "text-margin-y": 3,
          "text-background-color": "#ffffff", "text-background-opacity": 0.8, "text-background-padding": 1,
          "background-color": (n) => typeColours[n.data("type")] || typeColours[""],
          width: (n) => 12 + 40 * Math.sqrt(n.data("statements") / most),
          height: (n) => 12 + 40 * Math.sqrt(n.data("statements") / most),
          "text-wrap": "ellipsis", "text-max-width": 140 } },
        { selector: "node[kind = 'concept']", style: { shape: "round-rectangle" } },
        { selector: "node.labelled", style: { label: "data(name)", "z-index": 10 } },
        { selector: "node.hover", style: { label: "data(name)", "z-index": 20, "font-weight": "bold",
          "text-background-opacity": 1 } },
        { selector: "edge", style: {
          width: (e) => 1 + 6 * (e.data("weight") / top), "curve-style": "bezier", opacity: 0.55,
          "line-color": (e) => colours[e.data("kind")] || "#999" } },
        { selector: "edge[kind = 'conflict'], edge[kind = 'opposes']", style: { "line-style": "dashed" } },
        { selector: ":selected", style: { "overlay-opacity": 0.2, "overlay-color": "#1f5fa8", opacity: 1 } },
      ],
      // a few nodes read best on a circle; more are spread by fcose (a seeded start), without overlaps
      layout: { name: "circle", padding: 40, avoidOverlap: true },
    });
    if (cy.nodes().length > 12) seeded(() => cy.layout(layout()).run());
    placeLabels();
    cy.on("tap", "edge", (event) => showEdge(event.target.data()));
    cy.on("tap", "node", (event) => showNode(event.target.data()));
    cy.on("mouseover", "node", (event) => event.target.addClass("hover"));
    cy.on("mouseout", "node", (event) => event.target.removeClass("hover"));
    window.stancegraphNetwork = cy; // for tests and the console
    graphBox.dataset.ready = "true";
    graphBox.dataset.edges = String(cy.edges().length);
  }

  function legend(items) {
    const box = $("type-legend");
    if (!box) return;
    const types = [...new Set(items.filter((i) => !i.data.source).map((i) => i.data.type))].sort();
    box.replaceChildren();
    for (const type of types) {
      const entry = el("span", null, "type-entry");
      const dot = el("span", null, "dot");
      dot.style.backgroundColor = typeColours[type] || typeColours[""]; // CSSOM, which the CSP allows
      entry.dataset.type = type;
      entry.append(dot, typeNames[type] || type);
      box.append(entry);
    }
  }

  function render() {
    const items = thinned(loaded);
    if ($("legend-agree")) {
      $("legend-agree").textContent = twoMode() ? "supports the concept" : "agreement (congruence)";
      $("legend-conflict").textContent = twoMode() ? "opposes it" : "conflict";
    }
    const edgeCount = items.filter((i) => i.data.source).length;
    graphBox.dataset.ready = "false";
    clearPanel();
    legend(items);
    if (edgeCount) {
      draw(items);
      const what = twoMode() ? " actors and concepts" : " actors";
      const hidden = loaded.filter((i) => i.data.source).length - edgeCount;
      setStatus(edgeCount + " edges between " + (items.length - edgeCount) + what +
        (hidden ? " (" + hidden + " weaker or isolated edges hidden by the threshold)" : "") +
        (focusId ? " · focused on one neighbourhood" : ""));
    } else {
      const none = loaded.length ? "No edge passes these thresholds." :
        twoMode() ? "No actor takes a stance on a concept for these filters." :
          "No agreement or conflict between actors for these filters.";
      graphMessage(none, "muted");
      graphBox.dataset.ready = "true";
      graphBox.dataset.edges = "0";
      setStatus(none);
    }
    searchList();
  }

  function showNode(data) {
    clearPanel();
    panel.replaceChildren();
    const heading = el("h3");
    heading.append(iso(data.name));
    panel.append(heading, el("p", data.statements + " statements", "muted"));
    const p = el("p");
    if (data.kind === "actor") {
      const open = el("a", "Open the actor's page");
      open.href = actorPath(data.id.replace(/^actor:/, ""));
      p.append(open, " ");
    }
    if (!mini) {
      const focus = el("button", focusId === data.id ? "Show everyone" : "Focus on this neighbourhood");
      focus.type = "button";
      focus.addEventListener("click", () => setFocus(focusId === data.id ? null : data.id));
      p.append(focus);
    }
    panel.append(p);
  }

  async function showEdge(data) {
    clearPanel();
    panel.replaceChildren();
    const ticket = shown;
    const names = (id) => (cy.getElementById(id).data("name") || id);
    const heading = el("h3");
    heading.append(iso(names(data.source)), " and ", iso(names(data.target)));
    const verdict = el("p", data.kind === "agree" ? "agree" : data.kind, "kind-" + data.kind);
    data.concepts.forEach((concept, i) => verdict.append(i ? "; " : " on: ", iso(concept)));
    panel.append(heading, verdict, el("p", "weight " + Number(data.weight).toFixed(2), "muted"));
    panel.dataset.edge = data.id;
    document.dispatchEvent(new CustomEvent("stancegraph:edge-selected", {
      detail: { source: data.source, target: data.target, statements: data.statements.slice() } }));
    const list = el("ol", null, "edge-quotes");
    panel.append(el("h4", "Quotes behind this edge"), list);
    try {
      const ids = data.quotes.slice(0, 60);
      const quotes = ids.length ? await getJSON("/api/quotes?" + ids.map((i) => "id=" + encodeURIComponent(i)).join("&")) : [];
      if (ticket !== shown) return;
      for (const quote of quotes) {
        const item = el("li", null, "edge-quote");
        item.append(link(quote.link, quote.content_text));
        const meta = el("div", "— ", "meta");
        meta.append(iso(quote.actor_name || quote.speaker_text || "unattributed"));
        if (quote.date) meta.append(", " + quote.date);
        if (quote.title) meta.append(" · ", iso(quote.title));
        item.append(meta);
        list.append(item);
      }
      if (!quotes.length) list.append(el("li", "No quote: the stances below are the evidence.", "muted"));
      const statementIds = data.statements.slice(0, 60);
      if (statementIds.length) {
        const statements = await getJSON("/api/statements?" + statementIds.map((i) => "id=" + encodeURIComponent(i)).join("&"));
        if (ticket !== shown) return;
        const stanceList = el("ol", null, "edge-statements");
        panel.append(el("h4", "Stances"), stanceList);
        for (const s of statements) {
          const item = el("li");
          item.dataset.statement = s.id;
          const who = el("strong");
          who.append(iso(s.actor_name));
          item.append(who, " " + (s.polarity > 0 ? "supports" : s.polarity < 0 ? "opposes" : "is neutral on") + " ",
            iso(s.target_name), ": ");
          item.append(link(s.link, s.evidence_text));
          stanceList.append(item);
        }
      }
      panel.dataset.loaded = "true";
    } catch (error) {
      if (ticket === shown) panel.append(el("p", "Could not load the quotes: " + error.message, "error"));
    }
  }

  // --- search and focus ---

  function searchList() {
    const list = $("actor-names");
    if (!list) return;
    const names = loaded.filter((i) => !i.data.source).map((i) => i.data.name).sort((a, b) => a.localeCompare(b));
    list.replaceChildren(...names.map((name) => { const o = el("option"); o.value = name; return o; }));
  }

  function setFocus(id) {
    focusId = id;
    const clear = $("focus-clear");
    if (clear) clear.hidden = !id;
    render();
    if (cy && id) cy.getElementById(id).select();
  }

  function search(text) {
    const wanted = text.trim().toLocaleLowerCase();
    if (!wanted) return setFocus(null);
    const nodes = loaded.filter((i) => !i.data.source);
    const hit = nodes.find((n) => n.data.name.toLocaleLowerCase() === wanted) ||
      nodes.find((n) => n.data.name.toLocaleLowerCase().includes(wanted));
    if (!hit) {
      setStatus("No node named “" + text.trim() + "” in this network.");
      return;
    }
    setFocus(hit.data.id);
  }

  // --- time windows ---

  async function fetchNetworks(params) {
    if (twoMode()) {
      return { "two-mode": await getJSON(networkUrl("two-mode", params)) };
    }
    const [agree, conflict] = await Promise.all([
      getJSON(networkUrl("congruence", params)), getJSON(networkUrl("conflict", params))]);
    return { agree: agree, conflict: conflict };
  }

  async function loadWindows(params, size) {
    params.set("window", size);
    const kinds = twoMode() ? { "two-mode": "two-mode" } : { agree: "congruence", conflict: "conflict" };
    const answers = await Promise.all(Object.values(kinds).map((k) => getJSON(networkUrl(k, params))));
    const names = Object.keys(kinds);
    const note = $("chart-undated");
    if (note) note.hidden = answers[0].order !== "ingest";
    windows = answers[0].windows.map((w, i) => ({ ...w, order: answers[0].order, byKind: names.map((n, k) => [n, answers[k].windows[i]]) }));
    const slider = $("time-slider");
    slider.max = String(Math.max(0, windows.length - 1));
    slider.value = "0";
    slider.disabled = windows.length < 2;
  }

  async function load() {
    setStatus("Loading the network…");
    graphBox.dataset.ready = "false";
    clearPanel(); // the edge shown belonged to the previous filters
    const params = filters();
    const size = ($("window-filter") || {}).value || "";
    const timeBox = $("time-box");
    try {
      if (size) {
        await loadWindows(params, size);
        if (timeBox) timeBox.hidden = false;
        if (!windows.length) {
          loaded = [];
          render();
          return;
        }
        selectWindow();
      } else {
        windows = null;
        if (timeBox) timeBox.hidden = true;
        const note = $("chart-undated");
        if (note) note.hidden = true;
        loaded = elements(await fetchNetworks(params));
        autoThreshold(loaded);
        render();
      }
    } catch (error) {
      const message = "Could not load the network: " + error.message;
      graphMessage(message, "error");
      graphBox.dataset.ready = "error";
      setStatus(message);
    }
  }

  function selectWindow() {
    const slider = $("time-slider");
    const w = windows[Number(slider.value)];
    const label = $("time-label");
    label.textContent = w.order === "ingest" ? "articles " + w.first + " to " + w.last + " in order of ingest" :
      (w.start || "?") + " to " + (w.end || "?");
    loaded = elements(Object.fromEntries(w.byKind));
    autoThreshold(loaded);
    render();
  }

  async function loadConcepts() {
    const select = $("concept-filter");
    if (!select) return;
    try {
      const concepts = await getJSON("/api/concepts");
      for (const concept of concepts) {
        if (!concept.statements) continue;
        const option = el("option", "\u2068" + concept.concept + "\u2069 (" + concept.statements + ")");
        option.value = concept.concept;
        select.append(option);
      }
    } catch (error) {
      setStatus("Could not load the concepts: " + error.message);
    }
  }

  // --- downloads ---

  function save(blob, name) {
    const a = el("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  }

  function graphmlUrl() {
    const params = filters();
    if (windows) { // the window on the slider, when it has dates
      const w = windows[Number($("time-slider").value)];
      if (w && w.order !== "ingest") {
        if (w.start) params.set("from", w.start);
        if (w.end) params.set("to", w.end);
      }
    }
    return networkUrl(twoMode() ? "two-mode" : $("graphml-kind").value, params, "/api/network.graphml");
  }

  function setupDownloads() {
    const png = $("download-png");
    if (png) png.addEventListener("click", () => cy && save(cy.png({ full: true, output: "blob", bg: "#ffffff", scale: 2 }), "network.png"));
    const svg = $("download-svg");
    if (svg) svg.addEventListener("click", () => cy && cy.svg &&
      save(new Blob([cy.svg({ full: true, bg: "#ffffff" })], { type: "image/svg+xml" }), "network.svg"));
    const graphml = $("download-graphml");
    if (graphml) graphml.addEventListener("click", () => { graphml.href = graphmlUrl(); });
  }

  if (form) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      focusId = null;
      thresholdTouched = false;
      load();
    });
  }
  for (const [id, handler] of [["weight-threshold", () => { thresholdTouched = true; showThreshold(); render(); }],
    ["degree-threshold", () => { showThreshold(); render(); }],
    ["time-slider", () => selectWindow()],
    ["mode-filter", () => { focusId = null; thresholdTouched = false; load(); }],
    ["window-filter", () => { focusId = null; load(); }]]) {
    const input = $(id);
    if (input) input.addEventListener("change", handler);
  }
  const searchForm = $("network-search");
  if (searchForm) {
    searchForm.addEventListener("submit", (event) => {
      event.preventDefault();
      search($("search-input").value);
    });
  }
  const clear = $("focus-clear");
  if (clear) clear.addEventListener("click", () => { $("search-input").value = ""; setFocus(null); });
  setupDownloads();
  const more = $("network-more"); // on a phone the extra controls start folded, so the graph is nearer the top
  if (more && window.matchMedia("(max-width: 700px)").matches) more.open = false;
  if (!mini) loadConcepts();
  load();
})();
