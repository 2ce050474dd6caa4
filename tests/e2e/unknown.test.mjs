// "Presence unknown" is never "Offline": before sign-in every badge says it does not know, and a
// contact the directory does not have (outside the organisation, a wrong address: the server
// answers 404 for it) stays unknown after sign-in while the others go live.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  startServer, startPages, embedPage, launch, openAs, signIn, badge, waitForAttr, eventually,
  contactOf, shownText, cardOpen,
} from "./harness.mjs";

let server, pages, browser;
const CHRIS = "sip:chrisb@contoso.com";
const OUTSIDER = "sip:nobody@fabrikam.com";
const NEWHIRE = "sip:newhire@contoso.com";

before(async () => {
  pages = await startPages();
  server = await startServer({ pageOrigin: pages.origin });
  browser = await launch();
});
after(async () => { await browser?.close(); server?.stop(); pages?.stop(); });

/** What a badge and its status words say, for every element of `uri`. */
async function says(page, uri) {
  const c = contactOf(page, uri);
  return {
    availability: await c.badge.getAttribute("data-availability"),
    label: await c.badge.getAttribute("aria-label"),
    words: await shownText(c.host.locator(".ucwa-contact__status")),
  };
}

function assertUnknown(said, who) {
  assert.equal(said.availability, "Unknown", `${who}: ${JSON.stringify(said)}`);
  assert.match(said.label, /Presence unknown/, `${who}: label ${said.label}`);
  assert.doesNotMatch(`${said.label} ${said.words}`, /offline/i, `${who} is not shown as offline`);
}

test("badges say \"Presence unknown\" before sign-in, and for contacts the server does not know after it", async () => {
  const url = pages.page("/unknown.html", embedPage(server.autodiscover, `<ucwa-status></ucwa-status>
    <ul><li><ucwa-presence uri="${CHRIS}" display="text"></ucwa-presence></li>
    <li><ucwa-presence uri="${OUTSIDER}" display="text"></ucwa-presence></li>
    <li><ucwa-presence uri="${NEWHIRE}" display="badge"></ucwa-presence></li></ul>`));
  const s = await openAs(browser, url);
  try {
    await s.page.locator("input[name=username]").waitFor({ timeout: 15000 });
    for (const u of [CHRIS, OUTSIDER, NEWHIRE]) {
      assertUnknown(await says(s.page, u), `${u} signed out`);
    }
    assert.match(await shownText(contactOf(s.page, CHRIS).host.locator(".ucwa-contact__status")), /Presence unknown/);

    await signIn(s.page, "sarad@contoso.com");
    await waitForAttr(badge(s.page, CHRIS), "data-availability", "Online");
    // The subscription holds the outsiders too (a server cannot tell in advance)...
    const members = async () => (await server.control("/stats")).subscribed_contacts_per_user?.["sip:sarad@contoso.com"] ?? [];
    await eventually(async () => (await members()).includes(OUTSIDER) && (await members()).includes(NEWHIRE), "outsiders subscribed");
    // ...and after a change of Chris's has come through the same channel, the server has
    // answered every read the sign-in made: the outsiders are still unknown, not offline.
    await server.control(`/users/${encodeURIComponent(CHRIS)}/presence`, { availability: "Busy" });
    await waitForAttr(badge(s.page, CHRIS), "data-availability", "Busy");
    assert.match((await says(s.page, CHRIS)).words, /Busy/, "status words for a known contact");
    for (const u of [OUTSIDER, NEWHIRE]) assertUnknown(await says(s.page, u), `${u} signed in`);

    // The outsider's card says the same.
    const outsider = contactOf(s.page, OUTSIDER);
    await outsider.trigger.focus();
    await eventually(() => cardOpen(outsider), "the outsider's card opens");
    const status = await shownText(outsider.field("status"));
    assert.match(status, /unknown/i);
    assert.doesNotMatch(status, /offline/i);
    assert.deepEqual(s.errors, []);
  } finally { await s.context.close(); }
});
