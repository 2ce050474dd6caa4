// Shared by the fault-matrix tests (faults_*.test.mjs): one signed-in page with three
// colleagues, a watcher inside the page that notices any badge drawn live while a fault lasts,
// and the one recovery bound every row is held to.
//
// Each row: the badges are live and correct; a fault starts; the badges turn stale; presence
// changes on the server while the fault lasts; the fault ends ("the server answers again");
// within RECOVERY_BOUND_MS every badge is live and shows the server's state. The time from the
// end of the fault to that moment is the row's recovery time, printed as a `fault-matrix` line
// (scripts/bench faults collects them into BENCHMARKS.md).
import assert from "node:assert/strict";
import { appendFile } from "node:fs/promises";
import { startServer, startPages, embedPage, launch, openAs, openIn, signIn, badge, eventually } from "./harness.mjs";

export const SARA = "sip:sarad@contoso.com";
export const CHRIS = "sip:chrisb@contoso.com";
export const ALEX = "sip:alexd@contoso.com";
export const DANA = "sip:dana@contoso.com";
const PEOPLE = [SARA, CHRIS, ALEX];

/** The event channel's `timeout` the pages ask for (data-event-timeout): a P-GET is given up
 *  EVENT_TIMEOUT_SECS + 10 s after it was sent (PGET_DEADLINE_MARGIN_MS). */
export const EVENT_TIMEOUT_SECS = 5;
/** The longest a fault may go unnoticed: the P-GET held when it starts ends (its timeout),
 *  the next one is given up at its deadline (timeout + 10 s), plus 2 s. */
export const DETECTION_BOUND_MS = (2 * EVENT_TIMEOUT_SECS + 10) * 1000 + 2000;
/** From the server answering again to every badge live and correct: the connection's longest
 *  retry delay (PROBE_CAP_MS, 5 s) plus 3 s for the requests that restore the state (a new
 *  token, application, subscription and reads when the server lost everything). */
export const RECOVERY_BOUND_MS = 8000;

/** The reference server with the flags every row uses: short P-GETs allowed, UCWA minutes of
 *  one second (subscriptions of 10 "minutes" last 10 s), `args` added. */
export async function startMatrix({ args = [] } = {}) {
  const pages = await startPages();
  const server = await startServer({
    pageOrigin: pages.origin,
    args: ["--allow-short-pget-timeout", "--minute-secs", "1", ...args],
  });
  const browser = await launch();
  return { pages, server, browser, stop: async () => { await browser.close(); server.stop(); pages.stop(); } };
}

export const presence = (server, uri, availability) =>
  server.control(`/users/${encodeURIComponent(uri)}/presence`, { availability });

/** Opens a page with the three colleagues, signs Dana in, sets everyone's presence and waits
 *  until the badges show it, live. Returns the page (from openAs) and `show(state)`. */
export async function signedInPage({ pages, server, browser }, name, { context } = {}) {
  const html = embedPage(server.autodiscover, PEOPLE.map((u) => `<ucwa-presence uri="${u}"></ucwa-presence>`).join(""),
    ` data-event-timeout="${EVENT_TIMEOUT_SECS}" data-subscription-minutes="10"`);
  const url = pages.page(`/fault-${name}.html`, html);
  const s = context ? await openIn(context, url) : await openAs(browser, url);
  await signIn(s.page, "dana@contoso.com");
  const initial = { [SARA]: "Busy", [CHRIS]: "Away", [ALEX]: "DoNotDisturb" };
  for (const [uri, a] of Object.entries(initial)) await presence(server, uri, a);
  await liveAndShowing(s.page, initial, 20000);
  await installWatcher(s.page);
  return s;
}

/** What the badges show: { uri: { availability, stale } }. */
export async function shown(page) {
  const out = {};
  for (const uri of PEOPLE) {
    const b = badge(page, uri);
    const cls = (await b.getAttribute("class", { timeout: 1000 }).catch(() => "")) ?? "";
    out[uri] = {
      availability: await b.getAttribute("data-availability", { timeout: 1000 }).catch(() => undefined),
      stale: /\bucwa-badge--stale\b/.test(cls),
    };
  }
  return out;
}

/** Polls until every badge is live and shows `expected` ({ uri: availability }); resolves
 *  with the milliseconds it took. */
export async function liveAndShowing(page, expected, timeout = RECOVERY_BOUND_MS) {
  const start = Date.now();
  let last;
  const end = start + timeout;
  while (Date.now() < end) {
    last = await shown(page).catch(() => undefined);
    if (last && Object.entries(expected).every(([u, a]) => last[u].availability === a && !last[u].stale)) {
      return Date.now() - start;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`not live and correct within ${timeout} ms: expected ${JSON.stringify(expected)}, shown ${JSON.stringify(last)}`);
}

/** A password user whose token the server no longer knows is asked again (the widget keeps
 *  no password): waits for the form, signs in; resolves when the form was submitted. */
export async function signInWhenAsked(page, timeout) {
  await page.locator("form.ucwa-signin").waitFor({ state: "visible", timeout });
  await allStale(page, 1000);
  await signIn(page, "dana@contoso.com");
}

/** Polls until no badge claims to be live: each drawn stale (or "Presence unknown"). */
export async function allStale(page, timeout = DETECTION_BOUND_MS) {
  const notLive = (b) => b.stale || /unknown/i.test(b.availability ?? "Unknown");
  await eventually(async () => Object.values(await shown(page)).every(notLive), "every badge stale", timeout);
}

/** A watcher in the page: from `watch()` until `verdict()`, every 20 ms and on every change of
 *  a badge's class, it notes any badge drawn live. */
async function installWatcher(page) {
  await page.evaluate(() => {
    const badges = () => [...document.querySelectorAll("ucwa-presence")]
      .map((h) => h.shadowRoot?.querySelector(".ucwa-badge")).filter(Boolean);
    const w = { on: false, live: [] };
    const look = () => {
      if (!w.on) return;
      for (const b of badges()) {
        // "Presence unknown" claims nothing; anything else not drawn stale claims to be live.
        const a = b.getAttribute("data-availability") ?? "";
        if (!b.classList.contains("ucwa-badge--stale") && !/unknown/i.test(a)) w.live.push(`${b.getAttribute("data-availability")} at ${Math.round(performance.now())}`);
      }
    };
    const observer = new MutationObserver(look);
    for (const h of document.querySelectorAll("ucwa-presence")) {
      if (h.shadowRoot) observer.observe(h.shadowRoot, { subtree: true, attributes: true, childList: true });
    }
    setInterval(look, 20);
    window.faultWatcher = w;
  });
}

/** Starts noting live badges (call once all are stale). */
export const watch = (page) => page.evaluate(() => { window.faultWatcher.on = true; window.faultWatcher.live = []; });

/** Stops noting; fails if any badge was drawn live meanwhile. */
export async function neverLive(page, what) {
  const live = await page.evaluate(() => { window.faultWatcher.on = false; return window.faultWatcher.live; });
  assert.deepEqual(live.slice(0, 5), [], `a badge was drawn live ${what}`);
}

/** The body of most rows: from live, `fault.start()`, all stale, `changes` made on the server,
 *  `fault.end()`; live and correct within the bound. Records and returns the recovery time. */
export async function row(env, s, name, fault, changes = { [SARA]: "Away", [CHRIS]: "DoNotDisturb" }) {
  const expected = { [SARA]: "Busy", [CHRIS]: "Away", [ALEX]: "DoNotDisturb", ...changes };
  await fault.start();
  await allStale(s.page, fault.detection ?? DETECTION_BOUND_MS);
  await watch(s.page);
  for (const [uri, a] of Object.entries(changes)) await presence(env.server, uri, a);
  await (fault.during?.() ?? Promise.resolve());
  await neverLive(s.page, `while ${name} lasted`);
  await fault.end();
  const ms = await liveAndShowing(s.page, expected, fault.bound ?? RECOVERY_BOUND_MS);
  await record(name, ms);
  return ms;
}

/** Prints (and, with UCWA_FAULT_TIMINGS set, appends to that file) one "fault → recovery" line. */
export async function record(name, ms) {
  const line = JSON.stringify({ fault: name, recovery_ms: ms });
  console.log(`fault-matrix ${line}`);
  if (process.env.UCWA_FAULT_TIMINGS) await appendFile(process.env.UCWA_FAULT_TIMINGS, line + "\n");
}

/** A fault installed through the control API and cleared with DELETE /_control/faults. */
export function injected(server, body, extra = {}) {
  return {
    start: () => server.control("/faults", body),
    end: async () => {
      const r = await fetch(`${server.url}/_control/faults`, { method: "DELETE" });
      if (!r.ok) throw new Error(`DELETE /_control/faults: ${r.status}`);
    },
    ...extra,
  };
}

/** Every UCWA request (control requests are exempt) until cleared. */
export const ALL = 100000;
