// node scripts/wasm-order.mjs <in.wasm> <out.wasm>
// Orders functions for gzip: each next function is the one that shares the most byte sequences
// with the few placed just before it, so deflate's 32 KB window finds its matches nearby.
// The order is written as function names ("f00001", …) for `wasm-opt
// --reorder-functions-by-name`, which renumbers every reference; the names are then stripped.
// Saves ≈2 KB gzip over ordering by Rust path (BENCHMARKS.md).
import fs from "node:fs";

const [input, output] = process.argv.slice(2);
const wasm = fs.readFileSync(input);

let pos = 0;
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
const encodeName = (s) => {
  const bytes = new TextEncoder().encode(s);
  return [...leb(bytes.length), ...bytes];
};

// Sections, the number of imported functions, and the bodies of the defined ones.
pos = 8;
const sections = [];
while (pos < wasm.length) {
  const id = wasm[pos++];
  const size = u32(wasm);
  sections.push({ id, start: pos, body: wasm.subarray(pos, pos + size) });
  pos += size;
}
let imported = 0;
const importSection = sections.find((s) => s.id === 2);
if (importSection) {
  const buf = importSection.body;
  pos = 0;
  const n = u32(buf);
  for (let i = 0; i < n; i++) {
    for (let field = 0; field < 2; field++) { const len = u32(buf); pos += len; } // module, name
    const kind = buf[pos++];
    if (kind === 0) { imported++; u32(buf); }
    else if (kind === 1) { pos++; const flags = buf[pos++]; u32(buf); if (flags & 1) u32(buf); }
    else if (kind === 2) { const flags = buf[pos++]; u32(buf); if (flags & 1) u32(buf); }
    else if (kind === 3) pos += 2;
    else throw new Error(`unknown import kind ${kind}`);
  }
}
const code = sections.find((s) => s.id === 10);
if (!code) throw new Error("no code section");
pos = 0;
const bodies = [];
for (let i = 0, n = u32(code.body); i < n; i++) {
  const size = u32(code.body);
  bodies.push(code.body.subarray(pos, pos + size));
  pos += size;
}

// Greedy: start from the largest function; then repeatedly take the unplaced function with the
// most 6-byte sequences in common with the last four placed.
const K = 6, WINDOW = 4;
const shingles = bodies.map((b) => {
  const set = new Set();
  for (let i = 0; i + K <= b.length; i++) set.add(b.toString("latin1", i, i + K));
  return set;
});
const left = new Set(bodies.keys());
const order = [];
let current = [...left].reduce((a, b) => (bodies[b].length > bodies[a].length ? b : a), 0);
while (current !== undefined) {
  left.delete(current);
  order.push(current);
  const context = new Set();
  for (const f of order.slice(-WINDOW)) for (const s of shingles[f]) context.add(s);
  let best, bestScore = -1;
  for (const f of left) {
    let score = 0;
    for (const s of shingles[f]) if (context.has(s)) score++;
    if (score > bestScore) { bestScore = score; best = f; }
  }
  current = best;
}

// A name section with only function names: the rank, zero-padded so that names sort in order.
const width = String(order.length).length;
const names = new Array(imported + bodies.length);
for (let i = 0; i < imported; i++) names[i] = `import${i}`;
order.forEach((f, rank) => (names[imported + f] = `f${String(rank).padStart(width, "0")}`));
const entries = [...leb(names.length)];
names.forEach((n, i) => entries.push(...leb(i), ...encodeName(n)));
const nameSection = [...encodeName("name"), 1, ...leb(entries.length), ...entries];

const isName = (s) => s.id === 0 && (() => { pos = 0; const len = u32(s.body); return s.body.toString("utf8", pos, pos + len) === "name"; })();
const parts = [wasm.subarray(0, 8)];
for (const s of sections) if (!isName(s)) parts.push(Uint8Array.from([s.id, ...leb(s.body.length)]), s.body);
parts.push(Uint8Array.from([0, ...leb(nameSection.length)]), Uint8Array.from(nameSection));
fs.writeFileSync(output, Buffer.concat(parts));
console.log(`functions ordered for compression: ${bodies.length}`);
