// Takes the README's screenshots (headless Chromium), through `scripts/screenshots`, which builds
// first; directly: `node scripts/screenshots.mjs [demo|modes]...` after scripts/build-dist, with
// UCWA_SERVER_BIN and UCWA_DIST set as scripts/test sets them.
//   demo:  the demo page in its main states (1-sign-in … 5-reconnecting)
//   modes: one picture per display mode of <ucwa-presence>, cropped to the element (display-*.png),
//          the out-of-office badge and the note editor, against the built-in (demo) directory
import { startServer, startPages, embedPage, launch, openAs, signIn, waitForAttr, waitForText, containing } from "../tests/e2e/harness.mjs";
import { readFile } from "node:fs/promises";

const out = new URL("../docs/screenshots/", import.meta.url).pathname;
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : ["demo", "modes"];
for (const w of wanted) if (!["demo", "modes"].includes(w)) throw new Error(`unknown set ${w} (demo, modes)`);

async function demo() {
  const server = await startServer({ pageOrigin: pages.origin, args: ["--demo", "--demo-interval-ms", "1500"] });
  try {
    // The demo page as index.html shows it, but loading the release bundle.
    let html = await readFile(new URL("../index.html", import.meta.url), "utf8");
    html = html
      .replace(/<link data-trunk rel="rust"[^>]*>/, `<script type="module" src="/ucwa/ucwa-presence.js"></script>`)
      .replace(/<link data-trunk rel="css" href="style\/demo.css">/, `<style>${await readFile(new URL("../style/demo.css", import.meta.url), "utf8")}</style>`)
      .replace("http://localhost:8090/autodiscover/autodiscoverservice.svc/root", server.autodiscover);
    const url = pages.page("/index.html", html);
    const s = await openAs(browser, url);
    await s.page.setViewportSize({ width: 1100, height: 620 });
    await s.page.locator("input[name=username]").waitFor();
    await s.page.screenshot({ path: `${out}1-sign-in.png` });
    await signIn(s.page, "dana@contoso.com");
    await waitForAttr(s.page.locator(`ucwa-presence[uri="sip:dana@contoso.com"] .ucwa-badge`), "data-availability", "Online");
    await s.page.waitForTimeout(1500);
    await s.page.screenshot({ path: `${out}2-live.png` });
    await s.page.locator("ucwa-status .ucwa-picker__button").click();
    await s.page.waitForTimeout(300);
    await s.page.screenshot({ path: `${out}3-status-menu.png` });
    await s.page.keyboard.press("Escape");
    await s.page.locator(`ucwa-presence[uri="sip:sarad@contoso.com"] .ucwa-contact`).hover();
    await s.page.waitForTimeout(300);
    await s.page.screenshot({ path: `${out}4-contact-card.png` });
    // The server goes away: badges say they are stale.
    await server.control("/faults", { status: 503, count: 1000 });
    await server.control("/expire", { what: "channel", user: "sip:dana@contoso.com" });
    await s.page.locator(".ucwa-badge--stale").first().waitFor({ timeout: 20000 });
    await s.page.mouse.move(0, 0);
    await s.page.screenshot({ path: `${out}5-reconnecting.png` });
    await s.context.close();
  } finally {
    server.stop();
  }
}

// The people of the display-mode pictures, from the built-in directory; their states are set
// through the control API so that every run draws the same pictures.
const CHRIS = "sip:chrisb@contoso.com";
const LISA = "sip:lisaa@contoso.com";
const MAX = "sip:maxs@contoso.com";

/** One picture per display mode, each the size of its element (plus a margin). */
const MODES = [
  { file: "display-badge", markup: `<ucwa-presence uri="${CHRIS}" display="badge" size="large"></ucwa-presence>` },
  { file: "display-name", markup: `<ucwa-presence uri="${CHRIS}"></ucwa-presence>` },
  { file: "display-text", markup: `<ucwa-presence uri="${CHRIS}" display="text"></ucwa-presence>` },
  { file: "display-avatar-photo", markup: `<ucwa-presence uri="${CHRIS}" display="avatar"></ucwa-presence>` },
  { file: "display-avatar-initials", markup: `<ucwa-presence uri="${LISA}" display="avatar"></ucwa-presence>` },
  { file: "display-card", markup: `<ucwa-presence uri="${CHRIS}" display="card"></ucwa-presence>` },
  { file: "badge-out-of-office", markup: `<ucwa-presence uri="${MAX}" display="text"></ucwa-presence>` },
];

async function modes() {
  const server = await startServer({ pageOrigin: pages.origin });
  try {
    const set = (uri, what, body) => server.control(`/users/${encodeURIComponent(uri)}/${what}`, body);
    await set(CHRIS, "presence", { availability: "Busy", activity: "in-a-meeting" });
    await set(CHRIS, "note", { message: "Shipping the new build today", type: "Personal" });
    await set(CHRIS, "location", { location: "Building 18" });
    await set(LISA, "photo", { photo: false });
    await set(LISA, "presence", { availability: "BeRightBack" });
    await set(MAX, "presence", { availability: "Busy" });
    await set(MAX, "note", { message: "On vacation until Monday", type: "OutOfOffice" });
    const shots = MODES.map((m) => `<div class="shot" id="${m.file}">${m.markup}</div>`).join("\n");
    const url = pages.page("/modes.html", embedPage(server.autodiscover, `<style>
      body { font-family: "Segoe UI", system-ui, sans-serif; margin: 16px; background: #fff; }
      .shot { display: inline-block; padding: 8px; margin: 0 0 24px; }
      .status { display: inline-block; padding: 8px; }
    </style><div class="status" id="note-editor"><ucwa-status></ucwa-status></div>
    <div style="margin-top: 320px">${shots}</div>`));
    const s = await openAs(browser, url);
    await s.page.setViewportSize({ width: 900, height: 1400 });
    await signIn(s.page, "sarad@contoso.com");
    const host = (file) => s.page.locator(`#${file} ucwa-presence`);
    await waitForAttr(host("display-badge").locator(".ucwa-badge"), "data-availability", "Busy");
    await waitForAttr(host("display-avatar-photo").locator(".ucwa-avatar"), "data-photo", "loaded");
    await s.page.locator("#display-avatar-photo img.ucwa-avatar__photo").evaluate((i) => i.decode());
    await waitForAttr(host("display-avatar-initials").locator(".ucwa-avatar"), "data-photo", "missing");
    await waitForText(host("display-card").locator(`[data-field="note"]`), containing("Shipping the new build today"));
    await waitForAttr(host("badge-out-of-office").locator(".ucwa-badge"), "data-out-of-office", "true");
    await s.page.mouse.move(0, 0);
    for (const m of MODES) await s.page.locator(`#${m.file}`).screenshot({ path: `${out}${m.file}.png` });

    // Sara's own note, then the editor open on it.
    await s.page.locator("ucwa-status .ucwa-note__open").click();
    await s.page.locator("ucwa-status textarea.ucwa-note__input").fill("Reviewing the new icons");
    await s.page.locator("ucwa-status input.ucwa-note__location").fill("Design lab");
    await s.page.locator("ucwa-status button.ucwa-note__save").click();
    await waitForText(s.page.locator("ucwa-status .ucwa-note__text"), containing("Reviewing the new icons"));
    const open = s.page.locator("ucwa-status .ucwa-note__open");
    if ((await open.getAttribute("aria-expanded")) !== "true") await open.click();
    await waitForAttr(open, "aria-expanded", "true");
    const form = s.page.locator("ucwa-status form.ucwa-note");
    await form.waitFor({ state: "visible" });
    await s.page.locator("ucwa-status textarea.ucwa-note__input").focus();
    await s.page.screenshot({ path: `${out}note-editor.png`, clip: await around([s.page.locator("ucwa-status"), form]) });
    await s.context.close();
  } finally {
    server.stop();
  }
}

/** The smallest rectangle holding every locator's box, plus an 8 px margin. */
async function around(locators) {
  const boxes = (await Promise.all(locators.map((l) => l.boundingBox()))).filter(Boolean);
  const x = Math.max(0, Math.min(...boxes.map((b) => b.x)) - 8);
  const y = Math.max(0, Math.min(...boxes.map((b) => b.y)) - 8);
  const right = Math.max(...boxes.map((b) => b.x + b.width)) + 8;
  const bottom = Math.max(...boxes.map((b) => b.y + b.height)) + 8;
  return { x, y, width: right - x, height: bottom - y };
}

const pages = await startPages();
const browser = await launch();
try {
  if (wanted.includes("demo")) await demo();
  if (wanted.includes("modes")) await modes();
  console.log("screenshots written to", out);
} finally {
  await browser.close();
  pages.stop();
}
