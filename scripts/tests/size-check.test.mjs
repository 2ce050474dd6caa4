// The size check on a module made here (so the test knows every byte it contains): within the
// budget it passes; above it it fails and names the biggest functions and crates in order.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import binaryen from "../../tools/node_modules/binaryen/index.js";
import { BUDGET_BYTES, crateOf, gzipSize } from "../size-check.mjs";

const script = fileURLToPath(new URL("../size-check.mjs", import.meta.url));

/** A module whose functions return sums of `n` constants: their size grows with `n`. */
function namedModule(functions) {
  binaryen.setDebugInfo(true);
  const m = new binaryen.Module();
  for (const [name, n] of functions) {
    let body = m.i32.const(0);
    for (let i = 1; i <= n; i++) body = m.i32.add(body, m.i32.const(i * 7919));
    m.addFunction(name, binaryen.none, binaryen.i32, [], body);
    m.addFunctionExport(name, `e${name.length}_${n}`);
  }
  assert.ok(m.validate());
  const bytes = m.emitBinary();
  m.dispose();
  return bytes;
}

function fixture() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "size-check-"));
  const wasm = namedModule([
    ["big_crate[0123456789abcdef]::huge::render", 400],
    ["<big_crate::Thing as core::ops::Drop>::drop", 120],
    ["core[6ea1fe0cb44a73e7]::ptr::drop_in_place::<small_crate::Widget>", 60],
    ["small_crate::tiny", 5],
  ]);
  fs.writeFileSync(path.join(dir, "ucwa-presence-core_bg.wasm"), wasm);
  fs.writeFileSync(path.join(dir, "ucwa-presence.js"), "export const answer = 42;\n");
  return dir;
}

function run(...args) {
  const r = spawnSync(process.execPath, [script, ...args], { encoding: "utf8" });
  return { status: r.status, out: r.stdout + r.stderr };
}

test("the budget is 114 KB", () => assert.equal(BUDGET_BYTES, 116736));

test("a bundle within the budget passes and reports its gzip sizes", () => {
  const dist = fixture();
  const total = gzipSize(`${dist}/ucwa-presence-core_bg.wasm`) + gzipSize(`${dist}/ucwa-presence.js`);
  const r = run(dist, "--budget", String(total));
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, new RegExp(`total ${total} B gzip`));
  assert.match(r.out, /within the budget of \d+ B .*: 0 B to spare/);
});

test("a bundle one byte over the budget fails and lists the biggest contributors, largest first", () => {
  const dist = fixture();
  const wasm = `${dist}/ucwa-presence-core_bg.wasm`;
  const total = gzipSize(wasm) + gzipSize(`${dist}/ucwa-presence.js`);
  const r = run(dist, "--names", wasm, "--budget", String(total - 1));
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, new RegExp(`OVER BUDGET: ${total} B gzip > ${total - 1} B .* by 1 B`));
  const lines = r.out.split("\n");
  const at = (s) => lines.findIndex((l) => l.includes(s));
  // Functions by size, crate hashes dropped from the names.
  assert.ok(at("big_crate::huge::render") > at("largest functions"), r.out);
  assert.ok(at("big_crate::huge::render") < at("<big_crate::Thing as core::ops::Drop>::drop"), r.out);
  assert.ok(at("<big_crate::Thing as core::ops::Drop>::drop") < at("drop_in_place::<small_crate::Widget>"), r.out);
  assert.ok(!r.out.includes("0123456789abcdef"), r.out);
  // Crates: big_crate (render + drop) before small_crate (its drop glue + tiny).
  const crates = lines.slice(at("code by crate"));
  const big = crates.findIndex((l) => / big_crate$/.test(l));
  const small = crates.findIndex((l) => / small_crate$/.test(l));
  assert.ok(big > 0 && small > big, r.out);
  assert.equal(crates.filter((l) => / core$/.test(l)).length, 0, "drop glue counts for the dropped type's crate");
});

test("a missing bundle is an error, not a pass", () => {
  const r = run(path.join(os.tmpdir(), "no-such-dist"));
  assert.equal(r.status, 2, r.out);
  assert.match(r.out, /is missing: build it first/);
});

test("crates are read through impl brackets, references and drop glue", () => {
  assert.equal(crateOf("<alloc[1234abcd5678ef90]::vec::Vec<u8> as core::ops::Drop>::drop"), "alloc");
  assert.equal(crateOf("<&leptos::View as core::fmt::Debug>::fmt"), "leptos");
  assert.equal(crateOf("core::ptr::drop_in_place::<tachys::html::Element>"), "tachys");
  assert.equal(crateOf("memcpy"), "(no crate path)");
});
