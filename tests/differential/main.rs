//! Differential tests of the hand-written parsers in `src/protocol/` against the standard
//! crates they stand in for: the JSON reader and writer against `serde_json`, the URL helpers
//! against `url`, `form_urlencoded` and `percent-encoding`, batch decoding and
//! encoding against `httparse`.
//!
//! The widget keeps its own small parsers so the wasm bundle carries no serde or url; these
//! crates are native dev-dependencies only, and this whole test target is compiled out on wasm32
//! (the browser run, `cargo test --target wasm32-unknown-unknown --test '*'`, finds no test here).
//!
//! Inputs come from the UCWA seed pages (copied into `fixtures/`, since CI sees `shared/` only as a
//! sibling copy), from the JSON literals of `src/protocol/`'s own unit tests, and from `proptest`
//! strategies run with a fixed seed and a bounded number of cases (see [`support::check`]), so a
//! run is fast, repeatable and cannot flake. Where the widget's parser differs from the oracle on
//! purpose, the test names the difference and asserts exactly it.
#![cfg(not(target_arch = "wasm32"))]

mod batch;
mod batch_headers;
mod batch_request;
mod json;
mod json_gen;
mod json_write;
mod support;
mod url_query;
mod url_resolve;
