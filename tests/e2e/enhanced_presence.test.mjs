// Enhanced presence between two users, Dana and Sara, in two browser profiles: Dana's personal
// note and location set from her <ucwa-status> reach Sara's card for Dana live; an out-of-office
// note set on the server (as Exchange would) turns Sara's badge for Dana into its out-of-office
// variant; clearing each undoes it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  startServer, startPages, embedPage, launch, openAs, signIn, waitForAttr, eventually,
  contactOf, shownText, waitForText, cardOpen, containing,
} from "./harness.mjs";

let server, pages, browser;
const DANA = "sip:dana@contoso.com";
const SARA = "sip:sarad@contoso.com";

before(async () => {
  pages = await startPages();
  server = await startServer({ pageOrigin: pages.origin });
  browser = await launch();
});
after(async () => { await browser?.close(); server?.stop(); pages?.stop(); });

async function signedIn(user, other) {
  const url = pages.page(`/enhanced-${user}.html`, embedPage(server.autodiscover,
    `<ucwa-status></ucwa-status><p><ucwa-presence uri="${other}"></ucwa-presence></p><button id="after">after</button>`));
  const s = await openAs(browser, url);
  await signIn(s.page, `${user}@contoso.com`);
  await s.page.locator("ucwa-status .ucwa-picker__button").waitFor({ timeout: 15000 });
  return s;
}

/** Dana's note editor in her <ucwa-status>, opened by keyboard (focus, Enter). */
async function openEditor(page) {
  const open = page.locator("ucwa-status .ucwa-note__open");
  await open.focus();
  if ((await open.getAttribute("aria-expanded")) !== "true") await page.keyboard.press("Enter");
  await waitForAttr(open, "aria-expanded", "true");
  await page.locator("ucwa-status form.ucwa-note").waitFor({ state: "visible", timeout: 5000 });
}

/** Types `text` into the focused field after selecting what it holds (keyboard only). */
async function retype(page, locator, text) {
  await locator.focus();
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  if (text) await page.keyboard.type(text);
}

test("Dana's note and location reach Sara's card live; the server's out-of-office note marks Sara's badge; clearing undoes each", async () => {
  const dana = await signedIn("dana", SARA);
  const sara = await signedIn("sarad", DANA);
  try {
    const danaForSara = contactOf(sara.page, DANA);
    await waitForAttr(danaForSara.badge, "data-availability", "Online");
    // Sara opens her card for Dana by keyboard and keeps it open: what follows arrives live.
    await danaForSara.trigger.focus();
    await eventually(() => cardOpen(danaForSara), "Sara's card for Dana opens on focus");
    assert.equal(await shownText(danaForSara.field("note")), "", "no note yet");

    // 1. Dana writes a personal note, keyboard only; Ctrl+Enter in the note submits.
    const note = "Heads down on the Q3 plan";
    await openEditor(dana.page);
    await retype(dana.page, dana.page.locator("ucwa-status textarea.ucwa-note__input"), note);
    await dana.page.keyboard.press("Control+Enter");
    await waitForText(danaForSara.field("note"), containing(note));
    assert.ok(await cardOpen(danaForSara), "the card stayed open while it changed");
    // Dana's own <ucwa-status> shows the note the server sent back.
    await waitForText(dana.page.locator("ucwa-status .ucwa-note__text"), containing(note));

    // 2. Dana is Busy; then the server sets her out-of-office note (Exchange's automatic reply).
    await dana.page.locator("ucwa-status .ucwa-picker__button").click();
    await dana.page.locator("ucwa-status li[role=option]", { hasText: "Busy" }).click();
    await waitForAttr(danaForSara.badge, "data-availability", "Busy");
    assert.notEqual(await danaForSara.badge.getAttribute("data-out-of-office"), "true");
    const away = "On leave until 14 December; ask Sara for anything urgent";
    await server.control(`/users/${encodeURIComponent(DANA)}/note`, { message: away, type: "OutOfOffice" });
    await waitForAttr(danaForSara.badge, "data-out-of-office", "true");
    assert.equal(await danaForSara.badge.getAttribute("data-availability"), "Busy", "still Busy, out of office");
    assert.ok(await danaForSara.badge.evaluate((b) => b.classList.contains("ucwa-badge--oof")), "ucwa-badge--oof");
    assert.match(await danaForSara.badge.getAttribute("aria-label"), /(^|: )Busy, out of office$/);
    await waitForText(danaForSara.field("note"), containing(away));
    assert.match(await shownText(danaForSara.field("note")), /out of office/i, "worded as out of office");
    // The status in words says it too (the card's status line, as display="text" shows it).
    await waitForText(danaForSara.field("status"), containing("Busy · Out of office"));
    // Dana sees her out-of-office note too (read-only: only the personal note is hers to set).
    await waitForText(dana.page.locator("ucwa-status .ucwa-note__text"), containing(away));

    // 3. The out-of-office note is cleared: the badge is plain Busy and the personal note is back.
    await server.control(`/users/${encodeURIComponent(DANA)}/note`, { message: "", type: "OutOfOffice" });
    await eventually(async () => (await danaForSara.badge.getAttribute("data-out-of-office")) !== "true", "out of office cleared");
    assert.equal(await danaForSara.badge.getAttribute("data-availability"), "Busy");
    assert.doesNotMatch(await danaForSara.badge.getAttribute("aria-label"), /out of office/);
    await waitForText(danaForSara.field("note"), containing(note));
    // (and on Dana's side: the editor starts from the note she has now)
    await waitForText(dana.page.locator("ucwa-status .ucwa-note__text"), containing(note));

    // 4. Dana sets a location; Enter in the location field submits.
    const place = "Building 18, room 2101";
    await openEditor(dana.page);
    await retype(dana.page, dana.page.locator("ucwa-status input.ucwa-note__location"), place);
    await dana.page.keyboard.press("Enter");
    await waitForText(danaForSara.field("location"), containing(place));
    await waitForText(dana.page.locator("ucwa-status .ucwa-note__place"), containing(place));

    // 5. Clearing: the note by its button, the location by submitting it blank.
    await openEditor(dana.page);
    await dana.page.locator("ucwa-status button.ucwa-note__clear").focus();
    await dana.page.keyboard.press("Enter");
    await waitForText(danaForSara.field("note"), "");
    await waitForText(dana.page.locator("ucwa-status .ucwa-note__text"), "");
    await openEditor(dana.page);
    await retype(dana.page, dana.page.locator("ucwa-status input.ucwa-note__location"), "");
    await dana.page.keyboard.press("Enter");
    await waitForText(danaForSara.field("location"), "");
    assert.deepEqual(dana.errors, []);
    assert.deepEqual(sara.errors, []);
  } finally {
    await dana.context.close();
    await sara.context.close();
  }
});

test("Escape closes the note editor and gives focus back to its button", async () => {
  const dana = await signedIn("dana", SARA);
  try {
    await openEditor(dana.page);
    await dana.page.locator("ucwa-status textarea.ucwa-note__input").focus();
    await dana.page.keyboard.press("Escape");
    const open = dana.page.locator("ucwa-status .ucwa-note__open");
    await waitForAttr(open, "aria-expanded", "false");
    assert.ok(await dana.page.locator("ucwa-status form.ucwa-note").isHidden(), "the form is hidden");
    assert.match(await dana.page.locator("ucwa-status").evaluate((h) => String(h.shadowRoot.activeElement?.className)), /ucwa-note__open/);
    assert.deepEqual(dana.errors, []);
  } finally {
    await dana.context.close();
  }
});
