// ucwa-presence.js: the one file an intranet page includes.
//   <script type="module" src="…/ucwa-presence.js" data-autodiscover="https://lyncdiscover.…/root"></script>
// It loads the WebAssembly widget from beside itself; the widget then reads its configuration
// from that script tag and renders every <ucwa-status>, <ucwa-presence> and <ucwa-contacts>.
//
// scripts/build-dist defines the two constants (esbuild --define): UCWA_WASM is this bundle's
// module; UCWA_FULL is, in the default bundle (built without the contact list, avatars and inline
// cards, to stay within its size budget), the full bundle beside it, which a page showing
// <ucwa-contacts> or <ucwa-presence display="avatar|card"> gets instead (module scripts run after
// the page is parsed, so its elements are there); null in the full and stable bundles, which
// have everything.
import init from "./ucwa-presence-core.js";

// Elements only the full bundle shows in full: the contact list, avatars and inline cards.
const FULL_ONLY = 'ucwa-contacts, ucwa-presence[display="avatar" i], ucwa-presence[display="card" i]';

if (UCWA_FULL && document.querySelector(FULL_ONLY)) {
  import(new URL(UCWA_FULL, import.meta.url).href).catch((error) => {
    console.error("ucwa-presence: the full bundle could not be loaded:", error);
  });
} else {
  init({ module_or_path: new URL(UCWA_WASM, import.meta.url) }).catch((error) => {
    console.error("ucwa-presence: the widget could not be loaded:", error);
  });
}
