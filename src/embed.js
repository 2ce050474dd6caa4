// ucwa-presence.js: the one file an intranet page includes.
//   <script type="module" src="…/ucwa-presence.js" data-autodiscover="https://lyncdiscover.…/root"></script>
// It loads the WebAssembly widget from beside itself; the widget then reads its configuration
// from that script tag and renders every <ucwa-status>, <ucwa-presence> and <ucwa-contacts>.
import init from "./ucwa-presence-core.js";

init({ module_or_path: new URL("./ucwa-presence-core_bg.wasm", import.meta.url) }).catch((error) => {
  console.error("ucwa-presence: the widget could not be loaded:", error);
});
