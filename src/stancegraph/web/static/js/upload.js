// Upload article files from the articles page: POST /api/uploads with each file's name and base64
// content, then poll GET /api/uploads/{id} and show the server's progress (done / total) and, for
// each input, its article or its error code. File names and messages are shown as text only.
(function () {
  "use strict";

  const form = document.getElementById("upload-form");
  if (!form) return;
  const picker = document.getElementById("upload-files");
  const box = document.getElementById("upload-state");
  const bar = document.getElementById("upload-progress");
  const status = document.getElementById("upload-status");
  const list = document.getElementById("upload-inputs");

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  async function base64(file) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    let binary = "";
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(binary);
  }

  async function errorText(response) {
    try {
      const body = await response.json();
      if (body && body.error) return "[" + body.error.code + "] " + body.error.message;
    } catch (e) { /* not JSON */ }
    return response.status + " " + response.statusText;
  }

  function show(upload) {
    bar.max = Math.max(1, upload.total || 1);
    bar.value = upload.done;
    box.dataset.status = upload.status;
    status.textContent = upload.total === null ? "Reading " + upload.files + " files…" :
      upload.done + " of " + upload.total + " articles analysed · " + upload.stored + " stored · " +
      upload.failed + " failed" + (upload.status === "done" ? " · finished" : "…");
    list.replaceChildren(...upload.inputs.map((input) => {
      const item = el("li", null, "upload-" + input.status);
      item.dataset.status = input.status;
      item.append(el("bdi", input.input), ": ");
      if (input.status === "stored") {
        const a = el("a", "stored as " + input.article);
        if (typeof input.link === "string" && input.link.startsWith("/") && !input.link.startsWith("//")) a.href = input.link;
        item.append(a);
      } else if (input.error) {
        item.append(el("code", input.error.code, "error-code"), " ", el("bdi", input.error.message));
      } else {
        item.append(input.status);
      }
      return item;
    }));
  }

  async function follow(url) {
    for (;;) {
      const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(await errorText(response));
      const upload = await response.json();
      show(upload);
      if (upload.status === "done") return upload;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const files = [...picker.files];
    if (!files.length) return;
    box.hidden = false;
    box.dataset.status = "sending";
    bar.removeAttribute("value");
    list.replaceChildren();
    status.textContent = "Sending " + files.length + " files…";
    const button = form.querySelector("button");
    button.disabled = true;
    try {
      const body = { files: await Promise.all(files.map(async (f) => ({ name: f.name, content: await base64(f) }))) };
      const response = await fetch("/api/uploads", {
        method: "POST", credentials: "same-origin", body: JSON.stringify(body),
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": window.stancegraph.csrfToken() },
      });
      if (response.status !== 202) throw new Error(await errorText(response));
      await follow((await response.json()).url);
    } catch (error) {
      box.dataset.status = "error";
      status.textContent = "The upload failed: " + error.message;
    } finally {
      button.disabled = false;
    }
  });
})();
