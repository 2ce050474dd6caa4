// Propagation benchmark: Dana clicks a status in her <ucwa-status>; how long until Sara's
// <ucwa-presence uri="sip:dana@contoso.com"> shows it? Two independent Chromium profiles, the
// release bundle, the reference server on loopback. Prints JSON figures (no assertions).
//   node bench/propagation.mjs instant 50 [xframe|cors]   (aggregation windows 0)
//   node bench/propagation.mjs default 20 [xframe|cors]   (UCWA's documented windows: medium 5 s)
//   node bench/propagation.mjs instant 30 cors cwa2007 ucwa [poll-wait-ms]
// The third argument is the widget's transport (data-transport; default cors). `xframe` runs the
// server as a stock one, CORS off, so every request goes through its XFrame page. The fourth and
// fifth are Dana's and Sara's backends (data-backend: ucwa, the default, or cwa2007 — the CWA
// 2007 front end of the same server, always over CORS); the sixth, the server's CWA
// pollWaitTime (--cwa-poll-wait-ms; omitted: the server's default).
import { startServer, startPages, embedPage, launch, openAs, signIn, waitForAttr } from "../tests/e2e/harness.mjs";

const mode = process.argv[2] ?? "instant";
const rounds = Number(process.argv[3] ?? 50);
const transport = process.argv[4] ?? "cors";
if (!["xframe", "cors"].includes(transport)) throw new Error(`transport must be xframe or cors, not ${transport}`);
const backends = [process.argv[5] ?? "ucwa", process.argv[6] ?? "ucwa"];
for (const b of backends) if (!["ucwa", "cwa2007"].includes(b)) throw new Error(`backend must be ucwa or cwa2007, not ${b}`);
const pollWait = process.argv[7];
const DANA = "sip:dana@contoso.com";

const pages = await startPages();
const server = await startServer({
  pageOrigin: pages.origin, instantEvents: mode === "instant",
  args: [...(transport === "xframe" ? ["--cors", "off"] : []), ...(pollWait ? ["--cwa-poll-wait-ms", pollWait] : [])],
});
const browser = await launch();
try {
  const body = `<ucwa-status></ucwa-status><ucwa-presence uri="${DANA}"></ucwa-presence>`;
  const urlFor = (backend) => backend === "cwa2007"
    ? pages.page("/bench-cwa.html", embedPage(null, body, ` data-backend="cwa2007" data-cwa="${server.url}"`))
    : pages.page("/bench.html", embedPage(server.autodiscover, body, ` data-transport="${transport}"`));
  const dana = await openAs(browser, urlFor(backends[0]));
  const sara = await openAs(browser, urlFor(backends[1]));
  await signIn(dana.page, "dana@contoso.com");
  await signIn(sara.page, "sarad@contoso.com");
  const badge = sara.page.locator(`ucwa-presence[uri="${DANA}"] .ucwa-badge`);
  await waitForAttr(badge, "data-availability", "Online", 20000);

  // Sara's page timestamps every change of Dana's badge.
  await sara.page.evaluate((uri) => {
    window.__changes = [];
    const root = document.querySelector(`ucwa-presence[uri="${uri}"]`).shadowRoot;
    new MutationObserver(() => {
      const b = root.querySelector(".ucwa-badge");
      window.__changes.push({ value: b.getAttribute("data-availability"), t: performance.timeOrigin + performance.now() });
    }).observe(root, { attributes: true, subtree: true, attributeFilter: ["data-availability"] });
  }, DANA);

  const latencies = [];
  const polled = backends.includes("cwa2007");
  let seed = 12345;
  const offset = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * Number(pollWait ?? 1000);
  const sequence = ["Busy", "Online"];
  for (let i = 0; i < rounds; i++) {
    const want = sequence[i % 2];
    const label = want === "Busy" ? "Busy" : "Available";
    const t0 = await dana.page.evaluate((label) => {
      const host = document.querySelector("ucwa-status").shadowRoot;
      const option = [...host.querySelectorAll("li[role=option]")].find((li) => li.textContent.trim() === label);
      const t = performance.timeOrigin + performance.now();
      option.click();
      return t;
    }, label);
    const deadline = Date.now() + 30000;
    let seen;
    while (!seen && Date.now() < deadline) {
      seen = await sara.page.evaluate(({ want, t0 }) => window.__changes.find((c) => c.value === want && c.t >= t0), { want, t0 });
      if (!seen) await new Promise((r) => setTimeout(r, 5));
    }
    if (!seen) throw new Error(`round ${i}: Sara never saw ${want}`);
    latencies.push(seen.t - t0);
    // A CWA watcher polls: the next click comes at a pseudo-random point of its poll cycle (a
    // fixed seed, so every run samples the same offsets), not phase-locked to the last poll.
    await new Promise((r) => setTimeout(r, 50 + (polled ? offset() : 0)));
  }
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  console.log(JSON.stringify({
    mode, transport, dana: backends[0], sara: backends[1], poll_wait_ms: pollWait ? Number(pollWait) : "server default",
    rounds, p50_ms: +pct(50).toFixed(1), p99_ms: +pct(99).toFixed(1),
    min_ms: +latencies[0].toFixed(1), max_ms: +latencies[latencies.length - 1].toFixed(1),
  }));
} finally {
  await browser.close();
  server.stop();
  pages.stop();
}
