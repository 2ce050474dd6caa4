//! Microsoft JSON dates (`protocol::date`): any text parses without panicking, and what it reads
//! is the number the text holds; the input's first eight bytes as an `i64` read back from every
//! spelling the server may use (`/Date(n)/`, `\/Date(n)\/`, with an offset).
#![no_main]

use libfuzzer_sys::fuzz_target;
use ucwa_fuzz::text;
use ucwa_presence::protocol::parse_ms_date;

fuzz_target!(|data: &[u8]| {
    if let Some(text) = text(data) {
        if let Some(ms) = parse_ms_date(text) {
            let digits: String = ms.unsigned_abs().to_string();
            let unescaped = text.replace('\\', "");
            assert!(unescaped.contains(&digits), "{text:?} read as {ms}");
        }
    }
    if let Some(bytes) = data.get(..8) {
        let n = i64::from_le_bytes(bytes.try_into().unwrap_or_default());
        for spelling in [
            format!("/Date({n})/"),
            format!("\\/Date({n})\\/"),
            format!(" /Date({n}+0100)/ "),
            format!("/Date({n}-0800)/"),
        ] {
            assert_eq!(parse_ms_date(&spelling), Some(n), "{spelling:?}");
        }
    }
});
