// Photo benchmark: how many requests does a page of N `display="avatar"` contacts, each with a
// photo, cost from sign-in until every avatar has settled (photo shown, or initials)? A generated
// directory of N people (--users), the release bundle, the reference server's request log
// (/_control/requests). Prints JSON figures (no assertions).
//   node bench/photos.mjs 100 [xframe|cors]   (the widget's data-transport; default xframe)
import { startServer, startPages, embedPage, launch, openAs, signIn, usersFile } from "../tests/e2e/harness.mjs";

const count = Number(process.argv[2] ?? 100);
const transport = process.argv[3] ?? "xframe";
if (!["xframe", "cors"].includes(transport)) throw new Error(`transport must be xframe or cors, not ${transport}`);

const GIVEN = ["Ada", "Bo", "Chen", "Dara", "Eli", "Fumi", "Gus", "Hana", "Ivo", "Jun"];
const FAMILY = ["Abe", "Berg", "Cruz", "Diaz", "Eke", "Fox", "Gray", "Holm", "Ito", "Juarez"];
const STATES = ["Online", "Busy", "DoNotDisturb", "BeRightBack", "Away"];
const people = Array.from({ length: count }, (_, i) => ({
  uri: `sip:person${i + 1}@contoso.com`, password: "demo",
  name: `${GIVEN[i % 10]} ${FAMILY[Math.floor(i / 10) % 10]}`, presence: STATES[i % STATES.length],
}));
const viewer = { uri: "sip:viewer@contoso.com", password: "demo", name: "Vera Viewer", contacts: people.map((p) => p.uri) };

const pages = await startPages();
const server = await startServer({ pageOrigin: pages.origin, args: ["--users", await usersFile([viewer, ...people])] });
const browser = await launch();
try {
  // Every avatar inside the viewport: the widget loads photos for visible elements only.
  const grid = people.map((p) => `<li><ucwa-presence uri="${p.uri}" display="avatar" size="small"></ucwa-presence></li>`).join("");
  const url = pages.page("/photos.html", embedPage(server.autodiscover, `<ucwa-status></ucwa-status>
    <ul style="display:grid;grid-template-columns:repeat(10,1fr);gap:2px;list-style:none;margin:0;padding:0;font-size:11px">${grid}</ul>`,
  ` data-transport="${transport}"`));
  const context = await browser.newContext({ viewport: { width: 1800, height: 1400 } });
  const page = await context.newPage();
  await page.goto(url);
  await page.locator("input[name=username]").waitFor({ timeout: 20000 });
  await server.clearRequests();
  const t0 = Date.now();
  await signIn(page, "viewer@contoso.com");
  const settled = () => page.evaluate(() => {
    const avatars = [...document.querySelectorAll("ucwa-presence")].map((h) => h.shadowRoot?.querySelector(".ucwa-avatar"));
    return avatars.filter((a) => {
      const state = a?.getAttribute("data-photo");
      if (state === "missing") return true;
      const img = a?.querySelector("img.ucwa-avatar__photo");
      return state === "loaded" && img?.complete && img.naturalWidth > 0;
    }).length;
  });
  const deadline = Date.now() + 60000;
  let done = 0;
  while ((done = await settled()) < count) {
    if (Date.now() > deadline) throw new Error(`only ${done} of ${count} avatars settled after 60 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const ms = Date.now() - t0;
  const loaded = await page.evaluate(() => [...document.querySelectorAll("ucwa-presence")]
    .filter((h) => h.shadowRoot?.querySelector(".ucwa-avatar")?.getAttribute("data-photo") === "loaded").length);
  // The server logs each part of a batch too, without an origin (the page's own requests carry
  // X-Ms-Origin or Origin); a photo is never a batch part (the server refuses photo parts), and
  // an <img> loading it through the XFrame's cookie sends no Origin.
  const log = await server.requests();
  const isPhoto = (r) => /\/photos\//.test(r.path);
  const sent = log.filter((r) => r.origin || isPhoto(r));
  const kind = (r) => (isPhoto(r) ? (r.method === "OPTIONS" ? "preflights" : "photos")
    : r.method === "OPTIONS" ? "preflights"
      : /\/batch$/.test(r.path) ? "batch"
        : /\/events$/.test(r.path) ? "events"
          : "other");
  const by = { photos: 0, preflights: 0, batch: 0, events: 0, other: 0 };
  for (const r of sent) by[kind(r)]++;
  if (process.env.UCWA_BENCH_DETAIL) {
    const shapes = {};
    for (const r of sent) {
      const k = `${r.method} ${r.path.replace(/\d+/g, "N").replace(/person\w+@contoso\.com/g, "P")}`;
      shapes[k] = (shapes[k] ?? 0) + 1;
    }
    console.error(shapes);
  }
  console.log(JSON.stringify({ contacts: count, transport, loaded, requests: sent.length, ...by, batch_parts: log.length - sent.length, settled_ms: ms }));
  await context.close();
} finally {
  await browser.close();
  server.stop();
  pages.stop();
}
