// The widget's two transports (data-transport): through the server's XFrame page with CORS off
// on the server (a stock server), directly over CORS, and `auto` falling back from one to the
// other when the page's CSP forbids the frame or the server has no XFrame page. Forged answers
// from another frame are ignored.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, startPages, embedPage, launch, openAs, signIn, badge, waitForAttr, eventually } from "./harness.mjs";

let pages, stranger, browser, corsOff, corsOn, noFrame;
const DANA = "sip:dana@contoso.com";
const SARA = "sip:sarad@contoso.com";

before(async () => {
  pages = await startPages();
  stranger = await startPages();
  const pageOrigin = pages.origin;
  // One at a time, so that `after` stops every server that did start.
  corsOff = await startServer({ pageOrigin, args: ["--cors", "off"] });
  corsOn = await startServer({ pageOrigin });
  noFrame = await startServer({ pageOrigin, args: ["--no-xframe"] });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  for (const s of [corsOff, corsOn, noFrame]) s?.stop();
  pages?.stop();
  stranger?.stop();
});

/** The team page for `server`; `attrs` go on the script tag, `head` into the head (a CSP). */
function teamPage(server, { attrs = "", head = "", extra = "" } = {}) {
  const html = embedPage(server.autodiscover, `
    <ucwa-status></ucwa-status>
    <ucwa-presence uri="${DANA}"></ucwa-presence>
    <ucwa-presence uri="${SARA}"></ucwa-presence>${extra}`, attrs);
  return html.replace("<head>", `<head>${head}`);
}

/** Opens `html` as `user`, signs in and waits for the status menu; the console's info lines
 *  (the widget says there which transport it uses) are collected in `info`. */
async function signedIn(path, html, user) {
  const s = await openAs(browser, pages.page(path, html));
  s.info = [];
  s.page.on("console", (m) => { if (m.type() === "info") s.info.push(m.text()); });
  await signIn(s.page, `${user}@contoso.com`);
  await s.page.locator("ucwa-status .ucwa-picker__button").waitFor({ timeout: 20000 });
  return s;
}

/** Dana picks Busy; Sara's badge for Dana follows, then Available again. */
async function danaBusyReachesSara(dana, sara) {
  await waitForAttr(badge(sara.page, DANA), "data-availability", "Online");
  await dana.page.locator("ucwa-status .ucwa-picker__button").click();
  await dana.page.locator("ucwa-status li[role=option]", { hasText: "Busy" }).click();
  await waitForAttr(badge(sara.page, DANA), "data-availability", "Busy");
  await dana.page.locator("ucwa-status .ucwa-picker__button").click();
  await dana.page.locator("ucwa-status li[role=option]", { hasText: "Available" }).click();
  await waitForAttr(badge(sara.page, DANA), "data-availability", "Online");
}

const frames = (s) => s.page.evaluate(() => [...document.querySelectorAll("iframe")].map((f) => f.src));

test("through the XFrame of a server with CORS off (auto): Dana picks Busy, Sara sees it", async () => {
  const dana = await signedIn("/xf-dana.html", teamPage(corsOff), "dana");
  const sara = await signedIn("/xf-sara.html", teamPage(corsOff), "sarad");
  try {
    await danaBusyReachesSara(dana, sara);
    assert.deepEqual(await frames(sara), [`${corsOff.url}/Autodiscover/XFrame/XFrame.html`]);
    assert.ok(sara.info.some((l) => /through its XFrame \(data-transport=auto: it answered\)/.test(l)), sara.info.join("\n"));
    assert.equal(sara.info.filter((l) => l.includes("talking to the server")).length, 1, "said once");
    assert.deepEqual(dana.errors, []);
    assert.deepEqual(sara.errors, []);
  } finally {
    await dana.context.close();
    await sara.context.close();
  }
});

test("directly over CORS (data-transport=cors): Dana picks Busy, Sara sees it, no frame", async () => {
  const html = teamPage(corsOn, { attrs: ` data-transport="cors"` });
  const dana = await signedIn("/cors-dana.html", html, "dana");
  const sara = await signedIn("/cors-sara.html", html, "sarad");
  try {
    await danaBusyReachesSara(dana, sara);
    assert.deepEqual(await frames(sara), []);
    assert.ok(sara.info.some((l) => /over CORS \(data-transport asks for it\)/.test(l)), sara.info.join("\n"));
    assert.deepEqual(dana.errors, []);
    assert.deepEqual(sara.errors, []);
  } finally {
    await dana.context.close();
    await sara.context.close();
  }
});

test("auto falls back to CORS when the page's CSP forbids the frame", async () => {
  const csp = `<meta http-equiv="Content-Security-Policy" content="frame-src 'none'">`;
  const s = await signedIn("/csp-frame.html", teamPage(corsOn, { head: csp }), "sarad");
  try {
    await corsOn.control(`/users/${encodeURIComponent(DANA)}/presence`, { availability: "DoNotDisturb" });
    await waitForAttr(badge(s.page, DANA), "data-availability", "DoNotDisturb");
    assert.ok(s.info.some((l) => /over CORS \(data-transport=auto: .*frame-src/.test(l)), s.info.join("\n"));
    assert.deepEqual(await frames(s), [], "the blocked frame is removed");
    assert.deepEqual(s.errors.filter((e) => !/Content Security Policy/i.test(e)), []);
  } finally { await s.context.close(); }
});

test("auto falls back to CORS when the server has no XFrame page", async () => {
  const s = await signedIn("/no-frame.html", teamPage(noFrame), "sarad");
  try {
    await noFrame.control(`/users/${encodeURIComponent(DANA)}/presence`, { availability: "Away" });
    await waitForAttr(badge(s.page, DANA), "data-availability", "Away");
    assert.ok(s.info.some((l) => /over CORS \(data-transport=auto: the server's XFrame page did not answer\)/.test(l)), s.info.join("\n"));
    assert.deepEqual(s.errors, []);
  } finally { await s.context.close(); }
});

test("when neither transport gets through, the message names both causes", async () => {
  const csp = `<meta http-equiv="Content-Security-Policy" content="frame-src 'none'; connect-src 'self'">`;
  const s = await openAs(browser, pages.page("/both-blocked.html", teamPage(corsOn, { head: csp })));
  try {
    const note = s.page.locator("ucwa-status .ucwa-status__note[role=status]");
    await eventually(async () => /CrossDomainAuthorizationList/.test((await note.textContent().catch(() => "")) ?? ""), "the unreachable message", 30000);
    const text = await note.textContent();
    assert.match(text, /frame-src for its XFrame, connect-src for CORS/);
    assert.ok(text.includes(pages.origin), text);
    assert.equal(await badge(s.page, DANA).getAttribute("data-availability"), "Unknown");
  } finally { await s.context.close(); }
});

test("answers forged by another origin's frame or by the page itself are ignored", async () => {
  // Every message id the widget may use, answered with a root that points elsewhere: if one
  // were taken, the widget would follow it and never sign in.
  const forge = `
    const fake = (id) => JSON.stringify({ messageId: String(id), status: 200, statusText: "OK",
      responseText: '{"_links":{"self":{"href":"http://127.0.0.1:9/r"},"user":{"href":"http://127.0.0.1:9/user"}}}',
      headers: "Content-Type: application/json\\r\\n" });
    setInterval(() => { for (let id = 0; id < 200; id++) TARGET.postMessage(fake(id), "*"); }, 20);`;
  const forger = stranger.page("/forger.html",
    `<!doctype html><html><body><script>${forge.replace("TARGET", "parent")}</script></body></html>`);
  const extra = `
    <iframe src="${forger}" title="forger" hidden></iframe>
    <script>
      window.forgedSeen = 0;
      addEventListener("message", (e) => { if (e.origin === ${JSON.stringify(stranger.origin)}) window.forgedSeen++; });
      ${forge.replace("TARGET", "window")}
    </script>`;
  const html = teamPage(corsOff, { attrs: ` data-transport="xframe"`, extra });
  const s = await signedIn("/forged.html", html, "sarad");
  try {
    await corsOff.control(`/users/${encodeURIComponent(DANA)}/presence`, { availability: "BeRightBack" });
    await waitForAttr(badge(s.page, DANA), "data-availability", "BeRightBack");
    assert.ok(await s.page.evaluate(() => window.forgedSeen) > 0, "the forger's messages reached the page");
    assert.deepEqual(s.errors, []);
  } finally { await s.context.close(); }
});

test("through the XFrame a refused origin reads the server's own 403 28070 answer", async () => {
  // The server allows another origin only; its frame answers 28070 (over CORS the browser would
  // hide the answer and the widget could only guess).
  const refusing = await startServer({ pageOrigin: "http://intranet.contoso.com", args: ["--cors", "off"] });
  const s = await openAs(browser, pages.page("/xf-refused.html", teamPage(refusing)));
  try {
    const status = s.page.locator("ucwa-status .ucwa-status__stopped [role=alert]");
    const text = async () => (await status.textContent({ timeout: 1000 }).catch(() => "")) ?? "";
    await eventually(async () => /origin is not allowed/.test(await text()), "the refusal", 15000)
      .catch(async (e) => { throw new Error(`${e.message}; shown: ${await text()}; console: ${s.errors.join(" | ")}`); });
    assert.equal(await badge(s.page, DANA).getAttribute("data-availability"), "Unknown");
  } finally {
    await s.context.close();
    refusing.stop();
  }
});

test("an unknown data-transport value is a configuration error", async () => {
  const s = await openAs(browser, pages.page("/bad-transport.html", teamPage(corsOn, { attrs: ` data-transport="websocket"` })));
  try {
    const message = s.page.locator("ucwa-status [role=alert]");
    await message.waitFor({ timeout: 15000 });
    assert.match(await message.textContent(), /data-transport must be auto, xframe or cors, not "websocket"/);
  } finally { await s.context.close(); }
});
