// Dana and Sara, two independent browser sessions on a page served from another origin than
// the reference server: the seed flow end to end, live.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, startPages, embedPage, launch, openAs, signIn, badge, waitForAttr, eventually } from "./harness.mjs";

let server, pages, browser;
const DANA = "sip:dana@contoso.com";
const SARA = "sip:sarad@contoso.com";

before(async () => {
  pages = await startPages();
  // One UCWA "minute" lasts 1 s here: a 10-minute subscription expires after 10 s.
  server = await startServer({ pageOrigin: pages.origin, args: ["--minute-secs", "1"] });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.stop();
  pages?.stop();
});

function teamPage(extra = "") {
  return embedPage(server.autodiscover, `
    <ucwa-status></ucwa-status>
    <ucwa-presence uri="${DANA}"></ucwa-presence>
    <ucwa-presence uri="${SARA}"></ucwa-presence>
    ${extra}`, ` data-subscription-minutes="10"`);
}

async function signedIn(user) {
  const url = pages.page(`/team-${user}.html`, teamPage());
  const s = await openAs(browser, url);
  await signIn(s.page, `${user}@contoso.com`);
  // Signed in and available: the own badge leaves "Unknown".
  await s.page.locator("ucwa-status .ucwa-picker__button").waitFor({ timeout: 15000 });
  return s;
}

test("Dana picks Busy and Sara's badge for Dana turns Busy, then back to Available", async () => {
  const dana = await signedIn("dana");
  const sara = await signedIn("sarad");
  try {
    // Both are signed in: each sees the other as Available (makeMeAvailable), live.
    await waitForAttr(badge(sara.page, DANA), "data-availability", "Online");
    await waitForAttr(badge(dana.page, SARA), "data-availability", "Online");

    await dana.page.locator("ucwa-status .ucwa-picker__button").click();
    await dana.page.locator("ucwa-status li[role=option]", { hasText: "Busy" }).click();

    await waitForAttr(badge(sara.page, DANA), "data-availability", "Busy");
    // Dana's own badge follows the server's event.
    await waitForAttr(dana.page.locator("ucwa-status .ucwa-picker__button .ucwa-badge"), "data-availability", "Busy");
    const label = await badge(sara.page, DANA).getAttribute("aria-label");
    assert.match(label, /^Busy$|Busy/);

    // Keyboard only: open with ArrowDown, Home = Available, Enter.
    await dana.page.locator("ucwa-status .ucwa-picker__button").focus();
    await dana.page.keyboard.press("ArrowDown");
    await dana.page.keyboard.press("Home");
    await dana.page.keyboard.press("Enter");
    await waitForAttr(badge(sara.page, DANA), "data-availability", "Online");
    assert.deepEqual(sara.errors, []);
    assert.deepEqual(dana.errors, []);
  } finally {
    await dana.context.close();
    await sara.context.close();
  }
});

test("many elements share one application and one event channel", async () => {
  const uris = ["chrisb", "alexd", "garthf", "janets", "lisaa", "maxs"].map((u) => `sip:${u}@contoso.com`);
  const extra = uris.map((u) => `<ucwa-presence uri="${u}"></ucwa-presence>`).join("\n");
  const url = pages.page("/many.html", teamPage(extra));
  // Counters of what the server created: robust against earlier tests' pages, whose
  // applications go away (pagehide DELETE) whenever their closing contexts deliver it.
  const before = await server.control("/stats");
  const sara = await openAs(browser, url);
  try {
    await signIn(sara.page, "sarad@contoso.com");
    await server.control(`/users/${encodeURIComponent(uris[5])}/presence`, { availability: "BeRightBack" });
    await waitForAttr(badge(sara.page, uris[5]), "data-availability", "BeRightBack");
    const stats = await server.control("/stats");
    assert.equal(stats.applications_created - before.applications_created, 1, JSON.stringify(stats));
    assert.equal(stats.subscriptions_created - before.subscriptions_created, 1, JSON.stringify(stats));

    // Added later by the page's script: a contact not on the page yet joins the same
    // application and subscription (addToPresenceSubscription). A URI the directory does not
    // know has no presence to read (404): its badge says "Presence unknown", never Offline.
    await sara.page.evaluate(() => {
      const el = document.createElement("ucwa-presence");
      el.setAttribute("uri", "sip:newhire@contoso.com");
      el.id = "late";
      document.body.append(el);
    });
    const members = async () => (await server.control("/stats")).subscribed_contacts_per_user?.[SARA] ?? [];
    await eventually(async () => (await members()).includes("sip:newhire@contoso.com"), "newhire joined");
    await server.control(`/users/${encodeURIComponent(uris[5])}/presence`, { availability: "Away" });
    await waitForAttr(badge(sara.page, uris[5]), "data-availability", "Away");
    assert.equal(await sara.page.locator("#late .ucwa-badge").getAttribute("data-availability"), "Unknown");
    assert.match(await sara.page.locator("#late .ucwa-badge").getAttribute("aria-label"), /Presence unknown/);
    const after = await server.control("/stats");
    assert.equal(after.applications_created - before.applications_created, 1, JSON.stringify(after));
    assert.equal(after.subscriptions_created - before.subscriptions_created, 1, JSON.stringify(after));

    // Removed elements leave the subscription (their membership is deleted)...
    await sara.page.evaluate(() => document.querySelector("#late").remove());
    await eventually(async () => !(await members()).includes("sip:newhire@contoso.com"), "newhire left");
    assert.ok((await members()).includes(uris[5]), "the others stay");
    // ...and with no element left, the subscription itself is deleted.
    await sara.page.evaluate(() => document.querySelectorAll("ucwa-presence").forEach((e) => e.remove()));
    await eventually(async () => (await members()).length === 0, "subscription deleted");
    assert.deepEqual(sara.errors, []);
  } finally {
    await sara.context.close();
  }
});

test("Sara's subscription is extended across its expiry and the widget recovers a deleted application", async () => {
  const CHRIS = "sip:chrisb@contoso.com";
  const url = pages.page("/expiry.html", teamPage(`<ucwa-presence uri="${CHRIS}"></ucwa-presence>`));
  const sara = await openAs(browser, url);
  try {
    await signIn(sara.page, "sarad@contoso.com");
    await server.control(`/users/${encodeURIComponent(CHRIS)}/presence`, { availability: "Busy" });
    await waitForAttr(badge(sara.page, CHRIS), "data-availability", "Busy");

    // 10-minute subscriptions with 1-second minutes: the server warns before each expiry, and
    // each warning must be answered by an extension (seed 001), not left to lapse and the
    // subscription created again. Three extensions mean more than two lifetimes have passed.
    const before = await server.control("/stats");
    await eventually(
      async () => (await server.control("/stats")).subscriptions_extended >= before.subscriptions_extended + 3,
      "three subscription extensions",
      40000,
    );
    const created = before.subscriptions_created;
    await server.control(`/users/${encodeURIComponent(CHRIS)}/presence`, { availability: "DoNotDisturb" });
    await waitForAttr(badge(sara.page, CHRIS), "data-availability", "DoNotDisturb", 5000);
    const stats = await server.control("/stats");
    assert.equal(stats.subscriptions_created, created, JSON.stringify(stats));

    // The server deletes Sara's application: the widget makes a new one and restores everything.
    await server.control("/expire", { what: "application", user: SARA });
    await server.control(`/users/${encodeURIComponent(CHRIS)}/presence`, { availability: "Away" });
    await waitForAttr(badge(sara.page, CHRIS), "data-availability", "Away", 20000);
    // Nothing shown as stale once recovered.
    const stale = await sara.page.locator("ucwa-presence .ucwa-badge--stale").count();
    assert.equal(stale, 0);
    assert.deepEqual(sara.errors, []);
  } finally {
    await sara.context.close();
  }
});
