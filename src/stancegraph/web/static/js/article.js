// The article page: a link "#start-end" (from the lists beside the text, the network view or
// the corpus checks) marks the text between those offsets and scrolls to it.
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
})();
