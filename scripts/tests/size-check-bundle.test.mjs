// The size check on the real default bundle (scripts/test size builds it first): with the budget
// set one byte below its size, the check fails and lists the widget's own code and its biggest
// crates from the named module scripts/build-dist keeps.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { measure } from "../size-check.mjs";

const DIST = process.env.UCWA_DIST;
const NAMES = process.env.UCWA_SIZE_NAMES;
if (!DIST || !NAMES) throw new Error("run through scripts/test size (UCWA_DIST, UCWA_SIZE_NAMES: the built bundle and its named module)");
const script = fileURLToPath(new URL("../size-check.mjs", import.meta.url));

test("the default bundle one byte over an overridden budget fails and names its biggest contributors", () => {
  const { total_gzip } = measure(DIST);
  const r = spawnSync(process.execPath, [script, DIST, "--names", NAMES, "--budget", String(total_gzip - 1)], { encoding: "utf8" });
  const out = r.stdout + r.stderr;
  assert.equal(r.status, 1, out);
  assert.match(out, new RegExp(`OVER BUDGET: ${total_gzip} B gzip > ${total_gzip - 1} B .* by 1 B`));
  const lines = out.split("\n");
  const functions = lines.slice(lines.findIndex((l) => l.includes("largest functions:")) + 1);
  const sizes = functions.slice(0, functions.findIndex((l) => l.includes("code by crate"))).map((l) => Number(l.trim().split(" ")[0]));
  assert.ok(sizes.length >= 10, out);
  assert.deepEqual(sizes, [...sizes].sort((a, b) => b - a), "largest first");
  const crates = lines.slice(lines.findIndex((l) => l.includes("code by crate"))).map((l) => l.trim().split(/\s+/).pop());
  for (const crate of ["ucwa_presence", "tachys", "core"]) assert.ok(crates.includes(crate), `${crate} among the crates:\n${out}`);
});

test("the default bundle passes at its own size", () => {
  const { total_gzip } = measure(DIST);
  const r = spawnSync(process.execPath, [script, DIST, "--budget", String(total_gzip)], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});
