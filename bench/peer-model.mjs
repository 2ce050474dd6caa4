// A MODEL of Microsoft Graph Toolkit's `mgt-person` presence, not Graph Toolkit itself: what its
// source does for a page of people with presence shown (its presence is polled, never pushed):
// every 20 s one presence request for the page's people, in groups of 650 (Graph's
// `getPresencesByUserId` takes at most 650 ids). Graph is not this server: the reference server
// has no 650-person presence request, so each group's request is served here as UCWA `batch`
// requests of at most 100 presence GETs, one at a time (≤ 100 outstanding per user). `requests`
// counts what the model stands for (one per group and poll, as mgt-person sends them);
// `httpRequests` what it sent to this server. `seen` holds [uri, availability, ms] per answer, the
// moment a badge of the polling page would show it.
//   import { PeerModel } from "./peer-model.mjs"
//   const peer = new PeerModel({ base, user, password, uris }); await peer.start(); …; peer.stop();

export const POLL_MS = 20000;
export const GROUP = 650;
const BATCH_PARTS = 100;

export class PeerModel {
  constructor({ base, user, password, uris, pollMs = POLL_MS }) {
    Object.assign(this, { base, user, password, uris, pollMs });
    this.requests = 0;
    this.httpRequests = 0;
    this.seen = [];
    this.timer = null;
  }

  async fetch(path, init = {}) {
    this.httpRequests++;
    const headers = { accept: "application/json", ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...init.headers };
    const r = await fetch(new URL(path, this.base), { ...init, headers });
    if (!r.ok) throw new Error(`peer model: ${init.method ?? "GET"} ${path}: ${r.status}`);
    return r;
  }

  /** Signs in (password grant), creates an application, polls at once and every `pollMs`. */
  async start() {
    const grant = new URLSearchParams({ grant_type: "password", username: this.user, password: this.password });
    const token = await (await this.fetch("/WebTicket/oauthtoken", {
      method: "POST", body: grant, headers: { "content-type": "application/x-www-form-urlencoded" },
    })).json();
    this.token = token.access_token;
    const app = await (await this.fetch("/ucwa/oauth/v1/applications", {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ userAgent: "peer-model", endpointId: "peer-model", culture: "en-US" }),
    })).json();
    this.app = app._links.self.href;
    this.batch = app._links.batch.href;
    const tick = async () => {
      const started = Date.now();
      try {
        await this.poll();
      } catch (e) {
        console.error(String(e));
      }
      if (this.timer !== null) this.timer = setTimeout(tick, Math.max(0, started + this.pollMs - Date.now()));
    };
    this.timer = 0;
    await tick();
  }

  stop() {
    clearTimeout(this.timer);
    this.timer = null;
  }

  /** One poll: one modelled request per group of 650. */
  async poll() {
    for (let g = 0; g < this.uris.length; g += GROUP) {
      this.requests++;
      const group = this.uris.slice(g, g + GROUP);
      for (let b = 0; b < group.length; b += BATCH_PARTS) await this.readPresences(group.slice(b, b + BATCH_PARTS));
    }
  }

  async readPresences(uris) {
    const boundary = `peer-${Math.random().toString(16).slice(2)}`;
    const host = new URL(this.base).host;
    const body = uris.map((u) => `--${boundary}\r\nContent-Type: application/http; msgtype=request\r\n\r\n`
      + `GET ${this.app}/people/${u.replace(/^sip:/, "")}/presence HTTP/1.1\r\nHost: ${host}\r\nAccept: application/json\r\n\r\n`).join("")
      + `--${boundary}--\r\n`;
    const r = await this.fetch(this.batch, {
      method: "POST", body,
      headers: { "content-type": `multipart/batching;boundary=${boundary}`, accept: "multipart/batching" },
    });
    const at = Date.now();
    const ct = r.headers.get("content-type") ?? "";
    const out = /boundary="?([^";]+)"?/.exec(ct)?.[1];
    const parts = (await r.text()).split(`--${out}`).slice(1, uris.length + 1);
    parts.forEach((part, i) => {
      const availability = /"availability"\s*:\s*"(\w+)"/.exec(part)?.[1];
      if (availability) this.seen.push([uris[i], availability, at]);
    });
  }
}
