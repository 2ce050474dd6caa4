// The CORS transport's fetch (cors.rs). It takes the request as the XFrame's request message
// and answers in the XFrame's response format (`{status, statusText, responseText, headers}`
// as a JSON string, headers in the getAllResponseHeaders() form; status 0 when the body was cut
// short), so one Rust encoder and decoder (protocol/xframe.rs) serve both transports; the
// browser shows script only the headers the server exposes. A fetch that fails rejects with
// "aborted", "timeout" (its signal was a deadline's) or "fetch: <the browser's error>". A
// request that accepts only `image/*` (a photo) is answered with an object URL of the image when
// it is one. In JavaScript because web-sys glue for fetch, Headers and Response costs the bundle
// more than this file.
export function corsFetch(message, referrer, credentialed, signal) {
  const request = JSON.parse(message);
  return fetch(request.url, {
    method: request.type,
    headers: request.headers,
    body: request.data,
    referrer,
    keepalive: !!request.keepalive,
    signal,
    credentials: credentialed ? "include" : "same-origin",
  }).then(
    async (response) => {
      let responseText;
      try {
        responseText =
          /^image\//.test(request.headers.Accept) && response.ok && /^image\//i.test(response.headers.get("content-type"))
            ? URL.createObjectURL(await response.blob())
            : await response.text();
      } catch {
        // The connection dropped mid-response: a network failure, not a refusal.
        return JSON.stringify({ messageId: "", status: 0 });
      }
      let headers = "";
      for (const [name, value] of response.headers) headers += `${name}: ${value}\r\n`;
      return JSON.stringify({ messageId: "", status: response.status, statusText: response.statusText, responseText, headers });
    },
    (error) => {
      const name = error && error.name;
      throw name == "AbortError" ? "aborted" : name == "TimeoutError" ? "timeout" : `fetch: ${error}`;
    },
  );
}
