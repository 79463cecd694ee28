//! Deterministic demo data: organizations, restore sessions and generated mailboxes.
//!
//! Mailboxes are not stored. Each one is computed from its organization and index, so an
//! organization with 20,000 mailboxes costs no memory and every start yields the same ids.

use chrono::{DateTime, Duration, Utc};

pub const CONTOSO_ID: &str = "7d4a3c10-5b2e-4f8a-9c61-0a1b2c3d4e01";
pub const FABRIKAM_ID: &str = "8e5b4d21-6c3f-4a9b-8d72-1b2c3d4e5f02";
pub const NORTHWIND_ID: &str = "9f6c5e32-7d4a-4bac-9e83-2c3d4e5f6003";

/// The optional large organization, added by `SimConfig::large_organization_mailboxes`.
pub const TAILSPIN_ID: &str = "a07d6f43-8e5b-4cbd-8f94-3d4e5f607104";
/// Working restore session of Tailspin Toys, seeded when that organization exists.
pub const TAILSPIN_SESSION_ID: &str = "4c9f3eaa-2d6a-4b8c-8f5a-7ab19c8d0d04";

/// Working restore session of Contoso Ltd.
pub const CONTOSO_SESSION_ID: &str = "1f0e6a52-7c3d-4c1e-9a57-3c2b8d4e0a01";
/// Working restore session of Fabrikam, Inc.
pub const FABRIKAM_SESSION_ID: &str = "2a7d1c88-0b4e-4f6a-8d3e-5e9f7a6b0b02";
/// Stopped restore session of Contoso Ltd.
pub const CONTOSO_STOPPED_SESSION_ID: &str = "3b8e2d99-1c5f-4a7b-9e4f-6fa08b7c0c03";

/// Password that the simulated Microsoft 365 organizations accept, together with any user
/// principal name of their own domain.
pub const M365_ADMIN_PASSWORD: &str = "M365-Demo-1";

#[derive(Debug, Clone)]
pub struct Organization {
    pub id: String,
    pub name: String,
    /// Microsoft 365 tenant domain, for example `contoso.onmicrosoft.com`.
    pub office_name: String,
    pub mailbox_count: u32,
    /// First and last backup times, `None` for an organization never backed up.
    pub backups: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// First 8 hex digits of every mailbox id of this organization.
    pub mailbox_id_prefix: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionState {
    Working,
    Stopped,
}

impl SessionState {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionState::Working => "Working",
            SessionState::Stopped => "Stopped",
        }
    }
}

#[derive(Debug, Clone)]
pub struct RestoreSession {
    pub id: String,
    pub organization_id: String,
    pub organization_name: String,
    pub creation_time: DateTime<Utc>,
    pub end_time: Option<DateTime<Utc>>,
    pub state: SessionState,
    pub initiated_by: String,
    /// Number of mailboxes visible in this session: 0 when the point in time precedes the
    /// first backup.
    pub mailbox_count: u32,
    /// Set through the control API: browsing and restoring then fail with 500.
    pub expired: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mailbox {
    pub id: String,
    pub index: u32,
    pub name: String,
    pub email: String,
    pub is_archive: bool,
    pub is_public: bool,
}

/// Builds the three demo organizations with backup times relative to `now`.
pub fn organizations(now: DateTime<Utc>) -> Vec<Organization> {
    vec![
        Organization {
            id: CONTOSO_ID.to_string(),
            name: "Contoso Ltd.".to_string(),
            office_name: "contoso.onmicrosoft.com".to_string(),
            mailbox_count: 3_000,
            backups: Some((now - Duration::days(180), now - Duration::hours(3))),
            mailbox_id_prefix: 0x5c0e_7f1a,
        },
        Organization {
            id: FABRIKAM_ID.to_string(),
            name: "Fabrikam, Inc.".to_string(),
            office_name: "fabrikam.onmicrosoft.com".to_string(),
            mailbox_count: 20_000,
            backups: Some((now - Duration::days(400), now - Duration::hours(5))),
            mailbox_id_prefix: 0x6fab_41c2,
        },
        Organization {
            id: NORTHWIND_ID.to_string(),
            name: "Northwind Traders".to_string(),
            office_name: "northwindtraders.onmicrosoft.com".to_string(),
            mailbox_count: 0,
            backups: None,
            mailbox_id_prefix: 0x70d1_9e33,
        },
    ]
}

/// Builds the optional organization Tailspin Toys with `mailbox_count` mailboxes, or `None`
/// for 0. Its mailboxes are generated like those of the other organizations.
pub fn large_organization(now: DateTime<Utc>, mailbox_count: u32) -> Option<Organization> {
    (mailbox_count > 0).then(|| Organization {
        id: TAILSPIN_ID.to_string(),
        name: "Tailspin Toys".to_string(),
        office_name: "tailspintoys.onmicrosoft.com".to_string(),
        mailbox_count,
        backups: Some((now - Duration::days(90), now - Duration::hours(2))),
        mailbox_id_prefix: 0x81e2_af44,
    })
}

/// Builds the seeded restore sessions, newest last. Tailspin Toys gets a working session,
/// the oldest, when `organizations` contains it.
pub fn restore_sessions(
    organizations: &[Organization],
    now: DateTime<Utc>,
    admin_user: &str,
) -> Vec<RestoreSession> {
    let count_of = |id: &str| {
        organizations
            .iter()
            .find(|org| org.id == id)
            .map(|org| org.mailbox_count)
            .unwrap_or(0)
    };
    let session = |id: &str, org_id: &str, org_name: &str, created: DateTime<Utc>| RestoreSession {
        id: id.to_string(),
        organization_id: org_id.to_string(),
        organization_name: org_name.to_string(),
        creation_time: created,
        end_time: None,
        state: SessionState::Working,
        initiated_by: admin_user.to_string(),
        mailbox_count: count_of(org_id),
        expired: false,
    };
    let mut stopped = session(
        CONTOSO_STOPPED_SESSION_ID,
        CONTOSO_ID,
        "Contoso Ltd.",
        now - Duration::days(2),
    );
    stopped.state = SessionState::Stopped;
    stopped.end_time = Some(now - Duration::days(2) + Duration::minutes(25));
    let tailspin = organizations
        .iter()
        .any(|org| org.id == TAILSPIN_ID)
        .then(|| {
            session(
                TAILSPIN_SESSION_ID,
                TAILSPIN_ID,
                "Tailspin Toys",
                now - Duration::days(3),
            )
        });
    tailspin
        .into_iter()
        .chain([
            stopped,
            session(
                FABRIKAM_SESSION_ID,
                FABRIKAM_ID,
                "Fabrikam, Inc.",
                now - Duration::minutes(40),
            ),
            session(
                CONTOSO_SESSION_ID,
                CONTOSO_ID,
                "Contoso Ltd.",
                now - Duration::minutes(10),
            ),
        ])
        .collect()
}

/// Display name and its ASCII form for e-mail addresses.
type NamePart = (&'static str, &'static str);

/// Names of the first mailboxes of every organization, so that the first page of results
/// shows every script and every string that needs HTML escaping.
const FIXED_MAILBOXES: &[(&str, &str, bool)] = &[
    // (display name, e-mail local part without the index, isPublic)
    ("Adele Vance", "adele.vance", false),
    ("Zoë Ashworth", "zoe.ashworth", false),
    ("Siobhán O'Brien", "siobhan.obrien", false),
    ("Łukasz Żółć", "lukasz.zolc", false),
    ("Ampersand & Sons Shared", "ampersand.sons", false),
    ("<b>Not bold</b> Test", "not.bold", false),
    ("José Núñez", "jose.nunez", false),
    ("Public Folders", "publicfolders", true),
    ("\"Quoted\" Name", "quoted.name", false),
    ("Дмитрий Иванов", "dmitry.ivanov", false),
    ("Ελένη Παπαδοπούλου", "eleni.papadopoulou", false),
    ("佐藤 美咲", "misaki.sato", false),
    ("محمد حداد", "mohammed.haddad", false),
    ("נועה כהן", "noa.cohen", false),
    ("Megan Bowen", "megan.bowen", false),
    ("김 지민", "jimin.kim", false),
    ("王 静", "jing.wang", false),
    ("Public Folder Mailbox 2", "publicfolders", true),
];

/// A naming culture: given names, family names and whether the family name comes first.
struct Culture {
    given_names: &'static [NamePart],
    family_names: &'static [NamePart],
    family_first: bool,
}

const CULTURES: &[Culture] = &[
    Culture {
        given_names: &[
            ("Alex", "alex"),
            ("Megan", "megan"),
            ("Lee", "lee"),
            ("Nestor", "nestor"),
            ("Patti", "patti"),
            ("Grady", "grady"),
            ("Isaiah", "isaiah"),
            ("Johanna", "johanna"),
            ("Lidia", "lidia"),
            ("Pradeep", "pradeep"),
            ("Diego", "diego"),
            ("Christie", "christie"),
        ],
        family_names: &[
            ("Wilber", "wilber"),
            ("Gu", "gu"),
            ("Wilke", "wilke"),
            ("Fernandez", "fernandez"),
            ("Archie", "archie"),
            ("Langer", "langer"),
            ("Lorenzo", "lorenzo"),
            ("Holloway", "holloway"),
            ("Gupta", "gupta"),
            ("Siciliani", "siciliani"),
            ("Cline", "cline"),
            ("Smith", "smith"),
        ],
        family_first: false,
    },
    Culture {
        given_names: &[
            ("Zoë", "zoe"),
            ("Łukasz", "lukasz"),
            ("José", "jose"),
            ("François", "francois"),
            ("Björn", "bjorn"),
            ("Søren", "soren"),
            ("Inês", "ines"),
            ("Małgorzata", "malgorzata"),
        ],
        family_names: &[
            ("Żółć", "zolc"),
            ("Núñez", "nunez"),
            ("Müller", "muller"),
            ("Dvořák", "dvorak"),
            ("Ångström", "angstrom"),
            ("García", "garcia"),
            ("Çelik", "celik"),
            ("Lefèvre", "lefevre"),
        ],
        family_first: false,
    },
    Culture {
        given_names: &[
            ("Дмитрий", "dmitry"),
            ("Анна", "anna"),
            ("Ольга", "olga"),
            ("Сергей", "sergey"),
        ],
        family_names: &[
            ("Иванов", "ivanov"),
            ("Смирнова", "smirnova"),
            ("Кузнецов", "kuznetsov"),
            ("Попова", "popova"),
        ],
        family_first: false,
    },
    Culture {
        given_names: &[
            ("Ελένη", "eleni"),
            ("Γιώργος", "giorgos"),
            ("Νίκος", "nikos"),
        ],
        family_names: &[
            ("Παπαδοπούλου", "papadopoulou"),
            ("Οικονόμου", "oikonomou"),
            ("Γεωργίου", "georgiou"),
        ],
        family_first: false,
    },
    Culture {
        given_names: &[("美咲", "misaki"), ("翔太", "shota"), ("陽菜", "hina")],
        family_names: &[("佐藤", "sato"), ("鈴木", "suzuki"), ("高橋", "takahashi")],
        family_first: true,
    },
    Culture {
        given_names: &[("伟", "wei"), ("静", "jing"), ("磊", "lei")],
        family_names: &[("王", "wang"), ("李", "li"), ("张", "zhang")],
        family_first: true,
    },
    Culture {
        given_names: &[
            ("محمد", "mohammed"),
            ("فاطمة", "fatima"),
            ("يوسف", "youssef"),
        ],
        family_names: &[("حداد", "haddad"), ("العلي", "alali"), ("منصور", "mansour")],
        family_first: false,
    },
    Culture {
        given_names: &[("נועה", "noa"), ("דוד", "david"), ("מיכל", "michal")],
        family_names: &[("כהן", "cohen"), ("לוי", "levi"), ("מזרחי", "mizrahi")],
        family_first: false,
    },
];

/// Mixes the bits of a 64-bit value (SplitMix64 finalizer), for varied but fixed ids.
fn mix(mut value: u64) -> u64 {
    value = value.wrapping_add(0x9e37_79b9_7f4a_7c15);
    value = (value ^ (value >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    value = (value ^ (value >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    value ^ (value >> 31)
}

/// Builds the UUID-shaped id of mailbox `index`. The last group is the index in hex, which
/// lets [`find_mailbox`] look an id up without a table.
pub fn mailbox_id(org: &Organization, index: u32) -> String {
    let bits = mix(u64::from(org.mailbox_id_prefix) << 32 | u64::from(index));
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        org.mailbox_id_prefix,
        bits & 0xffff,
        (bits >> 16) & 0x0fff,
        0x8000 | ((bits >> 28) & 0x3fff),
        index
    )
}

/// Returns the display name and e-mail local part (without the index) of a person mailbox.
fn person(index: u32) -> (String, String) {
    if let Some((name, local, _)) = FIXED_MAILBOXES.get(index as usize) {
        return ((*name).to_string(), (*local).to_string());
    }
    let bits = mix(u64::from(index));
    let culture = &CULTURES[(bits % CULTURES.len() as u64) as usize];
    let given_name = culture.given_names[((bits >> 8) % culture.given_names.len() as u64) as usize];
    let family_name =
        culture.family_names[((bits >> 24) % culture.family_names.len() as u64) as usize];
    let name = if culture.family_first {
        format!("{} {}", family_name.0, given_name.0)
    } else {
        format!("{} {}", given_name.0, family_name.0)
    };
    (name, format!("{}.{}", given_name.1, family_name.1))
}

/// Builds mailbox `index` of `org`. Every 25th mailbox (index % 25 == 24) is the In-Place
/// Archive of the mailbox before it and shares its e-mail address.
pub fn mailbox(org: &Organization, index: u32) -> Mailbox {
    let domain = &org.office_name;
    let is_archive = index % 25 == 24;
    let owner = if is_archive { index - 1 } else { index };
    let (person_name, local) = person(owner);
    let is_public = FIXED_MAILBOXES
        .get(owner as usize)
        .is_some_and(|(_, _, public)| *public);
    let name = if is_archive {
        format!("In-Place Archive - {person_name}")
    } else {
        person_name
    };
    Mailbox {
        id: mailbox_id(org, index),
        index,
        name,
        email: format!("{local}{owner}@{domain}"),
        is_archive,
        is_public: is_public && !is_archive,
    }
}

/// Finds a mailbox of `org` among the first `visible_count` by id (case-insensitive).
pub fn find_mailbox(org: &Organization, visible_count: u32, id: &str) -> Option<Mailbox> {
    let id = id.to_ascii_lowercase();
    let index_hex = id.rsplit('-').next()?;
    let index = u32::try_from(u64::from_str_radix(index_hex, 16).ok()?).ok()?;
    if index >= visible_count.min(org.mailbox_count) || mailbox_id(org, index) != id {
        return None;
    }
    Some(mailbox(org, index))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mailbox_ids_round_trip() {
        let orgs = organizations(Utc::now());
        for org in &orgs[..2] {
            for index in [0, 1, 24, 2_999] {
                let mailbox = mailbox(org, index);
                assert_eq!(find_mailbox(org, u32::MAX, &mailbox.id), Some(mailbox));
            }
        }
    }

    #[test]
    fn mailbox_ids_are_unique_across_orgs() {
        let orgs = organizations(Utc::now());
        assert_ne!(mailbox_id(&orgs[0], 5), mailbox_id(&orgs[1], 5));
        assert_eq!(
            find_mailbox(&orgs[1], u32::MAX, &mailbox_id(&orgs[0], 5)),
            None
        );
    }

    #[test]
    fn large_organization_only_when_asked() {
        let now = Utc::now();
        assert!(large_organization(now, 0).is_none());

        let mut orgs = organizations(now);
        orgs.extend(large_organization(now, 50_000));
        let tailspin = orgs.last().unwrap();
        assert_eq!(tailspin.id, TAILSPIN_ID);
        assert_eq!(tailspin.mailbox_count, 50_000);
        let last = mailbox(tailspin, 49_999);
        assert_eq!(find_mailbox(tailspin, u32::MAX, &last.id), Some(last));

        let sessions = restore_sessions(&orgs, now, "administrator");
        let session = sessions
            .iter()
            .find(|session| session.id == TAILSPIN_SESSION_ID)
            .expect("Tailspin Toys session");
        assert_eq!(session.organization_id, TAILSPIN_ID);
        assert_eq!(session.mailbox_count, 50_000);
        assert_eq!(session.state, SessionState::Working);
    }

    #[test]
    fn no_large_session_by_default() {
        let now = Utc::now();
        let sessions = restore_sessions(&organizations(now), now, "administrator");
        assert_eq!(sessions.len(), 3);
        assert!(sessions
            .iter()
            .all(|session| session.id != TAILSPIN_SESSION_ID));
    }

    #[test]
    fn archive_follows_its_primary() {
        let orgs = organizations(Utc::now());
        let primary = mailbox(&orgs[0], 23);
        let archive = mailbox(&orgs[0], 24);
        assert!(archive.is_archive);
        assert_eq!(archive.email, primary.email);
        assert_eq!(archive.name, format!("In-Place Archive - {}", primary.name));
    }
}
