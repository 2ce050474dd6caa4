// The back/forward cache: a page left for another and restored with Back resumes its session
// (a new application, its subscription made again, badges "last known" until then) instead of
// showing live-looking badges that never change again.
//
// playwright-core starts Chromium with --disable-back-forward-cache; launch({ bfcache: true })
// drops that flag. For Chromium to keep the page at all, nothing may block it: no unload
// handler, no Cache-Control: no-store on the page, and no request in flight when it is hidden
// (the widget aborts its pending event GET on pagehide; the keepalive DELETE does not count).
// If Chromium still refuses, the test fails with its notRestoredReasons.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, startPages, embedPage, launch, openAs, signIn, badge, waitForAttr, eventually } from "./harness.mjs";

let server, pages, browser;
const SARA = "sip:sarad@contoso.com";
const CHRIS = "sip:chrisb@contoso.com";

before(async () => {
  pages = await startPages();
  server = await startServer({ pageOrigin: pages.origin });
  browser = await launch({ bfcache: true });
});
after(async () => { await browser?.close(); server?.stop(); pages?.stop(); });

// Records every pageshow, and whether Chris's badge was drawn stale at that moment (this
// listener runs before the widget's: the module script is deferred).
const recorder = `<script>
  window.shows = [];
  addEventListener("pageshow", (e) => {
    const b = document.querySelector("ucwa-presence")?.shadowRoot?.querySelector(".ucwa-badge");
    window.shows.push({ persisted: e.persisted, stale: !!b && b.classList.contains("ucwa-badge--stale") });
  });
</script>`;

const presence = (uri, availability) => server.control(`/users/${encodeURIComponent(uri)}/presence`, { availability });
const stats = () => server.control("/stats");
const appsOf = async (user) => (await stats()).applications_per_user?.[user] ?? 0;

test("a page restored from the back/forward cache resumes: new application, live badges again", async () => {
  const team = pages.page("/bfcache-team.html", embedPage(server.autodiscover,
    `${recorder}<ucwa-status></ucwa-status><ucwa-presence uri="${CHRIS}"></ucwa-presence>`));
  const elsewhere = pages.page("/bfcache-elsewhere.html", "<!doctype html><html lang=en><title>elsewhere</title><p>elsewhere</p>");
  const s = await openAs(browser, team);
  try {
    await signIn(s.page, "sarad@contoso.com");
    await presence(CHRIS, "Busy");
    await waitForAttr(badge(s.page, CHRIS), "data-availability", "Busy");
    const first = await stats();
    assert.equal(first.applications_per_user[SARA], 1, JSON.stringify(first));

    // Away: the application is DELETEd on pagehide.
    await s.page.goto(elsewhere);
    await eventually(async () => (await appsOf(SARA)) === 0, "Sara's application deleted on pagehide");

    // Back: restored from the cache, not loaded again.
    // A page restored from the cache fires pageshow but no load event: wait for the commit only.
    await s.page.goBack({ waitUntil: "commit" });
    const shows = () => s.page.evaluate(() => window.shows ?? []).catch(() => []);
    await eventually(async () => (await shows()).length > 0, "pageshow after Back");
    const last = (await shows()).at(-1);
    if (!last?.persisted) {
      const reasons = await s.page.evaluate(() => performance.getEntriesByType("navigation")[0]?.notRestoredReasons);
      assert.fail(`the page was loaded again, not restored from the back/forward cache: ${JSON.stringify(reasons)}`);
    }
    assert.equal(last.stale, true, "restored badges are shown as last known until the session is live again");

    // A change made while the page is back reaches the badge: a new application subscribed again.
    await presence(CHRIS, "DoNotDisturb");
    await waitForAttr(badge(s.page, CHRIS), "data-availability", "DoNotDisturb");
    await eventually(async () => !(await badge(s.page, CHRIS).getAttribute("class")).includes("ucwa-badge--stale"), "badge live");
    const now = await stats();
    assert.equal(now.applications_created - first.applications_created, 1, JSON.stringify(now));
    assert.equal(now.applications_per_user[SARA], 1, JSON.stringify(now));
    assert.deepEqual(now.subscribed_contacts_per_user[SARA], [CHRIS], JSON.stringify(now));
    assert.deepEqual(s.errors, []);
  } finally { await s.context.close(); }
});

test("a page left for good (no back/forward cache) deletes its application and stops", async () => {
  const plain = await launch();
  try {
    const team = pages.page("/nocache-team.html", embedPage(server.autodiscover, `<ucwa-presence uri="${CHRIS}"></ucwa-presence>`));
    const s = await openAs(plain, team);
    await signIn(s.page, "dana@contoso.com");
    await presence(CHRIS, "Away");
    await waitForAttr(badge(s.page, CHRIS), "data-availability", "Away");
    assert.equal(await appsOf("sip:dana@contoso.com"), 1);
    await s.page.goto(pages.page("/nocache-elsewhere.html", "<!doctype html><html lang=en><title>x</title><p>x</p>"));
    await eventually(async () => (await appsOf("sip:dana@contoso.com")) === 0, "Dana's application deleted on pagehide");
    assert.deepEqual(s.errors, []);
    await s.context.close();
  } finally { await plain.close(); }
});
