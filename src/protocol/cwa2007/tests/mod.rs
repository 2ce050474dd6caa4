//! Native tests of the CWA 2007 protocol: the documented examples (CWA2007.md, seed 003),
//! request round trips, the data channel, failure decisions and malformed input.

mod channel;
mod errors;
mod events;
mod examples;
mod failure;
mod malformed;
mod replies;
mod requests;
