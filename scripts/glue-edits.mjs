// node scripts/glue-edits.mjs <glue.js>
// Edits wasm-bindgen's glue in place so that esbuild can shake out wasm-streams' classes (a
// dependency of Leptos' server functions that this widget never uses): for each exported
// `IntoUnderlying…` class, its `Symbol.dispose` hook and its `…Finalization` registry, two
// top-level statements that keep the class alive, are removed.
// Each construct is matched whole and must occur exactly once per class; any other count (the
// glue changed with a wasm-bindgen or Leptos upgrade) stops the build with what was not found.
import fs from "node:fs";

const [path] = process.argv.slice(2);
if (!path) throw new Error("usage: node scripts/glue-edits.mjs <glue.js>");
let js = fs.readFileSync(path, "utf8");

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const classes = [...js.matchAll(/^export class (IntoUnderlying\w+) \{$/gm)].map((m) => m[1]);
const problems = [];
if (classes.length === 0) problems.push("no `export class IntoUnderlying… {` (wasm-streams' classes) in the glue");

for (const name of classes) {
  const n = escape(name);
  const constructs = [
    [`if (Symbol.dispose) ${name}.prototype[Symbol.dispose] = ${name}.prototype.free;`,
      new RegExp(`^if \\(Symbol\\.dispose\\) ${n}\\.prototype\\[Symbol\\.dispose\\] = ${n}\\.prototype\\.free;\\n`, "gm")],
    [`const ${name}Finalization = (typeof FinalizationRegistry === 'undefined') ? {…} : new FinalizationRegistry(…);`,
      new RegExp(`^const ${n}Finalization = \\(typeof FinalizationRegistry === 'undefined'\\)\\s*` +
        `\\? \\{ register: \\(\\) => \\{\\}, unregister: \\(\\) => \\{\\} \\}\\s*` +
        `: new FinalizationRegistry\\(ptr => wasm\\.__wbg_\\w+_free\\(ptr, 1\\)\\);\\n`, "gm")],
  ];
  for (const [what, pattern] of constructs) {
    const found = (js.match(pattern) || []).length;
    if (found !== 1) problems.push(`expected once, found ${found} times: ${what}`);
    else js = js.replace(pattern, "");
  }
}

if (problems.length) {
  console.error(`glue-edits: ${path}: the glue is not what this script was written for ` +
    `(wasm-bindgen or Leptos upgraded?); nothing was written:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
fs.writeFileSync(path, js);
console.log(`glue: wasm-streams' dispose hooks and finalizers removed (${classes.join(", ")})`);
