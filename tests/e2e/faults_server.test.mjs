// Fault matrix, the server itself: killed and restarted with all its state lost, a 40-second
// outage, and a server that accepts connections but never answers (fault_matrix.mjs: the
// bounds and what every row asserts).
import { test, before, after } from "node:test";
import { startMatrix, signedInPage, row, injected, presence, allStale, watch, neverLive, liveAndShowing, record, signInWhenAsked,
  ALL, SARA, CHRIS, ALEX, RECOVERY_BOUND_MS } from "./fault_matrix.mjs";

// A restarted server knows neither the token nor the application: the form asks within two
// retry delays (PROBE_CAP_MS, 5 s: the probe's 401, then the sign-in after the backoff).
const RESTART_BOUND_MS = 2 * 5000 + 3000;

let env;
before(async () => { env = await startMatrix(); });
after(async () => { await env?.stop(); });

test("server killed and restarted, all state lost: live and correct again by itself", async () => {
  const s = await signedInPage(env, "restart");
  try {
    await env.server.kill();
    await allStale(s.page);
    await watch(s.page);
    await neverLive(s.page, "while the server was down");
    await env.server.start();
    // A new process knows nobody's presence: the state the badges must come back to is set now.
    const now = { [SARA]: "Away", [CHRIS]: "DoNotDisturb", [ALEX]: "Busy" };
    for (const [uri, a] of Object.entries(now)) await presence(env.server, uri, a);
    // Its tokens are gone too: the password form asks again (at the connection's next retry);
    // the badges stay stale meanwhile.
    await watch(s.page);
    await signInWhenAsked(s.page, RESTART_BOUND_MS);
    await neverLive(s.page, "while the sign-in form asked again");
    const t0 = Date.now();
    await liveAndShowing(s.page, now);
    await record("server killed and restarted (state lost; password asked again)", Date.now() - t0);
  } finally {
    await s.context.close();
  }
});

test("a 40-second outage (every connection dropped): live and correct within the bound after it", async () => {
  const s = await signedInPage(env, "outage");
  try {
    await row(env, s, "40-second outage (connections dropped)", injected(env.server, { close: ALL }, {
      during: () => new Promise((r) => setTimeout(r, 40000)),
    }));
  } finally {
    await s.context.close();
  }
});

test("a hung server (accepts, never answers): stale within the event channel's deadline, live after", async () => {
  const s = await signedInPage(env, "hung");
  try {
    await row(env, s, "hung server (no answer)", injected(env.server, { hang: true, count: ALL }));
  } finally {
    await s.context.close();
  }
});
