// The actor network: congruence (agreement) and conflict edges from /api/network, drawn with
// cytoscape; filters for concept and dates; clicking an edge lists the quotes behind it.
// Everything from the store is shown with textContent, never parsed as HTML, each piece of it
// in its own <bdi> so that a direction control in it cannot reverse the page's text after it.
(function () {
  "use strict";

  const view = document.querySelector("[data-network]");
  if (!view) return;
  const mini = view.dataset.network === "mini";
  const graphBox = view.querySelector(".graph");
  const panel = view.querySelector(".edge-panel");
  const status = document.getElementById("network-status");
  const form = document.getElementById("network-filters");
  const colours = { agree: "#1e8a4c", conflict: "#c4372b" };
  let cy = null;
  let shown = 0; // the panel's latest request: an older one finishing late does not overwrite it
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

  function filters() {
    const params = new URLSearchParams();
    if (!form) return params;
    const data = new FormData(form);
    for (const [name, value] of data.entries()) {
      if (value !== "" && !(name === "min_confidence" && Number(value) === 0)) params.append(name, value);
    }
    return params;
  }

  function networkUrl(kind, params) {
    const query = new URLSearchParams(params);
    query.set("kind", kind);
    query.set("nodes", "actor");
    return "/api/network?" + query.toString();
  }

  function elements(networks) {
    const nodes = new Map();
    const edges = [];
    for (const [kind, network] of Object.entries(networks)) {
      for (const node of network.nodes) {
        if (!nodes.has(node.id)) {
          nodes.set(node.id, { data: { id: node.id, name: node.name || node.id, type: node.type || "", statements: node.statements || 0 } });
        }
      }
      for (const edge of network.edges) {
        if (!(edge.weight > 0)) continue;
        edges.push({
          data: {
            id: kind + ":" + edge.source + "|" + edge.target,
            source: edge.source, target: edge.target, kind: kind, weight: edge.weight,
            concepts: edge.concepts || [], quotes: edge.quotes || [], statements: edge.statements || [],
          },
        });
      }
    }
    // only actors with an edge: an isolate says nothing about who sides with whom
    const linked = new Set(edges.flatMap((e) => [e.data.source, e.data.target]));
    return [...[...nodes.values()].filter((n) => linked.has(n.data.id)), ...edges];
  }

  function cyLayout(nodeCount) {
    if (nodeCount <= 12) return { name: "circle", padding: 40, avoidOverlap: true };
    return { name: "cose", animate: false, randomize: true, nodeRepulsion: () => 60000, idealEdgeLength: () => 120,
      padding: 30 };
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

  function draw(items) {
    if (cy) cy.destroy();
    graphBox.replaceChildren();
    const weights = items.filter((i) => i.data.kind).map((i) => i.data.weight);
    const top = Math.max(1, ...weights);
    cy = window.cytoscape({
      container: graphBox,
      elements: items,
      minZoom: 0.2,
      maxZoom: 1.6,
      style: [
        { selector: "node", style: {
          label: "data(name)", "font-size": 11, "text-valign": "bottom", "text-margin-y": 3,
          "background-color": "#4a6d94", width: "mapData(statements, 0, 20, 14, 40)", height: "mapData(statements, 0, 20, 14, 40)",
          "text-wrap": "ellipsis", "text-max-width": 140 } },
        { selector: "edge", style: {
          width: (e) => 1.5 + 6 * (e.data("weight") / top), "curve-style": "bezier", opacity: 0.8,
          "line-color": (e) => colours[e.data("kind")] || "#999" } },
        { selector: "edge[kind = 'conflict']", style: { "line-style": "dashed" } },
        { selector: ":selected", style: { "overlay-opacity": 0.2, "overlay-color": "#1f5fa8" } },
      ],
      // a few actors read best on a circle; more are spread by force
      layout: cyLayout(items.filter((i) => !i.data.kind).length),
    });
    cy.on("tap", "edge", (event) => showEdge(event.target.data()));
    cy.on("tap", "node", (event) => showNode(event.target.data()));
    window.stancegraphNetwork = cy; // for tests and the console
    graphBox.dataset.ready = "true";
    graphBox.dataset.edges = String(cy.edges().length);
  }

  function showNode(data) {
    clearPanel();
    panel.replaceChildren();
    const id = data.id.replace(/^actor:/, "");
    const heading = el("h3");
    heading.append(iso(data.name));
    panel.append(heading, el("p", data.statements + " statements", "muted"));
    const p = el("p");
    const open = el("a", "Open the actor's page");
    open.href = actorPath(id);
    p.append(open);
    panel.append(p);
  }

  async function showEdge(data) {
    clearPanel();
    panel.replaceChildren();
    const ticket = shown;
    const names = (id) => (cy.getElementById(id).data("name") || id);
    const heading = el("h3");
    heading.append(iso(names(data.source)), " and ", iso(names(data.target)));
    const verdict = el("p", data.kind === "agree" ? "agree" : "conflict", "kind-" + data.kind);
    data.concepts.forEach((concept, i) => verdict.append(i ? "; " : " on: ", iso(concept)));
    panel.append(heading, verdict, el("p", "weight " + Number(data.weight).toFixed(2), "muted"));
    panel.dataset.edge = data.id;
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

  async function load() {
    setStatus("Loading the network…");
    graphBox.dataset.ready = "false";
    clearPanel(); // the edge shown belonged to the previous filters
    const params = filters();
    try {
      const [agree, conflict] = await Promise.all([
        getJSON(networkUrl("congruence", params)), getJSON(networkUrl("conflict", params)),
      ]);
      const items = elements({ agree: agree, conflict: conflict });
      const edgeCount = items.filter((i) => i.data.kind).length;
      if (edgeCount) {
        draw(items);
        setStatus(edgeCount + " edges between " + (items.length - edgeCount) + " actors");
      } else {
        const none = "No agreement or conflict between actors for these filters.";
        graphMessage(none, "muted");
        graphBox.dataset.ready = "true";
        graphBox.dataset.edges = "0";
        setStatus(none);
      }
    } catch (error) {
      const message = "Could not load the network: " + error.message;
      graphMessage(message, "error");
      graphBox.dataset.ready = "error";
      setStatus(message);
    }
  }

  async function loadConcepts() {
    const select = document.getElementById("concept-filter");
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

  if (form) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      load();
    });
  }
  if (!mini) loadConcepts();
  load();
})();
