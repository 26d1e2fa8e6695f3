// Polarisation over time: rDNA's polarisation per day (/api/polarisation-series) as a line
// chart (Chart.js) and a table of the camps. Store text is shown with textContent only.
(function () {
  "use strict";

  const canvas = document.getElementById("polarisation-chart");
  if (!canvas) return;
  const status = document.getElementById("polarisation-status");
  const form = document.getElementById("polarisation-filters");
  const body = document.querySelector("#polarisation-table tbody");
  let chart = null;

  const { getJSON, cell } = window.stancegraph;

  function camps(clusters) {
    const groups = {};
    for (const [name, number] of Object.entries(clusters)) (groups[number] = groups[number] || []).push(name);
    return Object.keys(groups).sort().map((key) => groups[key].sort().join("; ")).join("  |  ");
  }

  function show(windows) {
    body.replaceChildren();
    for (const w of windows) {
      const row = document.createElement("tr");
      cell(row, w.middle);
      cell(row, w.statements);
      cell(row, w.actors);
      cell(row, (w.polarisation || 0).toFixed(3));
      cell(row, camps(w.clusters));
      body.appendChild(row);
    }
    if (chart) chart.destroy();
    chart = new window.Chart(canvas, {
      type: "line",
      data: { labels: windows.map((w) => w.middle),
              datasets: [{ label: "polarisation", data: windows.map((w) => w.polarisation), borderColor: "#b2182b",
                           pointRadius: 2, tension: 0.2 }] },
      options: { maintainAspectRatio: false, animation: false, scales: { y: { min: 0, max: 1 } } },
    });
    canvas.dataset.ready = "true";
    canvas.dataset.points = String(windows.length);
  }

  async function load() {
    const params = new URLSearchParams(new FormData(form));
    status.textContent = "Computing polarisation…";
    try {
      const data = await getJSON("/api/polarisation-series?" + params.toString());
      show(data.windows);
      const byIngest = data.order === "ingest";
      document.getElementById("chart-undated").hidden = !byIngest;
      canvas.dataset.axis = byIngest ? "ingest" : "date";
      status.textContent = data.windows.length + (byIngest ? " steps in the order of ingest (" : " days (") +
        data.algorithm + ")";
    } catch (error) {
      status.textContent = "Polarisation could not be computed: " + error.message;
    }
  }

  form.addEventListener("submit", (event) => { event.preventDefault(); load(); });
  load();
})();
