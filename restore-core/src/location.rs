//! Where the administrator is in the guided restore, kept in the page's query string so a
//! reload returns to the same organization, session and selection. Only identifiers go
//! there, never a secret.

use uuid::Uuid;

/// Most mailbox IDs written to the query string. Each takes 37 characters, and proxies
/// commonly refuse request lines above 8 KiB (nginx's default header buffer), so a larger
/// selection is kept in the page but not in the address.
pub const MAX_MAILBOXES_IN_LOCATION: usize = 100;

/// The guided restore's place, as the query string records it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageLocation {
    pub organization: Option<Uuid>,
    pub session: Option<Uuid>,
    pub mailboxes: Vec<Uuid>,
}

/// Reads `?org=...&session=...&mailboxes=a,b` (the leading `?` is optional). Values that
/// are not GUIDs are ignored, so a damaged address falls back to the start.
pub fn parse_location(query: &str) -> PageLocation {
    let mut location = PageLocation::default();
    let query = query.strip_prefix('?').unwrap_or(query);
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        match key.as_ref() {
            "org" => location.organization = Uuid::parse_str(&value).ok(),
            "session" => location.session = Uuid::parse_str(&value).ok(),
            "mailboxes" => {
                location.mailboxes = value
                    .split(',')
                    .filter_map(|id| Uuid::parse_str(id.trim()).ok())
                    .take(MAX_MAILBOXES_IN_LOCATION)
                    .collect();
            }
            _ => {}
        }
    }
    location
}

/// Writes the query string for a location, empty when nothing is chosen.
pub fn format_location(location: &PageLocation) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    if let Some(organization) = location.organization {
        query.append_pair("org", &organization.to_string());
    }
    if let Some(session) = location.session {
        query.append_pair("session", &session.to_string());
    }
    if !location.mailboxes.is_empty() && location.mailboxes.len() <= MAX_MAILBOXES_IN_LOCATION {
        let ids: Vec<String> = location.mailboxes.iter().map(Uuid::to_string).collect();
        query.append_pair("mailboxes", &ids.join(","));
    }
    let query = query.finish();
    if query.is_empty() {
        query
    } else {
        format!("?{}", query.replace("%2C", ","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORG: &str = "7d4a3c10-5b2e-4f8a-9c61-0a1b2c3d4e01";
    const SESSION: &str = "1f0e6a52-7c3d-4c1e-9a57-3c2b8d4e0a01";
    const MAILBOX_A: &str = "5c0e7f1a-bc28-4d9c-b65c-000000000000";
    const MAILBOX_B: &str = "5c0e7f1a-bc28-4d9c-b65c-000000000001";

    fn id(text: &str) -> Uuid {
        Uuid::parse_str(text).unwrap()
    }

    #[test]
    fn round_trip() {
        let location = PageLocation {
            organization: Some(id(ORG)),
            session: Some(id(SESSION)),
            mailboxes: vec![id(MAILBOX_A), id(MAILBOX_B)],
        };
        let query = format_location(&location);
        assert_eq!(
            query,
            format!("?org={ORG}&session={SESSION}&mailboxes={MAILBOX_A},{MAILBOX_B}")
        );
        assert_eq!(parse_location(&query), location);
    }

    #[test]
    fn empty_location_is_empty_query() {
        assert_eq!(format_location(&PageLocation::default()), "");
        assert_eq!(parse_location(""), PageLocation::default());
    }

    #[test]
    fn invalid_values_ignored() {
        let location = parse_location(&format!(
            "?org=nope&session={SESSION}&mailboxes=x,{MAILBOX_A}&password=p"
        ));
        assert_eq!(location.organization, None);
        assert_eq!(location.session, Some(id(SESSION)));
        assert_eq!(location.mailboxes, vec![id(MAILBOX_A)]);
    }

    #[test]
    fn large_selection_left_out() {
        let location = PageLocation {
            organization: None,
            session: Some(id(SESSION)),
            mailboxes: vec![id(MAILBOX_A); MAX_MAILBOXES_IN_LOCATION + 1],
        };
        assert_eq!(format_location(&location), format!("?session={SESSION}"));
    }
}
