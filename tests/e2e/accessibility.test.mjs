// axe-core (WCAG 2.x A/AA rules) over pages that embed the widget, in each main state: signed
// out (the form), live, status menu open, and a configuration error. Shadow roots included.
// Violations fail, and so do "incomplete" results of the rules about ids and names.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, startPages, embedPage, launch, openAs, signIn, waitForAttr } from "./harness.mjs";
import { findings } from "./axe.mjs";

let server, pages, browser;

before(async () => {
  pages = await startPages();
  server = await startServer({ pageOrigin: pages.origin });
  browser = await launch();
});
after(async () => { await browser?.close(); server?.stop(); pages?.stop(); });

const body = (uri) => `<main><h1>Team</h1><ucwa-status></ucwa-status>
  <ul><li><ucwa-presence uri="sip:dana@contoso.com"></ucwa-presence></li>
  <li><ucwa-presence uri="${uri}" display="badge" size="large"></ucwa-presence></li></ul>
  <h2>Contacts</h2><ucwa-contacts></ucwa-contacts></main>`;

test("signed out, live and with the status menu open, the page has no axe violations", async () => {
  const url = pages.page("/a11y.html", embedPage(server.autodiscover, body("sip:chrisb@contoso.com")));
  const s = await openAs(browser, url);
  try {
    await s.page.locator("input[name=username]").waitFor({ timeout: 15000 });
    assert.deepEqual(await findings(s.page), [], "signed out");

    await signIn(s.page, "dana@contoso.com");
    await waitForAttr(s.page.locator(`ucwa-presence[uri="sip:dana@contoso.com"] .ucwa-badge`), "data-availability", "Online");
    await s.page.locator("ucwa-contacts .ucwa-group").first().waitFor({ timeout: 15000 });
    assert.deepEqual(await findings(s.page), [], "live");

    await s.page.locator("ucwa-status .ucwa-picker__button").click();
    await s.page.locator("ucwa-status [role=listbox]:not([hidden])").waitFor();
    assert.deepEqual(await findings(s.page), [], "menu open");
  } finally { await s.context.close(); }
});

test("a contact list alone: every contact's card has an id of its own", async () => {
  // Here the list is the first to use card ids, so axe itself sees a repeated one (as an
  // "incomplete" duplicate-id-aria result, which fails this test).
  const url = pages.page("/a11y-contacts.html", embedPage(server.autodiscover,
    `<main><h1>Contacts</h1><ucwa-status></ucwa-status><ucwa-contacts></ucwa-contacts></main>`));
  const s = await openAs(browser, url);
  try {
    await signIn(s.page, "sarad@contoso.com");
    await s.page.locator("ucwa-contacts .ucwa-group").first().waitFor({ timeout: 15000 });
    assert.ok(await s.page.locator("ucwa-contacts .ucwa-contact").count() > 1, "several contacts in one shadow root");
    assert.deepEqual(await findings(s.page), []);
  } finally { await s.context.close(); }
});

test("configuration errors are accessible too", async () => {
  const url = pages.page("/a11y-error.html", embedPage(null, body("not-a-uri")));
  const s = await openAs(browser, url);
  try {
    await s.page.locator("ucwa-presence [role=alert]").first().waitFor({ timeout: 15000 });
    assert.deepEqual(await findings(s.page), []);
  } finally { await s.context.close(); }
});
