// Replaces (or appends) one section of BENCHMARKS.md, read from stdin:
//   node bench/record.mjs <name> < section.md
// A section is delimited by <!-- bench:name --> … <!-- /bench:name -->; others are kept.
import { readFileSync, writeFileSync, existsSync } from "node:fs";

const name = process.argv[2];
if (!name) throw new Error("usage: node bench/record.mjs <name> < section.md");
const file = new URL("../BENCHMARKS.md", import.meta.url);
const body = readFileSync(0, "utf8").trim();
const open = `<!-- bench:${name} -->`, close = `<!-- /bench:${name} -->`;
const block = `${open}\n${body}\n${close}`;
let text = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmarks\n\nWritten by `scripts/bench`; figures from this project's 2-core machine.\n";
const start = text.indexOf(open), end = text.indexOf(close);
text = start >= 0 && end > start ? text.slice(0, start) + block + text.slice(end + close.length) : `${text.trimEnd()}\n\n${block}\n`;
writeFileSync(file, text);
