// What the pages' scripts share: JSON from the API with its error code in the message, a table
// cell that shows store text as text only (textContent, never HTML), and the page's CSRF token
// that every write from a page sends in X-CSRF-Token. Loaded by base.html before the pages' own.
(function () {
  "use strict";

  async function getJSON(url) {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) {
      let message = response.status + " " + response.statusText;
      try {
        const error = (await response.json()).error;
        if (error) message = "[" + error.code + "] " + error.message;
      } catch (e) { /* not JSON */ }
      throw new Error(message);
    }
    return response.json();
  }

  function cell(row, text) {
    const td = document.createElement("td");
    td.textContent = String(text);
    row.appendChild(td);
  }

  function csrfToken() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  window.stancegraph = Object.assign(window.stancegraph || {}, { getJSON, cell, csrfToken });
})();
