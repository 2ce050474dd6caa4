// ucwa-presence.js: the one file an intranet page includes.
//   <script type="module" src="…/ucwa-presence.js" data-autodiscover="https://lyncdiscover.…/root"></script>
// It loads the WebAssembly widget from beside itself; the widget then reads its configuration
// from that script tag and renders every <ucwa-status>, <ucwa-presence> and <ucwa-contacts>.
//
// scripts/build-dist defines three constants (esbuild --define): UCWA_WASM is this bundle's
// module; UCWA_FULL is, in the default bundle (built without the contact list, avatars and inline
// cards, to stay within its size budget), the full bundle beside it, which a page showing
// <ucwa-contacts> or <ucwa-presence display="avatar|card"> gets instead (module scripts run after
// the page is parsed, so its elements are there); UCWA_CWA is, in the default and full bundles
// (built without the CWA 2007 backend), the CWA bundle beside them, which a page on that backend
// (data-backend="cwa2007") gets instead. Each is null where this bundle has it already (the CWA
// and stable bundles have everything).
import init from "./ucwa-presence-core.js";

// Elements only the full bundle shows in full: the contact list, avatars and inline cards.
const FULL_ONLY = 'ucwa-contacts, ucwa-presence[display="avatar" i], ucwa-presence[display="card" i]';
// The CWA 2007 backend, wherever the page configures it (the widget reads the same places).
const CWA = 'script[data-backend="cwa2007" i], meta[name="ucwa-backend"][content="cwa2007" i]';
const cwa = () => document.querySelector(CWA) || /^\s*cwa2007\s*$/i.test(window.ucwaPresence?.backend);

const other = UCWA_CWA && cwa() ? UCWA_CWA : UCWA_FULL && document.querySelector(FULL_ONLY) ? UCWA_FULL : null;
if (other) {
  import(new URL(other, import.meta.url).href).catch((error) => {
    console.error(`ucwa-presence: ${other} could not be loaded:`, error);
  });
} else {
  init({ module_or_path: new URL(UCWA_WASM, import.meta.url) }).catch((error) => {
    console.error("ucwa-presence: the widget could not be loaded:", error);
  });
}
