// Scale benchmark: a page of N `<ucwa-presence>` elements (display="name"), the release bundle,
// the reference server (release build, aggregation windows 0), headless Chromium. Prints JSON
// figures (no assertions):
//   - known: from the sign-in form's submit (and from the token's arrival) until every badge shows
//     a presence and every name is the directory's, and the HTTP requests the page sent for it
//     (the server's request log; the parts of a `batch` are counted apart);
//   - storm: every person on the page changes once (N changes through the control API); the
//     renderer's main-thread time (Chrome DevTools Protocol `Performance.getMetrics`,
//     `TaskDuration`) from the first change until every badge shows it, minus the probe's own
//     cost, measured alone; and the browser's floor for it (the same DOM writes by a plain script);
//   - heap: the widget module's `memory.buffer.byteLength` after load, after the storm, and after
//     `UCWA_BENCH_EVENTS` events in all (default 0: no extra storms);
//   - staleness (`UCWA_BENCH_SECS` > 0, default 300): one scripted change per second for that long;
//     for each change, the time until the widget's badge shows it, and the same for the polling
//     peer model (bench/peer-model.mjs) run at the same time against the same server; requests of
//     both over the run.
// UCWA_BENCH_PROFILE=f.cpuprofile and UCWA_BENCH_TRACE=f.json save the first storm's CPU profile
// and its DevTools timeline events summed by name (where the main-thread time goes).
//   node bench/scale.mjs 1000
import { startServer, startPages, embedPage, launch, signIn, usersFile } from "../tests/e2e/harness.mjs";
import { PeerModel } from "./peer-model.mjs";

const count = Number(process.argv[2] ?? 1000);
const secs = Number(process.env.UCWA_BENCH_SECS ?? 300);
const extraEvents = Number(process.env.UCWA_BENCH_EVENTS ?? 0);

const STATES = ["Online", "Busy", "DoNotDisturb", "BeRightBack", "Away"];
const GIVEN = ["Ada", "Bo", "Chen", "Dara", "Eli", "Fumi", "Gus", "Hana", "Ivo", "Jun"];
const FAMILY = ["Abe", "Berg", "Cruz", "Diaz", "Eke", "Fox", "Gray", "Holm", "Ito", "Juarez"];
const people = Array.from({ length: count }, (_, i) => ({
  uri: `sip:person${i + 1}@contoso.com`, password: "demo", photo: false,
  name: `${GIVEN[i % 10]} ${FAMILY[Math.floor(i / 10) % 10]} ${i + 1}`, presence: STATES[i % STATES.length],
}));
const viewer = { uri: "sip:viewer@contoso.com", password: "demo", name: "Vera Viewer" };
const peerUser = { uri: "sip:peer@contoso.com", password: "demo", name: "Pat Peer" };

const quantile = (xs, q) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor(q * s.length))]);
};

const pages = await startPages();
const server = await startServer({
  pageOrigin: pages.origin,
  args: ["--users", await usersFile([viewer, peerUser, ...people]), "--request-log-capacity", "1000000"],
});
const browser = await launch();
const setPresence = (uri, availability) => server.control(`/users/${encodeURIComponent(uri)}/presence`, { availability });
/** Sends `changes` ([uri, availability]) through the control API, `width` at a time. */
async function send(changes, width = 16) {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < changes.length) {
      const [uri, a] = changes[next++];
      await setPresence(uri, a);
    }
  }));
}

try {
  const list = people.map((p) => `<li><ucwa-presence uri="${p.uri}"></ucwa-presence></li>`).join("");
  const url = pages.page("/scale.html", embedPage(server.autodiscover, `<style>${process.env.UCWA_BENCH_PAGE_CSS ?? ""}</style><ucwa-status></ucwa-status>
    <ul style="${process.env.UCWA_BENCH_LIST_STYLE ?? "columns:8;list-style:none;margin:0;padding:0;font-size:11px"}">${list}</ul>`, ` data-transport="xframe"`));
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  // The widget's wasm memory, whatever its export is called (the build shortens names).
  await context.addInitScript(() => {
    const keep = (result) => {
      const instance = result.instance ?? result;
      const memory = Object.values(instance.exports ?? {}).find((e) => e instanceof WebAssembly.Memory);
      if (memory) window.__ucwaMemory = memory;
      return result;
    };
    const { instantiate, instantiateStreaming } = WebAssembly;
    WebAssembly.instantiate = (...a) => instantiate(...a).then(keep);
    if (instantiateStreaming) WebAssembly.instantiateStreaming = (...a) => instantiateStreaming(...a).then(keep);
  });
  const page = await context.newPage();
  let tokenAt = null;
  // When the token's response ended, by the browser's own timing of the request.
  context.on("requestfinished", async (q) => {
    if (tokenAt !== null || !/oauthtoken/i.test(q.url()) || (await q.response())?.status() !== 200) return;
    const t = q.timing();
    tokenAt = t.startTime + t.responseEnd;
  });
  await page.goto(url);
  await page.locator("input[name=username]").waitFor({ timeout: 30000 });
  const cdp = await context.newCDPSession(page);
  await cdp.send("Performance.enable");
  const metric = async (name) => (await cdp.send("Performance.getMetrics")).metrics.find((m) => m.name === name).value;
  const taskSecs = () => metric("TaskDuration");
  const DETAIL = ["ScriptDuration", "RecalcStyleDuration", "LayoutDuration"];
  const details = async () => Object.fromEntries(await Promise.all(DETAIL.map(async (d) => [d, await metric(d)])));
  const heap = () => page.evaluate(() => window.__ucwaMemory?.buffer.byteLength ?? null);

  // How many badges show `want[i]` (null: any known presence) and, with `names`, the name.
  await page.evaluate((names) => {
    window.__ucwaNames = names;
    window.__ucwaCount = (want, checkNames) => {
      let n = 0;
      const hosts = document.querySelectorAll("ucwa-presence");
      for (let i = 0; i < hosts.length; i++) {
        const root = hosts[i].shadowRoot;
        const a = root?.querySelector(".ucwa-badge")?.getAttribute("data-availability");
        const ok = want === null ? a && a !== "Unknown" : a === want[i];
        if (ok && (!checkNames || root.querySelector(".ucwa-contact__name")?.textContent === window.__ucwaNames[i])) n++;
      }
      return n;
    };
  }, people.map((p) => p.name));
  const until = async (want, checkNames, what, ms = 120000) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const n = await page.evaluate(([w, c]) => window.__ucwaCount(w, c), [want, checkNames]);
      if (n === count) return;
      if (Date.now() > deadline) throw new Error(`${what}: only ${n} of ${count} after ${ms} ms`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  await server.clearRequests();
  const t0 = Date.now();
  await signIn(page, "viewer@contoso.com");
  await until(null, true, "all known");
  const knownAt = Date.now();
  const log = await server.requests();
  const sent = log.filter((r) => r.origin);
  const kind = (r) => (r.method === "OPTIONS" ? "preflights" : /\/batch$/.test(r.path) ? "batch"
    : /\/events$/.test(r.path) ? "events" : /presenceSubscription/.test(r.path) ? "subscriptions"
      : /\/people\/[^/]+$/.test(r.path) ? "contact_gets" : "other");
  const by = { batch: 0, events: 0, contact_gets: 0, subscriptions: 0, preflights: 0, other: 0 };
  for (const r of sent) by[kind(r)]++;
  const known = {
    known_ms: knownAt - t0, known_after_token_ms: tokenAt ? Math.round(knownAt - tokenAt) : null,
    requests: sent.length, requests_with_token: sent.filter((r) => r.token_user).length, ...by,
    batch_parts: log.length - sent.length,
  };
  const heapLoaded = await heap();

  // The probe's own main-thread cost (a few runs of the same count), to subtract.
  const probeBefore = await taskSecs();
  const probes = 10;
  for (let i = 0; i < probes; i++) await page.evaluate(() => window.__ucwaCount(null, false));
  const probeCost = (await taskSecs() - probeBefore) / probes;

  // Storm k: person i goes to STATES[(i + k + 1) % 5] (always a change from storm k - 1).
  const storm = async (k) => {
    const want = people.map((_, i) => STATES[(i + k + 1) % STATES.length]);
    await server.clearRequests();
    const before = await taskSecs();
    const detailBefore = await details();
    let polls = 0;
    const start = Date.now();
    await send(people.map((p, i) => [p.uri, want[i]]));
    const deadline = Date.now() + 120000;
    for (;;) {
      polls++;
      const n = await page.evaluate((w) => window.__ucwaCount(w, false), want);
      if (n === count) break;
      if (Date.now() > deadline) throw new Error(`storm ${k}: only ${n} of ${count}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    const detailAfter = await details();
    const split = Object.fromEntries(DETAIL.map((d) => [d, Math.round((detailAfter[d] - detailBefore[d]) * 1000)]));
    const main = (await taskSecs() - before - polls * probeCost) * 1000;
    const sent = (await server.requests()).filter((r) => r.origin);
    const batches = sent.filter((r) => /\/batch$/.test(r.path)).length;
    return { main_ms: Math.max(0, main), wall_ms: Date.now() - start, split, requests: sent.length, batches };
  };
  // UCWA_BENCH_PROFILE=file.cpuprofile: the first storm's CPU profile (DevTools format).
  const profile = process.env.UCWA_BENCH_PROFILE;
  if (profile) {
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.start");
  }
  // UCWA_BENCH_TRACE=file.json: the first storm's main-thread trace events by name (DevTools
  // timeline), self time, largest first.
  const trace = process.env.UCWA_BENCH_TRACE;
  let traceDone;
  const traceEvents = [];
  if (trace) {
    cdp.on("Tracing.dataCollected", (d) => traceEvents.push(...d.value));
    traceDone = new Promise((r) => cdp.once("Tracing.tracingComplete", r));
    await cdp.send("Tracing.start", { categories: "devtools.timeline,disabled-by-default-devtools.timeline", transferMode: "ReportEvents" });
  }
  const first = await storm(0);
  if (trace) {
    await cdp.send("Tracing.end");
    await traceDone;
    const main = traceEvents.filter((e) => e.ph === "X" && e.dur);
    const byName = {};
    for (const e of main) byName[`${e.pid}/${e.tid} ${e.name}`] = (byName[`${e.pid}/${e.tid} ${e.name}`] ?? 0) + e.dur / 1000;
    const { writeFile } = await import("node:fs/promises");
    await writeFile(trace, JSON.stringify(Object.entries(byName).sort((a, b) => b[1] - a[1]).slice(0, 60), null, 1));
  }
  if (profile) {
    const { writeFile } = await import("node:fs/promises");
    await writeFile(profile, JSON.stringify((await cdp.send("Profiler.stop")).profile));
  }
  const heapStorm = await heap();

  // The browser's floor for the same storm: the DOM writes the widget made (each badge's class,
  // label, data-availability and icon, copied from a badge already showing the state the
  // next storm gives it), made by a plain script in as many steps as the storm had batch
  // responses, spread over the storm's wall time; renderer main-thread time until the frame
  // after the last step. No widget code runs (the badges' own attributes are written): what it
  // costs is the page's style, layout and paint.
  const floor = await (async () => {
    const steps = Number(process.env.UCWA_BENCH_FLOOR_STEPS) || Math.max(1, first.batches);
    const saved = await page.evaluate(() => [...document.querySelectorAll("ucwa-presence")].map((h) => {
      const b = h.shadowRoot.querySelector(".ucwa-badge");
      const attrs = Object.fromEntries(["class", "aria-label", "data-availability"].map((a) => [a, b.getAttribute(a)]));
      return { attrs, d: b.querySelector("path").getAttribute("d") };
    }));
    const before = await taskSecs();
    await page.evaluate(async ([want, steps, gapMs]) => {
      const badges = [...document.querySelectorAll("ucwa-presence")].map((h) => h.shadowRoot.querySelector(".ucwa-badge"));
      const look = {};
      for (const b of badges) look[b.getAttribute("data-availability")] ??= b;
      const per = Math.ceil(badges.length / steps);
      for (let s = 0; s < steps; s++) {
        for (let i = s * per; i < Math.min(badges.length, (s + 1) * per); i++) {
          const from = look[want[i]], b = badges[i];
          for (const a of ["class", "aria-label", "data-availability"]) b.setAttribute(a, from.getAttribute(a));
          b.querySelector("path").setAttribute("d", from.querySelector("path").getAttribute("d"));
        }
        await new Promise((r) => setTimeout(r, gapMs));
      }
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    }, [people.map((_, i) => STATES[(i + 2) % STATES.length]), steps, first.wall_ms / steps]);
    const main_ms = Math.round((await taskSecs() - before) * 1000);
    // What the widget drew, back (it writes only what differs from what it drew).
    await page.evaluate((saved) => {
      const badges = [...document.querySelectorAll("ucwa-presence")].map((h) => h.shadowRoot.querySelector(".ucwa-badge"));
      badges.forEach((b, i) => {
        for (const [a, v] of Object.entries(saved[i].attrs)) b.setAttribute(a, v);
        b.querySelector("path").setAttribute("d", saved[i].d);
      });
    }, saved);
    return { main_ms, steps };
  })();
  let events = count;
  let k = 1;
  while (events < extraEvents) {
    await storm(k++);
    events += count;
  }
  const heapEvents = await heap();

  let staleness = null;
  if (secs > 0) {
    // One change per second to a person picked by a fixed sequence; both clients watch.
    await page.evaluate(() => {
      window.__ucwaSeen = [];
      for (const host of document.querySelectorAll("ucwa-presence")) {
        const badge = () => host.shadowRoot?.querySelector(".ucwa-badge");
        new MutationObserver(() => window.__ucwaSeen.push([host.getAttribute("uri"), badge()?.getAttribute("data-availability"), Date.now()]))
          .observe(host.shadowRoot, { attributes: true, subtree: true, attributeFilter: ["data-availability"] });
      }
    });
    const peer = new PeerModel({ base: server.url, autodiscover: server.autodiscover, user: "peer@contoso.com", password: "demo", uris: people.map((p) => p.uri) });
    await peer.start();
    await server.clearRequests();
    const current = people.map((_, i) => STATES[(i + k) % STATES.length]);
    const changes = [];
    let seed = 12345;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const end = Date.now() + secs * 1000;
    while (Date.now() < end) {
      const i = Math.floor(rand() * count);
      const to = STATES[(STATES.indexOf(current[i]) + 1 + Math.floor(rand() * 4)) % STATES.length];
      current[i] = to;
      const at = Date.now();
      await setPresence(people[i].uri, to);
      changes.push({ uri: people[i].uri, to, at });
      await new Promise((r) => setTimeout(r, Math.max(0, at + 1000 - Date.now())));
    }
    await new Promise((r) => setTimeout(r, 21000)); // the peer's last poll
    peer.stop();
    const seen = await page.evaluate(() => window.__ucwaSeen);
    const log = await server.requests();
    // The time until `seen` ([uri, value, at]) first shows a change's value after it was made,
    // before a later change of the same person (a change overtaken before it showed is stale
    // until then).
    const lags = (observed) => changes.map((c, n) => {
      const later = changes.slice(n + 1).find((d) => d.uri === c.uri)?.at ?? Infinity;
      const hit = observed.find(([u, v, at]) => u === c.uri && v === c.to && at >= c.at && at <= later);
      return hit ? hit[2] - c.at : (later === Infinity ? Date.now() - c.at : later - c.at);
    });
    const widget = lags(seen);
    const model = lags(peer.seen);
    staleness = {
      secs, changes: changes.length,
      widget_requests: log.filter((r) => r.origin).length,
      widget_p50_ms: quantile(widget, 0.5), widget_p99_ms: quantile(widget, 0.99),
      peer_requests: peer.requests, peer_http_requests: peer.httpRequests,
      peer_p50_ms: quantile(model, 0.5), peer_p99_ms: quantile(model, 0.99),
    };
  }
  console.log(JSON.stringify({
    contacts: count, ...known,
    storm_changes: count, storm_main_ms: Math.round(first.main_ms), storm_wall_ms: first.wall_ms, storm_requests: first.requests, storm_script_ms: first.split.ScriptDuration,
    storm_style_ms: first.split.RecalcStyleDuration, storm_layout_ms: first.split.LayoutDuration,
    storm_floor_main_ms: floor.main_ms, storm_floor_steps: floor.steps,
    heap_loaded: heapLoaded, heap_after_storm: heapStorm, events_total: Math.max(events, count), heap_after_events: heapEvents,
    ...(staleness ?? {}),
  }));
  await context.close();
} finally {
  await browser.close();
  server.stop();
  pages.stop();
}
