// The server's XFrame page (Cross_domainIFRAME) in a real browser: a page on an allowed origin
// embeds it and talks UCWA through postMessage; other senders and other origins' URLs are
// refused with the documented 403 28070 answer, without a request.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, startPages, launch, openAs } from "./harness.mjs";

let server, allowed, stranger, browser;
before(async () => {
  allowed = await startPages();
  stranger = await startPages();
  server = await startServer({ pageOrigin: allowed.origin });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.stop();
  allowed?.stop();
  stranger?.stop();
});

const FRAME = "/Autodiscover/XFrame/XFrame.html";
const DIAG = "X-Ms-diagnostics: 28070;reason=\"Service does not allow a cross domain request from this origin.\"\r\n";

/** A page that embeds `frameUrl` and exposes `ask(message)` → the frame's answer (parsed). */
function framingPage(frameUrl) {
  const frameOrigin = new URL(frameUrl).origin;
  return `<!doctype html><html><head><meta charset="utf-8"><title>xframe</title></head><body>
<iframe id="x" src="${frameUrl}" style="display:none"></iframe>
<script>
  const frame = document.getElementById("x");
  window.loaded = new Promise((resolve) => frame.addEventListener("load", resolve, { once: true }));
  window.answers = [];
  const waiting = new Map();
  window.addEventListener("message", (event) => {
    if (event.source !== frame.contentWindow || event.origin !== ${JSON.stringify(frameOrigin)}) return;
    const answer = JSON.parse(event.data);
    window.answers.push(answer);
    const resolve = waiting.get(answer.messageId);
    if (resolve) { waiting.delete(answer.messageId); resolve(answer); }
  });
  window.post = (raw) => frame.contentWindow.postMessage(raw, ${JSON.stringify(frameOrigin)});
  window.ask = (message) => new Promise((resolve) => {
    waiting.set(message.messageId, resolve);
    window.post(JSON.stringify(message));
  });
</script></body></html>`;
}

async function open(pages, path) {
  const s = await openAs(browser, pages.page(path, framingPage(server.url + FRAME)));
  await s.page.evaluate(() => window.loaded);
  return s;
}

/** The answer's header string as a map of lower-case names. */
function headerMap(text) {
  const map = {};
  for (const line of text.split("\r\n")) {
    if (!line) continue;
    const i = line.indexOf(": ");
    assert.ok(i > 0, `header line ${JSON.stringify(line)}`);
    map[line.slice(0, i).toLowerCase()] = line.slice(i + 2);
  }
  return map;
}

test("the page is served under any spelling, frameable, with only its own script", async () => {
  for (const path of [FRAME, FRAME.toLowerCase(), FRAME.toUpperCase()]) {
    const r = await fetch(server.url + path);
    assert.equal(r.status, 200, path);
    assert.match(r.headers.get("content-type"), /^text\/html/);
    assert.equal(r.headers.get("x-frame-options"), null);
    assert.match(r.headers.get("content-security-policy"), /frame-ancestors \*$/);
    assert.match(await r.text(), new RegExp(JSON.stringify(allowed.origin).replaceAll("/", "\\/")));
  }
});

test("an allowed page gets root, a 401 challenge for user, and can sign in through the frame", async () => {
  const s = await open(allowed, "/allowed.html");
  try {
    const root = await s.page.evaluate((url) => window.ask({
      type: "get", url, messageId: "1", headers: { Accept: "application/json" },
    }), server.autodiscover);
    assert.equal(root.messageId, "1");
    assert.equal(root.status, 200);
    assert.equal(root.statusText, "OK");
    const links = JSON.parse(root.responseText)._links;
    assert.equal(links.user.href, `${server.autodiscover}/oauth/user`);
    assert.equal(links.xframe.href, server.url + FRAME);
    assert.match(headerMap(root.headers)["content-type"], /application\/json/);

    const user = await s.page.evaluate((url) => window.ask({ type: "get", url, messageId: "2" }),
      `${server.autodiscover}/oauth/user`);
    assert.equal(user.status, 401);
    assert.match(headerMap(user.headers)["www-authenticate"], /^MsRtcOAuth href="http:\/\/127\.0\.0\.1:\d+\/WebTicket\/oauthtoken"/);

    const token = await s.page.evaluate((url) => window.ask({
      type: "post", url, messageId: "3", data: "grant_type=password&username=dana@contoso.com&password=demo",
      headers: { "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8" },
    }), `${server.url}/WebTicket/oauthtoken`);
    assert.equal(token.status, 200, token.responseText);
    const { access_token } = JSON.parse(token.responseText);
    // A forged X-Ms-Origin is replaced by the sender's real origin (else this would be 403).
    const signedIn = await s.page.evaluate(([url, auth]) => window.ask({
      type: "GET", url, messageId: 4, headers: { Authorization: auth, "X-Ms-Origin": "http://evil.example" },
    }), [`${server.autodiscover}/oauth/user`, `Bearer ${access_token}`]);
    assert.equal(signedIn.messageId, 4);
    assert.equal(signedIn.status, 200, signedIn.responseText);
    assert.ok(JSON.parse(signedIn.responseText)._links.applications);
  } finally { await s.context.close(); }
});

test("malformed messages get no answer; a URL on another origin gets the 403 answer", async () => {
  const s = await open(allowed, "/malformed.html");
  try {
    await s.page.evaluate(() => {
      for (const raw of ["not json", "[]", "null", JSON.stringify({ type: "get", url: "/" }),
        JSON.stringify({ type: "patch", url: "/", messageId: "m" }),
        JSON.stringify({ type: "get", url: "/", messageId: "h", headers: { A: 1 } })]) window.post(raw);
      window.post({ type: "get", url: "/", messageId: "object, not a string" });
    });
    const elsewhere = await s.page.evaluate((url) => window.ask({ type: "get", url, messageId: "far" }),
      `${allowed.origin}/allowed.html`);
    assert.deepEqual(elsewhere, { messageId: "far", status: 403, statusText: "Forbidden", responseText: "", headers: DIAG });
    // Same port, other host name: another origin too.
    const alias = await s.page.evaluate((url) => window.ask({ type: "get", url, messageId: "alias" }),
      server.autodiscover.replace("127.0.0.1", "localhost"));
    assert.equal(alias.status, 403);
    // Answers come in order, so every malformed message before them went unanswered.
    assert.deepEqual(await s.page.evaluate(() => window.answers.map((a) => a.messageId)), ["far", "alias"]);
  } finally { await s.context.close(); }
});

test("a page that is not on the authorization list gets the 403 28070 answer, never data", async () => {
  const s = await open(stranger, "/stranger.html");
  try {
    const root = await s.page.evaluate((url) => window.ask({ type: "get", url, messageId: "x" }), server.autodiscover);
    assert.deepEqual(root, { messageId: "x", status: 403, statusText: "Forbidden", responseText: "", headers: DIAG });
  } finally { await s.context.close(); }
});

test("a keepalive request goes through too", async () => {
  const s = await open(allowed, "/keepalive.html");
  try {
    const root = await s.page.evaluate((url) => window.ask({ type: "get", url, messageId: "k", keepalive: true }), server.autodiscover);
    assert.equal(root.status, 200);
  } finally { await s.context.close(); }
});

test("--no-xframe: the page answers 404", async () => {
  const bare = await startServer({ pageOrigin: allowed.origin, args: ["--no-xframe"] });
  try {
    const r = await fetch(bare.url + FRAME);
    assert.equal(r.status, 404);
    const root = await (await fetch(bare.autodiscover)).json();
    assert.equal(root._links.xframe.href, bare.url + FRAME);
  } finally { bare.stop(); }
});

test("--cors off: the frame still works (its requests are same-origin)", async () => {
  const stock = await startServer({ pageOrigin: allowed.origin, args: ["--cors", "off"] });
  const s = await openAs(browser, allowed.page("/stock.html", framingPage(stock.url + FRAME)));
  try {
    await s.page.evaluate(() => window.loaded);
    const token = await s.page.evaluate((url) => window.ask({
      type: "post", url, messageId: "t", data: "grant_type=password&username=sarad@contoso.com&password=demo",
      headers: { "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8" },
    }), `${stock.url}/WebTicket/oauthtoken`);
    assert.equal(token.status, 200, token.responseText);
    assert.ok(!/access-control-/i.test(token.headers), token.headers);
    // Directly (CORS), the same page is refused by the browser: no Access-Control-Allow-Origin.
    const direct = await s.page.evaluate((url) => fetch(url).then(() => "answered", () => "blocked"), stock.autodiscover);
    assert.equal(direct, "blocked");
  } finally { await s.context.close(); stock.stop(); }
});
