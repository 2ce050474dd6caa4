// axe-core (tests/e2e/axe.mjs) over the states enhanced presence adds: every display mode
// (badge, name, text, avatar with a photo and with initials, the inline card), an out-of-office
// badge, a hover card open, and the note editor open.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  startServer, startPages, embedPage, launch, openAs, signIn, waitForAttr, eventually, contactOf, cardOpen,
} from "./harness.mjs";
import { findings } from "./axe.mjs";

let server, pages, browser;
const CHRIS = "sip:chrisb@contoso.com";
const ALEX = "sip:alexd@contoso.com";
const GARTH = "sip:garthf@contoso.com";
const JANET = "sip:janets@contoso.com";

before(async () => {
  pages = await startPages();
  server = await startServer({ pageOrigin: pages.origin });
  browser = await launch();
});
after(async () => { await browser?.close(); server?.stop(); pages?.stop(); });

test("every display mode, an out-of-office badge, an open card and the note editor have no axe findings", async () => {
  await server.control(`/users/${encodeURIComponent(ALEX)}/photo`, { photo: false });
  await server.control(`/users/${encodeURIComponent(GARTH)}/presence`, { availability: "Busy" });
  await server.control(`/users/${encodeURIComponent(GARTH)}/note`, { message: "Back on Monday", type: "OutOfOffice" });
  const url = pages.page("/a11y-enhanced.html", embedPage(server.autodiscover, `<main><h1>Team</h1>
    <ucwa-status></ucwa-status>
    <ul>
      <li><ucwa-presence uri="${CHRIS}"></ucwa-presence></li>
      <li><ucwa-presence uri="${CHRIS}" display="avatar"></ucwa-presence></li>
      <li><ucwa-presence uri="${ALEX}" display="avatar" size="large"></ucwa-presence></li>
      <li><ucwa-presence uri="${GARTH}" display="badge" size="large"></ucwa-presence></li>
      <li><ucwa-presence uri="${GARTH}" display="text"></ucwa-presence></li>
    </ul>
    <ucwa-presence uri="${JANET}" display="card"></ucwa-presence></main>`));
  const s = await openAs(browser, url);
  try {
    await signIn(s.page, "sarad@contoso.com");
    await s.page.locator("ucwa-status .ucwa-picker__button").waitFor({ timeout: 15000 });
    await waitForAttr(contactOf(s.page, CHRIS, 1).avatar, "data-photo", "loaded");
    await waitForAttr(contactOf(s.page, ALEX).avatar, "data-photo", "missing");
    await waitForAttr(contactOf(s.page, GARTH).badge, "data-out-of-office", "true");
    await waitForAttr(contactOf(s.page, JANET).badge, "data-availability", "DoNotDisturb");
    assert.deepEqual(await findings(s.page), [], "every display mode, live");

    const chris = contactOf(s.page, CHRIS);
    await chris.trigger.focus();
    await eventually(() => cardOpen(chris), "Chris's card open");
    assert.deepEqual(await findings(s.page), [], "a hover card open");

    const open = s.page.locator("ucwa-status .ucwa-note__open");
    await open.click();
    await waitForAttr(open, "aria-expanded", "true");
    await s.page.locator("ucwa-status form.ucwa-note").waitFor({ state: "visible" });
    assert.deepEqual(await findings(s.page), [], "the note editor open");
    assert.deepEqual(s.errors, []);
  } finally { await s.context.close(); }
});
