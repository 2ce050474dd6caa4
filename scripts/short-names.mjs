// node scripts/short-names.mjs <module.wasm> <bundle.js>
// Renames, in both files at once, the wasm imports and exports that only wasm-bindgen's glue
// uses. Their generated names (`__wbg_fetch_21015a0a4570ab44`, the closure shims' mangled
// paths) are several kilobytes of random hex that gzip cannot shrink; the import module
// ("./…_bg.js") is repeated once per import. Both become one or two letters. Rewrites in place.
import fs from "node:fs";

const [wasmPath, jsPath] = process.argv.slice(2);
const wasm = fs.readFileSync(wasmPath);
let js = fs.readFileSync(jsPath, "utf8");

// --- the wasm binary: sections, LEB128, names ---
const utf8 = new TextDecoder();
let pos = 8;
const u32 = (buf) => {
  let result = 0, shift = 0, byte;
  do {
    byte = buf[pos++];
    result |= (byte & 0x7f) << shift;
    shift += 7;
  } while (byte & 0x80);
  return result >>> 0;
};
const leb = (n) => {
  const out = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
};
const name = (buf) => {
  const len = u32(buf);
  const s = utf8.decode(buf.subarray(pos, pos + len));
  pos += len;
  return s;
};
const encodeName = (s) => {
  const bytes = new TextEncoder().encode(s);
  return [...leb(bytes.length), ...bytes];
};

const sections = [];
while (pos < wasm.length) {
  const id = wasm[pos++];
  const size = u32(wasm);
  sections.push({ id, body: wasm.subarray(pos, pos + size) });
  pos += size;
}

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
  if (uses < minUses) throw new Error(`${old}: expected in the script, found ${uses} times`);
  // A fresh name is no token of the script yet (nor a keyword), so nothing else can clash.
  let fresh;
  do fresh = shortName(next++); while (count(fresh) > 0 || ["do", "if", "in"].includes(fresh));
  renames.set(old, fresh);
  return fresh;
};

const moduleNames = new Set();
const rewrite = (section) => {
  const buf = section.body;
  pos = 0;
  const n = u32(buf);
  const out = [...leb(n)];
  for (let i = 0; i < n; i++) {
    if (section.id === 2) {
      const module = name(buf);
      const field = name(buf);
      moduleNames.add(module);
      const start = pos;
      const kind = buf[pos++];
      // Skip the import's description to copy it unchanged.
      if (kind === 0) u32(buf);
      else if (kind === 1) { pos++; const flags = buf[pos++]; u32(buf); if (flags & 1) u32(buf); }
      else if (kind === 2) { const flags = buf[pos++]; u32(buf); if (flags & 1) u32(buf); }
      else if (kind === 3) pos += 2;
      else throw new Error(`import ${field}: unknown kind ${kind}`);
      out.push(...encodeName("a"), ...encodeName(rename(field, 1)), ...buf.subarray(start, pos));
    } else {
      const field = name(buf);
      const start = pos;
      pos++;
      u32(buf);
      out.push(...encodeName(rename(field, 0)), ...buf.subarray(start, pos));
    }
  }
  section.body = Uint8Array.from(out);
};
for (const section of sections) if (section.id === 2 || section.id === 7) rewrite(section);
if (moduleNames.size !== 1) throw new Error(`expected one import module, found ${[...moduleNames]}`);
const [module] = moduleNames;
const moduleKey = new RegExp(`["']${module.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}["']:`, "g");
if ((js.match(moduleKey) || []).length !== 1) throw new Error(`the import module ${module} is not named once in the script`);

// --- the script ---
js = js.replace(moduleKey, "a:");
for (const [old, fresh] of renames) js = js.replace(token(old), fresh);
const parts = [wasm.subarray(0, 8)];
for (const s of sections) parts.push(Uint8Array.from([s.id, ...leb(s.body.length)]), s.body);
fs.writeFileSync(wasmPath, Buffer.concat(parts));
fs.writeFileSync(jsPath, js);
console.log(`glue names shortened: ${renames.size}`);
