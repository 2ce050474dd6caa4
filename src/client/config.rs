//! The widget's configuration, read from the page: the script tag's `data-*` attributes, a
//! `<meta name="ucwa-autodiscover">` (or `ucwa-domain`), or
//! `window.ucwaPresence = { autodiscover: … }`.

use std::fmt;

use wasm_bindgen::JsValue;

use crate::protocol::channel::{DEFAULT_TIMEOUT_SECS, TIMEOUT_RANGE};
use crate::protocol::discovery::domain_autodiscover_urls;
use crate::protocol::grant::SignInMode;
use crate::protocol::transport::Preference;
use crate::protocol::url::origin_of;

/// Which server API the page speaks (`data-backend`).
#[derive(Clone, Debug, PartialEq, Default)]
pub enum BackendChoice {
    /// UCWA 2.0 (Skype for Business Server, Lync 2013): the default.
    #[default]
    Ucwa,
    /// The UC AJAX Service API 2007 (Communicator Web Access 2007 / R2) at `url`
    /// (`data-cwa`: the CWA server's origin, e.g. `https://cwa.contoso.com`).
    #[cfg(feature = "cwa2007")]
    Cwa2007 { url: String },
}

/// Everything the session needs to start.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// `data-backend` (with `data-cwa`).
    pub backend: BackendChoice,
    /// The autodiscover root URL (with `data-domain`: the internal one, tried first). Empty
    /// for the CWA backend, which has no autodiscovery.
    pub autodiscover: String,
    /// With `data-domain`: the external autodiscover root, tried when the first fails.
    pub fallback_autodiscover: Option<String>,
    /// `data-signin`: which grants the widget may use.
    pub signin: SignInMode,
    /// Presence subscription duration in minutes (10–30, UCWA's range).
    pub subscription_minutes: u8,
    /// `data-event-timeout`: the `timeout` (seconds) the event channel asks for.
    pub event_timeout_secs: u32,
    /// Language for the application (`culture`).
    pub culture: String,
    /// `data-transport`: the XFrame, CORS, or either (`auto`).
    pub transport: Preference,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ConfigError {
    MissingAutodiscover,
    /// A `data-*` setting given with a value it cannot take (the value, trimmed).
    Invalid(Setting, String),
    MixedContent(String),
    /// `data-backend` names a backend this bundle does not have.
    #[cfg(not(feature = "cwa2007"))]
    InvalidBackend(String),
    /// `data-backend="cwa2007"` without `data-cwa`.
    #[cfg(feature = "cwa2007")]
    MissingCwa,
}

/// The settings whose values are checked, for [`ConfigError::Invalid`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setting {
    Autodiscover,
    SubscriptionMinutes,
    EventTimeout,
    Transport,
    Domain,
    SignIn,
    #[cfg(feature = "cwa2007")]
    Backend,
    #[cfg(feature = "cwa2007")]
    Cwa,
}

impl Setting {
    /// The attribute without `data-`, and what its value must be.
    fn words(self) -> (&'static str, &'static str) {
        match self {
            Setting::Autodiscover => ("autodiscover", "an absolute http(s) URL of the autodiscover root"),
            Setting::SubscriptionMinutes => ("subscription-minutes", "a whole number from 10 to 30"),
            Setting::EventTimeout => ("event-timeout", "whole seconds from 1 to 1800"),
            Setting::Transport => ("transport", "auto, xframe or cors"),
            Setting::Domain => ("domain", "a domain name such as contoso.com"),
            Setting::SignIn => ("signin", "auto, windows or password"),
            #[cfg(feature = "cwa2007")]
            Setting::Backend => ("backend", "ucwa or cwa2007"),
            #[cfg(feature = "cwa2007")]
            Setting::Cwa => ("cwa", "the absolute http(s) URL of the Communicator Web Access server, such as https://cwa.contoso.com"),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::MissingAutodiscover => f.write_str(
                "no Skype for Business server is configured: add data-autodiscover=\"https://lyncdiscover.<your domain>/autodiscover/autodiscoverservice.svc/root\" (or data-domain=\"<your domain>\") to the ucwa-presence script tag"
            ),
            ConfigError::Invalid(setting, v) => {
                let (name, expected) = setting.words();
                write!(f, "data-{name} must be {expected}, not \"{v}\"")
            }
            ConfigError::MixedContent(v) => write!(
                f,
                "this page is served over https, so the browser will block the plain-http server \"{v}\": use its https URL"
            ),
            // `cwa2007` included: this bundle has no CWA backend.
            #[cfg(not(feature = "cwa2007"))]
            ConfigError::InvalidBackend(v) => write!(
                f,
                "data-backend=\"{v}\" needs ucwa-presence-cwa.js"
            ),
            #[cfg(feature = "cwa2007")]
            ConfigError::MissingCwa => f.write_str(
                "data-backend=\"cwa2007\" needs the Communicator Web Access server: add data-cwa=\"https://cwa.<your domain>\" to the ucwa-presence script tag"
            ),
        }
    }
}

/// A name/value source for configuration (an element's attributes, or a JS object).
pub trait Source {
    fn get(&self, name: &str) -> Option<String>;
}

/// Builds the configuration; each setting comes from the first source that has it. An
/// autodiscover URL wins over a domain; a value given but invalid is an error, never ignored.
pub fn from_sources(
    sources: &[&dyn Source],
    page_protocol: &str,
    default_culture: &str,
) -> Result<Config, ConfigError> {
    let get = |name: &str| {
        sources
            .iter()
            .find_map(|s| s.get(name))
            .map(|v| v.trim().to_owned())
    };
    let backend = match get("backend").as_deref() {
        None | Some("") => BackendChoice::Ucwa,
        Some(v) if v.eq_ignore_ascii_case("ucwa") => BackendChoice::Ucwa,
        #[cfg(feature = "cwa2007")]
        Some(v) if v.eq_ignore_ascii_case("cwa2007") => {
            let url = get("cwa")
                .filter(|v| !v.is_empty())
                .ok_or(ConfigError::MissingCwa)?;
            BackendChoice::Cwa2007 {
                url: cwa_origin(url, page_protocol)?,
            }
        }
        #[cfg(feature = "cwa2007")]
        Some(v) => return Err(ConfigError::Invalid(Setting::Backend, v.to_owned())),
        #[cfg(not(feature = "cwa2007"))]
        Some(v) => return Err(ConfigError::InvalidBackend(v.to_owned())),
    };
    let discovery = match get("autodiscover").filter(|v| !v.is_empty()) {
        Some(url) => Some((checked_url(url, page_protocol)?, None)),
        None => None,
    };
    let (autodiscover, fallback_autodiscover) = match discovery {
        Some(found) => found,
        // The CWA backend needs no autodiscovery.
        None if backend != BackendChoice::Ucwa => (String::new(), None),
        None => {
            let domain = get("domain")
                .filter(|v| !v.is_empty())
                .ok_or(ConfigError::MissingAutodiscover)?;
            let [internal, external] = domain_autodiscover_urls(&domain)
                .ok_or(ConfigError::Invalid(Setting::Domain, domain))?;
            (internal, Some(external))
        }
    };
    let signin = match get("signin") {
        None => SignInMode::Auto,
        Some(v) => SignInMode::parse(&v).ok_or(ConfigError::Invalid(Setting::SignIn, v))?,
    };
    let subscription_minutes = match get("subscription-minutes") {
        None => 30,
        Some(v) => match v.parse::<u64>() {
            Ok(n) if (10..=30).contains(&n) => n as u8,
            _ => return Err(ConfigError::Invalid(Setting::SubscriptionMinutes, v)),
        },
    };
    let event_timeout_secs = match get("event-timeout") {
        None => DEFAULT_TIMEOUT_SECS,
        Some(v) => match v.parse::<u64>() {
            Ok(n) if (1..=u64::from(TIMEOUT_RANGE.1)).contains(&n) => n as u32,
            _ => return Err(ConfigError::Invalid(Setting::EventTimeout, v)),
        },
    };
    let transport = match get("transport") {
        None => Preference::Auto,
        Some(v) => Preference::parse(&v).ok_or(ConfigError::Invalid(Setting::Transport, v))?,
    };
    let culture = get("culture")
        .filter(|c| valid_culture(c))
        .unwrap_or_else(|| default_culture.to_owned());
    Ok(Config {
        backend,
        autodiscover,
        fallback_autodiscover,
        signin,
        subscription_minutes,
        event_timeout_secs,
        culture,
        transport,
    })
}

/// An autodiscover URL: absolute http(s), and not plain http on an https page.
fn checked_url(url: String, page_protocol: &str) -> Result<String, ConfigError> {
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) || origin_of(&url).is_none()
    {
        return Err(ConfigError::Invalid(Setting::Autodiscover, url));
    }
    if page_protocol == "https:" && lower.starts_with("http://") {
        return Err(ConfigError::MixedContent(url));
    }
    Ok(url)
}

#[cfg(feature = "cwa2007")]
/// The CWA server's origin from `data-cwa` (an origin, or a URL on it: its path is dropped, as
/// every CWA path is fixed).
fn cwa_origin(url: String, page_protocol: &str) -> Result<String, ConfigError> {
    let checked = checked_url(url, page_protocol).map_err(|e| match e {
        ConfigError::Invalid(Setting::Autodiscover, v) => ConfigError::Invalid(Setting::Cwa, v),
        other => other,
    })?;
    origin_of(&checked).ok_or(ConfigError::Invalid(Setting::Cwa, checked))
}

/// `en-US`, `de`, `zh-Hant-TW`: letters, digits and hyphens, at most 35 characters.
fn valid_culture(c: &str) -> bool {
    !c.is_empty() && c.len() <= 35 && c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-')
}

/// An element's `data-<name>` attribute (or `<meta name="ucwa-<name>" content>`).
pub struct ElementSource(pub web_sys::Element);

impl Source for ElementSource {
    fn get(&self, name: &str) -> Option<String> {
        if self.0.tag_name().eq_ignore_ascii_case("meta") {
            let wanted = format!("ucwa-{name}");
            return (self.0.get_attribute("name")?.eq_ignore_ascii_case(&wanted))
                .then(|| self.0.get_attribute("content"))
                .flatten();
        }
        self.0.get_attribute(&format!("data-{name}"))
    }
}

/// `window.ucwaPresence.<camelCaseName>` when it is a string (or a number).
pub struct GlobalSource(pub JsValue);

impl Source for GlobalSource {
    fn get(&self, name: &str) -> Option<String> {
        let key = camel(name);
        let v = js_sys::Reflect::get(&self.0, &JsValue::from_str(&key)).ok()?;
        // Whole numbers only (durations); avoids pulling float formatting into the bundle.
        v.as_string().or_else(|| {
            v.as_f64()
                .filter(|n| n.fract() == 0.0 && n.abs() < 1e9)
                .map(|n| (n as i64).to_string())
        })
    }
}

fn camel(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for ch in name.chars() {
        if ch == '-' {
            upper = true;
        } else if upper {
            out.push(ch.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(ch);
        }
    }
    out
}

/// Reads the configuration from the current page.
pub fn read_from_page() -> Result<Config, ConfigError> {
    let window = web_sys::window().ok_or(ConfigError::MissingAutodiscover)?;
    let document = window.document().ok_or(ConfigError::MissingAutodiscover)?;
    let mut owned: Vec<Box<dyn Source>> = Vec::new();
    if let Ok(Some(script)) = document
        .query_selector("script[data-autodiscover],script[data-domain],script[data-backend]")
    {
        owned.push(Box::new(ElementSource(script)));
    }
    for name in [
        "meta[name=ucwa-autodiscover]",
        "meta[name=ucwa-domain]",
        "meta[name=ucwa-backend]",
        "meta[name=ucwa-cwa]",
    ] {
        if let Ok(Some(meta)) = document.query_selector(name) {
            owned.push(Box::new(ElementSource(meta)));
        }
    }
    if let Ok(global) = js_sys::Reflect::get(&window, &JsValue::from_str("ucwaPresence")) {
        if global.is_object() {
            owned.push(Box::new(GlobalSource(global)));
        }
    }
    let sources: Vec<&dyn Source> = owned.iter().map(|b| b.as_ref()).collect();
    let protocol = window.location().protocol().unwrap_or_default();
    let culture = document
        .document_element()
        .and_then(|e| e.get_attribute("lang"))
        .filter(|l| valid_culture(l))
        .or_else(|| window.navigator().language())
        .unwrap_or_else(|| "en-US".to_owned());
    from_sources(&sources, &protocol, &culture)
}
