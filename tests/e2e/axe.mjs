// axe-core over a page that embeds the widget: its WCAG 2.x A/AA violations (shadow roots
// included), its "incomplete" results of the rules about ids and names, and id references that
// name nothing inside a widget's shadow root. Shared by the accessibility tests.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";

const AXE = new URL("../../tools/node_modules/axe-core/axe.min.js", import.meta.url);
let source;
const axeSource = async () => (source ??= await readFile(AXE, "utf8"));

// Rules about ids and names: an "incomplete" result of one of these (axe could not decide, as
// for a duplicated id that an aria-describedby points at) fails the test like a violation.
const ID_AND_NAME_RULES = [/^duplicate-id/, /-name$/, /-alt$/, /^label$/, /^aria-valid-attr-value$/, /^aria-prohibited-attr$/];
const aboutIdsOrNames = (id) => ID_AND_NAME_RULES.some((r) => r.test(id));

/** axe's violations, and its incomplete results of id and name rules, one line each. */
export async function findings(page) {
  await page.addScriptTag({ content: await axeSource() });
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
