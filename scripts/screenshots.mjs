// Takes the README's screenshots of the demo page in its main states (headless Chromium):
//   node scripts/screenshots.mjs   (after scripts/build-dist; UCWA_SERVER_BIN, UCWA_DIST set)
import { startServer, startPages, launch, openAs, signIn, waitForAttr } from "../tests/e2e/harness.mjs";
import { readFile } from "node:fs/promises";

const out = new URL("../docs/screenshots/", import.meta.url).pathname;
const pages = await startPages();
const server = await startServer({ pageOrigin: pages.origin, args: ["--demo", "--demo-interval-ms", "1500"] });
const browser = await launch();
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
  console.log("screenshots written to", out);
} finally {
  await browser.close();
  server.stop();
  pages.stop();
}
