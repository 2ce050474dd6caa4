// Server strings are text, never markup: a directory (--users) whose names, titles, e-mail
// addresses and phone numbers carry markup or `javascript:` URLs, and notes and locations that do
// (from the directory, the control API and the user's own note editor), render as text in every
// display mode: no element is injected, no script runs, no dialog opens, and no link has a
// scheme other than mailto:, tel: or sip:/im: built from a valid value.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  startServer, startPages, embedPage, launch, openAs, signIn, waitForAttr, eventually,
  contactOf, shownText, waitForText, containing, usersFile,
} from "./harness.mjs";

const EVE = {
  uri: "sip:eve@fabrikam.com", password: "demo",
  name: `<img src=x onerror="window.__pwned='name'">Eve <script>window.__pwned='name2'</script>`,
  title: `<script>window.__pwned='title'</script>Chief`,
  department: `"><svg onload="window.__pwned='department'">`,
  company: `<a href="javascript:window.__pwned='company'">Evil</a>`,
  office: `<iframe src="javascript:window.__pwned='office'"></iframe>`,
  email: ["javascript:alert(1)"],
  work_phone: "javascript:alert(1)",
  mobile_phone: "tel:+1<script>alert(1)</script>",
  home_phone: `tel:+1" onclick="window.__pwned='home'`,
  presence: "Online",
  note: `<img src=x onerror="window.__pwned='note'">`,
  location: `<b onmouseover="window.__pwned='location'">Building</b>`,
};
const VERA = { uri: "sip:vera@fabrikam.com", password: "demo", name: "Vera Vance", contacts: [EVE.uri] };

let server, pages, browser;
before(async () => {
  pages = await startPages();
  server = await startServer({ pageOrigin: pages.origin, args: ["--users", await usersFile([VERA, EVE])] });
  browser = await launch();
});
after(async () => { await browser?.close(); server?.stop(); pages?.stop(); });

/** Everything in the page and the widgets' shadow roots that a string turned into markup would
 *  leave behind. */
async function injected(page) {
  return page.evaluate(() => {
    const found = [];
    if (window.__pwned !== undefined) found.push(`script ran: ${window.__pwned}`);
    const roots = [document, ...[...document.querySelectorAll("*")].map((e) => e.shadowRoot).filter(Boolean)];
    for (const root of roots) {
      for (const el of root.querySelectorAll("*")) {
        const tag = el.localName;
        if (["script", "iframe", "b", "object", "embed"].includes(tag) && root !== document) found.push(`<${tag}> in a widget`);
        if (tag === "img" && !el.classList.contains("ucwa-avatar__photo")) found.push(`<img src=${el.getAttribute("src")}>`);
        for (const a of el.getAttributeNames()) if (/^on/i.test(a)) found.push(`<${tag} ${a}>`);
        if (tag === "a" && el.hasAttribute("href")) {
          const href = el.getAttribute("href");
          if (!/^(mailto|tel|sip|im):/i.test(href) || /javascript|[<>"\s]/i.test(decodeURIComponent(href))) found.push(`<a href=${href}>`);
        }
      }
    }
    return found;
  });
}

test("markup and javascript: URLs from the server render as text in every display mode and never become links", async () => {
  const modes = ["name", "badge", "text", "avatar", "card"];
  const url = pages.page("/xss.html", embedPage(server.autodiscover, `<ucwa-status></ucwa-status>
    <ul>${modes.map((m) => `<li><ucwa-presence uri="${EVE.uri}" display="${m}"></ucwa-presence></li>`).join("")}</ul>`));
  const s = await openAs(browser, url);
  const dialogs = [];
  s.page.on("dialog", (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  try {
    await signIn(s.page, "vera@fabrikam.com");
    const card = contactOf(s.page, EVE.uri, modes.indexOf("card"));
    await waitForAttr(card.badge, "data-availability", "Online");
    // The directory's strings, literally, as text.
    await waitForText(card.field("name"), containing(EVE.name));
    assert.ok((await shownText(card.field("title"))).includes(EVE.title), "title as text");
    assert.ok((await shownText(card.field("department"))).includes(EVE.department), "department as text");
    assert.ok((await shownText(card.field("company"))).includes(EVE.company), "company as text");
    assert.ok((await shownText(card.field("office"))).includes(EVE.office), "office as text");
    await waitForText(card.field("note"), containing(EVE.note));
    await waitForText(card.field("location"), containing(EVE.location));
    const name = contactOf(s.page, EVE.uri, modes.indexOf("name"));
    assert.equal(await shownText(name.host.locator(".ucwa-contact__name")), EVE.name.replace(/\s+/g, " "));
    assert.match(await contactOf(s.page, EVE.uri, modes.indexOf("badge")).badge.getAttribute("aria-label"), containing(EVE.name));

    // None of the invalid addresses and numbers became a link; the values still show as text.
    assert.equal(await card.card.locator("a[data-action=email][href]").count(), 0, "no mailto: from javascript:alert(1)");
    assert.equal(await card.card.locator("a[data-action=call][href]").count(), 0, "no tel: from invalid numbers");
    assert.ok((await shownText(card.card)).includes("javascript:alert(1)"), "the e-mail value shown as text");
    // The IM link is built from the (valid) SIP URI only.
    const im = await card.card.locator("a[data-action=im]").getAttribute("href");
    assert.equal(decodeURIComponent(im), EVE.uri);
    assert.deepEqual(await injected(s.page), []);

    // Live updates go the same way: an out-of-office note and a location from the server...
    const oof = `<script>window.__pwned='oof'</script><img src=x onerror="window.__pwned='oof2'">`;
    const place = `<a href="javascript:window.__pwned='place'">click</a>`;
    await server.control(`/users/${encodeURIComponent(EVE.uri)}/note`, { message: oof, type: "OutOfOffice" });
    await server.control(`/users/${encodeURIComponent(EVE.uri)}/location`, { location: place });
    await waitForText(card.field("note"), containing(oof));
    await waitForText(card.field("location"), containing(place));
    await waitForAttr(card.badge, "data-out-of-office", "true");
    // ...and the user's own note and location, typed into the editor.
    const mine = `<img src=x onerror="window.__pwned='mine'">`;
    await s.page.locator("ucwa-status .ucwa-note__open").click();
    await s.page.locator("ucwa-status textarea.ucwa-note__input").fill(mine);
    await s.page.locator("ucwa-status input.ucwa-note__location").fill(`<b>here</b>`);
    await s.page.locator("ucwa-status button.ucwa-note__save").click();
    await waitForText(s.page.locator("ucwa-status .ucwa-note__text"), containing(mine));
    await waitForText(s.page.locator("ucwa-status .ucwa-note__place"), containing("<b>here</b>"));

    // Open every hover card too, so that nothing is only checked while hidden.
    for (const m of modes.filter((m) => m !== "card")) {
      await contactOf(s.page, EVE.uri, modes.indexOf(m)).trigger.focus();
      await eventually(async () => (await contactOf(s.page, EVE.uri, modes.indexOf(m)).trigger.getAttribute("aria-expanded")) === "true", `${m} card open`);
      assert.deepEqual(await injected(s.page), [], `with the ${m} card open`);
    }
    assert.deepEqual(await injected(s.page), []);
    assert.deepEqual(dialogs, [], "no dialog opened");
    assert.deepEqual(s.errors, []);
  } finally { await s.context.close(); }
});
