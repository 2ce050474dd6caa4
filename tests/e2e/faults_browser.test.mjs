// Fault matrix, the browser: offline and back (`offline`/`online`, playwright's
// context.setOffline), a tab frozen and resumed (simulated: `frozen` below says how), and a long
// sleep (fault_matrix.mjs: the bounds and what every row asserts).
//
// The long sleep is simulated: the page is frozen (its timers and tasks stop) while 20 UCWA
// minutes pass on the server, which runs with one-second minutes (--minute-secs 1, so the
// page's 10-minute subscriptions expire) and ends applications idle for 8 s
// (--app-idle-timeout 8), as a server does to a laptop that slept: on waking, the page finds
// its subscriptions and application gone.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startMatrix, signedInPage, row, presence, liveAndShowing, record, RECOVERY_BOUND_MS, SARA, CHRIS, ALEX } from "./fault_matrix.mjs";

let env;
before(async () => { env = await startMatrix({ args: ["--app-idle-timeout", "8"] }); });
after(async () => { await env?.stop(); });

test("the browser offline and back", async () => {
  const s = await signedInPage(env, "offline");
  try {
    await row(env, s, "browser offline and back", {
      start: () => s.context.setOffline(true),
      end: () => s.context.setOffline(false),
      // `offline` marks the badges stale at once.
      detection: 2000,
    });
  } finally {
    await s.context.close();
  }
});

/** Freezes the page for `ms` while presence changes; after resuming, live and correct within
 *  the bound (what the page showed while frozen cannot be seen: nothing runs).
 *
 *  Headless Chromium neither hides a page nor freezes a visible one (Page.setWebLifecycleState
 *  changes nothing there, and no `freeze` event fires), so the freeze is simulated as the
 *  browser does it: the page's `freeze` event, then its main thread stopped (the DevTools
 *  debugger paused: no timer, task or promise of the page runs, while its network requests go
 *  on), then the thread going on and `resume`. That it stood still is checked: a page timer
 *  every 100 ms ticked at most twice over the whole freeze. */
async function frozen(name, ms, bound = RECOVERY_BOUND_MS) {
  const s = await signedInPage(env, name.replace(/\W+/g, "-"));
  try {
    const created = (await env.server.control("/stats")).applications_created;
    await s.page.evaluate(() => {
      window.ticks = 0;
      setInterval(() => window.ticks++, 100);
      document.dispatchEvent(new Event("freeze"));
    });
    const before = await s.page.evaluate(() => window.ticks);
    const cdp = await s.context.newCDPSession(s.page);
    await cdp.send("Debugger.enable");
    const paused = new Promise((resolve) => cdp.once("Debugger.paused", resolve));
    await cdp.send("Debugger.pause");
    await paused; // at the page's next statement: its 100 ms timer at the latest
    await presence(env.server, SARA, "Away");
    await presence(env.server, CHRIS, "DoNotDisturb");
    await new Promise((r) => setTimeout(r, ms));
    await cdp.send("Debugger.resume");
    await cdp.send("Debugger.disable");
    const t0 = Date.now();
    const ticked = await s.page.evaluate(() => {
      document.dispatchEvent(new Event("resume"));
      return window.ticks;
    });
    assert.ok(ticked - before <= 2, `the page stood still while frozen (its timer ticked ${ticked - before} times)`);
    await liveAndShowing(s.page, { [SARA]: "Away", [CHRIS]: "DoNotDisturb", [ALEX]: "DoNotDisturb" }, bound);
    const took = Date.now() - t0;
    if (ms > 8000) {
      const now = (await env.server.control("/stats")).applications_created;
      assert.ok(now > created, "the server ended the sleeping page's application: a new one was made");
    }
    await record(name, took);
    assert.equal(await s.page.locator("form.ucwa-signin").isVisible(), false, "no new sign-in");
  } finally {
    await s.context.close();
  }
}

test("a tab frozen and resumed", () => frozen("tab frozen 6 s and resumed", 6000));

test("a long sleep: 20 UCWA minutes with the page's timers stopped", () => frozen("long sleep (20 UCWA minutes)", 20000));
