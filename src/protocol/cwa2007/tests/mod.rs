//! Native tests of the CWA 2007 protocol: the documented examples (CWA2007.md, seed 003),
//! request round trips, the data channel, failure decisions and malformed input.

mod channel;
mod errors;
mod events;
mod examples;
mod failure;
// proptest is a dev-dependency of the host only.
#[cfg(not(target_arch = "wasm32"))]
mod fuzz;
mod malformed;
mod replies;
mod requests;
