// Test harness for the end-to-end suite: reference servers, a static server for the widget
// bundle and pages, and headless Chromium (Debian's) driven by playwright-core.
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { createServer as netServer } from "node:net";
import { extname, join, normalize } from "node:path";
import { chromium } from "../../tools/node_modules/playwright-core/index.mjs";

const SERVER_BIN = process.env.UCWA_SERVER_BIN;
const DIST = process.env.UCWA_DIST;
if (!SERVER_BIN || !DIST) throw new Error("run through scripts/test e2e (UCWA_SERVER_BIN, UCWA_DIST)");

export async function freePort() {
  return new Promise((resolve, reject) => {
    const s = netServer();
    s.unref();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitFor(url, ms = 20000) {
  const end = Date.now() + ms;
  for (;;) {
    try {
      const r = await fetch(url);
      if (r.status < 500) return;
    } catch {}
    if (Date.now() > end) throw new Error(`${url} did not come up`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const ROOT = "/autodiscover/autodiscoverservice.svc/root";

/** `/_control` of a server at `url`: GET without a body, POST with one. */
function controlOf(url) {
  return async (path, body) => {
    const r = await fetch(`${url}/_control${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`control ${path}: ${r.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
}

/** Spawns the server with `env` added to its environment; `ready` waits for its first listener
 *  on 127.0.0.1 (Node may resolve `localhost` to ::1, where the server does not listen). */
function spawnServer(args, port, env = {}) {
  const log = [];
  const child = spawn(SERVER_BIN, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
  child.stdout.on("data", (d) => log.push(String(d)));
  child.stderr.on("data", (d) => log.push(String(d)));
  return { log, child, ready: waitFor(`http://127.0.0.1:${port}${ROOT}`) };
}

/** The server's request log at `url`: `requests()` → [{ pool, method, path, origin, token_pool,
 *  token_user }] since start or the last `clearRequests()`. */
function requestLogOf(url, control) {
  return {
    requests: () => control("/requests"),
    async clearRequests() {
      const r = await fetch(`${url}/_control/requests`, { method: "DELETE" });
      if (!r.ok) throw new Error(`DELETE /_control/requests: ${r.status}`);
    },
  };
}

/** `--allow-origin` for one origin or each of a list. */
const allowFlags = (origins) => [].concat(origins).flatMap((o) => ["--allow-origin", o]);

const timing = (instantEvents) => (instantEvents ? ["--medium-window-ms", "0", "--low-window-ms", "0"] : []);

/** Starts a reference server allowing `pageOrigin` (one origin or a list); returns { url,
 *  autodiscover, control(), requests(), clearRequests(), stop() }.
 *  It listens on 127.0.0.1; `host` is the name its URLs use (`localhost` for single sign-on, whose
 *  service principal is HTTP/localhost); `env` is added to its environment. */
export async function startServer({ pageOrigin, args = [], instantEvents = true, host = "127.0.0.1", env = {} }) {
  const port = await freePort();
  const url = `http://${host}:${port}`;
  const argv = [
    "--listen", `127.0.0.1:${port}`, "--control", "--quiet", ...timing(instantEvents),
    ...allowFlags(pageOrigin), ...args,
  ];
  let { log, child, ready } = spawnServer(argv, port, env);
  await ready;
  const control = controlOf(url);
  const exited = (c) => (c.exitCode !== null || c.signalCode !== null
    ? Promise.resolve() : new Promise((r) => c.once("exit", r)));
  return {
    url,
    autodiscover: `${url}${ROOT}`,
    log,
    control,
    ...requestLogOf(url, control),
    stop() { child.kill(); },
    /** Kills the process (SIGKILL: all state lost) and waits until it is gone. */
    async kill() { child.kill("SIGKILL"); await exited(child); },
    /** Starts it again on the same port, with no state; resolves once it answers. */
    async start() {
      ({ child, ready } = spawnServer(argv, port, env));
      await ready;
    },
  };
}

/** One server process playing several pools (`--pool`), e.g. `names: ["A", "B"]`, with
 *  `homes` like `{ "sarad@contoso.com": "B" }` (others live on the first pool). Returns
 *  { pools: { A: { url, autodiscover }, … }, control(), requests(), clearRequests(), stop() };
 *  `host` as for startServer. */
export async function startPools({ pageOrigin, names = ["A", "B"], homes = {}, args = [], instantEvents = true, host = "127.0.0.1", env = {} }) {
  const pools = {};
  const flags = [];
  const ports = [];
  for (const name of names) {
    const port = await freePort();
    ports.push(port);
    pools[name] = { url: `http://${host}:${port}`, autodiscover: `http://${host}:${port}${ROOT}` };
    flags.push("--pool", `${name}=127.0.0.1:${port}`);
  }
  for (const [user, pool] of Object.entries(homes)) flags.push("--home", `${user}=${pool}`);
  const first = pools[names[0]].url;
  const { log, child, ready } = spawnServer([
    ...flags, "--control", "--quiet", ...timing(instantEvents), ...allowFlags(pageOrigin), ...args,
  ], ports[0], env);
  await ready;
  for (const port of ports.slice(1)) await waitFor(`http://127.0.0.1:${port}${ROOT}`);
  const control = controlOf(first);
  return {
    pools,
    log,
    control,
    ...requestLogOf(first, control),
    stop() { child.kill(); },
  };
}

const TYPES = { ".js": "text/javascript", ".wasm": "application/wasm", ".html": "text/html; charset=utf-8" };

/** Serves `dist` (default: UCWA_DIST) under /ucwa/ and pages registered with `page(path, html)`;
 *  `host` names it in `origin` (it listens on 127.0.0.1 either way). */
export async function startPages({ dist = DIST, host = "127.0.0.1" } = {}) {
  const port = await freePort();
  const pages = new Map();
  const server = createServer(async (req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    if (pages.has(path)) {
      res.writeHead(200, { "content-type": TYPES[".html"] });
      return res.end(pages.get(path));
    }
    if (path.startsWith("/ucwa/")) {
      const file = normalize(join(dist, path.slice("/ucwa/".length)));
      if (file.startsWith(normalize(dist))) {
        try {
          const body = await readFile(file);
          res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
          return res.end(body);
        } catch {}
      }
    }
    res.writeHead(404);
    res.end("not found");
  });
  await new Promise((r) => server.listen(port, "127.0.0.1", r));
  const origin = `http://${host}:${port}`;
  return {
    origin,
    page(path, html) { pages.set(path, html); return origin + path; },
    stop() { server.close(); },
  };
}

/** The page-owner snippet of the README, with `body` as the page's content. */
export function embedPage(autodiscover, body, scriptAttrs = "") {
  const attr = autodiscover === null ? "" : ` data-autodiscover="${autodiscover}"`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>e2e</title>
<script type="module" src="/ucwa/ucwa-presence.js"${attr}${scriptAttrs}></script></head>
<body>${body}</body></html>`;
}

/** Debian's Chromium and the switches every e2e launch uses. */
export const CHROMIUM = "/usr/bin/chromium";
export const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** Headless Chromium. `bfcache: true` keeps the back/forward cache on (playwright-core turns it
 *  off by default with --disable-back-forward-cache). */
export async function launch({ bfcache = false } = {}) {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    ignoreDefaultArgs: bfcache ? ["--disable-back-forward-cache"] : [],
  });
}

/** A fresh browser profile on `url`, console errors collected. */
export async function openAs(browser, url) {
  return openIn(await browser.newContext(), url);
}

/** A new page of `context` on `url`, console errors (and warnings, separately) collected. */
export async function openIn(context, url) {
  const page = await context.newPage();
  const errors = [];
  const warnings = [];
  page.on("console", (m) => { if (m.type() === "warning") warnings.push(m.text()); });
  // The widget's own errors (it prefixes them) and uncaught exceptions; the browser's network
  // log lines ("Failed to load resource: 401") are expected during sign-in and recovery.
  page.on("console", (m) => { if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(url);
  return { context, page, errors, warnings };
}

/** Signs in through the widget's own form. */
export async function signIn(page, user, password = "demo") {
  await page.locator("input[name=username]").fill(user);
  await page.locator("input[name=password]").fill(password);
  await page.locator("form.ucwa-signin button[type=submit]").click();
}

/** The availability token a `<ucwa-presence uri>` badge shows. */
export function badge(page, uri) {
  return page.locator(`ucwa-presence[uri="${uri}"] .ucwa-badge`);
}

export async function waitForAttr(locator, name, value, timeout = 15000) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    last = await locator.getAttribute(name, { timeout: 1000 }).catch(() => undefined);
    if (last === value) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`expected ${name}="${value}", still "${last}" after ${timeout} ms`);
}

/** Polls the async predicate every 100 ms until it holds (or fails after `timeout`). */
export async function eventually(predicate, what, timeout = 15000) {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    if (await predicate()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeout} ms waiting for: ${what}`);
}

/** A user directory for the server's `--users`, written as JSON (server/README.md "User
 *  directory") to a fresh temporary file; returns the file's path. */
export async function usersFile(users) {
  const dir = await mkdtemp(join(tmpdir(), "ucwa-users-"));
  const path = join(dir, "users.json");
  await writeFile(path, JSON.stringify({ users }));
  return path;
}

/** The parts of the `nth` `<ucwa-presence uri>` of `page` (the selectors of the widget's
 *  contract: trigger `.ucwa-contact`, `.ucwa-card`, `.ucwa-badge`, `.ucwa-avatar`). */
export function contactOf(page, uri, nth = 0) {
  const host = page.locator(`ucwa-presence[uri="${uri}"]`).nth(nth);
  return {
    host,
    trigger: host.locator(".ucwa-contact").first(),
    card: host.locator(".ucwa-card").first(),
    badge: host.locator(".ucwa-badge").first(),
    avatar: host.locator(".ucwa-avatar").first(),
    field: (name) => host.locator(`.ucwa-card [data-field="${name}"]`).first(),
  };
}

/** The text an element shows: "" when it is absent or hidden (its own `hidden` or an ancestor's
 *  below the card, whose own `hidden` only says whether the card is open). */
export async function shownText(locator) {
  if ((await locator.count()) === 0) return "";
  return locator.evaluate((el) => {
    for (let e = el; e && !e.classList?.contains("ucwa-card"); e = e.parentElement) {
      if (e.hidden) return "";
    }
    return el.textContent.replace(/\s+/g, " ").trim();
  });
}

/** Whether the card of `contact` (from contactOf) is open: shown and the trigger says so. */
export async function cardOpen(contact) {
  if ((await contact.card.count()) === 0) return false;
  const hidden = await contact.card.evaluate((el) => el.hidden || getComputedStyle(el).display === "none");
  return !hidden && (await contact.trigger.getAttribute("aria-expanded")) === "true";
}

/** The logged requests (`server.requests()`) for contact photos (`…/photos/{user}`). */
export async function photoRequests(server) {
  return (await server.requests()).filter((r) => /\/photos\//.test(r.path));
}

/** The class name of the element focused inside `host`'s shadow root ("" when focus is
 *  elsewhere). */
export async function focusedIn(host) {
  return host.evaluate((h) => {
    const a = h.shadowRoot?.activeElement;
    return a ? String(a.className) : "";
  });
}

/** Polls until `shownText(locator)` is `text` (a string: exactly; a RegExp: matching), or fails
 *  after `timeout` naming what it shows. */
export async function waitForText(locator, text, timeout = 15000) {
  const end = Date.now() + timeout;
  const holds = (t) => (typeof text === "string" ? t === text : t !== undefined && text.test(t));
  let last;
  while (Date.now() < end) {
    last = await shownText(locator).catch(() => undefined);
    if (holds(last)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`expected the text ${typeof text === "string" ? JSON.stringify(text) : text}, still ${JSON.stringify(last)} after ${timeout} ms`);
}

/** A RegExp matching any text that contains `s` literally. */
export const containing = (s) => new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
