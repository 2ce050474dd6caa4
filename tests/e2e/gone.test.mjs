// Applications the server ends (ApplicationDashboard): a 410 InactiveApplicationExpired
// mid-session (laptop sleep, a tab hidden too long) makes the widget create a new application
// and restore everything by itself; a 410 TooManyApplications stops it with a message that says
// why, its badges shown as last known, not live.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, startPages, embedPage, launch, openAs, signIn, badge, waitForAttr, eventually } from "./harness.mjs";

const DANA = "sip:dana@contoso.com";
const SARA = "sip:sarad@contoso.com";
let server, pages, browser;

before(async () => {
  pages = await startPages();
  // One application per user: a second sign-in ends the first one (TooManyApplications).
  server = await startServer({ pageOrigin: pages.origin, args: ["--max-applications", "1"] });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.stop();
  pages?.stop();
});

async function signedIn(name, user) {
  const url = pages.page(`/gone-${name}.html`, embedPage(server.autodiscover, `
    <ucwa-status></ucwa-status>
    <ucwa-presence uri="${SARA}"></ucwa-presence>`));
  const s = await openAs(browser, url);
  await signIn(s.page, user);
  await s.page.locator("ucwa-status .ucwa-picker__button").waitFor({ timeout: 15000 });
  return s;
}

test("410 InactiveApplicationExpired mid-session: a new application, live again by itself", async () => {
  const dana = await signedIn("expired", "dana@contoso.com");
  try {
    await server.control(`/users/${SARA}/presence`, { availability: "Busy" });
    await waitForAttr(badge(dana.page, SARA), "data-availability", "Busy");
    const created = (await server.control("/stats")).applications_created;

    await server.control(`/users/${DANA}/end-applications`, { subcode: "InactiveApplicationExpired" });
    await eventually(async () => (await server.control("/stats")).applications_created > created, "a new application");
    // The subscription is restored on the new application: Sara's next change arrives.
    await server.control(`/users/${SARA}/presence`, { availability: "Away" });
    await waitForAttr(badge(dana.page, SARA), "data-availability", "Away");
    assert.equal(await dana.page.locator("ucwa-status .ucwa-status__stopped").isVisible(), false);
    assert.equal(await dana.page.locator("form.ucwa-signin").isVisible(), false, "no new sign-in");
    assert.deepEqual(dana.errors.filter((e) => e.includes("ucwa-presence")), []);
  } finally {
    await dana.context.close();
  }
});

test("410 TooManyApplications: the widget stops, says why, and shows its badges as not live", async () => {
  const first = await signedIn("first", "dana@contoso.com");
  try {
    await server.control(`/users/${SARA}/presence`, { availability: "Busy" });
    await waitForAttr(badge(first.page, SARA), "data-availability", "Busy");
    // Dana signs in somewhere else: her first application is ended with TooManyApplications.
    const second = await signedIn("second", "dana@contoso.com");
    try {
      const alert = first.page.locator("ucwa-status .ucwa-status__stopped [role=alert]");
      await alert.waitFor({ state: "visible", timeout: 20000 });
      assert.match(await alert.textContent(), /too many places/);
      await eventually(async () => /\bucwa-badge--stale\b/.test(await badge(first.page, SARA).getAttribute("class")),
        "the badge marked stale");
      assert.match(await badge(first.page, SARA).getAttribute("aria-label"), /last known, not updating/);
      // The second page is live.
      await waitForAttr(badge(second.page, SARA), "data-availability", "Busy");
    } finally {
      await second.context.close();
    }
  } finally {
    await first.context.close();
  }
});
