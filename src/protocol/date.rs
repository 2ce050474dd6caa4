//! Microsoft JSON dates: `"\/Date(1358827096000)\/"` (milliseconds since the Unix epoch).

/// Parses `/Date(ms)/` — with or without the JSON escaping backslashes, with an optional
/// `+hhmm`/`-hhmm` offset (which does not change the instant: the number is already UTC) —
/// into milliseconds since the epoch. `None` for anything else.
pub fn parse_ms_date(s: &str) -> Option<i64> {
    let cleaned: String = s.trim().chars().filter(|&c| c != '\\').collect();
    let inner = cleaned
        .strip_prefix("/Date(")
        .or_else(|| cleaned.strip_prefix("Date("))?;
    let inner = inner
        .strip_suffix(")/")
        .or_else(|| inner.strip_suffix(')'))?;
    // Split off an offset: a sign that is not the first character.
    let (number, offset) = match inner.get(1..).and_then(|rest| rest.find(['+', '-'])) {
        Some(i) => inner.split_at(i + 1),
        None => (inner, ""),
    };
    if !offset.is_empty() {
        let digits = offset.get(1..)?;
        if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
    }
    let digits = number.strip_prefix(['-', '+']).unwrap_or(number);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    number.parse::<i64>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_seed_000_last_active() {
        // As the JSON text spells it, and as serde_json decodes it.
        assert_eq!(
            parse_ms_date(r"\/Date(1358827096000)\/"),
            Some(1_358_827_096_000)
        );
        assert_eq!(
            parse_ms_date("/Date(1358827096000)/"),
            Some(1_358_827_096_000)
        );
        assert_eq!(
            parse_ms_date(" /Date(1358827096000+0100)/ "),
            Some(1_358_827_096_000)
        );
        assert_eq!(parse_ms_date("/Date(-86400000-0500)/"), Some(-86_400_000));
        assert_eq!(parse_ms_date("/Date(0)/"), Some(0));
        assert_eq!(parse_ms_date("/Date(12)"), Some(12));
    }

    #[test]
    fn rejects_others() {
        for bad in [
            "",
            "/Date()/",
            "/Date(abc)/",
            "Date(12",
            "/Date(1+01)/",
            "/Date(1+01000)/",
            "/Date(99999999999999999999)/",
            "2013-01-22T04:38:16Z",
            "/Date(+)/",
            "/Date(--1)/",
            "/Date(1 )/",
        ] {
            assert_eq!(parse_ms_date(bad), None, "{bad:?}");
        }
    }
}
