// Across the two backends, on one reference server (one presence per user, whichever API changed
// it): Dana's page speaks the UC AJAX Service API 2007 (data-backend="cwa2007": the default
// loader hands it to the full bundle), Sara's speaks UCWA. Dana picks Busy and sets a note →
// Sara's UCWA page shows both live; Sara appears away through UCWA → Dana's CWA page shows it;
// Dana's CWA session expires on the server → her page recovers by itself and is live again.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  startServer, startPages, embedPage, launch, openAs, signIn, waitForAttr, eventually,
  contactOf, shownText, waitForText, cardOpen, containing,
} from "./harness.mjs";

let server, pages, browser;
const DANA = "sip:dana@contoso.com";
const SARA = "sip:sarad@contoso.com";
const CHRIS = "sip:chrisb@contoso.com";

before(async () => {
  pages = await startPages();
  // pollWaitTime 200 ms: CWA's click-to-badge time is about one poll (BENCHMARKS.md measures it
  // at the server's default as well).
  server = await startServer({ pageOrigin: pages.origin, args: ["--cwa-poll-wait-ms", "200"] });
  browser = await launch();
});
after(async () => { await browser?.close(); server?.stop(); pages?.stop(); });

/** Dana's page: the CWA backend, her status, Sara and Chris, and her contact list. */
async function danaOnCwa() {
  const url = pages.page("/cwa-dana.html", embedPage(null,
    `<ucwa-status></ucwa-status>
     <p><ucwa-presence uri="${SARA}"></ucwa-presence> <ucwa-presence uri="${CHRIS}" display="text"></ucwa-presence></p>
     <ucwa-contacts></ucwa-contacts>`,
    ` data-backend="cwa2007" data-cwa="${server.url}"`));
  const s = await openAs(browser, url);
  // No keytab on this server: the Windows logon page is not there, so the form is shown.
  await signIn(s.page, "dana@contoso.com");
  await s.page.locator("ucwa-status .ucwa-picker__button").waitFor({ timeout: 15000 });
  return s;
}

/** Sara's page: UCWA, her status and Dana. */
async function saraOnUcwa() {
  const url = pages.page("/ucwa-sara.html", embedPage(server.autodiscover,
    `<ucwa-status></ucwa-status><p><ucwa-presence uri="${DANA}"></ucwa-presence></p>`));
  const s = await openAs(browser, url);
  await signIn(s.page, "sarad@contoso.com");
  await s.page.locator("ucwa-status .ucwa-picker__button").waitFor({ timeout: 15000 });
  return s;
}

async function pick(page, label) {
  await page.locator("ucwa-status .ucwa-picker__button").click();
  await page.locator("ucwa-status li[role=option]", { hasText: label }).click();
}

const own = (page) => page.locator("ucwa-status .ucwa-picker__button .ucwa-badge");

test("Dana on CWA 2007 picks Busy and sets a note: Sara's UCWA page shows both live; Sara appears away: Dana's CWA page shows it", async () => {
  const dana = await danaOnCwa();
  const sara = await saraOnUcwa();
  try {
    const danaForSara = contactOf(sara.page, DANA);
    const saraForDana = contactOf(dana.page, SARA);
    // Signed in on both sides: each sees the other available.
    await waitForAttr(danaForSara.badge, "data-availability", "Online");
    await waitForAttr(saraForDana.badge, "data-availability", "Online");
    // The CWA page got the full bundle (the loader's hand-off) and the contact list from
    // contactGroup, each contact live.
    await dana.page.locator("ucwa-contacts .ucwa-group").first().waitFor({ timeout: 15000 });
    assert.ok(await dana.page.locator("ucwa-contacts .ucwa-contact").count() > 0, "contacts listed");
    // The card on the CWA side comes from contactCard.
    await saraForDana.trigger.focus();
    await eventually(() => cardOpen(saraForDana), "Dana's card for Sara opens on focus");
    await waitForText(saraForDana.field("name"), containing("Sara"));
    await dana.page.locator("ucwa-status .ucwa-picker__button").focus();

    // 1. Dana (CWA) picks Busy: her own badge follows her selfPresence, Sara's (UCWA) turns Busy.
    await pick(dana.page, "Busy");
    await waitForAttr(own(dana.page), "data-availability", "Busy");
    await waitForAttr(danaForSara.badge, "data-availability", "Busy");

    // 2. Dana sets a personal note from the same menu (publishSelfPresence note) → Sara's card.
    const note = "Reviewing the CWA migration";
    const open = dana.page.locator("ucwa-status .ucwa-note__open");
    await open.click();
    await waitForAttr(open, "aria-expanded", "true");
    await dana.page.locator("ucwa-status textarea.ucwa-note__input").fill(note);
    await dana.page.keyboard.press("Control+Enter");
    await waitForText(dana.page.locator("ucwa-status .ucwa-note__text"), containing(note));
    await danaForSara.trigger.focus();
    await eventually(() => cardOpen(danaForSara), "Sara's card for Dana opens on focus");
    await waitForText(danaForSara.field("note"), containing(note));

    // 3. Sara (UCWA) appears away → Dana's CWA page shows it; and back to Available.
    await pick(sara.page, "Appear away");
    await waitForAttr(saraForDana.badge, "data-availability", "Away");
    await pick(sara.page, "Available");
    await waitForAttr(saraForDana.badge, "data-availability", "Online");

    // 4. A change made on the server (as another endpoint would) reaches the CWA page too.
    await server.control(`/users/${encodeURIComponent(CHRIS)}/presence`, { availability: "DoNotDisturb" });
    await waitForAttr(contactOf(dana.page, CHRIS).badge, "data-availability", "DoNotDisturb");

    assert.deepEqual(dana.errors, []);
    assert.deepEqual(sara.errors, []);
  } finally {
    await dana.context.close();
    await sara.context.close();
  }
});

test("Dana's CWA session expires on the server: her page recovers by itself, subscriptions restored", async () => {
  const dana = await danaOnCwa();
  try {
    const chris = contactOf(dana.page, CHRIS);
    await server.control(`/users/${encodeURIComponent(CHRIS)}/presence`, { availability: "Busy" });
    await waitForAttr(chris.badge, "data-availability", "Busy");
    // The first test's page (its context closed, which fires no pagehide) may have left one.
    const before = (await server.control("/cwa/sessions")).filter((s) => s.user === "dana@contoso.com");
    assert.ok(before.length >= 1, "a CWA session for Dana's page");
    const old = new Set(before.map((s) => s.sid));

    await server.control("/cwa/expire", { user: "dana@contoso.com" });
    // A new session by itself (no sign-in form: the ticket is still good), its subscriptions
    // restored: a change made after the expiry reaches the page.
    await eventually(async () => {
      const now = (await server.control("/cwa/sessions")).filter((s) => s.user === "dana@contoso.com");
      return now.length === 1 && !old.has(now[0].sid) && now[0].subscriptions > 0;
    }, "a new CWA session with subscriptions", 20000);
    await server.control(`/users/${encodeURIComponent(CHRIS)}/presence`, { availability: "BeRightBack" });
    await waitForAttr(chris.badge, "data-availability", "BeRightBack");
    assert.doesNotMatch(await chris.badge.getAttribute("class"), /\bucwa-badge--stale\b/, "live again");
    // The form stays in <ucwa-status>'s shadow root, hidden while signed in.
    assert.equal(await dana.page.locator("input[name=password]").isVisible(), false, "no sign-in form");
    assert.deepEqual(dana.errors, []);
  } finally {
    await dana.context.close();
  }
});
