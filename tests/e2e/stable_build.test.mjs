// The stable bundle (scripts/build-dist --stable: no unstable compiler flag, no rebuilt std) is a
// working widget too: a page that embeds it signs in through the widget's form and shows a live
// badge from the reference server.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { startServer, startPages, embedPage, launch, openAs, signIn, badge, waitForAttr } from "./harness.mjs";

const STABLE = process.env.UCWA_DIST_STABLE;
const DEFAULT = process.env.UCWA_DIST;
if (!STABLE) throw new Error("run through scripts/test e2e (UCWA_DIST_STABLE: the output of scripts/build-dist --stable)");
const WASM = "ucwa-presence-core_bg.wasm";
const DANA = "sip:dana@contoso.com";
const SARA = "sip:sarad@contoso.com";

let server, pages, browser;
before(async () => {
  pages = await startPages({ dist: STABLE });
  server = await startServer({ pageOrigin: pages.origin });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.stop();
  pages?.stop();
});

test("the page is served the stable bundle, not the default one", async () => {
  const served = Buffer.from(await (await fetch(`${pages.origin}/ucwa/${WASM}`)).arrayBuffer());
  assert.deepEqual(served, await readFile(join(STABLE, WASM)));
  assert.notDeepEqual(served, await readFile(join(DEFAULT, WASM)), "the two modes should make different modules");
});

test("with the stable bundle, Dana signs in and Sara's badge follows the server live", async () => {
  const url = pages.page("/stable.html", embedPage(server.autodiscover, `
    <ucwa-status></ucwa-status>
    <ucwa-presence uri="${SARA}"></ucwa-presence>`));
  const dana = await openAs(browser, url);
  try {
    await signIn(dana.page, "dana@contoso.com");
    // Signed in: the status element shows Dana's own badge and menu, Available.
    const own = dana.page.locator("ucwa-status .ucwa-picker__button .ucwa-badge");
    await waitForAttr(own, "data-availability", "Online");
    // Sara is signed in nowhere: the server says Offline; then her other endpoint says Busy.
    await waitForAttr(badge(dana.page, SARA), "data-availability", "Offline");
    await server.control(`/users/${encodeURIComponent(SARA)}/presence`, { availability: "Busy" });
    await waitForAttr(badge(dana.page, SARA), "data-availability", "Busy");
    assert.match(await badge(dana.page, SARA).getAttribute("aria-label"), /Busy/);
    // And the server knows the page as one signed-in application with one subscription.
    const stats = await server.control("/stats");
    assert.equal(stats.applications_per_user?.[DANA], 1, JSON.stringify(stats));
    // The module the page ran is the one the first test compared with dist-stable/.
    const loaded = await dana.page.evaluate(() => performance.getEntriesByType("resource").map((e) => new URL(e.name).pathname));
    assert.ok(loaded.includes(`/ucwa/${WASM}`), loaded.join(", "));
    assert.deepEqual(dana.errors, []);
  } finally {
    await dana.context.close();
  }
});
