// What the pages' scripts share: JSON from the API with its error code in the message, and a
// table cell that shows store text as text only (textContent, never HTML).
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

  window.stancegraph = Object.assign(window.stancegraph || {}, { getJSON, cell });
})();
