// The page's half of the XFrame transport (xframe.rs): one hidden iframe per UCWA origin at that
// host's XFrame page, messages posted to it and its answers handed back by `messageId`. What the
// messages say is Rust's (protocol/xframe.rs encodes and decodes them); this file is the DOM
// plumbing, in JavaScript because web-sys glue for it costs the bundle several times more.
//
// Security: an answer counts only when its `source` is that frame's window and its `origin` the
// frame's origin, and only for a request posted to that origin; messages are posted to that
// exact origin, never "*". A promise fails with "blocked" (the page's CSP refused the frame),
// "silent" (a frame that never answered did not answer in time: no XFrame page there) or
// "aborted" or "timeout" (the request's AbortSignal; "timeout" when it was a deadline's).
export function openFrames(answerTimeoutMs) {
  const frames = new Map(); // origin -> { element, window, loaded, answered, queue }
  const waiting = new Map(); // messageId -> { origin, resolve, reject, timer, signal, onAbort }
  const blocked = new Set();
  let listening = false;

  /** Ends request `id`: rejected with `failure`, or resolved with `text`. An answer nobody awaits
   *  any more (its Rust future was dropped at a deadline) is dropped here when it comes. */
  const settle = (id, failure, text) => {
    const entry = waiting.get(id);
    if (!entry) return;
    waiting.delete(id);
    clearTimeout(entry.timer);
    if (entry.signal) entry.signal.removeEventListener("abort", entry.onAbort);
    if (failure) entry.reject(failure);
    else entry.resolve(text);
  };

  /** Removes `origin`'s frame; its requests fail with `why`. */
  const discard = (origin, why) => {
    const frame = frames.get(origin);
    if (frame) frame.element.remove();
    frames.delete(origin);
    for (const [id, entry] of [...waiting]) if (entry.origin === origin) settle(id, why);
  };

  const onMessage = (event) => {
    const frame = frames.get(event.origin);
    if (!frame || event.source !== frame.window || typeof event.data !== "string") return;
    let id;
    try {
      id = String(JSON.parse(event.data).messageId);
    } catch {
      return console.warn(`ucwa-presence: ignored a message from the XFrame at ${event.origin}: not JSON`);
    }
    const entry = waiting.get(id);
    if (!entry || entry.origin !== event.origin) return;
    frame.answered = true;
    settle(id, undefined, event.data);
  };

  const onViolation = (event) => {
    if (event.effectiveDirective !== "frame-src") return;
    let origin;
    try {
      origin = new URL(event.blockedURI).origin;
    } catch {
      return;
    }
    if (!frames.has(origin)) return;
    blocked.add(origin);
    discard(origin, "blocked");
  };

  const open = (origin, url) => {
    if (!listening) {
      addEventListener("message", onMessage);
      document.addEventListener("securitypolicyviolation", onViolation);
      listening = true;
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
    frames.set(origin, frame);
    return frame;
  };

  return {
    /** Posts `message` (whose messageId is `id`) to `origin`'s frame, opening it at `url` first. */
    send: (origin, url, message, id, signal) =>
      new Promise((resolve, reject) => {
        if (!origin || blocked.has(origin)) return reject("blocked");
        if (signal && signal.aborted) return reject("aborted");
        const frame = frames.get(origin) || open(origin, url);
        const entry = { origin, resolve, reject, signal };
        if (!frame.answered) entry.timer = setTimeout(() => discard(origin, "silent"), answerTimeoutMs);
        if (signal) {
          entry.onAbort = () => settle(id, signal.reason?.name == "TimeoutError" ? "timeout" : "aborted");
          signal.addEventListener("abort", entry.onAbort);
        }
        waiting.set(id, entry);
        // postMessage throws only for a frame the DOM refuses: the frame cannot be used.
        if (frame.loaded) frame.window.postMessage(message, origin);
        else frame.queue.push(message);
      }),
    /** Removes every frame and listener (the session ended). */
    close: () => {
      for (const origin of [...frames.keys()]) discard(origin, "aborted");
      if (listening) {
        removeEventListener("message", onMessage);
        document.removeEventListener("securitypolicyviolation", onViolation);
        listening = false;
      }
    },
  };
}
