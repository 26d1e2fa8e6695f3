// Copies the browser builds of the front-end libraries (installed by `npm ci` from
// package-lock.json) into ../static/vendor, with their licences. Run by `make web-assets`.
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "static", "vendor");
const files = [
  ["cytoscape/dist/cytoscape.min.js", "cytoscape.min.js"],
  ["cytoscape/LICENSE", "cytoscape.LICENSE.txt"],
  ["chart.js/dist/chart.umd.min.js", "chart.umd.min.js"],
  ["chart.js/LICENSE.md", "chart.js.LICENSE.md"],
  // fcose (overlap-free force layout) and the two bases it builds on, loaded in this order
  ["layout-base/layout-base.js", "layout-base.js"],
  ["layout-base/LICENSE", "layout-base.LICENSE.txt"],
  ["cose-base/cose-base.js", "cose-base.js"],
  ["cose-base/LICENSE", "cose-base.LICENSE.txt"],
  ["cytoscape-fcose/cytoscape-fcose.js", "cytoscape-fcose.js"],
  ["cytoscape-fcose/LICENSE", "cytoscape-fcose.LICENSE.txt"],
  ["cytoscape-svg/cytoscape-svg.js", "cytoscape-svg.js"],
  ["cytoscape-svg/LICENSE", "cytoscape-svg.LICENSE.txt"],
];
mkdirSync(out, { recursive: true });
for (const [from, to] of files) {
  copyFileSync(join(here, "node_modules", from), join(out, to));
}
const lock = JSON.parse(
  (await import("node:fs")).readFileSync(join(here, "package-lock.json"), "utf8"),
);
const versions = Object.fromEntries(
  ["cytoscape", "chart.js", "layout-base", "cose-base", "cytoscape-fcose", "cytoscape-svg"].map((name) => [name, lock.packages[`node_modules/${name}`].version]),
);
writeFileSync(join(out, "versions.json"), JSON.stringify(versions, null, 1) + "\n");
console.log(`web assets: ${files.length} files -> ${out}`);
