// The CORS transport's fetch (cors.rs), in JavaScript because web-sys glue for fetch, Headers and
// Response costs the bundle more than this file. It answers in the XFrame's response format
// (`{status, statusText, responseText, headers}` as a JSON string, headers in the
// getAllResponseHeaders() form; status 0 when the body was cut short), so one Rust decoder (protocol/xframe.rs) reads both transports;
// the browser shows script only the headers the server exposes. A failed fetch rejects with the
// browser's error (TypeError, AbortError).
export function corsFetch(url, method, headers, body, referrer, credentialed, keepalive, signal) {
  const sent = new Headers();
  for (let i = 0; i + 1 < headers.length; i += 2) sent.set(headers[i], headers[i + 1]);
  return fetch(url, {
    method,
    headers: sent,
    body,
    referrer,
    keepalive,
    signal,
    credentials: credentialed ? "include" : "same-origin",
  }).then(async (response) => {
    let responseText;
    try {
      responseText = await response.text();
    } catch {
      // A body cut short (the connection dropped mid-response): a network failure, as the
      // XFrame reports one (status 0), not a refusal.
      return JSON.stringify({ messageId: "", status: 0 });
    }
    let lines = "";
    for (const [name, value] of response.headers) lines += `${name}: ${value}\r\n`;
    return JSON.stringify({ messageId: "", status: response.status, statusText: response.statusText, responseText, headers: lines });
  });
}
