//! UCWA availability vocabulary (presence_ref, contactPresence_ref) and how the widget shows it.
//!
//! Parsing never fails: a value this crate does not know becomes [`Availability::Unknown`], so a
//! newer server cannot break a badge.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

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

impl Serialize for Availability {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.as_token() {
            Some(t) => s.serialize_str(t),
            None => s.serialize_none(),
        }
    }
}

impl<'de> Deserialize<'de> for Availability {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Accept anything: strings map by token, everything else is Unknown.
        let v = serde_json::Value::deserialize(d)?;
        Ok(v.as_str().map(Availability::from_token).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_ignore_case() {
        for a in Availability::SETTABLE {
            let t = a.as_token().unwrap();
            assert_eq!(Availability::from_token(t), a);
            assert_eq!(Availability::from_token(&t.to_ascii_lowercase()), a);
        }
        assert_eq!(Availability::from_token(" IdleBusy "), Availability::IdleBusy);
        assert_eq!(Availability::from_token("Meditating"), Availability::Unknown);
        assert_eq!(Availability::Unknown.as_token(), None);
    }

    #[test]
    fn deserialises_anything_without_error() {
        let a: Availability = serde_json::from_str("\"Busy\"").unwrap();
        assert_eq!(a, Availability::Busy);
        let a: Availability = serde_json::from_str("42").unwrap();
        assert_eq!(a, Availability::Unknown);
        let a: Availability = serde_json::from_str("null").unwrap();
        assert_eq!(a, Availability::Unknown);
        assert_eq!(serde_json::to_string(&Availability::DoNotDisturb).unwrap(), "\"DoNotDisturb\"");
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
