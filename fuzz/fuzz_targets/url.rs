//! URLs (`protocol::url`). The input's lines are a base URL, an `href`, a query key and a value:
//! resolving and splitting never panic; a value survives `encode_component`/`percent_decode`
//! and `with_query`/`query_param` unchanged; every URL is the same resource as itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ucwa_fuzz::text;
use ucwa_presence::protocol::url::{
    encode_component, form_encode, origin_of, path_and_query, percent_decode, query_param, resolve,
    same_resource, with_query,
};

fuzz_target!(|data: &[u8]| {
    let Some(text) = text(data) else { return };
    let mut lines = text.split('\n');
    let mut next = || lines.next().unwrap_or_default();
    let (base, href, key, value) = (next(), next(), next(), next());

    let resolved = resolve(base, href);
    let _ = (
        origin_of(&resolved),
        origin_of(base),
        path_and_query(&resolved),
    );
    assert!(same_resource(&resolved, &resolved), "{resolved:?}");

    assert_eq!(percent_decode(&encode_component(value)), value);
    let with = with_query(base, key, value);
    assert_eq!(
        query_param(&with, key).as_deref(),
        Some(value),
        "with_query({base:?}, {key:?}, {value:?}) = {with:?}"
    );
    let form = form_encode(&[(key, value)]);
    assert_eq!(
        query_param(&format!("https://h/p?{form}"), key).as_deref(),
        Some(value),
        "{form:?}"
    );
});
