// The contact card: every field, real links (mailto:, tel: per phone, sip:), opened and closed by
// keyboard alone and by the pointer, inside the viewport at the page's corner, and ids unique
// across a page of many contacts. A directory file (--users) gives a contact every field.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  startServer, startPages, embedPage, launch, openAs, signIn, waitForAttr, eventually,
  contactOf, shownText, cardOpen, focusedIn, usersFile,
} from "./harness.mjs";

const ANN = {
  uri: "sip:ann@fabrikam.com", password: "demo", name: "Ann Beebe", title: "Engineer",
  department: "R&D", company: "Fabrikam", office: "2/1100", email: ["ann.beebe@fabrikam.com"],
  work_phone: "tel:+14255550100", mobile_phone: "tel:+12065550100", home_phone: "tel:+14255550199",
  presence: "Busy", note: "Heads down until noon", location: "Building 2",
};
const BOB = { uri: "sip:bob@fabrikam.com", password: "demo", name: "Bob Kelly", presence: "Online" };
const CARL = { uri: "sip:carl@fabrikam.com", password: "demo", name: "Carl Ng", presence: "Away" };
const VERA = {
  uri: "sip:vera@fabrikam.com", password: "demo", name: "Vera Vance",
  groups: [{ name: "Team", members: [ANN.uri, BOB.uri, CARL.uri] }],
};

let server, pages, browser;
before(async () => {
  pages = await startPages();
  server = await startServer({ pageOrigin: pages.origin, args: ["--users", await usersFile([VERA, ANN, BOB, CARL])] });
  browser = await launch();
});
after(async () => { await browser?.close(); server?.stop(); pages?.stop(); });

async function signedIn(path, body) {
  const s = await openAs(browser, pages.page(path, embedPage(server.autodiscover, body)));
  await signIn(s.page, "vera@fabrikam.com");
  await s.page.locator("ucwa-status .ucwa-picker__button").waitFor({ timeout: 15000 });
  return s;
}

const decoded = (href) => (href === null ? null : decodeURIComponent(href));

test("the card shows every field and offers mailto:, tel: for each phone and sip: links", async () => {
  const s = await signedIn("/card-links.html", `<ucwa-status></ucwa-status><p><ucwa-presence uri="${ANN.uri}"></ucwa-presence></p>`);
  try {
    const ann = contactOf(s.page, ANN.uri);
    await waitForAttr(ann.badge, "data-availability", "Busy");
    await ann.trigger.focus();
    await eventually(() => cardOpen(ann), "the card opens on focus");
    await eventually(async () => (await shownText(ann.field("company"))) !== "", "the contact's details arrived");
    const fields = {};
    for (const f of ["name", "title", "department", "company", "office", "note", "location"]) fields[f] = await shownText(ann.field(f));
    assert.equal(fields.name, "Ann Beebe");
    for (const [f, want] of Object.entries({ title: "Engineer", department: "R&D", company: "Fabrikam", office: "2/1100", note: ANN.note, location: ANN.location })) {
      assert.ok(fields[f].includes(want), `${f}: ${JSON.stringify(fields[f])} shows ${JSON.stringify(want)}`);
    }
    assert.match(await shownText(ann.field("status")), /Busy/);

    const link = (sel) => ann.card.locator(sel);
    assert.equal(decoded(await link("a[data-action=email]").getAttribute("href")), "mailto:ann.beebe@fabrikam.com");
    assert.equal(decoded(await link(`a[data-action=call][data-phone=work]`).getAttribute("href")), "tel:+14255550100");
    assert.equal(decoded(await link(`a[data-action=call][data-phone=mobile]`).getAttribute("href")), "tel:+12065550100");
    assert.equal(decoded(await link(`a[data-action=call][data-phone=home]`).getAttribute("href")), "tel:+14255550199");
    assert.equal(decoded(await link("a[data-action=im]").getAttribute("href")), "sip:ann@fabrikam.com");
    // Each action is a real, named link.
    for (const a of await ann.card.locator("a[data-action][href]").all()) {
      const name = (await a.getAttribute("aria-label")) ?? (await a.textContent()).trim();
      assert.ok(name.length > 0, `link ${await a.getAttribute("href")} has a name`);
    }
    assert.equal(await ann.card.locator("a[data-action][href]").count(), 5, "e-mail, three phones, IM");
    assert.deepEqual(s.errors, []);
  } finally { await s.context.close(); }
});

test("keyboard alone: focus opens the card, Escape closes it with focus on the trigger, Enter opens it, Tab reaches its links, leaving closes it", async () => {
  const s = await signedIn("/card-keys.html", `<ucwa-status></ucwa-status>
    <button id="before">before</button> <ucwa-presence uri="${ANN.uri}"></ucwa-presence> <button id="after">after</button>`);
  try {
    const ann = contactOf(s.page, ANN.uri);
    await waitForAttr(ann.badge, "data-availability", "Busy");
    assert.equal(await cardOpen(ann), false, "closed at first");
    await s.page.locator("#before").focus();
    await s.page.keyboard.press("Tab");
    assert.match(await focusedIn(ann.host), /ucwa-contact/, "Tab lands on the trigger");
    await eventually(() => cardOpen(ann), "focus opens the card");

    // The disclosure is wired: the trigger controls the card, the card is a dialog named by its heading.
    const controls = await ann.trigger.getAttribute("aria-controls");
    assert.equal(await ann.card.getAttribute("id"), controls);
    assert.equal(await ann.card.getAttribute("role"), "dialog");
    const labelledBy = await ann.card.getAttribute("aria-labelledby");
    assert.equal(await ann.host.evaluate((h, id) => h.shadowRoot.getElementById(id)?.textContent.trim(), labelledBy), "Ann Beebe");

    await s.page.keyboard.press("Escape");
    await eventually(async () => !(await cardOpen(ann)), "Escape closes the card");
    assert.equal(await ann.trigger.getAttribute("aria-expanded"), "false");
    assert.match(await focusedIn(ann.host), /ucwa-contact/, "focus back on the trigger");

    await s.page.keyboard.press("Enter");
    await eventually(() => cardOpen(ann), "Enter opens the card");
    await s.page.keyboard.press("Tab");
    const inCard = () => ann.host.evaluate((h) => !!h.shadowRoot.activeElement?.closest(".ucwa-card"));
    assert.ok(await inCard(), "Tab from the trigger reaches the card");
    assert.equal(await ann.host.evaluate((h) => h.shadowRoot.activeElement?.tagName), "A");
    assert.ok(await cardOpen(ann), "open while focus is in the card");

    // Tab on through the card's links: once focus leaves trigger and card, the card closes.
    for (let i = 0; i < 12 && (await s.page.evaluate(() => document.activeElement?.id)) !== "after"; i++) {
      await s.page.keyboard.press("Tab");
    }
    assert.equal(await s.page.evaluate(() => document.activeElement?.id), "after", "Tab leaves the card");
    await eventually(async () => !(await cardOpen(ann)), "blur closes the card");

    // The pointer: hovering opens it, leaving closes it.
    await ann.trigger.hover();
    await eventually(() => cardOpen(ann), "hover opens the card");
    await s.page.mouse.move(1, 1);
    await eventually(async () => !(await cardOpen(ann)), "leaving closes the card");
    assert.deepEqual(s.errors, []);
  } finally { await s.context.close(); }
});

test("a card opened at the bottom-right corner of the page stays inside the viewport", async () => {
  const s = await signedIn("/card-corner.html", `<ucwa-status></ucwa-status>
    <div style="position:fixed;right:0;bottom:0"><ucwa-presence uri="${ANN.uri}"></ucwa-presence></div>`);
  try {
    await s.page.setViewportSize({ width: 800, height: 600 });
    const ann = contactOf(s.page, ANN.uri);
    await waitForAttr(ann.badge, "data-availability", "Busy");
    await ann.trigger.focus();
    await eventually(() => cardOpen(ann), "the card opens");
    await eventually(async () => (await shownText(ann.field("company"))) !== "", "the card is filled in");
    const box = await ann.card.boundingBox();
    assert.ok(box && box.width > 0 && box.height > 0, `the card has a size: ${JSON.stringify(box)}`);
    assert.ok(box.x >= 0 && box.y >= 0, `inside at the top left: ${JSON.stringify(box)}`);
    assert.ok(box.x + box.width <= 800 && box.y + box.height <= 600, `inside at the bottom right: ${JSON.stringify(box)}`);
    assert.deepEqual(s.errors, []);
  } finally { await s.context.close(); }
});

test("many contacts on a page (and in a contact list): every id is unique and every reference resolves", async () => {
  const many = [ANN, BOB, CARL, ANN, BOB].map((u, i) => `<ucwa-presence uri="${u.uri}"${i === 4 ? ` display="text"` : ""}></ucwa-presence>`).join(" ");
  const s = await signedIn("/card-ids.html", `<ucwa-status></ucwa-status><p>${many}</p><ucwa-contacts></ucwa-contacts>`);
  try {
    await s.page.locator("ucwa-contacts .ucwa-contact").nth(2).waitFor({ timeout: 15000 });
    await waitForAttr(contactOf(s.page, CARL.uri).badge, "data-availability", "Away");
    const report = await s.page.evaluate(() => {
      const roots = [document, ...[...document.querySelectorAll("*")].map((e) => e.shadowRoot).filter(Boolean)];
      const ids = roots.flatMap((r) => [...r.querySelectorAll("[id]")].map((e) => e.id));
      const problems = [];
      let triggers = 0;
      for (const root of roots) {
        for (const t of root.querySelectorAll(".ucwa-contact[aria-controls]")) {
          triggers++;
          const card = root.getElementById(t.getAttribute("aria-controls"));
          if (!card || !card.classList.contains("ucwa-card") || card.getAttribute("role") !== "dialog") { problems.push(`aria-controls ${t.getAttribute("aria-controls")} names no card`); continue; }
          const label = root.getElementById(card.getAttribute("aria-labelledby") ?? "");
          if (!label || !label.textContent.trim()) problems.push(`card ${card.id}: aria-labelledby names nothing`);
        }
      }
      const dupes = ids.filter((id, i) => ids.indexOf(id) !== i);
      return { triggers, dupes, problems };
    });
    assert.ok(report.triggers >= 8, `five elements and the list's three contacts: ${report.triggers} triggers`);
    assert.deepEqual(report.dupes, [], "ids used twice on the page");
    assert.deepEqual(report.problems, []);
    assert.deepEqual(s.errors, []);
  } finally { await s.context.close(); }
});

test("an unknown display value warns in the console and shows the default (name and badge)", async () => {
  const s = await signedIn("/display-unknown.html", `<ucwa-status></ucwa-status>
    <p><ucwa-presence uri="${BOB.uri}" display="portrait"></ucwa-presence></p>`);
  try {
    const bob = contactOf(s.page, BOB.uri);
    await waitForAttr(bob.badge, "data-availability", "Online");
    await eventually(async () => (await shownText(bob.host.locator(".ucwa-contact__name"))) === "Bob Kelly", "the name shows, as in the default mode");
    assert.equal(await bob.host.locator(".ucwa-avatar").count(), 0, "not an avatar");
    assert.ok(s.warnings.some((w) => w.includes("portrait")), `a warning names the value: ${JSON.stringify(s.warnings)}`);
    assert.deepEqual(s.errors, []);
  } finally { await s.context.close(); }
});
