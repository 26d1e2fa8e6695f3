// An actor's positions on each concept over time, from /api/actors/{id}, as a chart.js chart:
// one line per concept (its most frequent eight), +1 supports and -1 opposes, by article date;
// when no stance has a date, by the article's place in the order of ingest, with a note saying so.
(function () {
  "use strict";

  const canvas = document.getElementById("positions-chart");
  if (!canvas) return;
  const status = document.getElementById("chart-status");
  const palette = ["#1f5fa8", "#c4372b", "#1e8a4c", "#8a4fb0", "#d9822b", "#2b9fa8", "#a8324f", "#6b7a2b"];
  const DAY = 86400000;

  function dayNumber(iso) {
    return Math.round(Date.parse(iso + "T00:00:00Z") / DAY);
  }

  function isoDay(day) {
    return new Date(day * DAY).toISOString().slice(0, 10);
  }

  async function draw() {
    const response = await fetch("/api/actors/" + encodeURIComponent(canvas.dataset.actor),
      { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(response.status + " " + response.statusText);
    const actor = await response.json();
    const byConcept = new Map();
    const byIngest = actor.positions.length > 0 && actor.positions.every((p) => !p.date);
    const note = document.getElementById("chart-undated");
    if (note) note.hidden = !byIngest;
    for (const p of actor.positions) {
      if (!(byIngest ? p.ingest : p.date)) continue;
      if (!byConcept.has(p.concept)) byConcept.set(p.concept, new Map());
      const days = byConcept.get(p.concept);
      const day = byIngest ? p.ingest : dayNumber(p.date);
      if (!days.has(day)) days.set(day, []);
      days.get(day).push(p.polarity);
    }
    const concepts = [...byConcept.entries()]
      .sort((a, b) => [...b[1].values()].flat().length - [...a[1].values()].flat().length)
      .slice(0, 8);
    const datasets = concepts.map(([concept, days], i) => ({
      label: concept,
      data: [...days.entries()].sort((a, b) => a[0] - b[0])
        .map(([day, values]) => ({ x: day, y: values.reduce((s, v) => s + v, 0) / values.length, n: values.length })),
      borderColor: palette[i % palette.length],
      backgroundColor: palette[i % palette.length],
      showLine: true, tension: 0, pointRadius: 5, pointHoverRadius: 7,
    }));
    if (!datasets.length) {
      status.textContent = "No dated stances to chart.";
      canvas.dataset.ready = "empty";
      return;
    }
    const chart = new window.Chart(canvas, {
      type: "scatter",
      data: { datasets: datasets },
      options: {
        maintainAspectRatio: false, animation: false,
        scales: {
          x: { type: "linear", ticks: { callback: (value) => (byIngest ? "#" + value : isoDay(value)), maxRotation: 0 },
            title: { display: true, text: byIngest ? "article, in the order of ingest (no dates)" : "date" } },
          y: { min: -1.2, max: 1.2, ticks: { stepSize: 1, callback: (v) => (v === 1 ? "supports" : v === -1 ? "opposes" : v === 0 ? "neutral" : "") } },
        },
        plugins: {
          tooltip: { callbacks: { label: (ctx) => ctx.dataset.label + ", " + (byIngest ? "#" + ctx.raw.x : isoDay(ctx.raw.x)) + ": " + ctx.raw.y.toFixed(2) + " (" + ctx.raw.n + ")" } },
        },
      },
    });
    canvas.dataset.ready = "true";
    canvas.dataset.axis = byIngest ? "ingest" : "date";
    canvas.dataset.concepts = String(datasets.length);
    window.stancegraphChart = chart;
    status.textContent = datasets.length + " concepts";
  }

  draw().catch((error) => {
    status.textContent = "Could not draw the chart: " + error.message;
  });
})();
