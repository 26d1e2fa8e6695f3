// The /review page: the queue of unreviewed items (most important first), keyboard review,
// progress and the precision estimate. Texts from the store are set as textContent only.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const api = window.stancegraphReview;
  const { el } = api;
  const queueList = document.getElementById("review-queue");
  const recentList = document.getElementById("review-recent");
  const message = document.getElementById("review-message");
  const nameInput = document.getElementById("reviewer");
  let items = [];
  let selected = 0;
  let busy = false;
  function setBusy(value) {  // also on the page, for whoever waits for a review to be done
    busy = value;
    document.body.setAttribute("data-review-busy", String(value));
  }
  const recent = [];  // the latest reviews in force, newest first (from the store, then as made here)

  try { nameInput.value = localStorage.getItem("stancegraph-reviewer") || ""; } catch (e) { /* no storage */ }
  nameInput.addEventListener("change", () => {
    try { localStorage.setItem("stancegraph-reviewer", nameInput.value.trim()); } catch (e) { /* no storage */ }
  });

  function say(text) {
    message.hidden = !text;
    message.textContent = text || "";
  }

  function percent(value) { return value === null || value === undefined ? "–" : (100 * value).toFixed(1) + "%"; }

  async function loadStats() {
    const stats = await fetch("/api/review-stats", { credentials: "same-origin" }).then((r) => r.json());
    document.getElementById("review-count").textContent =
      `${stats.reviewed} of ${stats.total} quotes and stances reviewed (${percent(stats.total ? stats.reviewed / stats.total : 0)})`;
    const bar = document.getElementById("review-bar");
    bar.max = Math.max(stats.total, 1);
    bar.value = stats.reviewed;
    const body = document.querySelector("#review-precision tbody");
    body.replaceChildren();
    for (const [kind, k] of Object.entries(stats.kinds)) {
      const row = el("tr", { "data-kind": kind });
      row.append(el("td", {}, kind + "s"), el("td", {}, `${k.reviewed} / ${k.total}`),
        el("td", { class: "precision" }, percent(k.precision)),
        el("td", { class: "interval" }, k.low === null ? "–" : `${percent(k.low)} – ${percent(k.high)}`));
      body.appendChild(row);
    }
    const articles = document.querySelector("#review-articles tbody");
    articles.replaceChildren();
    for (const a of stats.articles.slice(0, 500)) {
      const row = el("tr");
      const cell = el("td");
      const link = el("a", { href: "/articles/" + a.article_id.split("/").map(encodeURIComponent).join("/") }, a.title || a.article_id);
      cell.appendChild(link);
      row.append(cell, el("td", {}, a.reviewed), el("td", {}, a.total));
      articles.appendChild(row);
    }
  }

  function describe(item) {
    if (item.kind === "stance") {
      const verb = item.polarity > 0 ? "supports" : item.polarity < 0 ? "opposes" : "is neutral on";
      return `${item.actor_name || item.actor_id} ${verb} ${item.target_name || item.target}`;
    }
    return `${item.quote_kind} quote by ${item.actor_name || item.actor_id || "nobody (unattributed)"}`;
  }

  function render() {
    queueList.replaceChildren();
    document.getElementById("queue-note").textContent = items.length ? `(${items.length} shown)` : "";
    if (!items.length) {
      queueList.appendChild(el("li", { class: "muted" }, "Nothing left to review."));
      return;
    }
    items.forEach((item, index) => {
      const li = el("li", { class: "review-item" + (index === selected ? " selected" : ""), "data-id": item.id,
                            "data-kind": item.kind, tabindex: "-1" });
      li.appendChild(el("div", { class: "claim-line" }, describe(item)));
      const context = el("p", { class: "context" });
      context.append(document.createTextNode((item.before_text.length >= 160 ? "…" : "") + item.before_text),
                     el("mark", {}, item.text),
                     document.createTextNode(item.after_text + (item.after_text.length >= 160 ? "…" : "")));
      li.appendChild(context);
      const facts = el("div", { class: "facts" });
      const link = el("a", { href: "/articles/" + item.article_id.split("/").map(encodeURIComponent).join("/") + "#" + item.start + "-" + item.end },
                      item.title || item.article_id);
      facts.append(link, document.createTextNode(` · ${item.kind} · confidence ${Number(item.confidence).toFixed(2)} · ${item.edges} network edge${item.edges === 1 ? "" : "s"}`));
      li.appendChild(facts);
      const row = el("div", { class: "buttons" });
      const actions = [["accept", "✓ accept (a)"], ["reject", "✗ reject (r)"], ["edit", "✎ edit (e)"]];
      for (const [verdict, label] of actions) {
        const button = el("button", { type: "button", class: verdict, "data-verdict": verdict }, label);
        button.addEventListener("click", () => { selected = index; act(verdict); });
        row.appendChild(button);
      }
      li.appendChild(row);
      li.addEventListener("click", (event) => { if (event.target === li) { selected = index; highlight(); } });
      queueList.appendChild(li);
    });
  }

  function highlight() {
    queueList.querySelectorAll(".review-item").forEach((li, index) => li.classList.toggle("selected", index === selected));
    const current = queueList.children[selected];
    if (current && current.scrollIntoView) current.scrollIntoView({ block: "nearest" });
  }

  function renderRecent() {
    recentList.replaceChildren();
    for (const review of recent.slice(0, 20)) {
      const li = el("li", { class: review.undone ? "undone" : "", "data-review": review.id });
      li.appendChild(el("span", {}, `${review.verdict} ${review.target} ${review.item} `));
      if (Object.keys(review.changes || {}).length) li.appendChild(el("code", {}, JSON.stringify(review.changes) + " "));
      li.appendChild(el("span", { class: "muted" }, "by " + review.reviewer + " "));
      if (!review.undone) {
        const button = el("button", { type: "button", class: "undo" }, "undo (u)");
        button.addEventListener("click", () => undo(review));
        li.appendChild(button);
      }
      recentList.appendChild(li);
    }
  }

  async function loadQueue() {
    items = await fetch("/api/review-queue?limit=25", { credentials: "same-origin" }).then((r) => r.json());
    selected = Math.min(selected, Math.max(items.length - 1, 0));
    render();
  }

  async function refresh() {
    await Promise.all([loadQueue(), loadStats()]);
  }

  async function act(verdict) {
    const item = items[selected];
    if (!item || busy) return;
    let changes = {};
    if (verdict === "edit") {
      const li = queueList.children[selected];
      setBusy(true);
      changes = await api.editForm(li, item.kind, item);
      setBusy(false);
      if (!changes || !Object.keys(changes).length) { li.focus(); return; }
    }
    setBusy(true);
    try {
      const review = await api.review(item.kind, item.id, verdict, changes);
      recent.unshift(review);
      renderRecent();
      say("");
      await refresh();
    } catch (error) {
      say(error.message);
    } finally {
      setBusy(false);
    }
  }

  async function undo(review) {
    if (busy) return;
    setBusy(true);
    try {
      const undone = await api.undo(review.id);
      recent[recent.indexOf(review)] = undone;
      renderRecent();
      say("");
      await refresh();
    } catch (error) {
      say(error.message);
    } finally {
      setBusy(false);
    }
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || busy) return;
    const tag = (event.target && event.target.tagName) || "";
    if (["INPUT", "SELECT", "TEXTAREA"].includes(tag)) return;
    const key = event.key;
    if (key === "j" || key === "k") {
      selected = Math.max(0, Math.min(items.length - 1, selected + (key === "j" ? 1 : -1)));
      highlight();
    } else if (key === "a") act("accept");
    else if (key === "r") act("reject");
    else if (key === "e") act("edit");
    else if (key === "u") {
      const last = recent.find((review) => !review.undone);
      if (last) undo(last);
    } else return;
    event.preventDefault();
  });

  async function loadRecent() {
    const listed = await fetch("/api/reviews?undone=false&per_page=20", { credentials: "same-origin" }).then((r) => r.json());
    recent.splice(0, recent.length, ...listed.reviews);
    renderRecent();
  }

  setBusy(false);
  Promise.all([refresh(), loadRecent()]).then(() => document.body.setAttribute("data-review-ready", "true"))
    .catch((error) => say(error.message));
});
