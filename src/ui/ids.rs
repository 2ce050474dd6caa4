//! Element ids unique on the page, for ARIA references (`aria-describedby`, `aria-controls`,
//! `aria-activedescendant`, `aria-labelledby`) between a component's own elements.

use std::sync::atomic::{AtomicU32, Ordering};

static NEXT: AtomicU32 = AtomicU32::new(1);

/// `prefix-N`, with an N no other call has had. Ids are per component instance: several
/// instances may share a shadow root (the contacts of `<ucwa-contacts>`) or the document.
pub fn unique_id(prefix: &str) -> String {
    format!("{prefix}-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}
