// The fault matrix's recovery times as Markdown table rows, from the lines the e2e fault tests
// append to $UCWA_FAULT_TIMINGS (tests/e2e/fault_matrix.mjs `record`): one JSON object a line,
// { fault, recovery_ms }. Usage: node bench/faults.mjs <timings file>
import { readFileSync } from "node:fs";

const file = process.argv[2];
if (!file) throw new Error("usage: node bench/faults.mjs <timings file>");
const rows = readFileSync(file, "utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
if (rows.length === 0) throw new Error(`${file}: no timings (did the fault tests run?)`);
for (const { fault, recovery_ms } of rows) console.log(`| ${fault} | ${(recovery_ms / 1000).toFixed(2)} s |`);
