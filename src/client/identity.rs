//! The application's identity: an endpoint id stable per browser (so a reload gets the same
//! application back), and an instance id per tab (each tab its own event channel).

const KEY: &str = "ucwa-presence.endpointId";

pub fn random_id() -> String {
    let mut s = String::with_capacity(32);
    for _ in 0..4 {
        let n = (js_sys::Math::random() * f64::from(u32::MAX)) as u32;
        s.push_str(&format!("{n:08x}"));
    }
    s
}

pub fn endpoint_id() -> String {
    let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten());
    if let Some(storage) = &storage {
        if let Ok(Some(id)) = storage.get_item(KEY) {
            if id.len() == 32 && id.chars().all(|c| c.is_ascii_hexdigit()) {
                return id;
            }
        }
    }
    let id = random_id();
    if let Some(storage) = storage {
        let _ = storage.set_item(KEY, &id);
    }
    id
}
