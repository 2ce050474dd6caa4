//! UCWA availability vocabulary (presence_ref, contactPresence_ref) and how the widget shows it.
//!
//! Parsing never fails: a value this crate does not know becomes [`Availability::Unknown`], so a
//! newer server cannot break a badge.

use super::json::Value;

/// A user's availability as UCWA reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Availability {
    Online,
    Busy,
    DoNotDisturb,
    BeRightBack,
    Away,
    IdleOnline,
    IdleBusy,
    Offwork,
    Offline,
    /// Not known (yet), or a value this version does not understand.
    #[default]
    Unknown,
}

/// How a badge draws an availability: colour *and* shape, never colour alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BadgeKind {
    Available,
    Busy,
    DoNotDisturb,
    Away,
    Offline,
    Unknown,
}

impl Availability {
    /// The availabilities a user may set with `POST me/presence`, in menu order.
    pub const SETTABLE: [Availability; 6] = [
        Availability::Online,
        Availability::Busy,
        Availability::DoNotDisturb,
        Availability::BeRightBack,
        Availability::Away,
        Availability::Offwork,
    ];

    /// The UCWA token (`"Online"`, `"DoNotDisturb"`, …). `Unknown` has none.
    pub fn as_token(self) -> Option<&'static str> {
        Some(match self {
            Availability::Online => "Online",
            Availability::Busy => "Busy",
            Availability::DoNotDisturb => "DoNotDisturb",
            Availability::BeRightBack => "BeRightBack",
            Availability::Away => "Away",
            Availability::IdleOnline => "IdleOnline",
            Availability::IdleBusy => "IdleBusy",
            Availability::Offwork => "Offwork",
            Availability::Offline => "Offline",
            Availability::Unknown => return None,
        })
    }

    /// Parses a UCWA token; matching ignores ASCII case (servers differ), unknown tokens give `Unknown`.
    pub fn from_token(token: &str) -> Availability {
        const ALL: [Availability; 9] = [
            Availability::Online,
            Availability::Busy,
            Availability::DoNotDisturb,
            Availability::BeRightBack,
            Availability::Away,
            Availability::IdleOnline,
            Availability::IdleBusy,
            Availability::Offwork,
            Availability::Offline,
        ];
        let token = token.trim();
        ALL.into_iter()
            .find(|a| a.as_token().is_some_and(|t| t.eq_ignore_ascii_case(token)))
            .unwrap_or(Availability::Unknown)
    }

    pub fn is_settable(self) -> bool {
        Self::SETTABLE.contains(&self)
    }

    pub fn kind(self) -> BadgeKind {
        match self {
            Availability::Online => BadgeKind::Available,
            Availability::Busy | Availability::IdleBusy => BadgeKind::Busy,
            Availability::DoNotDisturb => BadgeKind::DoNotDisturb,
            Availability::BeRightBack
            | Availability::Away
            | Availability::IdleOnline
            | Availability::Offwork => BadgeKind::Away,
            Availability::Offline => BadgeKind::Offline,
            Availability::Unknown => BadgeKind::Unknown,
        }
    }

    /// English label, as Skype for Business words it. Localised labels come from `crate::i18n`
    /// later; this is the fallback and the source text.
    pub fn label(self) -> &'static str {
        match self {
            Availability::Online => "Available",
            Availability::Busy => "Busy",
            Availability::DoNotDisturb => "Do not disturb",
            Availability::BeRightBack => "Be right back",
            Availability::Away => "Away",
            Availability::IdleOnline => "Inactive",
            Availability::IdleBusy => "Busy, inactive",
            Availability::Offwork => "Off work",
            Availability::Offline => "Offline",
            Availability::Unknown => "Presence unknown",
        }
    }

    /// Label for the status menu, where `Away` reads "Appear away" as in Skype for Business.
    pub fn menu_label(self) -> &'static str {
        match self {
            Availability::Away => "Appear away",
            other => other.label(),
        }
    }
}

impl BadgeKind {
    /// CSS modifier used by the badge (`ucwa-badge--available`, …).
    pub fn css(self) -> &'static str {
        match self {
            BadgeKind::Available => "available",
            BadgeKind::Busy => "busy",
            BadgeKind::DoNotDisturb => "dnd",
            BadgeKind::Away => "away",
            BadgeKind::Offline => "offline",
            BadgeKind::Unknown => "unknown",
        }
    }
}

impl Availability {
    /// The availability a JSON value names. Accepts anything: strings map by token (see
    /// [`Availability::from_token`]), every other value is `Unknown`.
    pub fn from_json(value: &Value) -> Availability {
        value
            .as_str()
            .map(Availability::from_token)
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::json;

    #[test]
    fn tokens_round_trip_and_ignore_case() {
        for a in Availability::SETTABLE {
            let t = a.as_token().unwrap();
            assert_eq!(Availability::from_token(t), a);
            assert_eq!(Availability::from_token(&t.to_ascii_lowercase()), a);
        }
        assert_eq!(
            Availability::from_token(" IdleBusy "),
            Availability::IdleBusy
        );
        assert_eq!(
            Availability::from_token("Meditating"),
            Availability::Unknown
        );
        assert_eq!(Availability::Unknown.as_token(), None);
    }

    #[test]
    fn reads_any_json_value_without_error() {
        let read = |text: &str| Availability::from_json(&json::parse(text, "test").unwrap());
        assert_eq!(read("\"Busy\""), Availability::Busy);
        assert_eq!(read("\" doNOTdisturb \""), Availability::DoNotDisturb);
        assert_eq!(read("42"), Availability::Unknown);
        assert_eq!(read("null"), Availability::Unknown);
        assert_eq!(read("[\"Busy\"]"), Availability::Unknown);
        assert_eq!(read("{\"availability\":\"Busy\"}"), Availability::Unknown);
    }

    #[test]
    fn writes_tokens_as_json_strings() {
        let mut out = String::new();
        json::write_string(&mut out, Availability::DoNotDisturb.as_token().unwrap());
        assert_eq!(out, "\"DoNotDisturb\"");
    }

    #[test]
    fn every_kind_has_a_distinct_css_modifier() {
        let kinds = [
            BadgeKind::Available,
            BadgeKind::Busy,
            BadgeKind::DoNotDisturb,
            BadgeKind::Away,
            BadgeKind::Offline,
            BadgeKind::Unknown,
        ];
        let mut css: Vec<_> = kinds.iter().map(|k| k.css()).collect();
        css.dedup();
        assert_eq!(css.len(), kinds.len());
        assert_eq!(Availability::IdleOnline.kind(), BadgeKind::Away);
        assert_eq!(Availability::IdleBusy.kind(), BadgeKind::Busy);
        assert!(!Availability::Offline.is_settable());
        assert_eq!(Availability::Away.menu_label(), "Appear away");
    }
}
