//! Browsing what can be restored: organizations, restore sessions and the mailboxes of a
//! session, parsed from the API's responses, and the paging that loads long lists.
//!
//! The models follow Veeam's v6 OpenAPI schemas (`RestOrganizationComposed`,
//! `RESTRestoreSession`, `RESTExchangeMailbox` and their `PageOf...` wrappers). Unknown
//! fields are ignored and a null or missing string reads as empty, so responses of later
//! API versions still parse.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};
use uuid::Uuid;

use crate::error::ApiError;
use crate::json::{json_kind, JsonKind};
use crate::point_in_time::UtcDateTime;

/// The largest `limit` the API accepts for one page (10,000 in the v6, v7 and v8
/// OpenAPI documents). The API's default page is 30 items.
pub const MAX_PAGE_LIMIT: u32 = 10_000;

/// A backed-up Microsoft 365 organization (`RestOrganizationComposed`), with the fields
/// the restore client uses.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Organization {
    /// Nullable in the schema. An organization without an ID cannot be explored.
    #[serde(default)]
    pub id: Option<Uuid>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub office_name: String,
    /// `Office365`, `OnPremises` or `Hybrid`.
    #[serde(rename = "type", default)]
    pub organization_type: Option<String>,
    /// `None` when the list was requested with `extendedView=false` or the backup proxy
    /// is offline.
    #[serde(rename = "isBackedup", default)]
    pub is_backed_up: Option<bool>,
    /// RFC 3339 time of the first backup; `None` in the cases of `is_backed_up`.
    #[serde(rename = "firstBackuptime", default)]
    pub first_backup_time: Option<String>,
    /// RFC 3339 time of the last backup; `None` in the cases of `is_backed_up`.
    #[serde(rename = "lastBackuptime", default)]
    pub last_backup_time: Option<String>,
}

impl Organization {
    /// The time of the first backup, or `None` when it is missing or unreadable.
    pub fn first_backup(&self) -> Option<UtcDateTime> {
        parse_time(self.first_backup_time.as_deref())
    }

    /// The time of the last backup, or `None` when it is missing or unreadable.
    pub fn last_backup(&self) -> Option<UtcDateTime> {
        parse_time(self.last_backup_time.as_deref())
    }
}

/// A restore session (`RESTRestoreSession`). The enum-like fields are kept as the
/// server's strings, so a value added in a later version still parses.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RestoreSession {
    pub id: Uuid,
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    /// The organization's name. The schema declares a string here, not an object.
    #[serde(default, deserialize_with = "null_as_default")]
    pub organization: String,
    /// `Vex` (Exchange), `Veod` (OneDrive), `Vesp` (SharePoint) or `Vet` (Teams).
    #[serde(rename = "type", default, deserialize_with = "null_as_default")]
    pub session_type: String,
    /// RFC 3339 time the session was created.
    #[serde(default, deserialize_with = "null_as_default")]
    pub creation_time: String,
    /// RFC 3339 time the session ended, `None` while it runs.
    #[serde(default)]
    pub end_time: Option<String>,
    /// `Working` or `Stopped`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub state: String,
    /// `Success`, `Warning` or `Failed`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub result: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub initiated_by: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub details: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub scope_name: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub client_host: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub reason: String,
}

impl RestoreSession {
    /// Whether the session is still open (`state` is `Working`), so its mailboxes can be
    /// listed and restored.
    pub fn is_working(&self) -> bool {
        self.state.eq_ignore_ascii_case("Working")
    }

    /// Whether the session explores Exchange data (`type` is `Vex`).
    pub fn is_exchange(&self) -> bool {
        self.session_type.eq_ignore_ascii_case("Vex")
    }

    /// The creation time, or `None` when it is missing or unreadable.
    pub fn created(&self) -> Option<UtcDateTime> {
        parse_time(Some(&self.creation_time))
    }
}

/// A mailbox in a restore session (`RESTExchangeMailbox`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Mailbox {
    /// Required here, although the schema does not mark it so, because a mailbox without
    /// an ID cannot be restored. A page with such an entry fails to parse.
    pub id: Uuid,
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    /// The primary SMTP address; empty for some public folder mailboxes.
    #[serde(default, deserialize_with = "null_as_default")]
    pub email: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub is_archive: bool,
    #[serde(default, deserialize_with = "null_as_default")]
    pub is_public: bool,
}

/// One page of a collection (`PageOf...`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", bound(deserialize = "T: Deserialize<'de>"))]
pub struct Page<T> {
    #[serde(default, deserialize_with = "null_as_default")]
    pub offset: u64,
    #[serde(default, deserialize_with = "null_as_default")]
    pub limit: u64,
    /// The ID under which the server caches this listing.
    #[serde(default)]
    pub set_id: Option<String>,
    #[serde(default = "Vec::new", deserialize_with = "null_as_empty_vec")]
    pub results: Vec<T>,
    /// The size of the whole collection, when the server sends it (nullable, and absent
    /// before v7).
    #[serde(default)]
    pub total_count: Option<u64>,
}

/// A response body that does not have the shape of the expected schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// The expected and the found shape, for [`ApiError::Malformed`].
    pub detail: String,
}

impl ParseError {
    fn new(detail: impl Into<String>) -> Self {
        Self {
            detail: detail.into(),
        }
    }

    /// Converts the error into the [`ApiError`] that the view explains, with the HTTP
    /// status of the response.
    pub fn into_api_error(self, status: u16) -> ApiError {
        ApiError::Malformed {
            status,
            detail: self.detail,
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.detail)
    }
}

impl std::error::Error for ParseError {}

/// Parses the response of `GET /vN/Organizations`: a plain array on v6 and v7, or the v8
/// paged object whose `results` contains the array.
pub fn parse_organizations(body: &str) -> Result<Vec<Organization>, ParseError> {
    let what = "organizations";
    match kind_of(body, what)? {
        JsonKind::Array => from_json(body, what),
        JsonKind::Object => from_json::<Page<Organization>>(body, what).map(|page| page.results),
        other => Err(ParseError::new(format!(
            "expected a JSON array of organizations or a page object, found {}",
            other.describe()
        ))),
    }
}

/// Parses the response of `GET /vN/RestoreSessions` (`PageOfRESTRestoreSession`).
pub fn parse_sessions_page(body: &str) -> Result<Page<RestoreSession>, ParseError> {
    parse_page(body, "restore sessions")
}

/// Parses the response of `GET /vN/RestoreSessions/{id}` or of the explore call
/// (`RESTRestoreSession`).
pub fn parse_session(body: &str) -> Result<RestoreSession, ParseError> {
    let what = "a restore session";
    let kind = kind_of(body, what)?;
    if kind != JsonKind::Object {
        return Err(ParseError::new(format!(
            "expected a restore session object, found {}",
            kind.describe()
        )));
    }
    from_json(body, what)
}

/// Parses the response of `GET .../RestoreSessions/{id}/organization/mailboxes`
/// (`PageOfRESTExchangeMailbox`).
pub fn parse_mailboxes_page(body: &str) -> Result<Page<Mailbox>, ParseError> {
    parse_page(body, "mailboxes")
}

fn parse_page<T>(body: &str, what: &str) -> Result<Page<T>, ParseError>
where
    T: for<'de> Deserialize<'de>,
{
    let kind = kind_of(body, what)?;
    // serde would also fill the struct from an array, field by field.
    if kind != JsonKind::Object {
        return Err(ParseError::new(format!(
            "expected a page object of {what}, found {}",
            kind.describe()
        )));
    }
    from_json(body, what)
}

fn kind_of(body: &str, what: &str) -> Result<JsonKind, ParseError> {
    json_kind(body).map_err(|error| {
        ParseError::new(format!(
            "the response for {what} is not valid JSON: {error}"
        ))
    })
}

fn from_json<T>(body: &str, what: &str) -> Result<T, ParseError>
where
    T: for<'de> Deserialize<'de>,
{
    serde_json::from_str(body)
        .map_err(|error| ParseError::new(format!("unexpected shape of {what}: {error}")))
}

fn parse_time(text: Option<&str>) -> Option<UtcDateTime> {
    UtcDateTime::parse_rfc3339(text?).ok()
}

fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

fn null_as_empty_vec<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(deserializer)?.unwrap_or_default())
}

/// The `offset` and `limit` of the next page to request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub offset: usize,
    pub limit: u32,
}

/// Computes the next page to request, or `None` when the list is complete.
///
/// `loaded` is the number of items received so far, `last_page_len` the length of the
/// last page (`None` before the first request), and `page_size` the limit to ask for,
/// clamped to 1..=[`MAX_PAGE_LIMIT`]. Loading stops when a page comes back shorter than
/// that limit, including an empty page.
pub fn next_page_request(
    loaded: usize,
    last_page_len: Option<usize>,
    page_size: u32,
) -> Option<PageRequest> {
    let limit = clamp_page_size(page_size);
    match last_page_len {
        Some(len) if len < limit as usize => None,
        _ => Some(PageRequest {
            offset: loaded,
            limit,
        }),
    }
}

fn clamp_page_size(page_size: u32) -> u32 {
    page_size.clamp(1, MAX_PAGE_LIMIT)
}

/// The state of loading a paged list, one page at a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageCursor {
    page_size: u32,
    loaded: usize,
    last_page_len: Option<usize>,
    total_count: Option<u64>,
}

impl PageCursor {
    /// Starts a listing with pages of `page_size` items, clamped to 1..=[`MAX_PAGE_LIMIT`].
    pub fn new(page_size: u32) -> Self {
        Self {
            page_size: clamp_page_size(page_size),
            loaded: 0,
            last_page_len: None,
            total_count: None,
        }
    }

    /// The page to request next, or `None` when the list is complete.
    pub fn next_request(&self) -> Option<PageRequest> {
        if self
            .total_count
            .is_some_and(|total| self.loaded as u64 >= total)
        {
            return None;
        }
        next_page_request(self.loaded, self.last_page_len, self.page_size)
    }

    /// Records a received page.
    pub fn record_page<T>(&mut self, page: &Page<T>) {
        self.loaded += page.results.len();
        self.last_page_len = Some(page.results.len());
        if page.total_count.is_some() {
            self.total_count = page.total_count;
        }
    }

    /// The number of items received so far.
    pub fn loaded(&self) -> usize {
        self.loaded
    }

    /// The size of the whole collection, when the server sent it.
    pub fn total_count(&self) -> Option<u64> {
        self.total_count
    }

    pub fn is_complete(&self) -> bool {
        self.next_request().is_none()
    }
}

/// Formats a count with comma thousands separators, such as `12,000`.
pub fn format_count(count: u64) -> String {
    let digits = count.to_string();
    let mut text = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            text.push(',');
        }
        text.push(digit);
    }
    text
}

/// Formats the progress line of a mailbox listing, such as `12,000 mailboxes loaded` or
/// `12,000 of 48,210 mailboxes loaded` when the total is known.
pub fn mailboxes_loaded_text(loaded: usize, total_count: Option<u64>) -> String {
    let loaded = loaded as u64;
    match total_count {
        Some(total) if total >= loaded => format!(
            "{} of {} {} loaded",
            format_count(loaded),
            format_count(total),
            mailbox_noun(total)
        ),
        _ => format!("{} {} loaded", format_count(loaded), mailbox_noun(loaded)),
    }
}

fn mailbox_noun(count: u64) -> &'static str {
    if count == 1 {
        "mailbox"
    } else {
        "mailboxes"
    }
}

/// The Veeam Explorer whose data a restore session opens (`type` of
/// `RESTExploreOptions`). This client restores mailboxes, so it uses [`Self::Exchange`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ExploreType {
    #[default]
    Exchange,
    OneDrive,
    SharePoint,
    Teams,
}

impl ExploreType {
    pub fn as_str(self) -> &'static str {
        match self {
            ExploreType::Exchange => "Vex",
            ExploreType::OneDrive => "Veod",
            ExploreType::SharePoint => "Vesp",
            ExploreType::Teams => "Vet",
        }
    }
}

/// Builds the JSON body of the explore call (`RESTExploreOptions`) that opens an
/// Exchange restore session. `point_in_time` `None` omits `dateTime`, so the latest backup is used.
pub fn explore_body(
    point_in_time: Option<UtcDateTime>,
    show_deleted: bool,
    show_all_versions: bool,
) -> String {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct ExploreOptions {
        #[serde(skip_serializing_if = "Option::is_none")]
        date_time: Option<String>,
        #[serde(rename = "type")]
        explore_type: &'static str,
        show_deleted: bool,
        show_all_versions: bool,
    }

    let options = ExploreOptions {
        date_time: point_in_time.map(UtcDateTime::to_api_string),
        explore_type: ExploreType::Exchange.as_str(),
        show_deleted,
        show_all_versions,
    };
    serde_json::to_string(&options).expect("serializing plain strings and booleans cannot fail")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{ApiEndpoint, ApiVersion};

    const ORG_ID: &str = "5c0e3b4a-9d2f-4e61-8a7b-1c2d3e4f5a6b";
    const SESSION_ID: &str = "380d7caf-6294-4a33-b50a-b8aeb13af58c";

    fn endpoint() -> ApiEndpoint {
        ApiEndpoint {
            base: "https://restore.contoso.com".into(),
            version: ApiVersion::V6,
        }
    }

    const ORGANIZATIONS_V6: &str = r#"[
      {"isTeamsOnline":false,"isTeamsChatsOnline":false,"exchangeOnlineSettings":{"useApplicationOnlyAuth":true},
       "isExchangeOnline":true,"isSharePointOnline":true,"type":"Office365","region":"Worldwide",
       "id":"5c0e3b4a-9d2f-4e61-8a7b-1c2d3e4f5a6b","name":"contoso.onmicrosoft.com","officeName":"Contoso",
       "isBackedup":true,"firstBackuptime":"2026-01-05T22:00:12.4530000Z","lastBackuptime":"2026-12-03T22:00:08.1270000Z",
       "_links":{"self":{"href":"/v6/Organizations/5c0e3b4a-9d2f-4e61-8a7b-1c2d3e4f5a6b"}}},
      {"id":null,"name":"fabrikam.onmicrosoft.com","officeName":null,"type":null,
       "isBackedup":null,"firstBackuptime":null,"lastBackuptime":null}
    ]"#;

    #[test]
    fn organizations_v6_array() {
        let organizations = parse_organizations(ORGANIZATIONS_V6).unwrap();
        assert_eq!(organizations.len(), 2);
        let contoso = &organizations[0];
        assert_eq!(contoso.id, Some(Uuid::parse_str(ORG_ID).unwrap()));
        assert_eq!(contoso.name, "contoso.onmicrosoft.com");
        assert_eq!(contoso.office_name, "Contoso");
        assert_eq!(contoso.organization_type.as_deref(), Some("Office365"));
        assert_eq!(contoso.is_backed_up, Some(true));
        assert_eq!(
            contoso.last_backup().unwrap().to_api_string(),
            "2026-12-03T22:00:08.127Z"
        );
    }

    #[test]
    fn organization_nulls_tolerated() {
        let organizations = parse_organizations(ORGANIZATIONS_V6).unwrap();
        let fabrikam = &organizations[1];
        assert_eq!(fabrikam.id, None);
        assert_eq!(fabrikam.office_name, "");
        assert_eq!(fabrikam.is_backed_up, None);
        assert_eq!(fabrikam.first_backup(), None);
    }

    #[test]
    fn organizations_v8_page() {
        let body = r#"{"offset":0,"limit":30,"results":[{"id":"5c0e3b4a-9d2f-4e61-8a7b-1c2d3e4f5a6b","name":"contoso.onmicrosoft.com"}],"_links":{}}"#;
        let organizations = parse_organizations(body).unwrap();
        assert_eq!(organizations.len(), 1);
        assert_eq!(organizations[0].name, "contoso.onmicrosoft.com");
    }

    #[test]
    fn organizations_empty_array() {
        assert_eq!(parse_organizations("[]").unwrap(), Vec::new());
    }

    #[test]
    fn organizations_other_shapes_rejected() {
        let error = parse_organizations(r#""Organizations""#).unwrap_err();
        assert!(error.detail.contains("found a string"), "{error}");
        assert!(parse_organizations("null").is_err());
        assert!(parse_organizations("<html>").is_err());
    }

    #[test]
    fn organization_bad_id_rejected() {
        let error = parse_organizations(r#"[{"id":"not-a-guid","name":"x"}]"#).unwrap_err();
        assert!(error.detail.contains("organizations"), "{error}");
    }

    const SESSIONS_PAGE: &str = r#"{"offset":0,"limit":30,"setId":"0f0e0d0c-0b0a-4908-8706-050403020100",
      "results":[
        {"id":"380d7caf-6294-4a33-b50a-b8aeb13af58c","name":"Exchange restore 12/4/2026 4:05:31 PM",
         "organization":"contoso.onmicrosoft.com","type":"Vex","creationTime":"2026-12-04T16:05:31.0700000Z",
         "endTime":null,"state":"Working","result":"Success","initiatedBy":"CONTOSO\\administrator",
         "details":"","scopeName":"","clientHost":"10.0.0.5","reason":"",
         "_links":{"self":{"href":"/v6/RestoreSessions/380d7caf-6294-4a33-b50a-b8aeb13af58c"}}},
        {"id":"a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d","name":null,"organization":null,"type":"Veod",
         "creationTime":"2026-12-01T09:00:00Z","endTime":"2026-12-01T09:30:00Z","state":"Stopped",
         "result":"Warning","initiatedBy":null,"details":null,"reason":"Stopped by user","newField":42}
      ],"_links":{}}"#;

    #[test]
    fn sessions_page_parses() {
        let page = parse_sessions_page(SESSIONS_PAGE).unwrap();
        assert_eq!(page.offset, 0);
        assert_eq!(page.limit, 30);
        assert_eq!(
            page.set_id.as_deref(),
            Some("0f0e0d0c-0b0a-4908-8706-050403020100")
        );
        assert_eq!(page.results.len(), 2);
        assert_eq!(page.total_count, None);
    }

    #[test]
    fn working_exchange_session() {
        let page = parse_sessions_page(SESSIONS_PAGE).unwrap();
        let session = &page.results[0];
        assert_eq!(session.id, Uuid::parse_str(SESSION_ID).unwrap());
        assert_eq!(session.organization, "contoso.onmicrosoft.com");
        assert_eq!(session.initiated_by, "CONTOSO\\administrator");
        assert_eq!(session.end_time, None);
        assert!(session.is_working());
        assert!(session.is_exchange());
        assert!(session.created().is_some());
    }

    #[test]
    fn stopped_session_nulls_tolerated() {
        let page = parse_sessions_page(SESSIONS_PAGE).unwrap();
        let session = &page.results[1];
        assert_eq!(session.name, "");
        assert_eq!(session.organization, "");
        assert_eq!(session.reason, "Stopped by user");
        assert!(!session.is_working());
        assert!(!session.is_exchange());
    }

    #[test]
    fn sessions_empty_page() {
        let page = parse_sessions_page(r#"{"offset":30,"limit":30,"results":[]}"#).unwrap();
        assert!(page.results.is_empty());
    }

    #[test]
    fn sessions_null_results() {
        let page = parse_sessions_page(r#"{"offset":0,"limit":30,"results":null}"#).unwrap();
        assert!(page.results.is_empty());
    }

    #[test]
    fn sessions_array_rejected() {
        let error = parse_sessions_page("[]").unwrap_err();
        assert!(error.detail.contains("found an array"), "{error}");
    }

    #[test]
    fn session_without_id_rejected() {
        let error = parse_session(r#"{"name":"x","state":"Working"}"#).unwrap_err();
        assert!(error.detail.contains("id"), "{error}");
    }

    #[test]
    fn explore_response_parses() {
        let body = r#"{"id":"380d7caf-6294-4a33-b50a-b8aeb13af58c","type":"Vex","creationTime":"2026-12-04T16:05:31Z","state":"Working","result":"Success"}"#;
        let session = parse_session(body).unwrap();
        assert!(session.is_working());
    }

    #[test]
    fn mailboxes_page_parses() {
        let body = r#"{"offset":0,"limit":2,"setId":"0f0e0d0c-0b0a-4908-8706-050403020100","results":[
            {"id":"9e9b7199-f547-467a-b580-9d283a75eaad","name":"Zoë Çelik","email":"zoe.celik@contoso.com",
             "isArchive":false,"isPublic":false,"_links":{"self":{"href":"/v6/..."}}},
            {"id":"1d6c1f4e-2a3b-4c5d-8e9f-0a1b2c3d4e5f","name":"Public Folders","email":null,
             "isArchive":null,"isPublic":true}
          ],"totalCount":48210}"#;
        let page = parse_mailboxes_page(body).unwrap();
        assert_eq!(page.results.len(), 2);
        assert_eq!(page.total_count, Some(48_210));
        assert_eq!(page.results[0].name, "Zoë Çelik");
        assert_eq!(page.results[1].email, "");
        assert!(!page.results[1].is_archive);
        assert!(page.results[1].is_public);
    }

    #[test]
    fn mailbox_wrong_type_rejected() {
        let body = r#"{"offset":0,"limit":30,"results":[{"id":"9e9b7199-f547-467a-b580-9d283a75eaad","isArchive":"no"}]}"#;
        assert!(parse_mailboxes_page(body).is_err());
    }

    #[test]
    fn parse_error_becomes_malformed() {
        let error = parse_mailboxes_page("42").unwrap_err().into_api_error(200);
        assert!(matches!(error, ApiError::Malformed { status: 200, .. }));
    }

    #[test]
    fn first_request_starts_at_zero() {
        assert_eq!(
            next_page_request(0, None, 1000),
            Some(PageRequest {
                offset: 0,
                limit: 1000
            })
        );
    }

    #[test]
    fn full_page_asks_for_more() {
        assert_eq!(
            next_page_request(2000, Some(1000), 1000),
            Some(PageRequest {
                offset: 2000,
                limit: 1000
            })
        );
    }

    #[test]
    fn short_page_stops() {
        assert_eq!(next_page_request(2500, Some(500), 1000), None);
    }

    #[test]
    fn empty_page_stops() {
        assert_eq!(next_page_request(3000, Some(0), 1000), None);
    }

    #[test]
    fn page_size_clamped() {
        assert_eq!(next_page_request(0, None, 50_000).unwrap().limit, 10_000);
        assert_eq!(next_page_request(0, None, 0).unwrap().limit, 1);
        assert_eq!(
            next_page_request(10_000, Some(10_000), 50_000)
                .unwrap()
                .limit,
            10_000
        );
    }

    fn mailbox_page(len: usize, total_count: Option<u64>) -> Page<Mailbox> {
        Page {
            offset: 0,
            limit: 0,
            set_id: None,
            results: (0..len)
                .map(|index| Mailbox {
                    id: Uuid::from_u128(index as u128),
                    name: format!("User {index}"),
                    email: format!("user{index}@contoso.com"),
                    is_archive: false,
                    is_public: false,
                })
                .collect(),
            total_count,
        }
    }

    #[test]
    fn cursor_walks_pages() {
        let mut cursor = PageCursor::new(3);
        assert_eq!(cursor.next_request().unwrap().offset, 0);
        cursor.record_page(&mailbox_page(3, None));
        assert_eq!(cursor.next_request().unwrap().offset, 3);
        cursor.record_page(&mailbox_page(1, None));
        assert_eq!(cursor.loaded(), 4);
        assert!(cursor.is_complete());
    }

    #[test]
    fn cursor_stops_at_total_count() {
        let mut cursor = PageCursor::new(3);
        cursor.record_page(&mailbox_page(3, Some(3)));
        assert_eq!(cursor.total_count(), Some(3));
        assert!(cursor.is_complete());
    }

    #[test]
    fn counts_formatted() {
        assert_eq!(format_count(0), "0");
        assert_eq!(format_count(999), "999");
        assert_eq!(format_count(1000), "1,000");
        assert_eq!(format_count(12_000), "12,000");
        assert_eq!(format_count(1_234_567), "1,234,567");
    }

    #[test]
    fn progress_text() {
        assert_eq!(
            mailboxes_loaded_text(12_000, None),
            "12,000 mailboxes loaded"
        );
        assert_eq!(mailboxes_loaded_text(1, None), "1 mailbox loaded");
        assert_eq!(
            mailboxes_loaded_text(12_000, Some(48_210)),
            "12,000 of 48,210 mailboxes loaded"
        );
    }

    #[test]
    fn explore_body_latest() {
        assert_eq!(
            explore_body(None, false, false),
            r#"{"type":"Vex","showDeleted":false,"showAllVersions":false}"#
        );
    }

    #[test]
    fn explore_body_point_in_time() {
        let point = UtcDateTime::parse_rfc3339("2026-11-30T18:00:00Z").unwrap();
        let body: serde_json::Value =
            serde_json::from_str(&explore_body(Some(point), true, false)).unwrap();
        assert_eq!(body["dateTime"], "2026-11-30T18:00:00.000Z");
        assert_eq!(body["type"], "Vex");
        assert_eq!(body["showDeleted"], true);
        assert_eq!(body["showAllVersions"], false);
    }

    #[test]
    fn organizations_url() {
        assert_eq!(
            endpoint().organizations_url(true),
            "https://restore.contoso.com/v6/Organizations?extendedView=true"
        );
    }

    #[test]
    fn explore_url() {
        assert_eq!(
            endpoint().explore_url(Uuid::parse_str(ORG_ID).unwrap()),
            "https://restore.contoso.com/v6/Organizations/5c0e3b4a-9d2f-4e61-8a7b-1c2d3e4f5a6b/explore"
        );
    }

    #[test]
    fn sessions_page_url() {
        let page = PageRequest {
            offset: 30,
            limit: 30,
        };
        assert_eq!(
            endpoint().restore_sessions_url(page),
            "https://restore.contoso.com/v6/RestoreSessions?offset=30&limit=30"
        );
    }

    #[test]
    fn session_urls() {
        let id = Uuid::parse_str(SESSION_ID).unwrap();
        assert_eq!(
            endpoint().restore_session_url(id),
            "https://restore.contoso.com/v6/RestoreSessions/380d7caf-6294-4a33-b50a-b8aeb13af58c"
        );
        assert_eq!(
            endpoint().stop_session_url(id),
            "https://restore.contoso.com/v6/RestoreSessions/380d7caf-6294-4a33-b50a-b8aeb13af58c/Stop"
        );
    }

    #[test]
    fn mailboxes_page_url() {
        let page = PageRequest {
            offset: 10_000,
            limit: 10_000,
        };
        assert_eq!(
            endpoint().mailboxes_url(Uuid::parse_str(SESSION_ID).unwrap(), page),
            "https://restore.contoso.com/v6/RestoreSessions/380d7caf-6294-4a33-b50a-b8aeb13af58c/organization/mailboxes?offset=10000&limit=10000"
        );
    }
}
