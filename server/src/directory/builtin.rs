//! The built-in Contoso directory (no `--users`): Dana and Sara sign in; six colleagues are
//! "elsewhere" with enhanced presence so a demo shows every part of a contact card: personal
//! and out-of-office notes, locations, one colleague without a photo (initials), company,
//! office and phones.

use super::{Directory, FileGroup, FileUser};

/// One colleague's card: (uri user part, name, title, department, office, phone suffix).
type Card = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

fn person((user, name, title, department, office, phone): Card) -> FileUser {
    FileUser {
        uri: format!("sip:{user}@contoso.com"),
        name: Some(name.into()),
        password: "demo".into(),
        title: Some(title.into()),
        department: Some(department.into()),
        company: Some("Contoso".into()),
        office: Some(office.into()),
        email: vec![format!("{user}@contoso.com")],
        work_phone: Some(format!("tel:+1425555{phone}")),
        mobile_phone: Some(format!("tel:+1206555{phone}")),
        home_phone: None,
        contacts: Vec::new(),
        groups: Vec::new(),
        presence: None,
        activity: None,
        note: None,
        note_type: None,
        out_of_office: None,
        location: None,
        pool: None,
        photo: None,
    }
}

fn group(id: &str, name: &str, members: &[&str]) -> FileGroup {
    FileGroup {
        id: Some(id.into()),
        name: name.into(),
        members: members
            .iter()
            .map(|m| format!("sip:{m}@contoso.com"))
            .collect(),
    }
}

fn some(s: &str) -> Option<String> {
    Some(s.to_string())
}

impl Directory {
    /// The built-in directory (see the module comment and server/README.md).
    pub fn builtin() -> Directory {
        let dana = FileUser {
            groups: vec![
                group("team", "Team", &["sarad", "chrisb", "alexd", "garthf"]),
                group("leadership", "Leadership", &["janets", "lisaa"]),
                group("partners", "Partners", &["maxs"]),
            ],
            ..person((
                "dana",
                "Dana Birkby",
                "Product Manager",
                "Sales",
                "18/2101",
                "0101",
            ))
        };
        let sara = FileUser {
            groups: vec![
                group("team", "Team", &["dana", "chrisb", "alexd"]),
                group("design", "Design review", &["lisaa", "maxs"]),
            ],
            ..person((
                "sarad",
                "Sara Davis",
                "Designer",
                "Marketing",
                "18/2102",
                "0102",
            ))
        };
        let chris = FileUser {
            contacts: vec![
                "sip:dana@contoso.com".into(),
                "sip:sarad@contoso.com".into(),
            ],
            presence: some("Online"),
            note: some("Shipping the new build today"),
            location: some("Building 18, Redmond"),
            ..person((
                "chrisb",
                "Chris Barry",
                "Software Engineer",
                "Engineering",
                "18/2201",
                "0103",
            ))
        };
        let alex = FileUser {
            presence: some("Busy"),
            location: some("Redmond"),
            ..person((
                "alexd",
                "Alex Darrow",
                "Marketing Lead",
                "Marketing",
                "18/2202",
                "0104",
            ))
        };
        let garth = FileUser {
            presence: some("Away"),
            note: some("Back after lunch"),
            location: some("Cafeteria, Building 25"),
            ..person((
                "garthf",
                "Garth Fort",
                "Support Engineer",
                "Support",
                "18/2203",
                "0105",
            ))
        };
        let janet = FileUser {
            presence: some("DoNotDisturb"),
            location: some("Board room"),
            home_phone: some("tel:+14255550199"),
            ..person((
                "janets",
                "Janet Schorr",
                "Vice President",
                "Leadership",
                "18/3001",
                "0106",
            ))
        };
        // No photo: her badges and card show initials.
        let lisa = FileUser {
            presence: some("BeRightBack"),
            photo: Some(false),
            ..person((
                "lisaa",
                "Lisa Andrews",
                "Finance Manager",
                "Finance",
                "18/3002",
                "0107",
            ))
        };
        // Out of office: the note others see is the out-of-office one, not the personal one.
        let max = FileUser {
            presence: some("Offwork"),
            note: some("Ask me about the Fabrikam account"),
            out_of_office: some(
                "On vacation until Monday. For urgent matters contact Janet Schorr.",
            ),
            mobile_phone: None,
            ..person((
                "maxs",
                "Max Stevens",
                "Account Executive",
                "Sales",
                "18/3003",
                "0108",
            ))
        };
        let entries = vec![dana, sara, chris, alex, garth, janet, lisa, max];
        // The built-in data is valid by construction; fall back to an empty directory rather
        // than panic if that ever stops being true.
        Self::build(entries).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presence::NoteType;

    #[test]
    fn the_demo_shows_enhanced_presence() {
        let d = Directory::builtin();
        assert_eq!(d.users().len(), 8);
        let max = d.get("maxs@contoso.com").unwrap();
        assert!(max.initial.out_of_office_note.is_some());
        assert_eq!(
            max.initial.note.as_ref().map(|n| n.kind),
            Some(NoteType::Personal)
        );
        assert!(!d.get("lisaa@contoso.com").unwrap().photo);
        let located = d
            .users()
            .iter()
            .filter(|u| u.initial.location.is_some())
            .count();
        assert!(located >= 3, "{located}");
        assert!(d
            .users()
            .iter()
            .all(|u| u.company.is_some() && u.office.is_some() && u.work_phone.is_some()));
        let dana = d.get("dana@contoso.com").unwrap();
        assert!(dana.initial.note.is_none() && dana.initial.location.is_none());
        assert_eq!(dana.contacts.len(), 7);
    }
}
