// node scripts/size-check.mjs <dist-dir> [--names <named.wasm>] [--budget <bytes>|none] [--json]
// Measures a release bundle as the README counts it: the wasm and the js of <dist-dir>, each
// `gzip -9`, added up. Against the budget (BUDGET_BYTES below, the one place it is defined;
// --budget overrides it, `none` only measures) it exits 1 when the bundle is larger, and then
// lists what is biggest in <named.wasm> (a module of the same build that still has its function
// names: scripts/build-dist keeps one, `opt.wasm` in its work directory): the largest functions
// and the code per crate. --json prints the measurement as one JSON object instead of text.
import fs from "node:fs";
import { spawnSync } from "node:child_process";
import { pathToFileURL } from "node:url";
import { functionBodies, functionNames, importedFunctionCount, readSections } from "./wasm-binary.mjs";

/** The default bundle's budget: 114 KB (KB = 1024 B), under half of mgt-person's 228 KB. */
export const BUDGET_BYTES = 114 * 1024;

export const WASM_FILE = "ucwa-presence-core_bg.wasm";
export const JS_FILE = "ucwa-presence.js";

/** The size of `path` compressed by `gzip -9 -c` (as the README and BENCHMARKS.md count). */
export function gzipSize(path) {
  const r = spawnSync("gzip", ["-9", "-c", path], { maxBuffer: 1 << 30 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`gzip ${path}: ${r.stderr}`);
  return r.stdout.length;
}

export function measure(dist) {
  const wasm = `${dist}/${WASM_FILE}`, js = `${dist}/${JS_FILE}`;
  for (const f of [wasm, js]) if (!fs.existsSync(f)) throw new Error(`${f} is missing: build it first (scripts/build-dist)`);
  const m = { dist, wasm_bytes: fs.statSync(wasm).size, wasm_gzip: gzipSize(wasm), js_gzip: gzipSize(js) };
  return { ...m, total_gzip: m.wasm_gzip + m.js_gzip };
}

/** `core[6ea1fe0cb44a73e7]::ptr::…` → `core::ptr::…`: rustc's crate hashes say nothing here. */
export const withoutHashes = (name) => name.replace(/\[[0-9a-f]{8,}\]/g, "");

/** The crate a function's code belongs to: the first path segment of its name, looking through
 *  `<…>`, `&`, `*const`/`*mut` and `dyn` (`<alloc::vec::Vec<T> as …>::drop` → `alloc`). Functions
 *  without a name (wasm-opt made them, e.g. by merging) count as "(unnamed)". */
export function crateOf(name) {
  const plain = withoutHashes(name);
  // Drop glue is the dropped type's code: `core::ptr::drop_in_place::<leptos::…>` → `leptos`.
  const dropped = /^core::ptr::drop_in_place::<(.*)>$/.exec(plain);
  if (dropped) return crateOf(dropped[1]);
  const m = /^(?:[<&(\s]|\*const |\*mut |mut |dyn )*([A-Za-z_]\w*)::/.exec(plain);
  return m ? m[1] : "(no crate path)";
}

/** The largest functions and the code per crate of a module with a name section. */
export function contributors(wasmPath, top = 15) {
  const sections = readSections(fs.readFileSync(wasmPath));
  const names = functionNames(sections);
  if (names.size === 0) throw new Error(`${wasmPath} has no function names`);
  const imported = importedFunctionCount(sections);
  const functions = functionBodies(sections).map((body, i) => {
    const name = names.get(imported + i);
    if (name === undefined) return { name: `(unnamed function ${imported + i})`, crate: "(unnamed)", bytes: body.length };
    return { name: withoutHashes(name), crate: crateOf(name), bytes: body.length };
  });
  const code = functions.reduce((n, f) => n + f.bytes, 0);
  const data = sections.filter((s) => s.id === 11).reduce((n, s) => n + s.body.length, 0);
  const crates = new Map();
  for (const f of functions) crates.set(f.crate, (crates.get(f.crate) ?? 0) + f.bytes);
  return {
    code,
    data,
    functions: functions.sort((a, b) => b.bytes - a.bytes || a.name.localeCompare(b.name)).slice(0, top),
    crates: [...crates].map(([crate, bytes]) => ({ crate, bytes }))
      .sort((a, b) => b.bytes - a.bytes || a.crate.localeCompare(b.crate)),
  };
}

const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
const pad = (n, w = 8) => String(n).padStart(w);

export function contributorsReport(c, wasmPath) {
  const short = (s) => (s.length > 150 ? `${s.slice(0, 147)}…` : s);
  const share = (b) => `${pad(((b * 100) / c.code).toFixed(1), 5)}%`;
  return [
    `size: the biggest contributors in ${wasmPath} (raw bytes before the last passes: code ${c.code} B, data ${c.data} B)`,
    `size: largest functions:`,
    ...c.functions.map((f) => `  ${pad(f.bytes)} B ${share(f.bytes)}  ${short(f.name)}`),
    `size: code by crate (the first path segment of each function's name):`,
    ...c.crates.filter((x) => x.bytes * 100 >= c.code).map((x) => `  ${pad(x.bytes)} B ${share(x.bytes)}  ${x.crate}`),
  ].join("\n");
}

function parseArgs(argv) {
  const args = { dist: undefined, names: undefined, budget: BUDGET_BYTES, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--names") args.names = argv[++i];
    else if (a === "--budget") {
      const v = argv[++i];
      if (v === "none") args.budget = null;
      else if (/^\d+$/.test(v ?? "")) args.budget = Number(v);
      else throw new Error(`--budget wants a number of bytes or "none", not ${v}`);
    } else if (a === "--json") args.json = true;
    else if (!a.startsWith("--") && args.dist === undefined) args.dist = a;
    else throw new Error(`unknown argument ${a}`);
  }
  if (!args.dist) throw new Error("usage: node scripts/size-check.mjs <dist-dir> [--names <named.wasm>] [--budget <bytes>|none] [--json]");
  return args;
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const m = measure(args.dist);
  if (args.json) {
    console.log(JSON.stringify({ ...m, budget: args.budget }));
  } else {
    console.log(`size: ${args.dist}: wasm ${m.wasm_bytes} B (${m.wasm_gzip} B gzip), js ${m.js_gzip} B gzip, ` +
      `total ${m.total_gzip} B gzip (${kb(m.total_gzip)})`);
  }
  if (args.budget === null) return;
  if (m.total_gzip <= args.budget) {
    if (!args.json) console.log(`size: within the budget of ${args.budget} B (${kb(args.budget)}): ${args.budget - m.total_gzip} B to spare`);
    return;
  }
  console.error(`size: OVER BUDGET: ${m.total_gzip} B gzip > ${args.budget} B (${kb(args.budget)}) by ${m.total_gzip - args.budget} B`);
  if (args.names) console.error(contributorsReport(contributors(args.names), args.names));
  else console.error("size: (no --names module given: cannot list the contributors)");
  process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    main();
  } catch (e) {
    console.error(`size-check: ${e.message}`);
    process.exitCode = 2;
  }
}
