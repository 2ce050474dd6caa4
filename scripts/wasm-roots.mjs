// node scripts/wasm-roots.mjs <module.wasm> <bundle.js> <graph.json>
// Writes a wasm-metadce graph whose roots are the module's exports the bundled JavaScript names.
// Exports nobody calls (the classes of wasm-streams, a Leptos dependency this widget never uses,
// which esbuild has already shaken out of the JavaScript) are then removed with their code.
import fs from "node:fs";

const [wasmPath, jsPath, graphPath] = process.argv.slice(2);
const exports = WebAssembly.Module.exports(new WebAssembly.Module(fs.readFileSync(wasmPath)));
const js = fs.readFileSync(jsPath, "utf8");
const named = (name) => new RegExp(`(^|[^\\w$])${name.replace(/\$/g, "\\$")}($|[^\\w$])`).test(js);
const graph = exports.map((e, i) => ({ name: `export${i}`, export: e.name, ...(named(e.name) ? { root: true } : {}) }));
fs.writeFileSync(graphPath, JSON.stringify(graph));
const dropped = graph.filter((g) => !g.root).map((g) => g.export);
console.log(`wasm exports: ${graph.length}, unused by the JavaScript and removed: ${dropped.length}`);
