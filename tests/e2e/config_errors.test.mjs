// Configuration mistakes show a clear inline message and a console error, never a blank page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startPages, embedPage, launch, openAs } from "./harness.mjs";

let pages, browser;
before(async () => { pages = await startPages(); browser = await launch(); });
after(async () => { await browser?.close(); pages?.stop(); });

test("a page without data-autodiscover says what to add", async () => {
  const url = pages.page("/no-config.html", embedPage(null, `<ucwa-presence uri="sip:sarad@contoso.com"></ucwa-presence><ucwa-status></ucwa-status>`));
  const s = await openAs(browser, url);
  try {
    const message = s.page.locator("ucwa-presence [role=alert]");
    await message.waitFor({ timeout: 15000 });
    assert.match(await message.textContent(), /data-autodiscover/);
    assert.match(await s.page.locator("ucwa-status [role=alert]").textContent(), /data-autodiscover/);
    assert.ok(s.errors.some((e) => e.includes("data-autodiscover")), s.errors.join("\n"));
  } finally { await s.context.close(); }
});

test("an autodiscover value that is not a URL is refused with the value shown as text", async () => {
  const url = pages.page("/bad-config.html", embedPage(`javascript:alert(1)<b>`, `<ucwa-presence uri="sip:sarad@contoso.com"></ucwa-presence>`));
  const s = await openAs(browser, url);
  try {
    const message = s.page.locator("ucwa-presence [role=alert]");
    await message.waitFor({ timeout: 15000 });
    assert.match(await message.textContent(), /absolute http\(s\) URL/);
    // Rendered as text, not markup.
    assert.equal(await s.page.locator("ucwa-presence b").count(), 0);
  } finally { await s.context.close(); }
});

test("a bad uri attribute is reported on that element only, and fixing it at run time works", async () => {
  const url = pages.page("/bad-uri.html", embedPage("http://127.0.0.1:9/autodiscover/autodiscoverservice.svc/root",
    `<ucwa-presence id="bad" uri="not a sip uri"></ucwa-presence><ucwa-presence id="good" uri="sip:sarad@contoso.com"></ucwa-presence>`));
  const s = await openAs(browser, url);
  try {
    const message = s.page.locator("#bad [role=alert]");
    await message.waitFor({ timeout: 15000 });
    assert.match(await message.textContent(), /not a SIP address/);
    assert.equal(await s.page.locator("#good [role=alert]").count(), 0);
    await s.page.locator("#good .ucwa-badge").waitFor({ timeout: 5000 });
    await s.page.evaluate(() => document.querySelector("#bad").setAttribute("uri", "sip:dana@contoso.com"));
    await s.page.locator("#bad .ucwa-badge").waitFor({ timeout: 5000 });
    assert.equal(await s.page.locator("#bad [role=alert]").count(), 0);
  } finally { await s.context.close(); }
});

test("a server that refuses this page's origin gets a message that names the likely cause", async () => {
  const { startServer } = await import("./harness.mjs");
  // The server allows another origin only: the browser sees CORS refusals (403 + 28070).
  const server = await startServer({ pageOrigin: "http://intranet.contoso.com" });
  // Over CORS (through the XFrame the server's own 403 28070 answer is readable: xframe.test.mjs).
  const url = pages.page("/refused.html", embedPage(server.autodiscover, `<ucwa-status></ucwa-status><ucwa-presence uri="sip:sarad@contoso.com"></ucwa-presence>`, ` data-transport="cors"`));
  const s = await openAs(browser, url);
  try {
    const note = s.page.locator("ucwa-status .ucwa-status__note[role=status]");
    const end = Date.now() + 30000;
    let text = "";
    while (Date.now() < end && !/cross-domain authorization list/.test(text)) {
      text = (await note.textContent().catch(() => "")) ?? "";
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.match(text, /cross-domain authorization list/);
    assert.match(text, new RegExp(pages.origin.replace(/[.:/]/g, "\\$&")));
    // Nothing is shown as live: the colleague's badge is unknown, not a guess.
    assert.equal(await s.page.locator("ucwa-presence .ucwa-badge").getAttribute("data-availability"), "Unknown");
  } finally {
    await s.context.close();
    server.stop();
  }
});
