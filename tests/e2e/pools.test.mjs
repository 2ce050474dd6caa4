// The widget and a user homed on another pool: Sara (homed on pool B) is configured with pool
// A's autodiscover; the widget follows A's `redirect` to B, answers B's own challenge with the
// credentials she typed once, and is live on B. The servers' request log shows each token went
// only to the pool that issued it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startPools, startPages, embedPage, launch, openAs, signIn, badge, waitForAttr, eventually } from "./harness.mjs";

const DANA = "sip:dana@contoso.com";
const SARA = "sip:sarad@contoso.com";
let server, pages, browser;

before(async () => {
  pages = await startPages();
  server = await startPools({ pageOrigin: pages.origin, homes: { "sarad@contoso.com": "B" } });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.stop();
  pages?.stop();
});

test("Sara, homed on pool B, signs in through pool A's autodiscover and is live on B", async () => {
  const { A, B } = server.pools;
  await server.clearRequests();
  const url = pages.page("/pools.html", embedPage(A.autodiscover, `
    <ucwa-status></ucwa-status>
    <ucwa-presence uri="${DANA}"></ucwa-presence>`));
  const s = await openAs(browser, url);
  try {
    await signIn(s.page, "sarad@contoso.com");
    await s.page.locator("ucwa-status .ucwa-picker__button").waitFor({ timeout: 15000 });
    // Live: a change of Dana's presence (homed on A, one presence model) reaches her badge.
    await server.control(`/users/${DANA}/presence`, { availability: "Busy" });
    await waitForAttr(badge(s.page, DANA), "data-availability", "Busy");
    // The form was filled once: B's challenge was answered with the same credentials.
    assert.equal(await s.page.locator("form.ucwa-signin").isVisible(), false);

    const log = await server.requests();
    const tokens = log.filter((r) => r.method === "POST" && /\/webticket\/oauthtoken$/i.test(r.path));
    assert.deepEqual(tokens.map((r) => r.pool).sort(), ["A", "B"], JSON.stringify(tokens));
    for (const r of log) {
      if (r.token_pool !== null) assert.equal(r.token_pool, r.pool, `a token reached another pool: ${JSON.stringify(r)}`);
    }
    // The redirect was read with A's token; the application lives on B, with B's.
    assert.ok(log.some((r) => r.pool === "A" && r.token_pool === "A" && /\/redirect$/i.test(r.path)), JSON.stringify(log));
    assert.ok(log.some((r) => r.pool === "B" && r.token_pool === "B" && r.method === "POST" && /\/applications$/i.test(r.path)));
    assert.ok(!log.some((r) => r.pool === "A" && /\/ucwa\//.test(r.path)), "nothing of the application went to A");
    // The widget's own errors (the browser may log its refusal of a Windows grant it tried first).
    assert.deepEqual(s.errors.filter((e) => e.includes("ucwa-presence")), []);
  } finally {
    await s.context.close();
  }
});

test("Dana, homed on pool A, stays on A and never sends a token to B", async () => {
  // A server of its own: the first test's page may still send its pagehide DELETE to B.
  const server = await startPools({ pageOrigin: pages.origin, homes: { "sarad@contoso.com": "B" } });
  const { A } = server.pools;
  await server.clearRequests(); // the harness's own readiness requests
  const url = pages.page("/pools-dana.html", embedPage(A.autodiscover, `
    <ucwa-status></ucwa-status>
    <ucwa-presence uri="${SARA}"></ucwa-presence>`));
  const s = await openAs(browser, url);
  try {
    await signIn(s.page, "dana@contoso.com");
    await s.page.locator("ucwa-status .ucwa-picker__button").waitFor({ timeout: 15000 });
    await eventually(async () => (await server.requests()).some((r) => r.path.includes("/events")), "an event request");
    const log = await server.requests();
    assert.ok(log.every((r) => r.pool === "A"), JSON.stringify(log.filter((r) => r.pool !== "A")));
  } finally {
    await s.context.close();
    server.stop();
  }
});
