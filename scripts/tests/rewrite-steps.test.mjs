// The release build's rewrite steps on inputs made here: each does its edit when what it expects
// is there, and stops with a message (writing nothing) when it is not.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import binaryen from "../../tools/node_modules/binaryen/index.js";

const script = (name) => fileURLToPath(new URL(`../${name}`, import.meta.url));
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "rewrite-steps-"));

function run(name, ...args) {
  const r = spawnSync(process.execPath, [script(name), ...args], { encoding: "utf8" });
  return { status: r.status, out: r.stdout + r.stderr };
}

// --- scripts/glue-edits.mjs -----------------------------------------------------------------------

/** Glue as wasm-bindgen writes it for one wasm-streams class, with `drop` constructs left out. */
function glue(drop = []) {
  const parts = {
    finalization: "const IntoUnderlyingSourceFinalization = (typeof FinalizationRegistry === 'undefined')\n" +
      "    ? { register: () => {}, unregister: () => {} }\n" +
      "    : new FinalizationRegistry(ptr => wasm.__wbg_intounderlyingsource_free(ptr, 1));\n",
    class: "export class IntoUnderlyingSource {\n    free() {}\n}\n",
    dispose: "if (Symbol.dispose) IntoUnderlyingSource.prototype[Symbol.dispose] = IntoUnderlyingSource.prototype.free;\n",
  };
  return "export function start() {}\n" +
    Object.entries(parts).filter(([k]) => !drop.includes(k)).map(([, v]) => v).join("");
}

test("glue-edits removes each class's dispose hook and finalizer, and keeps the rest", () => {
  const file = path.join(tmp(), "glue.js");
  fs.writeFileSync(file, glue());
  const r = run("glue-edits.mjs", file);
  assert.equal(r.status, 0, r.out);
  assert.equal(fs.readFileSync(file, "utf8"), glue(["finalization", "dispose"]));
  assert.match(r.out, /IntoUnderlyingSource/);
});

for (const missing of ["finalization", "dispose"]) {
  test(`glue-edits stops, writing nothing, when the ${missing} construct is not there`, () => {
    const file = path.join(tmp(), "glue.js");
    fs.writeFileSync(file, glue([missing]));
    const r = run("glue-edits.mjs", file);
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /expected once, found 0 times/);
    assert.match(r.out, /nothing was written/);
    assert.equal(fs.readFileSync(file, "utf8"), glue([missing]));
  });
}

test("glue-edits stops when the glue has no wasm-streams class at all", () => {
  const file = path.join(tmp(), "glue.js");
  fs.writeFileSync(file, "export function start() {}\n");
  const r = run("glue-edits.mjs", file);
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, /no `export class IntoUnderlying/);
});

// --- scripts/wasm-prune-table.mjs -------------------------------------------------------------------

/** A module with names whose function table holds `names` (each a function returning its index). */
function tableModule(names) {
  binaryen.setDebugInfo(true);
  const m = new binaryen.Module();
  m.setFeatures(binaryen.Features.MVP | binaryen.Features.ReferenceTypes | binaryen.Features.BulkMemory);
  names.forEach((name, i) => m.addFunction(name, binaryen.none, binaryen.i32, [], m.i32.const(i)));
  m.addTable("table", names.length, names.length);
  m.addActiveElementSegment("table", "elems", names, m.i32.const(0));
  m.addFunctionExport(names[0], "main");
  assert.ok(m.validate());
  const bytes = m.emitBinary();
  m.dispose();
  return bytes;
}

function prune(names) {
  const dir = tmp();
  fs.writeFileSync(path.join(dir, "in.wasm"), tableModule(names));
  const r = run("wasm-prune-table.mjs", path.join(dir, "in.wasm"), path.join(dir, "out.wasm"), "wasm_streams");
  return { ...r, out_wasm: path.join(dir, "out.wasm") };
}

const elements = (wasmPath) => {
  binaryen.setDebugInfo(true);
  const m = binaryen.readBinary(fs.readFileSync(wasmPath));
  const data = binaryen.getElementSegmentInfo(m.getElementSegmentByIndex(0)).data;
  m.dispose();
  return data;
};

test("wasm-prune-table points the crate's table entries at one trap and keeps the others", () => {
  const r = prune([
    "ucwa_presence::main",
    "wasm_streams[0123456789abcdef]::readable::into_underlying_source::pull",
    "<wasm_streams::writable::Sink as core::ops::Drop>::drop",
    "leptos::mount",
  ]);
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /2 entries of unused code \(crate wasm_streams\) pruned/);
  assert.deepEqual(elements(r.out_wasm), ["ucwa_presence::main", "__ucwa_unreachable", "__ucwa_unreachable", "leptos::mount"]);
});

test("wasm-prune-table fails when no table entry belongs to the crate", () => {
  const r = prune(["ucwa_presence::main", "leptos::mount"]);
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, /no function-table entry belongs to crate wasm_streams \(of 2 entries\)/);
  assert.ok(!fs.existsSync(r.out_wasm));
});

test("wasm-prune-table fails when an entry names the crate in a form it does not know", () => {
  const r = prune(["ucwa_presence::main", "wasm_streams[0123456789abcdef]::pull", "_ZN12wasm_streams4pull17h0123E"]);
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, /1 table entries mention wasm_streams but not as a crate path/);
  assert.ok(!fs.existsSync(r.out_wasm));
});

// --- scripts/short-names.mjs -----------------------------------------------------------------------

/** A module importing `imports` from "./core_bg.js" and exporting `exports`. */
function glueModule(imports, exports) {
  const m = new binaryen.Module();
  imports.forEach((name, i) => m.addFunctionImport(`i${i}`, "./core_bg.js", name, binaryen.none, binaryen.none));
  exports.forEach((name, i) => {
    m.addFunction(`f${i}`, binaryen.none, binaryen.none, [], m.nop());
    m.addFunctionExport(`f${i}`, name);
  });
  assert.ok(m.validate());
  const bytes = m.emitBinary();
  m.dispose();
  return bytes;
}

function shorten(imports, exports, js) {
  const dir = tmp();
  const wasm = path.join(dir, "core_bg.wasm"), script = path.join(dir, "bundle.js");
  fs.writeFileSync(wasm, glueModule(imports, exports));
  fs.writeFileSync(script, js);
  const before = fs.readFileSync(wasm);
  const r = run("short-names.mjs", wasm, script);
  return { ...r, wasm, before, js: fs.readFileSync(script, "utf8"), module: fs.readFileSync(wasm) };
}

test("short-names renames the glue's imports and exports in the module and the script together", () => {
  const js = `const i={"./core_bg.js":{__wbg_fetch_21015a0a4570ab44:f}};w.__wbindgen_start();`;
  const r = shorten(["__wbg_fetch_21015a0a4570ab44"], ["__wbindgen_start", "main"], js);
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /glue names shortened: 2/);
  assert.equal(r.js, `const i={a:{a:f}};w.b();`);
  const mod = new WebAssembly.Module(r.module);
  assert.deepEqual(WebAssembly.Module.imports(mod).map((i) => `${i.module}.${i.name}`), ["a.a"]);
  assert.deepEqual(WebAssembly.Module.exports(mod).map((e) => e.name), ["b", "main"]);
});

test("short-names fails, changing neither file, when an import is not named in the script", () => {
  const js = `const i={"./core_bg.js":{}};`;
  const r = shorten(["__wbg_fetch_21015a0a4570ab44"], [], js);
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, /__wbg_fetch_21015a0a4570ab44: expected in the script, found 0 times/);
  assert.equal(r.js, js);
  assert.deepEqual(r.module, r.before);
});

test("short-names fails when the script does not name the import module once", () => {
  const js = `const i={__wbg_fetch_1:f};`;
  const r = shorten(["__wbg_fetch_1"], [], js);
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, /the import module \.\/core_bg\.js is not named once in the script/);
  assert.equal(r.js, js);
});
