//! The JSON reader (`protocol::json`) against serde_json, and the writer's strings read back.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ucwa_fuzz::{assert_json_agrees, assert_strings_round_trip, text};
use ucwa_presence::protocol::json;

fuzz_target!(|data: &[u8]| {
    let Some(text) = text(data) else { return };
    assert_json_agrees(text);
    if let Ok(value) = json::parse(text, "fuzz") {
        assert_strings_round_trip(&value);
    }
});
