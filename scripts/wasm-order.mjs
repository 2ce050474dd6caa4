// node scripts/wasm-order.mjs <in.wasm> <out.wasm>
// Orders functions for gzip: each next function is the one that shares the most byte sequences
// with the few placed just before it, so deflate's 32 KB window finds its matches nearby.
// The order is written as function names ("f00001", …) for `wasm-opt
// --reorder-functions-by-name`, which renumbers every reference; the names are then stripped.
// Saves ≈2 KB gzip over ordering by Rust path (BENCHMARKS.md).
import fs from "node:fs";
import { encodeName, functionBodies, importedFunctionCount, isNameSection, leb, readSections, writeModule } from "./wasm-binary.mjs";

const [input, output] = process.argv.slice(2);
const wasm = fs.readFileSync(input);

// The number of imported functions (they come first in the index space) and the bodies of the
// defined ones.
const sections = readSections(wasm);
const imported = importedFunctionCount(sections);
const bodies = functionBodies(sections);

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

const kept = sections.filter((s) => !isNameSection(s));
kept.push({ id: 0, body: Uint8Array.from(nameSection) });
fs.writeFileSync(output, writeModule(wasm, kept));
console.log(`functions ordered for compression: ${bodies.length}`);
