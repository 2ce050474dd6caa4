//! Words the components show besides availability labels: activity tokens, status lines,
//! "last seen".

use crate::client::store::{NoteView, PresenceView};

/// UCWA sends some activities as tokens for the client to localise (contactPresence_ref);
/// anything else is already the server's localised text and is shown as it is.
pub fn activity_text(activity: &str) -> String {
    match activity.trim() {
        "in-a-meeting" => "In a meeting".into(),
        "urgent-interruptions-only" => "Urgent interruptions only".into(),
        "on-the-phone" => "In a call".into(),
        "in-a-conference" => "In a conference call".into(),
        "off-work" => "Off work".into(),
        "presenting" => "Presenting".into(),
        "away" => "Away".into(),
        "available" => "Available".into(),
        "busy" => "Busy".into(),
        other => other.to_owned(),
    }
}

/// "Active 5 minutes ago" from a lastActive time (ms since the epoch) and now.
pub fn last_active_text(last_active_ms: i64, now_ms: f64) -> Option<String> {
    let ago_min = ((now_ms - last_active_ms as f64) / 60_000.0).floor();
    if !ago_min.is_finite() || ago_min < 0.0 {
        return None;
    }
    let ago = ago_min as i64;
    Some(match ago {
        0 => "Active just now".into(),
        1 => "Active 1 minute ago".into(),
        2..=59 => format!("Active {ago} minutes ago"),
        60..=119 => "Active 1 hour ago".into(),
        120..=1439 => format!("Active {} hours ago", ago / 60),
        1440..=2879 => "Active yesterday".into(),
        _ => format!("Active {} days ago", ago / 1440),
    })
}

/// What to call someone whose name we do not know yet: the user part of the SIP URI.
pub fn fallback_name(uri: &str) -> String {
    let bare = uri.strip_prefix("sip:").unwrap_or(uri);
    bare.split('@').next().unwrap_or(bare).to_owned()
}

/// A note as the widgets show it: an out-of-office note says so ("Out of office: …").
pub fn note_text(note: &NoteView) -> String {
    if note.out_of_office {
        format!("Out of office: {}", note.message)
    } else {
        note.message.clone()
    }
}

/// "Busy · In a meeting": the availability, then the activity when it says something more,
/// "Out of office" while the person's note is their out-of-office note, and "(last known)"
/// while the value is not being updated.
pub fn status_line(p: &PresenceView, stale: bool) -> String {
    let mut line = p.availability.label().to_owned();
    if let Some(activity) = p.activity.as_deref().map(activity_text) {
        if !activity.eq_ignore_ascii_case(&line) {
            line = format!("{line} · {activity}");
        }
    }
    if p.note.as_ref().is_some_and(|n| n.out_of_office) {
        line.push_str(" · Out of office");
    }
    if stale {
        line.push_str(" (last known)");
    }
    line
}
