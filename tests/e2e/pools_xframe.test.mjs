// Two pools in one server process, driven through their XFrame pages in a real browser: Sara,
// homed on pool B, signs in at pool A, follows the redirect to B's frame, signs in there and
// creates her application; the request log shows each token went only to its own pool.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startPools, startPages, launch, openAs } from "./harness.mjs";

let server, pages, browser;
before(async () => {
  pages = await startPages();
  server = await startPools({ pageOrigin: pages.origin, homes: { "sarad@contoso.com": "B" }, args: ["--cors", "off"] });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.stop();
  pages?.stop();
});

/** A page that can open frames at run time: `ask(frameUrl, message)` → the frame's answer. */
const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>pools</title></head><body><script>
  const frames = new Map();
  let next = 0;
  const waiting = new Map();
  window.addEventListener("message", (event) => {
    const frame = frames.get(event.origin);
    if (!frame || event.source !== frame.contentWindow) return;
    const answer = JSON.parse(event.data);
    const resolve = waiting.get(answer.messageId);
    if (resolve) { waiting.delete(answer.messageId); resolve(answer); }
  });
  function frameFor(url) {
    const origin = new URL(url).origin;
    if (!frames.has(origin)) {
      const f = document.createElement("iframe");
      f.style.display = "none";
      f.loaded = new Promise((r) => f.addEventListener("load", r, { once: true }));
      f.src = url;
      document.body.append(f);
      frames.set(origin, f);
    }
    return frames.get(origin);
  }
  window.ask = async (frameUrl, message) => {
    const frame = frameFor(frameUrl);
    await frame.loaded;
    const messageId = String(++next);
    return new Promise((resolve) => {
      waiting.set(messageId, resolve);
      frame.contentWindow.postMessage(JSON.stringify({ ...message, messageId }), new URL(frameUrl).origin);
    });
  };
</script></body></html>`;

test("Sara signs in at pool A, is redirected to pool B and gets her application there", async () => {
  const { A, B } = server.pools;
  const s = await openAs(browser, pages.page("/pools.html", PAGE));
  const ask = (frame, message) => s.page.evaluate(([f, m]) => window.ask(f, m), [frame, message]);
  const json = (answer) => JSON.parse(answer.responseText);
  const signIn = async (frame, challenge) => {
    const href = /MsRtcOAuth href="([^"]+)"/i.exec(challenge)[1];
    const answer = await ask(frame, {
      type: "post", url: href, data: "grant_type=password&username=sarad@contoso.com&password=demo",
      headers: { "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8" },
    });
    assert.equal(answer.status, 200, answer.responseText);
    return `Bearer ${json(answer).access_token}`;
  };
  const challengeOf = (answer) => /www-authenticate: (.*)\r\n/i.exec(answer.headers)[1];
  try {
    await server.clearRequests();
    const frameA = `${A.url}/Autodiscover/XFrame/XFrame.html`;
    const root = json(await ask(frameA, { type: "get", url: A.autodiscover }));
    const userUrl = root._links.user.href;
    const first = await ask(frameA, { type: "get", url: userUrl });
    assert.equal(first.status, 401);
    const tokenA = await signIn(frameA, challengeOf(first));
    const userA = json(await ask(frameA, { type: "get", url: userUrl, headers: { Authorization: tokenA } }));
    assert.equal(userA._links.applications, undefined);
    const redirect = json(await ask(frameA, { type: "get", url: userA._links.redirect.href, headers: { Authorization: tokenA } }));
    const frameB = redirect._links.xframe.href;
    assert.equal(frameB, `${B.url}/Autodiscover/XFrame/XFrame.html`);

    const unauthorized = await ask(frameB, { type: "get", url: redirect._links.user.href });
    assert.equal(unauthorized.status, 401);
    assert.match(challengeOf(unauthorized), new RegExp(`href="${B.url}/WebTicket/oauthtoken"`));
    const tokenB = await signIn(frameB, challengeOf(unauthorized));
    const userB = json(await ask(frameB, { type: "get", url: redirect._links.user.href, headers: { Authorization: tokenB } }));
    const created = await ask(frameB, {
      type: "post", url: userB._links.applications.href, headers: { Authorization: tokenB, "Content-Type": "application/json" },
      data: JSON.stringify({ userAgent: "e2e", endpointId: "pools-e2e", culture: "en-US" }),
    });
    assert.equal(created.status, 201, created.responseText);

    const log = await server.requests();
    assert.ok(log.length >= 8, JSON.stringify(log));
    for (const r of log) {
      assert.equal(r.origin, pages.origin, JSON.stringify(r));
      if (r.token_pool !== null) assert.equal(r.token_pool, r.pool, `a token reached another pool: ${JSON.stringify(r)}`);
    }
    assert.ok(log.some((r) => r.pool === "B" && r.token_pool === "B" && r.method === "POST" && r.token_user === "sarad@contoso.com"));
    assert.ok(log.some((r) => r.pool === "A" && r.token_pool === "A"));
  } finally { await s.context.close(); }
});
