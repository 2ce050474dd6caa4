//! Unpredictable identifiers without an extra dependency.
//!
//! `std`'s `RandomState` is seeded from the operating system's random source; hashing a counter
//! and the clock with a fresh instance (SipHash keyed by those secret keys) gives values an
//! outsider cannot predict. Good enough for bearer tokens of a reference server.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

static COUNTER: AtomicU64 = AtomicU64::new(0);

pub fn u64() -> u64 {
    let mut h = RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    h.write_u128(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    h.finish()
}

/// `n` random lower-case hex digits.
pub fn hex(n: usize) -> String {
    let mut s = String::with_capacity(n + 16);
    while s.len() < n {
        s.push_str(&format!("{:016x}", u64()));
    }
    s.truncate(n);
    s
}

/// A uniformly distributed index below `n` (n > 0), for the demo simulation.
pub fn below(n: usize) -> usize {
    if n == 0 {
        0
    } else {
        (u64() % n as u64) as usize
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn distinct_values() {
        let a = super::hex(32);
        let b = super::hex(32);
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
        assert!(super::below(3) < 3);
    }
}
