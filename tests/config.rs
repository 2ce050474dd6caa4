//! The widget's configuration from the page's settings (`from_sources`): `data-domain` instead
//! of `data-autodiscover`, and `data-signin`. The URLs a domain gives are checked natively
//! (protocol::discovery); here, what the page's attributes turn into.
#![cfg(target_arch = "wasm32")]

use ucwa_presence::client::config::{from_sources, Source};
use ucwa_presence::client::{ConfigError, Setting};
use ucwa_presence::protocol::grant::SignInMode;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Settings as a page would give them (`data-<name>` → value).
struct Attrs<'a>(&'a [(&'a str, &'a str)]);

impl Source for Attrs<'_> {
    fn get(&self, name: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.to_string())
    }
}

fn config(attrs: &[(&str, &str)]) -> Result<ucwa_presence::client::Config, ConfigError> {
    from_sources(&[&Attrs(attrs)], "https:", "en-US")
}

const INTERNAL: &str =
    "https://lyncdiscoverinternal.contoso.com/autodiscover/autodiscoverservice.svc/root";
const EXTERNAL: &str = "https://lyncdiscover.contoso.com/autodiscover/autodiscoverservice.svc/root";

#[wasm_bindgen_test]
fn a_domain_tries_the_internal_then_the_external_root() {
    let c = config(&[("domain", " contoso.com ")]).unwrap();
    assert_eq!(c.autodiscover, INTERNAL);
    assert_eq!(c.fallback_autodiscover.as_deref(), Some(EXTERNAL));
    assert_eq!(c.signin, SignInMode::Auto);
}

#[wasm_bindgen_test]
fn an_autodiscover_url_wins_over_a_domain() {
    let url = "https://lyncweb.fabrikam.com/autodiscover/autodiscoverservice.svc/root";
    let c = config(&[("autodiscover", url), ("domain", "contoso.com")]).unwrap();
    assert_eq!(
        (c.autodiscover.as_str(), c.fallback_autodiscover),
        (url, None)
    );
}

#[wasm_bindgen_test]
fn bad_or_missing_servers_are_configuration_errors() {
    for domain in [
        "https://contoso.com",
        "contoso.com/autodiscover",
        "contoso .com",
        "contoso",
    ] {
        let attrs = [("domain", domain)];
        assert_eq!(
            config(&attrs),
            Err(ConfigError::Invalid(Setting::Domain, domain.trim().into())),
            "{domain}"
        );
    }
    assert!(config(&[("domain", "contoso.com/x")])
        .unwrap_err()
        .to_string()
        .contains("data-domain"));
    assert_eq!(config(&[]), Err(ConfigError::MissingAutodiscover));
    assert_eq!(
        config(&[("domain", " ")]),
        Err(ConfigError::MissingAutodiscover)
    );
    let missing = ConfigError::MissingAutodiscover.to_string();
    assert!(missing.contains("data-autodiscover") && missing.contains("data-domain"));
    // An invalid autodiscover URL is reported, not replaced by the domain.
    assert_eq!(
        config(&[
            ("autodiscover", "lyncdiscover.contoso.com"),
            ("domain", "contoso.com")
        ]),
        Err(ConfigError::Invalid(
            Setting::Autodiscover,
            "lyncdiscover.contoso.com".into()
        ))
    );
}

#[wasm_bindgen_test]
fn data_signin_picks_the_grants() {
    for (value, mode) in [
        ("auto", SignInMode::Auto),
        ("Windows", SignInMode::Windows),
        ("password", SignInMode::Password),
    ] {
        let attrs = [("domain", "contoso.com"), ("signin", value)];
        assert_eq!(config(&attrs).unwrap().signin, mode, "{value}");
    }
    let bad = config(&[("domain", "contoso.com"), ("signin", "kerberos")]).unwrap_err();
    assert_eq!(
        bad,
        ConfigError::Invalid(Setting::SignIn, "kerberos".into())
    );
    assert!(bad.to_string().contains("auto, windows or password"));
}

#[wasm_bindgen_test]
fn data_backend_picks_the_server_api() {
    use ucwa_presence::client::BackendChoice;
    let ucwa = config(&[("domain", "contoso.com")]).unwrap();
    assert_eq!(ucwa.backend, BackendChoice::Ucwa, "UCWA by default");
    let explicit = config(&[("domain", "contoso.com"), ("backend", " UCWA ")]).unwrap();
    assert_eq!(explicit.backend, BackendChoice::Ucwa);

    // The CWA server's origin; a path on it is dropped (every CWA path is fixed), and no
    // autodiscovery is needed.
    let cwa = config(&[
        ("backend", "CWA2007"),
        ("cwa", " https://CWA.Contoso.com/cwa/ "),
    ])
    .unwrap();
    assert_eq!(
        cwa.backend,
        BackendChoice::Cwa2007 {
            url: "https://cwa.contoso.com".into()
        }
    );
    assert_eq!(
        (cwa.autodiscover.as_str(), cwa.fallback_autodiscover),
        ("", None)
    );
    let with_port = config(&[
        ("backend", "cwa2007"),
        ("cwa", "https://cwa.contoso.com:8443"),
    ]);
    assert_eq!(
        with_port.unwrap().backend,
        BackendChoice::Cwa2007 {
            url: "https://cwa.contoso.com:8443".into()
        }
    );
}

#[wasm_bindgen_test]
fn a_bad_backend_or_cwa_server_is_a_configuration_error() {
    let bad = config(&[("domain", "contoso.com"), ("backend", "lync2010")]).unwrap_err();
    assert_eq!(
        bad,
        ConfigError::Invalid(Setting::Backend, "lync2010".into())
    );
    assert!(bad.to_string().contains("ucwa or cwa2007"), "{bad}");

    for attrs in [
        &[("backend", "cwa2007")][..],
        &[("backend", "cwa2007"), ("cwa", "  ")][..],
    ] {
        let missing = config(attrs).unwrap_err();
        assert_eq!(missing, ConfigError::MissingCwa, "{attrs:?}");
        assert!(missing.to_string().contains("data-cwa"), "{missing}");
    }
    for url in [
        "cwa.contoso.com",
        "ftp://cwa.contoso.com",
        "//cwa.contoso.com",
    ] {
        let invalid = config(&[("backend", "cwa2007"), ("cwa", url)]).unwrap_err();
        assert_eq!(
            invalid,
            ConfigError::Invalid(Setting::Cwa, url.into()),
            "{url}"
        );
        assert!(invalid.to_string().contains("data-cwa"), "{invalid}");
    }
    // Plain http from an https page is blocked by the browser: said, not tried.
    let mixed = config(&[("backend", "cwa2007"), ("cwa", "http://cwa.contoso.com")]).unwrap_err();
    assert_eq!(
        mixed,
        ConfigError::MixedContent("http://cwa.contoso.com".into())
    );
    // An http page may use an http server.
    let plain = from_sources(
        &[&Attrs(&[
            ("backend", "cwa2007"),
            ("cwa", "http://127.0.0.1:18090"),
        ])],
        "http:",
        "en-US",
    );
    assert!(plain.is_ok(), "{plain:?}");
}

#[wasm_bindgen_test]
fn the_event_timeout_is_whole_seconds_up_to_1800() {
    let c = config(&[("domain", "contoso.com")]).unwrap();
    assert_eq!(c.event_timeout_secs, 180, "UCWA's default");
    let c = config(&[("domain", "contoso.com"), ("event-timeout", "5")]).unwrap();
    assert_eq!(c.event_timeout_secs, 5);
    for bad in ["0", "1801", "5s", "-1", ""] {
        let err = config(&[("domain", "contoso.com"), ("event-timeout", bad)]).unwrap_err();
        assert_eq!(err, ConfigError::Invalid(Setting::EventTimeout, bad.into()));
        assert!(err.to_string().contains("data-event-timeout"), "{err}");
    }
}
