//! Presence vocabulary (presence_ref, contactPresence_ref, note_ref) and how a user's
//! published availability is aggregated from their endpoints.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Availability {
    Online,
    Busy,
    DoNotDisturb,
    BeRightBack,
    Away,
    IdleOnline,
    IdleBusy,
    Offwork,
    Offline,
}

impl Availability {
    pub const SETTABLE: [Availability; 6] = [
        Availability::Online,
        Availability::Busy,
        Availability::DoNotDisturb,
        Availability::BeRightBack,
        Availability::Away,
        Availability::Offwork,
    ];

    pub fn token(self) -> &'static str {
        match self {
            Availability::Online => "Online",
            Availability::Busy => "Busy",
            Availability::DoNotDisturb => "DoNotDisturb",
            Availability::BeRightBack => "BeRightBack",
            Availability::Away => "Away",
            Availability::IdleOnline => "IdleOnline",
            Availability::IdleBusy => "IdleBusy",
            Availability::Offwork => "Offwork",
            Availability::Offline => "Offline",
        }
    }

    /// One of the six values `POST me/presence` accepts (case-insensitive).
    pub fn parse_settable(s: &str) -> Option<Availability> {
        let s = s.trim();
        Self::SETTABLE
            .into_iter()
            .find(|a| a.token().eq_ignore_ascii_case(s))
    }

    /// The localised activity text the server reports when no explicit activity is set.
    pub fn default_activity(self) -> &'static str {
        match self {
            Availability::Online => "Available",
            Availability::Busy => "Busy",
            Availability::DoNotDisturb => "Do Not Disturb",
            Availability::BeRightBack => "Be Right Back",
            Availability::Away => "Away",
            Availability::IdleOnline => "Inactive",
            Availability::IdleBusy => "Busy",
            Availability::Offwork => "Off Work",
            Availability::Offline => "Offline",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoteType {
    Personal,
    OutOfOffice,
}

impl NoteType {
    pub fn parse(s: &str) -> Option<NoteType> {
        match s.trim() {
            t if t.eq_ignore_ascii_case("personal") => Some(NoteType::Personal),
            t if t.eq_ignore_ascii_case("outofoffice") => Some(NoteType::OutOfOffice),
            _ => None,
        }
    }

    pub fn token(self) -> &'static str {
        match self {
            NoteType::Personal => "Personal",
            NoteType::OutOfOffice => "OutOfOffice",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub message: String,
    pub kind: NoteType,
}

impl Default for Note {
    fn default() -> Self {
        Note {
            message: String::new(),
            kind: NoteType::Personal,
        }
    }
}

/// Which device a user's presence comes from (`deviceType` of contactPresence).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeviceType {
    /// Signed in through a UCWA application on this server.
    Web,
    /// Published from another endpoint (the control API, `--demo`, or the directory file).
    Pc,
    Unknown,
}

impl DeviceType {
    pub fn token(self) -> &'static str {
        match self {
            DeviceType::Web => "Web",
            DeviceType::Pc => "PC",
            DeviceType::Unknown => "Unknown",
        }
    }
}

/// What others see of a user; compared before/after a change to decide on events.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Published {
    pub availability: Availability,
    pub activity: String,
    pub device: DeviceType,
}

/// The server's live state for one directory user.
#[derive(Clone, Debug)]
pub struct PresenceState {
    /// The user's own choice (POST me/presence, makeMeAvailable signInAs, control API).
    pub manual: Option<Availability>,
    /// An activity token set through the control API (e.g. `in-a-meeting`).
    pub activity: Option<String>,
    /// The user is signed in on an endpoint outside this server (control API, demo, directory).
    pub other_endpoint: bool,
    /// The note the user set (`POST me/note`, the control API's `Personal`).
    pub personal_note: String,
    /// The out-of-office note (Exchange's automatic reply; the control API's `OutOfOffice`).
    pub out_of_office_note: String,
    pub location: String,
    /// `Some(generation)` while the user has a photo; the generation changes each time the
    /// photo is switched on, and with it the photo's ETag.
    pub photo: Option<u32>,
    /// Unix milliseconds of the user's last activity (`lastActive`).
    pub last_active_ms: i64,
    pub published: Published,
}

impl PresenceState {
    pub fn new(last_active_ms: i64) -> Self {
        PresenceState {
            manual: None,
            activity: None,
            other_endpoint: false,
            personal_note: String::new(),
            out_of_office_note: String::new(),
            location: String::new(),
            photo: Some(0),
            last_active_ms,
            published: Published {
                availability: Availability::Offline,
                activity: Availability::Offline.default_activity().to_string(),
                device: DeviceType::Unknown,
            },
        }
    }

    /// The note others see (note_ref: "aggregates the user's personal and out-of-office notes
    /// into one displayable string"): the out-of-office note while one is set, else the
    /// personal note (blank: an empty Personal note).
    pub fn note(&self) -> Note {
        if self.out_of_office_note.trim().is_empty() {
            Note {
                message: self.personal_note.clone(),
                kind: NoteType::Personal,
            }
        } else {
            Note {
                message: self.out_of_office_note.clone(),
                kind: NoteType::OutOfOffice,
            }
        }
    }

    /// Sets (blank: clears) one kind of note.
    pub fn set_note(&mut self, kind: NoteType, message: &str) {
        let message = if message.trim().is_empty() {
            String::new()
        } else {
            message.to_string()
        };
        match kind {
            NoteType::Personal => self.personal_note = message,
            NoteType::OutOfOffice => self.out_of_office_note = message,
        }
    }

    /// Aggregates the user's presence. `local_activity` is the most recent reportMyActivity
    /// (or makeMeAvailable) of the user's applications here that made themselves available.
    pub fn compute(
        &self,
        local_activity: Option<Instant>,
        now: Instant,
        idle_after: Duration,
        away_after: Duration,
    ) -> Published {
        if local_activity.is_none() && !self.other_endpoint {
            let a = Availability::Offline;
            return Published {
                availability: a,
                activity: a.default_activity().into(),
                device: DeviceType::Unknown,
            };
        }
        // An endpoint elsewhere counts as active; otherwise idleness follows reportMyActivity.
        let idle_level = match local_activity {
            Some(_) if self.other_endpoint => 0,
            Some(t) => {
                let quiet = now.saturating_duration_since(t);
                if quiet >= away_after {
                    2
                } else if quiet >= idle_after {
                    1
                } else {
                    0
                }
            }
            None => 0,
        };
        let availability = match (self.manual, idle_level) {
            (None | Some(Availability::Online), 0) => Availability::Online,
            (None | Some(Availability::Online), 1) => Availability::IdleOnline,
            (None | Some(Availability::Online), _) => Availability::Away,
            (Some(Availability::Busy), 0) => Availability::Busy,
            (Some(Availability::Busy), _) => Availability::IdleBusy,
            (Some(other), _) => other,
        };
        let activity = self
            .activity
            .clone()
            .unwrap_or_else(|| availability.default_activity().to_string());
        let device = if local_activity.is_some() {
            DeviceType::Web
        } else {
            DeviceType::Pc
        };
        Published {
            availability,
            activity,
            device,
        }
    }
}

pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// The `"\/Date(ms)\/"` form UCWA uses for times (serialised JSON escapes nothing here; the
/// slashes are written plain, which JSON parsers read identically).
pub fn ucwa_date(ms: i64) -> String {
    format!("/Date({ms})/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settable_parsing() {
        assert_eq!(
            Availability::parse_settable("busy"),
            Some(Availability::Busy)
        );
        assert_eq!(Availability::parse_settable("IdleOnline"), None);
        assert_eq!(Availability::parse_settable("Offline"), None);
        assert_eq!(NoteType::parse("outofoffice"), Some(NoteType::OutOfOffice));
    }

    #[test]
    fn the_out_of_office_note_hides_the_personal_one_while_set() {
        let mut s = PresenceState::new(0);
        assert_eq!(s.note(), Note::default());
        s.set_note(NoteType::Personal, "Heads down");
        assert_eq!(
            (s.note().message.as_str(), s.note().kind),
            ("Heads down", NoteType::Personal)
        );
        s.set_note(NoteType::OutOfOffice, "On leave until Monday");
        assert_eq!(
            (s.note().message.as_str(), s.note().kind),
            ("On leave until Monday", NoteType::OutOfOffice)
        );
        s.set_note(NoteType::Personal, "Changed meanwhile");
        assert_eq!(s.note().kind, NoteType::OutOfOffice);
        s.set_note(NoteType::OutOfOffice, "  ");
        assert_eq!(
            (s.note().message.as_str(), s.note().kind),
            ("Changed meanwhile", NoteType::Personal)
        );
        s.set_note(NoteType::Personal, "");
        assert_eq!(s.note(), Note::default());
    }

    #[test]
    fn aggregation() {
        let now = Instant::now();
        let idle = Duration::from_secs(10);
        let away = Duration::from_secs(20);
        let mut s = PresenceState::new(0);
        assert_eq!(
            s.compute(None, now, idle, away).availability,
            Availability::Offline
        );
        assert_eq!(
            s.compute(Some(now), now, idle, away).availability,
            Availability::Online
        );
        let later = now + Duration::from_secs(11);
        assert_eq!(
            s.compute(Some(now), later, idle, away).availability,
            Availability::IdleOnline
        );
        assert_eq!(
            s.compute(Some(now), now + Duration::from_secs(25), idle, away)
                .availability,
            Availability::Away
        );
        s.manual = Some(Availability::Busy);
        assert_eq!(
            s.compute(Some(now), later, idle, away).availability,
            Availability::IdleBusy
        );
        s.manual = Some(Availability::DoNotDisturb);
        assert_eq!(
            s.compute(Some(now), later, idle, away).availability,
            Availability::DoNotDisturb
        );
        s.other_endpoint = true;
        s.manual = None;
        let p = s.compute(None, later, idle, away);
        assert_eq!(
            (p.availability, p.device),
            (Availability::Online, DeviceType::Pc)
        );
    }
}
