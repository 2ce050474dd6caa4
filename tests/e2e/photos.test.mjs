// Contact photos (contactPhoto) in `display="avatar"`: loaded once per person, through either
// transport; a person without a photo (404) shows initials and never a broken image; a page of
// badges only asks for no photo at all.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  startServer, startPages, embedPage, launch, openAs, signIn, badge, waitForAttr, eventually,
  contactOf, shownText, photoRequests,
} from "./harness.mjs";

let pages, browser;
const CHRIS = "sip:chrisb@contoso.com";
const ALEX = "sip:alexd@contoso.com";
const GARTH = "sip:garthf@contoso.com";

before(async () => {
  pages = await startPages();
  browser = await launch();
});
after(async () => { await browser?.close(); pages?.stop(); });

/** Photo GETs per person (the user part after `/photos/`), e.g. { "chrisb@contoso.com": 1 }
 *  (over CORS the browser's preflight, an OPTIONS without a token, comes first: not a fetch). */
async function photoCounts(server) {
  const counts = {};
  for (const r of (await photoRequests(server)).filter((r) => r.method !== "OPTIONS")) {
    const who = decodeURIComponent(r.path.slice(r.path.indexOf("/photos/") + "/photos/".length)).toLowerCase();
    counts[who] = (counts[who] ?? 0) + 1;
  }
  return counts;
}

/** Every <img> in the widgets' shadow roots that is not a loaded image ("broken"). */
async function brokenImages(page) {
  return page.evaluate(() => [...document.querySelectorAll("ucwa-presence, ucwa-status, ucwa-contacts")]
    .flatMap((h) => [...(h.shadowRoot?.querySelectorAll("img") ?? [])])
    .filter((img) => img.complete && img.naturalWidth === 0)
    .map((img) => img.getAttribute("src")));
}

/** A change the server makes after everything above has settled, and its arrival on the page:
 *  whatever the widget was going to request by then, it has requested. */
async function roundTrip(server, page, uri, availability) {
  await server.control(`/users/${encodeURIComponent(uri)}/presence`, { availability });
  await waitForAttr(badge(page, uri).first(), "data-availability", availability);
}

for (const transport of ["xframe", "cors"]) {
  test(`${transport}: photos load in display="avatar" once per person; no photo shows initials, never a broken image`, async () => {
    const server = await startServer({ pageOrigin: pages.origin });
    const url = pages.page(`/photos-${transport}.html`, embedPage(server.autodiscover, `
      <ucwa-status></ucwa-status>
      <ul>
        <li><ucwa-presence uri="${CHRIS}" display="avatar"></ucwa-presence></li>
        <li><ucwa-presence uri="${CHRIS}" display="avatar" size="large"></ucwa-presence></li>
        <li><ucwa-presence uri="${CHRIS}"></ucwa-presence></li>
        <li><ucwa-presence uri="${ALEX}" display="avatar"></ucwa-presence></li>
        <li><ucwa-presence uri="${GARTH}" display="badge"></ucwa-presence></li>
      </ul>`, ` data-transport="${transport}"`));
    const s = await openAs(browser, url);
    try {
      await server.control(`/users/${encodeURIComponent(ALEX)}/photo`, { photo: false });
      await s.page.locator("input[name=username]").waitFor({ timeout: 15000 });
      // Signed out, nothing is fetched yet and the avatars show initials (or wait for a photo).
      assert.deepEqual(await photoCounts(server), {}, "no photo before sign-in");
      await server.clearRequests();
      await signIn(s.page, "sarad@contoso.com");

      for (const nth of [0, 1]) {
        const chris = contactOf(s.page, CHRIS, nth);
        await waitForAttr(chris.avatar, "data-photo", "loaded");
        const img = chris.avatar.locator("img.ucwa-avatar__photo");
        await eventually(() => img.evaluate((i) => i.complete && i.naturalWidth > 0), `Chris's photo ${nth} decoded`);
        assert.equal(await img.getAttribute("alt"), "", "the photo is decorative (the name is beside it)");
        assert.equal(await chris.avatar.locator(".ucwa-avatar__initials:visible").count(), 0, "no initials over a photo");
      }

      const alex = contactOf(s.page, ALEX);
      await waitForAttr(alex.avatar, "data-photo", "missing");
      assert.equal(await shownText(alex.avatar.locator(".ucwa-avatar__initials")), "AD");
      assert.equal(await alex.avatar.locator(".ucwa-avatar__initials").getAttribute("aria-hidden"), "true");
      assert.equal(await alex.avatar.locator("img").count(), 0, "no <img> left for a missing photo");

      await roundTrip(server, s.page, CHRIS, "DoNotDisturb");
      await roundTrip(server, s.page, GARTH, "Busy");
      const counts = await photoCounts(server);
      assert.equal(counts["chrisb@contoso.com"], 1, `Chris's photo once for three elements: ${JSON.stringify(counts)}`);
      assert.equal(counts["alexd@contoso.com"], 1, `Alex's missing photo asked once, not retried: ${JSON.stringify(counts)}`);
      assert.equal(counts["garthf@contoso.com"], undefined, `no photo for a badge: ${JSON.stringify(counts)}`);
      for (const [who, n] of Object.entries(counts)) assert.equal(n, 1, `${who}: ${n} requests`);
      assert.deepEqual(await brokenImages(s.page), [], "no broken image");
      assert.deepEqual(s.errors, []);
    } finally {
      await s.context.close();
      server.stop();
    }
  });
}

test("a page of badges, names and status text asks for no photo", async () => {
  const server = await startServer({ pageOrigin: pages.origin });
  const people = [CHRIS, ALEX, GARTH, "sip:janets@contoso.com", "sip:lisaa@contoso.com", "sip:maxs@contoso.com"];
  const url = pages.page("/badges-only.html", embedPage(server.autodiscover, `
    <ucwa-status></ucwa-status>
    <ul>${people.map((u, i) => `<li><ucwa-presence uri="${u}"${i % 3 === 0 ? ` display="badge"` : i % 3 === 1 ? ` display="text"` : ""}></ucwa-presence></li>`).join("")}</ul>`));
  const s = await openAs(browser, url);
  try {
    await s.page.locator("input[name=username]").waitFor({ timeout: 15000 });
    await server.clearRequests();
    await signIn(s.page, "sarad@contoso.com");
    for (const u of people) {
      await eventually(async () => (await badge(s.page, u).getAttribute("data-availability")) !== "Unknown", `${u} known`);
    }
    await roundTrip(server, s.page, CHRIS, "BeRightBack");
    assert.deepEqual(await photoCounts(server), {}, "badges, names and status text need no photo");
    assert.equal(await s.page.locator("ucwa-presence img").count(), 0);
    assert.deepEqual(s.errors, []);
  } finally {
    await s.context.close();
    server.stop();
  }
});
