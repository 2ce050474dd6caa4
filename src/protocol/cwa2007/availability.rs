//! Numeric availability (bb969588, bb969561) ↔ the widget's [`Availability`].

use crate::protocol::Availability;

/// The availability a numeric value stands for, by the documented ranges: 3000–4499 online,
/// 4500–5999 idle online, 6000–7499 busy, 7500–8999 idle busy, 9000–11999 do not disturb,
/// 12000–14999 be right back, 15000–17999 away, 18000 and above offline. Below 3000 (or
/// negative): unknown.
pub fn from_value(value: i64) -> Availability {
    todo!("{value}")
}

/// The representative value published for `availability` (3500, 4500, 6500, 7500, 9500, 12500,
/// 15500, 18500); `Offwork` has no range of its own and is published as away (15500). `Unknown`
/// has none.
pub fn to_value(availability: Availability) -> Option<u32> {
    todo!("{availability:?}")
}
