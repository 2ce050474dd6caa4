// The page's half of the XFrame transport (xframe.rs): one hidden iframe per UCWA origin at that
// host's XFrame page, messages posted to it and its answers handed back by `messageId`. What the
// messages say is Rust's (protocol/xframe.rs encodes and decodes them); this file is the DOM
// plumbing, in JavaScript because web-sys glue for it costs the bundle several times more.
//
// Security: an answer counts only when its `source` is that frame's window and its `origin` the
// frame's origin, and only for a request posted to that origin; messages are posted to that
// exact origin, never "*". A promise fails with "blocked" (the page's CSP refused the frame),
// "silent" (a frame that never answered did not answer in time: no XFrame page there) or
// "aborted" (the request's AbortSignal).
export class Frames {
  constructor(answerTimeoutMs) {
    this.timeout = answerTimeoutMs;
    this.frames = new Map(); // origin -> { element, window, loaded, answered, queue }
    this.waiting = new Map(); // messageId -> { origin, resolve, reject, timer, signal, onAbort }
    this.blocked = new Set();
    this.listening = false;
    this.onMessage = (event) => this.message(event);
    this.onViolation = (event) => this.violation(event);
  }

  /** Posts `message` (whose messageId is `id`) to `origin`'s frame, opening it at `url` first. */
  send(origin, url, message, id, signal) {
    return new Promise((resolve, reject) => {
      if (this.blocked.has(origin)) return reject("blocked");
      if (signal && signal.aborted) return reject("aborted");
      const frame = this.frames.get(origin) || this.open(origin, url);
      const entry = { origin, resolve, reject, signal };
      if (!frame.answered) entry.timer = setTimeout(() => this.discard(origin, "silent"), this.timeout);
      if (signal) {
        entry.onAbort = () => this.settle(id, "aborted");
        signal.addEventListener("abort", entry.onAbort);
      }
      this.waiting.set(id, entry);
      if (frame.loaded) frame.window.postMessage(message, origin);
      else frame.queue.push(message);
    });
  }

  /** Drops request `id` without settling it (its Rust future is gone). */
  forget(id) {
    this.settle(id);
  }

  /** Removes every frame and listener (the session ended). */
  close() {
    for (const origin of [...this.frames.keys()]) this.discard(origin, "aborted");
    if (this.listening) {
      removeEventListener("message", this.onMessage);
      document.removeEventListener("securitypolicyviolation", this.onViolation);
      this.listening = false;
    }
  }

  open(origin, url) {
    if (!this.listening) {
      addEventListener("message", this.onMessage);
      document.addEventListener("securitypolicyviolation", this.onViolation);
      this.listening = true;
    }
    const element = document.createElement("iframe");
    element.hidden = true;
    element.title = "ucwa-presence XFrame";
    element.src = url;
    const frame = { element, loaded: false, answered: false, queue: [] };
    element.addEventListener("load", () => {
      frame.loaded = true;
      for (const message of frame.queue.splice(0)) frame.window.postMessage(message, origin);
    });
    (document.body || document.documentElement).append(element);
    frame.window = element.contentWindow;
    this.frames.set(origin, frame);
    return frame;
  }

  /** Ends request `id`: rejected with `failure`, resolved with `text`, or neither (forgotten). */
  settle(id, failure, text) {
    const entry = this.waiting.get(id);
    if (!entry) return;
    this.waiting.delete(id);
    clearTimeout(entry.timer);
    if (entry.signal) entry.signal.removeEventListener("abort", entry.onAbort);
    if (failure) entry.reject(failure);
    else if (text !== undefined) entry.resolve(text);
  }

  /** Removes `origin`'s frame; its requests fail with `why`. */
  discard(origin, why) {
    const frame = this.frames.get(origin);
    if (frame) frame.element.remove();
    this.frames.delete(origin);
    for (const [id, entry] of [...this.waiting]) if (entry.origin === origin) this.settle(id, why);
  }

  message(event) {
    const frame = this.frames.get(event.origin);
    if (!frame || event.source !== frame.window || typeof event.data !== "string") return;
    let id;
    try {
      id = String(JSON.parse(event.data).messageId);
    } catch {
      return console.warn(`ucwa-presence: ignored a message from the XFrame at ${event.origin}: not JSON`);
    }
    const entry = this.waiting.get(id);
    if (!entry || entry.origin !== event.origin) return;
    frame.answered = true;
    this.settle(id, undefined, event.data);
  }

  violation(event) {
    if (event.effectiveDirective !== "frame-src") return;
    let origin;
    try {
      origin = new URL(event.blockedURI).origin;
    } catch {
      return;
    }
    if (!this.frames.has(origin)) return;
    this.blocked.add(origin);
    this.discard(origin, "blocked");
  }
}
