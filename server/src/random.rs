//! Identifiers and bearer tokens from the operating system's CSPRNG (`getrandom`).

pub use getrandom::Error;

/// `n` random lower-case hex digits (4 bits of entropy each).
pub fn hex(n: usize) -> Result<String, Error> {
    let mut bytes = vec![0u8; n.div_ceil(2)];
    getrandom::fill(&mut bytes)?;
    let mut s: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    s.truncate(n);
    Ok(s)
}

/// An index below `n`, for the demo simulation; `None` when `n` is 0 or the operating system
/// has no randomness to give. (`% n` on 64 random bits: the bias is below 2^-60 for the demo's
/// handful of choices.)
pub fn below(n: usize) -> Option<usize> {
    let n = u64::try_from(n).ok().filter(|n| *n > 0)?;
    let v = getrandom::u64().ok()?;
    usize::try_from(v % n).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_has_the_asked_length_and_alphabet() {
        for n in [0, 1, 7, 8, 48] {
            let s = hex(n).unwrap();
            assert_eq!(s.len(), n);
            assert!(s
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
        }
    }

    #[test]
    fn values_differ() {
        // 192 bits: a repeat would mean the generator is broken, not bad luck.
        assert_ne!(hex(48).unwrap(), hex(48).unwrap());
    }

    #[test]
    fn below_stays_in_range() {
        assert_eq!(below(0), None);
        assert_eq!(below(1), Some(0));
        for _ in 0..200 {
            assert!(below(3).unwrap() < 3);
        }
    }
}
