// axe-core (WCAG 2.x A/AA rules) over pages that embed the widget, in each main state: signed
// out (the form), live, status menu open, and a configuration error. Shadow roots included.
// Violations fail, and so do "incomplete" results of the rules about ids and names.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { startServer, startPages, embedPage, launch, openAs, signIn, waitForAttr } from "./harness.mjs";

const AXE = new URL("../../tools/node_modules/axe-core/axe.min.js", import.meta.url);
let server, pages, browser, axeSource;

before(async () => {
  axeSource = await readFile(AXE, "utf8");
  pages = await startPages();
  server = await startServer({ pageOrigin: pages.origin });
  browser = await launch();
});
after(async () => { await browser?.close(); server?.stop(); pages?.stop(); });

// Rules about ids and names: an "incomplete" result of one of these (axe could not decide, as
// for a duplicated id that an aria-describedby points at) fails the test like a violation.
const ID_AND_NAME_RULES = [/^duplicate-id/, /-name$/, /-alt$/, /^label$/, /^aria-valid-attr-value$/, /^aria-prohibited-attr$/];
const aboutIdsOrNames = (id) => ID_AND_NAME_RULES.some((r) => r.test(id));

/** axe's violations, and its incomplete results of id and name rules, one line each. */
async function findings(page) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
      // Deprecated (WCAG 2.2 dropped 4.1.1) so outside those tags, but a duplicated id still
      // breaks every reference to it.
      rules: { "duplicate-id": { enabled: true }, "duplicate-id-active": { enabled: true } },
    });
    const line = (kind) => (v) => `${kind} ${v.id}: ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).join(", ")})`;
    // A target given as a selector path (an array) is inside a shadow root: proof axe looked there.
    const inShadow = r.passes.flatMap((p) => p.nodes).filter((n) => n.target.some((t) => Array.isArray(t))).length;
    const ran = [...r.passes, ...r.violations, ...r.incomplete, ...r.inapplicable].map((x) => x.id);
    return { inShadow, ran, violations: r.violations.map(line("violation")), incomplete: r.incomplete.map((v) => [v.id, line("incomplete")(v)]) };
  });
  assert.ok(result.inShadow > 0, "axe did not reach into the widgets' shadow roots");
  assert.ok(result.ran.includes("duplicate-id") && result.ran.includes("duplicate-id-aria"), "the duplicate-id rules ran");
  return [...result.violations, ...result.incomplete.filter(([id]) => aboutIdsOrNames(id)).map(([, line]) => line),
    ...await idReferences(page)];
}

/** Ids repeated within one widget's shadow root, and ARIA references that name no element of
 *  that root. axe reports each id value once for the whole page, so a card id repeated inside
 *  <ucwa-contacts> escapes it when a <ucwa-presence> elsewhere uses the same value. */
async function idReferences(page) {
  return page.evaluate(() => {
    const problems = [];
    for (const host of document.querySelectorAll("ucwa-status, ucwa-presence, ucwa-contacts, ucwa-signin")) {
      const root = host.shadowRoot;
      if (!root) continue;
      const seen = new Set();
      for (const el of root.querySelectorAll("[id]")) {
        if (seen.has(el.id)) problems.push(`${host.localName}: id "${el.id}" used twice`);
        seen.add(el.id);
      }
      for (const attr of ["aria-describedby", "aria-labelledby", "aria-controls", "aria-activedescendant"]) {
        for (const el of root.querySelectorAll(`[${attr}]`)) {
          for (const id of el.getAttribute(attr).split(/\s+/).filter(Boolean)) {
            if (!seen.has(id)) problems.push(`${host.localName}: ${attr}="${id}" names no element`);
          }
        }
      }
    }
    return problems;
  });
}

const body = (uri) => `<main><h1>Team</h1><ucwa-status></ucwa-status>
  <ul><li><ucwa-presence uri="sip:dana@contoso.com"></ucwa-presence></li>
  <li><ucwa-presence uri="${uri}" display="badge" size="large"></ucwa-presence></li></ul>
  <h2>Contacts</h2><ucwa-contacts></ucwa-contacts></main>`;

test("signed out, live and with the status menu open, the page has no axe violations", async () => {
  const url = pages.page("/a11y.html", embedPage(server.autodiscover, body("sip:chrisb@contoso.com")));
  const s = await openAs(browser, url);
  try {
    await s.page.locator("input[name=username]").waitFor({ timeout: 15000 });
    assert.deepEqual(await findings(s.page), [], "signed out");

    await signIn(s.page, "dana@contoso.com");
    await waitForAttr(s.page.locator(`ucwa-presence[uri="sip:dana@contoso.com"] .ucwa-badge`), "data-availability", "Online");
    await s.page.locator("ucwa-contacts .ucwa-group").first().waitFor({ timeout: 15000 });
    assert.deepEqual(await findings(s.page), [], "live");

    await s.page.locator("ucwa-status .ucwa-picker__button").click();
    await s.page.locator("ucwa-status [role=listbox]:not([hidden])").waitFor();
    assert.deepEqual(await findings(s.page), [], "menu open");
  } finally { await s.context.close(); }
});

test("a contact list alone: every contact's card has an id of its own", async () => {
  // Here the list is the first to use card ids, so axe itself sees a repeated one (as an
  // "incomplete" duplicate-id-aria result, which fails this test).
  const url = pages.page("/a11y-contacts.html", embedPage(server.autodiscover,
    `<main><h1>Contacts</h1><ucwa-status></ucwa-status><ucwa-contacts></ucwa-contacts></main>`));
  const s = await openAs(browser, url);
  try {
    await signIn(s.page, "sarad@contoso.com");
    await s.page.locator("ucwa-contacts .ucwa-group").first().waitFor({ timeout: 15000 });
    assert.ok(await s.page.locator("ucwa-contacts .ucwa-contact").count() > 1, "several contacts in one shadow root");
    assert.deepEqual(await findings(s.page), []);
  } finally { await s.context.close(); }
});

test("configuration errors are accessible too", async () => {
  const url = pages.page("/a11y-error.html", embedPage(null, body("not-a-uri")));
  const s = await openAs(browser, url);
  try {
    await s.page.locator("ucwa-presence [role=alert]").first().waitFor({ timeout: 15000 });
    assert.deepEqual(await findings(s.page), []);
  } finally { await s.context.close(); }
});
