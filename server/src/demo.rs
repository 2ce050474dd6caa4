//! `--demo`: simulated colleagues change presence and notes so a demo page is alive.
//! Dana and Sara, the users people sign in as, are never touched.

use std::time::Instant;

use crate::presence::{Availability, Note, NoteType};
use crate::random;
use crate::state::AppState;

const SIGN_IN_USERS: [&str; 2] = ["dana@contoso.com", "sarad@contoso.com"];
const NOTES: [&str; 6] = [
    "In the lab this afternoon",
    "Heads down on the Q3 report",
    "Travelling - slow to reply",
    "",
    "Ask me about the new build",
    "Working from home today",
];
const ACTIVITIES: [(Availability, Option<&str>); 8] = [
    (Availability::Online, None),
    (Availability::Online, None),
    (Availability::Busy, Some("in-a-meeting")),
    (Availability::Busy, Some("on-the-phone")),
    (Availability::DoNotDisturb, Some("presenting")),
    (Availability::BeRightBack, None),
    (Availability::Away, None),
    (Availability::Offwork, Some("off-work")),
];

pub async fn run(state: AppState) {
    let colleagues: Vec<String> = state
        .dir
        .users()
        .iter()
        .map(|u| u.key.clone())
        .filter(|k| !SIGN_IN_USERS.contains(&k.as_str()))
        .collect();
    if colleagues.is_empty() {
        return;
    }
    let mut interval = tokio::time::interval(state.cfg.demo_interval);
    interval.tick().await;
    loop {
        interval.tick().await;
        let who = &colleagues[random::below(colleagues.len())];
        let now = Instant::now();
        let mut g = state.lock();
        if random::below(4) == 0 {
            let message = NOTES[random::below(NOTES.len())].to_string();
            g.set_note(
                who,
                Note {
                    message,
                    kind: NoteType::Personal,
                },
                now,
            );
        } else if random::below(10) == 0 {
            g.set_other_endpoint(who, None, None, now); // signs out
        } else {
            let (a, activity) = ACTIVITIES[random::below(ACTIVITIES.len())];
            g.set_other_endpoint(who, Some(a), activity.map(String::from), now);
        }
    }
}
