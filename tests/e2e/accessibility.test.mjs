// axe-core (WCAG 2.x A/AA rules) over pages that embed the widget, in each main state: signed
// out (the form), live, status menu open, and a configuration error. Shadow roots included.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { startServer, startPages, embedPage, launch, openAs, signIn, waitForAttr } from "./harness.mjs";

const AXE = new URL("../../tools/node_modules/axe-core/axe.min.js", import.meta.url);
let server, pages, browser, axeSource;

before(async () => {
  axeSource = await readFile(AXE, "utf8");
  pages = await startPages();
  server = await startServer({ pageOrigin: pages.origin });
  browser = await launch();
});
after(async () => { await browser?.close(); server?.stop(); pages?.stop(); });

async function violations(page) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    // A target given as a selector path (an array) is inside a shadow root: proof axe looked there.
    const inShadow = r.passes.flatMap((p) => p.nodes).filter((n) => n.target.some((t) => Array.isArray(t))).length;
    return { inShadow, list: r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).join(", ")})`) };
  });
  assert.ok(result.inShadow > 0, "axe did not reach into the widgets' shadow roots");
  return result.list;
}

const body = (uri) => `<main><h1>Team</h1><ucwa-status></ucwa-status>
  <ul><li><ucwa-presence uri="sip:dana@contoso.com"></ucwa-presence></li>
  <li><ucwa-presence uri="${uri}" display="badge" size="large"></ucwa-presence></li></ul>
  <h2>Contacts</h2><ucwa-contacts></ucwa-contacts></main>`;

test("signed out, live and with the status menu open, the page has no axe violations", async () => {
  const url = pages.page("/a11y.html", embedPage(server.autodiscover, body("sip:chrisb@contoso.com")));
  const s = await openAs(browser, url);
  try {
    await s.page.locator("input[name=username]").waitFor({ timeout: 15000 });
    assert.deepEqual(await violations(s.page), [], "signed out");

    await signIn(s.page, "dana@contoso.com");
    await waitForAttr(s.page.locator(`ucwa-presence[uri="sip:dana@contoso.com"] .ucwa-badge`), "data-availability", "Online");
    await s.page.locator("ucwa-contacts .ucwa-group").first().waitFor({ timeout: 15000 });
    assert.deepEqual(await violations(s.page), [], "live");

    await s.page.locator("ucwa-status .ucwa-picker__button").click();
    await s.page.locator("ucwa-status [role=listbox]:not([hidden])").waitFor();
    assert.deepEqual(await violations(s.page), [], "menu open");
  } finally { await s.context.close(); }
});

test("configuration errors are accessible too", async () => {
  const url = pages.page("/a11y-error.html", embedPage(null, body("not-a-uri")));
  const s = await openAs(browser, url);
  try {
    await s.page.locator("ucwa-presence [role=alert]").first().waitFor({ timeout: 15000 });
    assert.deepEqual(await violations(s.page), []);
  } finally { await s.context.close(); }
});
