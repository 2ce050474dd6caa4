//! Numeric availability (bb969588, bb969561) ↔ the widget's [`Availability`].

use crate::protocol::Availability;

/// The availability a numeric value stands for, by the documented ranges: 3000–4499 online,
/// 4500–5999 idle online, 6000–7499 busy, 7500–8999 idle busy, 9000–11999 do not disturb,
/// 12000–14999 be right back, 15000–17999 away, 18000 and above offline. Below 3000 (or
/// negative): unknown.
pub fn from_value(value: i64) -> Availability {
    match value {
        3000..=4499 => Availability::Online,
        4500..=5999 => Availability::IdleOnline,
        6000..=7499 => Availability::Busy,
        7500..=8999 => Availability::IdleBusy,
        9000..=11999 => Availability::DoNotDisturb,
        12000..=14999 => Availability::BeRightBack,
        15000..=17999 => Availability::Away,
        18000.. => Availability::Offline,
        _ => Availability::Unknown,
    }
}

/// The representative value published for `availability` (3500, 4500, 6500, 7500, 9500, 12500,
/// 15500, 18500); `Offwork` has no range of its own and is published as away (15500). `Unknown`
/// has none.
pub fn to_value(availability: Availability) -> Option<u32> {
    Some(match availability {
        Availability::Online => 3500,
        Availability::IdleOnline => 4500,
        Availability::Busy => 6500,
        Availability::IdleBusy => 7500,
        Availability::DoNotDisturb => 9500,
        Availability::BeRightBack => 12500,
        Availability::Away | Availability::Offwork => 15500,
        Availability::Offline => 18500,
        Availability::Unknown => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use Availability::*;

    #[test]
    fn every_range_edge_lands_on_its_side() {
        let edges = [
            (2999, Unknown, 3000, Online),
            (4499, Online, 4500, IdleOnline),
            (5999, IdleOnline, 6000, Busy),
            (7499, Busy, 7500, IdleBusy),
            (8999, IdleBusy, 9000, DoNotDisturb),
            (11999, DoNotDisturb, 12000, BeRightBack),
            (14999, BeRightBack, 15000, Away),
            (17999, Away, 18000, Offline),
        ];
        for (below, below_is, at, at_is) in edges {
            assert_eq!(from_value(below), below_is, "{below}");
            assert_eq!(from_value(at), at_is, "{at}");
        }
    }

    #[test]
    fn huge_zero_and_negative_values() {
        assert_eq!(from_value(i64::MAX), Offline);
        assert_eq!(from_value(1_000_000), Offline);
        assert_eq!(from_value(0), Unknown);
        assert_eq!(from_value(-1), Unknown);
        assert_eq!(from_value(i64::MIN), Unknown);
    }

    #[test]
    fn each_published_value_reads_back_as_itself() {
        let all = [
            Online,
            IdleOnline,
            Busy,
            IdleBusy,
            DoNotDisturb,
            BeRightBack,
            Away,
            Offwork,
            Offline,
        ];
        for a in all {
            let value = to_value(a).unwrap();
            let expected = if a == Offwork { Away } else { a };
            assert_eq!(from_value(i64::from(value)), expected, "{a:?} → {value}");
        }
        assert_eq!(to_value(Unknown), None);
        assert_eq!(to_value(Busy), Some(6500));
        assert_eq!(to_value(Offline), Some(18500));
    }
}
