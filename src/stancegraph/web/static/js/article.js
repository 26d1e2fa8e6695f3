// The article page: a link "#start-end" (from the lists beside the text, the network view or
// the corpus checks) marks the text between those offsets and scrolls to it; the date form sets
// the article's date.
(function () {
  "use strict";

  const text = document.getElementById("article-text");
  if (!text) return;
  const segments = Array.from(text.querySelectorAll("span[data-start]"));

  function mark() {
    for (const old of text.querySelectorAll(".target")) old.classList.remove("target");
    const match = /^#(\d+)-(\d+)$/.exec(window.location.hash);
    if (!match) return;
    const start = Number(match[1]);
    const end = Number(match[2]);
    const hit = segments.filter((s) => Number(s.dataset.start) < end && start < Number(s.dataset.end));
    for (const s of hit) s.classList.add("target");
    if (hit.length) {
      hit[0].scrollIntoView({ block: "center" });
      text.dataset.target = start + "-" + end;
    }
  }

  window.addEventListener("hashchange", mark);
  mark();

  // The date form: PATCH /api/articles/{id} with the date (or null when emptied), with the CSRF
  // token; the saved date, or the error with its code, is shown as text.
  const form = document.getElementById("date-form");
  if (!form) return;
  const status = document.getElementById("date-status");
  const shown = document.getElementById("article-date");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = form.elements.date.value || null;
    status.textContent = "saving…";
    try {
      const response = await fetch("/api/articles/" + form.getAttribute("data-article").split("/").map(encodeURIComponent).join("/"), {
        method: "PATCH", credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json",
                   "X-CSRF-Token": window.stancegraph.csrfToken() },
        body: JSON.stringify({ date: value }),
      });
      const data = await response.json().catch(() => ({}));
      if (!response.ok) {
        const error = data.error || {};
        throw new Error(error.code ? "[" + error.code + "] " + error.message : "HTTP " + response.status);
      }
      shown.textContent = data.date || "undated";
      status.textContent = data.date ? "saved: " + data.date : "saved: undated";
    } catch (error) {
      status.textContent = error.message;
    }
  });
})();
