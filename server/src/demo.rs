//! `--demo`: simulated colleagues change presence and notes so a demo page is alive.
//! Dana and Sara, the users people sign in as, are never touched.

use std::time::Instant;

use crate::clock;
use crate::presence::{Availability, NoteType};
use crate::random;
use crate::state::{AppState, Inner};

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
        if let Some(change) = pick(&colleagues) {
            change.apply(&mut state.lock(), clock::now());
        }
    }
}

/// One simulated change of one colleague.
enum Change<'a> {
    Note(&'a str, &'static str),
    SignOut(&'a str),
    Presence(&'a str, Availability, Option<&'static str>),
}

/// A random change: a note one time in four, otherwise a sign-out one time in ten, otherwise a
/// new presence. `None` when the operating system has no randomness to give.
fn pick(colleagues: &[String]) -> Option<Change<'_>> {
    let who = colleagues.get(random::below(colleagues.len())?)?;
    Some(if random::below(4)? == 0 {
        Change::Note(who, NOTES[random::below(NOTES.len())?])
    } else if random::below(10)? == 0 {
        Change::SignOut(who)
    } else {
        let (a, activity) = ACTIVITIES[random::below(ACTIVITIES.len())?];
        Change::Presence(who, a, activity)
    })
}

impl Change<'_> {
    fn apply(self, g: &mut Inner, now: Instant) {
        match self {
            Change::Note(who, message) => g.set_note(who, NoteType::Personal, message, now),
            Change::SignOut(who) => g.set_other_endpoint(who, None, None, now),
            Change::Presence(who, a, activity) => {
                g.set_other_endpoint(who, Some(a), activity.map(String::from), now)
            }
        }
    }
}
