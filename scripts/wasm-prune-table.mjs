// node scripts/wasm-prune-table.mjs <in.wasm> <out.wasm> <regex>
// Points the function-table entries of functions whose (debug) name matches <regex> at one
// function that traps, so that wasm-opt can drop their code and all that only they reach.
import fs from "node:fs";
import binaryen from "../tools/node_modules/binaryen/index.js";

const [input, output, pattern] = process.argv.slice(2);
const dead = new RegExp(pattern);
binaryen.setDebugInfo(true);
const bytes = fs.readFileSync(input);
// Only code whose entry points are gone may go: wasm-streams' exported classes must have been
// removed already (wasm-metadce, scripts/wasm-roots.mjs).
const live = WebAssembly.Module.exports(new WebAssembly.Module(bytes)).filter((e) => /intounderlying/i.test(e.name));
if (live.length) throw new Error(`wasm-streams is still exported (${live[0].name}): its table entries are live`);
const m = binaryen.readBinary(bytes);
const F = binaryen.Features;
m.setFeatures(F.MVP | F.BulkMemory | F.BulkMemoryOpt | F.CallIndirectOverlong | F.NontrappingFPToInt | F.SignExt | F.MutableGlobals | F.ReferenceTypes | F.Multivalue);
const stub = "__ucwa_unreachable";
m.addFunction(stub, binaryen.none, binaryen.none, [], m.unreachable());
let pruned = 0;
const segments = [];
for (let i = 0; i < m.getNumElementSegments(); i++) {
  segments.push(binaryen.getElementSegmentInfo(m.getElementSegmentByIndex(i)));
}
for (const seg of segments) {
  const offset = binaryen.getExpressionInfo(seg.offset);
  if (offset.id !== binaryen.ConstId) throw new Error(`element segment ${seg.name}: offset is not a constant`);
  const data = seg.data.map((f) => (dead.test(f) ? (pruned++, stub) : f));
  m.removeElementSegment(seg.name);
  m.addActiveElementSegment(seg.table, seg.name, data, m.i32.const(offset.value));
}
if (!m.validate()) throw new Error("the pruned module does not validate");
fs.writeFileSync(output, m.emitBinary());
console.log(`function table: ${pruned} entries of unused code (${pattern}) pruned`);
