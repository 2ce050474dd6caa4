//! Numeric availability (bb969588, bb969561) ↔ the server's [`Availability`].

use crate::presence::Availability;

/// The representative number the server sends for an availability (CONTRACTS12 §1).
pub fn to_number(a: Availability) -> u32 {
    match a {
        Availability::Online => 3500,
        Availability::IdleOnline => 4500,
        Availability::Busy => 6500,
        Availability::IdleBusy => 7500,
        Availability::DoNotDisturb => 9500,
        Availability::BeRightBack => 12500,
        Availability::Away | Availability::Offwork => 15500,
        Availability::Offline => 18500,
    }
}

/// The availability a number falls in; `None` below 3000 (no documented range).
pub fn from_number(n: u32) -> Option<Availability> {
    Some(match n {
        0..=2999 => return None,
        3000..=4499 => Availability::Online,
        4500..=5999 => Availability::IdleOnline,
        6000..=7499 => Availability::Busy,
        7500..=8999 => Availability::IdleBusy,
        9000..=11999 => Availability::DoNotDisturb,
        12000..=14999 => Availability::BeRightBack,
        15000..=17999 => Availability::Away,
        _ => Availability::Offline,
    })
}

/// The activity token sent when no explicit activity is set: PascalCase, UCWA-like.
pub fn default_token(a: Availability) -> &'static str {
    match a {
        Availability::Online => "Available",
        Availability::IdleOnline => "Inactive",
        Availability::Busy | Availability::IdleBusy => "Busy",
        Availability::DoNotDisturb => "DoNotDisturb",
        Availability::BeRightBack => "BeRightBack",
        Availability::Away => "Away",
        Availability::Offwork => "off-work",
        Availability::Offline => "Offline",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_edges() {
        use Availability::*;
        let cases = [
            (2999, None),
            (3000, Some(Online)),
            (4499, Some(Online)),
            (4500, Some(IdleOnline)),
            (5999, Some(IdleOnline)),
            (6000, Some(Busy)),
            (7499, Some(Busy)),
            (7500, Some(IdleBusy)),
            (8999, Some(IdleBusy)),
            (9000, Some(DoNotDisturb)),
            (11999, Some(DoNotDisturb)),
            (12000, Some(BeRightBack)),
            (14999, Some(BeRightBack)),
            (15000, Some(Away)),
            (17999, Some(Away)),
            (18000, Some(Offline)),
            (u32::MAX, Some(Offline)),
        ];
        for (n, want) in cases {
            assert_eq!(from_number(n), want, "{n}");
        }
    }

    #[test]
    fn every_representative_number_maps_back_except_offwork() {
        use Availability::*;
        for a in [
            Online,
            IdleOnline,
            Busy,
            IdleBusy,
            DoNotDisturb,
            BeRightBack,
            Away,
            Offline,
        ] {
            assert_eq!(from_number(to_number(a)), Some(a));
        }
        assert_eq!(from_number(to_number(Offwork)), Some(Away));
        assert_eq!(default_token(Offwork), "off-work");
    }
}
