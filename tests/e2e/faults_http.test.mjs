// Fault matrix, HTTP answers: 503 and 500 bursts, dropped connections, P-GETs held past their
// time-out, 409 PGetReplaced, 429 on batch (fault_matrix.mjs: the bounds and what every row
// asserts).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startMatrix, signedInPage, row, injected, presence, liveAndShowing, record, allStale,
  ALL, SARA, CHRIS, ALEX, EVENT_TIMEOUT_SECS, DETECTION_BOUND_MS } from "./fault_matrix.mjs";

let env;
before(async () => { env = await startMatrix(); });
after(async () => { await env?.stop(); });

async function onPage(name, body) {
  const s = await signedInPage(env, name);
  try {
    await body(s);
  } finally {
    await s.context.close();
  }
}

test("503 burst with Retry-After", () => onPage("503-retry-after", (s) =>
  row(env, s, "503 burst, Retry-After: 1", injected(env.server, { status: 503, count: ALL, retry_after: 1 }))));

test("503 burst without Retry-After", () => onPage("503-plain", (s) =>
  row(env, s, "503 burst, no Retry-After", injected(env.server, { status: 503, count: ALL, retry_after: null }))));

test("500 burst (20 and more consecutive failures)", () => onPage("500", (s) =>
  row(env, s, "500 burst", injected(env.server, { status: 500, count: ALL }, {
    // Long enough for the backoff to reach its cap: 20 failures at 1-5 s.
    during: () => new Promise((r) => setTimeout(r, 25000)),
  }))));

/** A fault that ends by itself after its count: from the moment every badge is stale (within
 *  `detection`), presence changes; live and correct within the bound of that moment. */
async function selfEnding(s, name, fault, detection = DETECTION_BOUND_MS) {
  await env.server.control("/faults", fault);
  await allStale(s.page, detection);
  const t0 = Date.now();
  await presence(env.server, SARA, "Away");
  await presence(env.server, CHRIS, "DoNotDisturb");
  await liveAndShowing(s.page, { [SARA]: "Away", [CHRIS]: "DoNotDisturb", [ALEX]: "DoNotDisturb" });
  await record(name, Date.now() - t0);
}

test("dropped connections: three P-GETs and three requests closed without an answer", () => onPage("dropped", (s) =>
  selfEnding(s, "dropped connections (3 P-GETs, 3 requests)", { drop_pgets: 3, close: 3 })));

test("a P-GET held past its time-out: given up at its deadline, live and correct after", () => onPage("held", (s) =>
  selfEnding(s, "P-GET held past its time-out", {
    delay_ms: (EVENT_TIMEOUT_SECS + 20) * 1000, count: 1, path_contains: "/events",
    // The P-GET held now may be answered first: the next one is held, given up at its deadline.
  }, DETECTION_BOUND_MS + EVENT_TIMEOUT_SECS * 1000)));

test("409 PGetReplaced from another tab: the channel goes on", () => onPage("409", async (s) => {
  await env.server.control("/faults", { status: 409, subcode: "PGetReplaced", count: 1, path_contains: "/events" });
  const t0 = Date.now();
  await presence(env.server, SARA, "Away");
  await liveAndShowing(s.page, { [SARA]: "Away", [CHRIS]: "Away", [ALEX]: "DoNotDisturb" });
  await record("409 PGetReplaced", Date.now() - t0);
}));

test("429 on batch: the reads are retried, the badges correct", () => onPage("429", async (s) => {
  await env.server.clearRequests();
  // The next P-GET answers `resync`: everything is read again in one batch, which is refused.
  await env.server.control("/faults", { status: 429, count: 2, path_contains: "/batch", retry_after: 1 });
  await env.server.control("/faults", { resync: 1 });
  const t0 = Date.now();
  await presence(env.server, SARA, "Away");
  await presence(env.server, CHRIS, "Busy");
  await liveAndShowing(s.page, { [SARA]: "Away", [CHRIS]: "Busy", [ALEX]: "DoNotDisturb" });
  await record("429 on batch", Date.now() - t0);
  const batches = (await env.server.requests()).filter((r) => r.method === "POST" && r.path.endsWith("/batch"));
  // At least the refused one (what follows a refused batch is the reads' own policy: split,
  // or single GETs).
  assert.ok(batches.length >= 1, `the batch the fault refused was made (${batches.length})`);
}));
