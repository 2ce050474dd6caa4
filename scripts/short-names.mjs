// node scripts/short-names.mjs <module.wasm> <bundle.js>
// Renames, in both files at once, the wasm imports and exports that only wasm-bindgen's glue
// uses. Their generated names (`__wbg_fetch_21015a0a4570ab44`, the closure shims' mangled
// paths) are several kilobytes of random hex that gzip cannot shrink; the import module
// ("./…_bg.js") is repeated once per import. Both become one or two letters. Rewrites in place.
import fs from "node:fs";
import { readExports, readImports, readSections, writeExports, writeImports, writeModule } from "./wasm-binary.mjs";

const [wasmPath, jsPath] = process.argv.slice(2);
const wasm = fs.readFileSync(wasmPath);
let js = fs.readFileSync(jsPath, "utf8");
// Nothing is written before every name has been checked: a failure leaves both files as they were.
const fail = (why) => {
  console.error(`short-names: ${why} (wasm-bindgen upgraded? the glue is not what this step expects)`);
  process.exit(1);
};

// Short names: a, b, …, Z, aa, ab, … (valid identifiers, never `$`/digits first).
const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const shortName = (i) => {
  let s = "";
  do {
    s = letters[i % letters.length] + s;
    i = Math.floor(i / letters.length) - 1;
  } while (i >= 0);
  return s;
};

// Only generated glue names are renamed; a name must occur in the script as a whole token.
const glue = /^(__wbg_|__wbindgen_|__externref_|wasm_bindgen_)/;
const token = (n) => new RegExp(`(?<![\\w$])${n.replace(/\$/g, "\\$")}(?![\\w$])`, "g");
const count = (n) => (js.match(token(n)) || []).length;
const renames = new Map();
let next = 0;
const rename = (old, minUses) => {
  if (!glue.test(old)) return old;
  if (renames.has(old)) return renames.get(old);
  const uses = count(old);
  if (uses < minUses) fail(`${old}: expected in the script, found ${uses} times`);
  // A fresh name is no token of the script yet (nor a keyword), so nothing else can clash.
  let fresh;
  do fresh = shortName(next++); while (count(fresh) > 0 || ["do", "if", "in"].includes(fresh));
  renames.set(old, fresh);
  return fresh;
};

const sections = readSections(wasm);
const moduleNames = new Set();
for (const section of sections) {
  if (section.id === 2) {
    const imports = readImports(section.body);
    for (const i of imports) {
      moduleNames.add(i.module);
      i.module = "a";
      i.field = rename(i.field, 1);
    }
    section.body = writeImports(imports);
  } else if (section.id === 7) {
    const exports = readExports(section.body);
    for (const e of exports) e.field = rename(e.field, 0);
    section.body = writeExports(exports);
  }
}
if (moduleNames.size !== 1) fail(`expected one import module, found ${[...moduleNames].join(", ") || "none"}`);
const [module] = moduleNames;
const moduleKey = new RegExp(`["']${module.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}["']:`, "g");
if ((js.match(moduleKey) || []).length !== 1) fail(`the import module ${module} is not named once in the script`);

js = js.replace(moduleKey, "a:");
for (const [old, fresh] of renames) js = js.replace(token(old), fresh);
fs.writeFileSync(wasmPath, writeModule(wasm, sections));
fs.writeFileSync(jsPath, js);
console.log(`glue names shortened: ${renames.size}`);
