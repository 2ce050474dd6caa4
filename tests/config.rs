//! The widget's configuration from the page's settings (`from_sources`): `data-domain` instead
//! of `data-autodiscover`, and `data-signin`. The URLs a domain gives are checked natively
//! (protocol::discovery); here, what the page's attributes turn into.
#![cfg(target_arch = "wasm32")]

use ucwa_presence::client::config::{from_sources, Source};
use ucwa_presence::client::ConfigError;
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
            Err(ConfigError::InvalidDomain(domain.trim().into())),
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
        Err(ConfigError::InvalidAutodiscover(
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
    assert_eq!(bad, ConfigError::InvalidSignIn("kerberos".into()));
    assert!(bad.to_string().contains("auto, windows or password"));
}
