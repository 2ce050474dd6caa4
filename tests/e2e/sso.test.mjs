// Windows single sign-on against a real KDC: the browser holds a Kerberos ticket and answers the
// reference server's HTTP Negotiate challenge on `oauthtoken` (grant_type=urn:microsoft.rtc:windows).
// Page and server are both on `localhost` (same site: Chromium sends no Negotiate token to a
// server of another site, see shared/KERBEROS.md), on two ports.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, startPages, embedPage, openIn, signIn, badge, waitForAttr } from "./harness.mjs";
import { startRealm, launchWithTicket, launchFirefoxWithTicket } from "./kerberos.mjs";

const DANA = "sip:dana@contoso.com";
const SARA = "sip:sarad@contoso.com";
let realm, pages, server;

before(async () => {
  realm = await startRealm({ users: ["dana", "sarad"] });
  pages = await startPages({ host: "localhost" });
  server = await startServer({ pageOrigin: pages.origin, host: "localhost", args: ["--negotiate"], env: realm.serverEnv });
});

after(async () => {
  server?.stop();
  pages?.stop();
  await realm?.stop();
});

/** The Windows grant as a credentialed cross-origin fetch, run in the page; { status, body }. */
async function windowsGrantInPage(url) {
  const r = await fetch(url, {
    method: "POST",
    credentials: "include",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: "grant_type=urn:microsoft.rtc:windows",
  });
  return { status: r.status, body: await r.json() };
}

function windowsGrant(page, tokenUrl) {
  return page.evaluate(windowsGrantInPage, tokenUrl);
}

/** Whose token it is: the `me` of an application created with it. */
async function ownerOf(accessToken) {
  const r = await fetch(`${server.url}/ucwa/oauth/v1/applications`, {
    method: "POST",
    headers: { Authorization: `Bearer ${accessToken}`, "Content-Type": "application/json" },
    body: JSON.stringify({ userAgent: "e2e-sso/1.0", endpointId: `sso-${Date.now()}`, culture: "en-US" }),
  });
  assert.equal(r.status, 201);
  return (await r.json())._embedded.me.uri;
}

test("a credentialed fetch from a localhost page gets Dana's token with her ticket, a 401 without one", async () => {
  const url = pages.page("/raw.html", "<!doctype html><title>raw</title>");
  const tokenUrl = `${server.url}/WebTicket/oauthtoken`;
  const dana = await launchWithTicket("dana", realm);
  try {
    const { page } = await openIn(dana, url);
    const { status, body } = await windowsGrant(page, tokenUrl);
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body.token_type, "Bearer");
    assert.match(body.access_token, /^cwt=/);
    assert.equal(await ownerOf(body.access_token), DANA);
  } finally {
    await dana.close();
  }
  const nobody = await launchWithTicket(null, realm);
  try {
    const { page } = await openIn(nobody, url);
    // The 401 carries the CORS headers, so the page reads it instead of "Failed to fetch".
    const { status, body } = await windowsGrant(page, tokenUrl);
    assert.equal(status, 401);
    assert.equal(body.error, "invalid_client");
  } finally {
    await nobody.close();
  }
});

test("Firefox: the same credentialed fetch gets Dana's token with her ticket", async () => {
  const firefox = await launchFirefoxWithTicket("dana", realm);
  try {
    await firefox.goto(pages.page("/raw-firefox.html", "<!doctype html><title>raw</title>"));
    const { status, body, error } = await firefox.executeAsync(
      `const [url, done] = arguments; (${windowsGrantInPage})(url).then(done, (e) => done({ error: String(e) }));`,
      `${server.url}/WebTicket/oauthtoken`);
    assert.equal(error, undefined);
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(await ownerOf(body.access_token), DANA);
  } finally {
    await firefox.close();
  }
});

function teamPage() {
  return embedPage(server.autodiscover, `
    <ucwa-status></ucwa-status>
    <ucwa-presence uri="${DANA}"></ucwa-presence>
    <ucwa-presence uri="${SARA}"></ucwa-presence>`);
}

// The widget's Windows grant (CONTRACTS §3/§6, default data-signin="auto"): no getToken hook,
// the challenge offers urn:microsoft.rtc:windows → it signs in without a form.
test("the widget signs Dana in with her ticket: no form, live badges", async () => {
  const dana = await launchWithTicket("dana", realm);
  try {
    const { page, errors, warnings } = await openIn(dana, pages.page("/team-sso.html", teamPage()));
    // Signed in and available: her own badge is Online.
    await waitForAttr(badge(page, DANA), "data-availability", "Online");
    // <ucwa-status> keeps its (hidden) form element while signed in: it must never have shown.
    const form = page.locator("form.ucwa-signin");
    assert.equal(await form.isVisible(), false, "no sign-in form");
    // Live: a change from Sara's other endpoint reaches Dana's badge for her.
    await server.control(`/users/${SARA}/presence`, { availability: "Busy" });
    await waitForAttr(badge(page, SARA), "data-availability", "Busy");
    assert.equal(await form.isVisible(), false, "no sign-in form");
    // The widget warns when Windows sign-in fails and it falls back to the form: it did not.
    assert.deepEqual(warnings.filter((w) => w.includes("Windows sign-in")), []);
    assert.deepEqual(errors, []);
  } finally {
    await server.control(`/users/${SARA}/presence`, { availability: null });
    await dana.close();
  }
});

// A Windows token that stops working (the 8-hour lifetime, played by /_control/expire) is
// renewed with the same grant, without asking: still no form, and the badges stay live.
test("an expired Windows token is renewed silently with the same grant", async () => {
  const dana = await launchWithTicket("dana", realm);
  try {
    const { page, errors } = await openIn(dana, pages.page("/team-sso-renew.html", teamPage()));
    await waitForAttr(badge(page, DANA), "data-availability", "Online");
    await server.clearRequests();
    await server.control("/expire", { what: "token", user: DANA });
    await server.control(`/users/${SARA}/presence`, { availability: "Away" });
    await waitForAttr(badge(page, SARA), "data-availability", "Away", 30000);
    assert.equal(await page.locator("form.ucwa-signin").isVisible(), false, "no sign-in form");
    // A new token was fetched (the Windows grant: the form never showed) and used.
    const log = await server.requests();
    assert.ok(log.some((r) => r.method === "POST" && /\/webticket\/oauthtoken$/i.test(r.path)), JSON.stringify(log));
    assert.deepEqual(errors, []);
  } finally {
    await server.control(`/users/${SARA}/presence`, { availability: null });
    await dana.close();
  }
});

test("without a ticket the password form appears, and signs in", async () => {
  const nobody = await launchWithTicket(null, realm);
  try {
    const { page } = await openIn(nobody, pages.page("/team-no-ticket.html", teamPage()));
    await page.locator("form.ucwa-signin input[name=username]").waitFor({ timeout: 15000 });
    await signIn(page, "dana@contoso.com");
    await page.locator("ucwa-status .ucwa-picker__button").waitFor({ timeout: 15000 });
    await waitForAttr(badge(page, DANA), "data-availability", "Online");
  } finally {
    await nobody.close();
  }
});
