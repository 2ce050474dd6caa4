// node scripts/wasm-prune-table.mjs <in.wasm> <out.wasm> <crate>
// Points the function-table entries of functions that belong to <crate> (by their debug name: a
// path segment `<crate>[hash]::` or `<crate>::`, as rustc names generic instances too) at one
// function that traps, so that wasm-opt can drop their code and all that only they reach.
// Fails when it would prune nothing, or when a table entry mentions <crate> in a form it does not
// recognise: either means the module or the toolchain changed and this step needs a look.
import fs from "node:fs";
import binaryen from "../tools/node_modules/binaryen/index.js";

const [input, output, crate] = process.argv.slice(2);
if (!crate || !/^\w+$/.test(crate)) throw new Error("usage: node scripts/wasm-prune-table.mjs <in.wasm> <out.wasm> <crate>");
const belongs = new RegExp(`(^|[^\\w])${crate}(\\[[0-9a-f]+\\])?::`);
const mentions = new RegExp(crate);
const fail = (why) => {
  console.error(`wasm-prune-table: ${input}: ${why}`);
  process.exit(1);
};

binaryen.setDebugInfo(true);
const bytes = fs.readFileSync(input);
// Only code whose entry points are gone may go: wasm-streams' exported classes must have been
// removed already (wasm-metadce, scripts/wasm-roots.mjs).
const live = WebAssembly.Module.exports(new WebAssembly.Module(bytes)).filter((e) => /intounderlying/i.test(e.name));
if (live.length) fail(`wasm-streams is still exported (${live[0].name}): its table entries are live`);
const hasNames = WebAssembly.Module.customSections(new WebAssembly.Module(bytes), "name").length > 0;
if (!hasNames) fail("the module has no name section (wasm-bindgen --keep-debug?): functions cannot be recognised by name");

const m = binaryen.readBinary(bytes);
const F = binaryen.Features;
m.setFeatures(F.MVP | F.BulkMemory | F.BulkMemoryOpt | F.CallIndirectOverlong | F.NontrappingFPToInt | F.SignExt | F.MutableGlobals | F.ReferenceTypes | F.Multivalue);
const stub = "__ucwa_unreachable";
m.addFunction(stub, binaryen.none, binaryen.none, [], m.unreachable());
let pruned = 0;
const unrecognised = [];
const segments = [];
for (let i = 0; i < m.getNumElementSegments(); i++) {
  segments.push(binaryen.getElementSegmentInfo(m.getElementSegmentByIndex(i)));
}
for (const seg of segments) {
  const offset = binaryen.getExpressionInfo(seg.offset);
  if (offset.id !== binaryen.ConstId) fail(`element segment ${seg.name}: offset is not a constant`);
  const data = seg.data.map((f) => {
    if (belongs.test(f)) { pruned++; return stub; }
    if (mentions.test(f)) unrecognised.push(f);
    return f;
  });
  m.removeElementSegment(seg.name);
  m.addActiveElementSegment(seg.table, seg.name, data, m.i32.const(offset.value));
}
if (unrecognised.length) {
  fail(`${unrecognised.length} table entries mention ${crate} but not as a crate path (\`${crate}[hash]::\`), ` +
    `e.g. ${unrecognised[0]}: the name format changed; update this script's pattern`);
}
if (pruned === 0) {
  fail(`no function-table entry belongs to crate ${crate} (of ${segments.reduce((n, s) => n + s.data.length, 0)} entries): ` +
    `either it is no longer linked in (then drop this step, and scripts/glue-edits.mjs with it) ` +
    `or its functions lost their names`);
}
if (!m.validate()) fail("the pruned module does not validate");
fs.writeFileSync(output, m.emitBinary());
console.log(`function table: ${pruned} entries of unused code (crate ${crate}) pruned`);
