// The backbone view: DNA's nested backbone (/api/backbone) drawn on the concept network with
// cytoscape, and the removal steps as a table. Store text is shown with textContent only.
(function () {
  "use strict";

  const view = document.querySelector("[data-backbone]");
  if (!view) return;
  const status = document.getElementById("backbone-status");
  const form = document.getElementById("backbone-filters");
  const body = document.querySelector("#backbone-steps tbody");
  let cy = null;

  const { getJSON, cell } = window.stancegraph;

  function steps(rows) {
    body.replaceChildren();
    for (const step of rows) {
      const row = document.createElement("tr");
      cell(row, step.iteration);
      cell(row, step.entity);
      cell(row, step.backbone_loss.toFixed(4));
      cell(row, step.redundant_loss.toFixed(4));
      cell(row, step.statements);
      body.appendChild(row);
    }
  }

  function draw(network, total) {
    const elements = [];
    for (const node of network.nodes) {
      const rank = node.removed === null || node.removed === undefined ? 0 : node.removed / Math.max(total, 1);
      elements.push({ data: { id: node.id, label: node.name, size: 18 + 30 * rank, core: node.backbone ? 1 : 0 } });
    }
    for (const edge of network.edges) {
      elements.push({ data: { id: edge.source + "|" + edge.target, source: edge.source, target: edge.target,
                              width: 1 + Math.min(8, Number(edge.weight) || 0) } });
    }
    if (cy) cy.destroy();
    cy = window.cytoscape({
      container: document.getElementById("backbone-graph"),
      elements: elements,
      style: [
        { selector: "node", style: { label: "data(label)", width: "data(size)", height: "data(size)",
          "background-color": "#c9c9c9", "font-size": 11, "text-wrap": "wrap", "text-max-width": 160 } },
        { selector: "node[core = 1]", style: { "background-color": "#1d3f72" } },
        { selector: "edge", style: { width: "data(width)", "line-color": "#8fb3d9", opacity: 0.7 } },
      ],
      layout: { name: "cose", animate: false, randomize: false },
    });
    view.dataset.ready = "true";
    view.dataset.concepts = String(network.nodes.length);
  }

  async function load() {
    const params = new URLSearchParams(new FormData(form));
    status.textContent = "Computing the backbone…";
    try {
      const data = await getJSON("/api/backbone?" + params.toString());
      steps(data.steps);
      draw(data.network, data.steps.length);
      status.textContent = data.statements + " statements, " + data.steps.length + " concepts";
    } catch (error) {
      status.textContent = "The backbone could not be computed: " + error.message;
    }
  }

  form.addEventListener("submit", (event) => { event.preventDefault(); load(); });
  load();
})();
