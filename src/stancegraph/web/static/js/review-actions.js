// Review actions (accept, reject, edit) wherever the page shows automatic items:
// - elements with data-review-target ("stance" | "quote") and data-review-ids (a JSON list of ids)
//   get three buttons (the article page's quotes and stances);
// - the article page's actor mentions: a click on one, or the key e (Enter) on one focused with the
//   keyboard, opens accept / edit (another actor of the corpus) for that mention;
// - the network page's edge panel: on the DOM event "stancegraph:edge-selected" with
//   detail {statements: [ids]}, the edge's stances are listed with the buttons in #review-edge.
// Every text from the store is set as textContent, never as HTML. Writes send the page's CSRF token.
"use strict";

(function () {
  const csrf = window.stancegraph.csrfToken();

  function reviewer() {
    try { return (localStorage.getItem("stancegraph-reviewer") || "").trim() || null; } catch (e) { return null; }
  }

  async function send(method, url, body) {
    const response = await fetch(url, {
      method, credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = new Error((data.error && data.error.message) || ("HTTP " + response.status));
      error.code = data.error && data.error.code;
      throw error;
    }
    return data;
  }

  function review(target, id, verdict, changes) {
    const body = { target, id, verdict, changes: changes || {} };
    const name = reviewer();
    if (name) body.reviewer = name;
    return send("POST", "/api/reviews", body);
  }

  function undo(reviewId) { return send("POST", "/api/reviews/" + encodeURIComponent(reviewId) + "/undo"); }

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  let actorList = null;
  function actorOptions() {
    // one <datalist> of corpus actors (id, with the name as label) for the holder and speaker fields
    let list = document.getElementById("review-actors");
    if (list) return list;
    list = el("datalist", { id: "review-actors" });
    document.body.appendChild(list);
    if (!actorList) {
      actorList = fetch("/api/actors?per_page=200", { credentials: "same-origin" }).then((r) => r.json()).then((data) => {
        for (const actor of data.actors || []) list.appendChild(el("option", { value: actor.id, label: actor.name }));
      }).catch(() => {});
    }
    return list;
  }

  // An inline form for an edit; resolves with the changes, or null when cancelled.
  function editForm(container, target, item) {
    return new Promise((resolve) => {
      actorOptions();
      const form = el("form", { class: "review-edit" });
      const fields = {};
      function field(name, label, node) {
        const wrap = el("label", {}, label + " ");
        wrap.appendChild(node);
        form.appendChild(wrap);
        fields[name] = node;
      }
      function select(options, value) {
        const node = el("select");
        for (const [v, text] of options) {
          const option = el("option", { value: v }, text);
          if (String(v) === String(value)) option.selected = true;
          node.appendChild(option);
        }
        return node;
      }
      const actor = el("input", { list: "review-actors", maxlength: "500", value: (item && (item.actor_id || item.actor)) || "" });
      if (target === "actor") {
        field("merge_into", "merge into (actor id; not undone here)", el("input", { list: "review-actors", maxlength: "500" }));
      } else if (target === "stance") {
        field("actor", "holder", actor);
        field("polarity", "", select([["1", "supports"], ["0", "neutral on"], ["-1", "opposes"]], item ? item.polarity : 1));
        field("target", "target", el("input", { maxlength: "500", value: (item && item.target) || "" }));
        field("target_kind", "", select([["issue", "issue"], ["actor", "actor"]], (item && item.target_kind) || "issue"));
      } else if (target === "mention") {
        field("actor", "actor (actor id)", actor);
      } else {
        field("actor", "speaker (actor id)", actor);
        field("kind", "", select([["direct", "direct"], ["partial", "partial"], ["indirect", "indirect"]], (item && (item.quote_kind || item.kind)) || "direct"));
      }
      const save = el("button", { type: "submit", class: "accept" }, "Save");
      const cancel = el("button", { type: "button" }, "Cancel");
      form.append(save, cancel);
      container.appendChild(form);
      const first = form.querySelector("input, select");
      if (first) first.focus();
      function close(value) { form.remove(); resolve(value); }
      cancel.addEventListener("click", () => close(null));
      form.addEventListener("keydown", (event) => { if (event.key === "Escape") { event.preventDefault(); close(null); } event.stopPropagation(); });
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        const changes = {};
        if (target === "actor") { close(fields.merge_into.value.trim() ? { merge_into: fields.merge_into.value.trim() } : null); return; }
        const given = fields.actor.value.trim();
        const was = (item && (item.actor_id || item.actor)) || "";
        if (given !== was) changes.actor = given || null;
        if (target === "stance") {
          const polarity = Number(fields.polarity.value);
          if (!item || polarity !== Number(item.polarity)) changes.polarity = polarity;
          const aim = fields.target.value.trim();
          if (!item || aim !== (item.target || "")) changes.target = aim;
          if (!item || fields.target_kind.value !== item.target_kind) changes.target_kind = fields.target_kind.value;
        } else if (target === "quote" && (!item || fields.kind.value !== (item.quote_kind || item.kind))) {
          changes.kind = fields.kind.value;
        }
        close(changes);
      });
    });
  }

  // Three buttons acting on every id of one shown item; ``done`` runs after a review is stored.
  function buttons(target, ids, item, done) {
    const box = el("span", { class: "review-actions" });
    const status = el("span", { class: "review-done", role: "status" });
    async function act(verdict, changes) {
      try {
        let last = null;
        for (const id of ids) last = await review(target, id, verdict, changes);
        status.textContent = verdict === "accept" ? "accepted" : verdict === "reject" ? "rejected" : "edited";
        done(last);
      } catch (error) {
        status.textContent = error.message;
      }
    }
    const accept = el("button", { type: "button", class: "accept", title: "The automatic coding is right" }, "✓ accept");
    const reject = el("button", { type: "button", class: "reject", title: "It is wrong: remove it" }, "✗ reject");
    const edit = el("button", { type: "button", class: "edit", title: "Correct it" }, "✎ edit");
    accept.addEventListener("click", () => act("accept"));
    reject.addEventListener("click", () => act("reject"));
    edit.addEventListener("click", async () => {
      const changes = await editForm(box.parentNode, target, item);
      if (changes && Object.keys(changes).length) act("edit", changes);
    });
    if (target === "actor") {  // an actor is corrected by merging it into another, not removed
      edit.textContent = "⇢ merge";
      edit.title = "The same actor as another: merge it into that one";
      box.append(accept, edit, status);
    } else if (target === "mention") {  // a mention is corrected by giving it another actor
      edit.title = "It names another actor: choose that one";
      box.append(accept, edit, status);
    } else box.append(accept, reject, edit, status);
    return box;
  }

  // the article page: quotes and stances marked up by the template
  for (const node of document.querySelectorAll("[data-review-target][data-review-ids]")) {
    let ids;
    try { ids = JSON.parse(node.getAttribute("data-review-ids")); } catch (e) { continue; }
    ids = (ids || []).filter(Boolean);
    if (!ids.length) continue;
    const item = JSON.parse(node.getAttribute("data-review-item") || "null");
    node.appendChild(buttons(node.getAttribute("data-review-target"), ids, item, () => {
      setTimeout(() => window.location.reload(), 300);
    }));
  }

  // the article page's actor mentions (the actors list carries each actor's mention offsets)
  const text = document.getElementById("article-text");
  const articleId = text && text.getAttribute("data-article");
  if (articleId) {
    const mentions = [];
    for (const node of document.querySelectorAll("#actors .actor-item[data-mentions]")) {
      let actor, spans;
      try {
        actor = JSON.parse(node.getAttribute("data-review-item")).actor;
        spans = JSON.parse(node.getAttribute("data-mentions"));
      } catch (e) { continue; }
      const name = node.querySelector("a") ? node.querySelector("a").textContent : actor;
      for (const span of spans || []) mentions.push({ start: span.start, end: span.end, text: span.text, actor, name });
    }
    // longest first, so that a mention inside another one owns its own words
    mentions.sort((a, b) => (b.end - b.start) - (a.end - a.start));
    const pieces = Array.from(text.querySelectorAll("span.mention[data-start]"));
    const owner = new Map();
    for (const mention of mentions) {
      for (const piece of pieces) {
        if (Number(piece.dataset.start) >= mention.start && Number(piece.dataset.end) <= mention.end) owner.set(piece, mention);
      }
    }
    const first = new Set();
    for (const [piece, mention] of owner) {
      piece.setAttribute("data-mention", mention.start + "-" + mention.end);
      piece.classList.add("mention-reviewable");
      if (!first.has(mention)) {  // one keyboard stop per mention
        first.add(mention);
        piece.setAttribute("tabindex", "0");
        piece.setAttribute("role", "button");
        piece.setAttribute("aria-keyshortcuts", "e");
      }
    }

    let panel = null;
    function openMention(piece, editNow) {
      const mention = owner.get(piece);
      if (panel) panel.remove();
      panel = el("div", { class: "mention-review", role: "group", "aria-label": "Review this actor mention" });
      panel.appendChild(el("span", { class: "claim-line" }, "“" + mention.text + "” names " + mention.name));
      const box = buttons("mention", [articleId + "@" + mention.start + "-" + mention.end], { actor: mention.actor }, () => {
        setTimeout(() => window.location.reload(), 300);
      });
      panel.appendChild(box);
      const last = pieces.filter((p) => owner.get(p) === mention).pop();
      last.after(panel);
      if (editNow) box.querySelector("button.edit").click();
      else box.querySelector("button.accept").focus();
    }
    text.addEventListener("click", (event) => {
      const piece = event.target.closest && event.target.closest("span[data-mention]");
      if (piece && owner.has(piece)) openMention(piece, false);
    });
    text.addEventListener("keydown", (event) => {
      const piece = event.target.closest && event.target.closest("span[data-mention]");
      if (!piece || !owner.has(piece) || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === "e" || event.key === "Enter") {
        event.preventDefault();
        openMention(piece, event.key === "e");
      }
    });
  }

  // the network page's edge panel: the statements behind the selected edge
  async function showEdge(statements) {
    let box = document.getElementById("review-edge");
    if (!box) {  // our own container, beside (not inside) the network page's edge panel
      box = el("section", { id: "review-edge", "aria-label": "Review this edge's statements" });
      const panel = document.getElementById("edge-panel");
      if (panel) panel.after(box); else document.querySelector("main").appendChild(box);
    }
    box.replaceChildren(el("h3", {}, "Review the statements of this edge"));
    const ids = (statements || []).slice(0, 200);
    if (!ids.length) { box.appendChild(el("p", { class: "muted" }, "No statements.")); return; }
    const query = ids.map((id) => "id=" + encodeURIComponent(id)).join("&");
    const rows = await fetch("/api/statements?" + query, { credentials: "same-origin" }).then((r) => r.json());
    const list = el("ul");
    for (const row of rows) {
      const li = el("li", { class: "review-statement", "data-id": row.id });
      const verb = row.polarity > 0 ? "supports" : row.polarity < 0 ? "opposes" : "is neutral on";
      li.appendChild(el("span", { class: "claim-line" }, `${row.actor_name} ${verb} ${row.target_name}`));
      li.appendChild(el("q", {}, row.evidence_text));
      li.appendChild(buttons("stance", [row.id], row, (stored) => {
        document.dispatchEvent(new CustomEvent("stancegraph:reviewed", { detail: { review: stored } }));
      }));
      list.appendChild(li);
    }
    box.appendChild(list);
  }
  document.addEventListener("stancegraph:edge-selected", (event) => {
    showEdge(event.detail && event.detail.statements).catch(() => {});
  });

  window.stancegraphReview = { review, undo, send, editForm, el, csrf };
})();
