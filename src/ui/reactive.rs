//! One type for the components' reactive attributes (bundle size): every closure type given
//! to an attribute instantiates tachys' attribute effect for it; behind one `Arc<dyn Fn>` per
//! value type they all share one instance.

use std::sync::Arc;

/// A reactive attribute value: an `Option<String>` (`None` leaves the attribute out) or a `bool`.
pub(crate) type Reactive<T> = Arc<dyn Fn() -> T + Send + Sync>;

/// `f` as the shared reactive attribute type.
pub(crate) fn reactive<T>(f: impl Fn() -> T + Send + Sync + 'static) -> Reactive<T> {
    Arc::new(f)
}
