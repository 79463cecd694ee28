//! Addresses and request bodies of the VB365 REST API calls the client makes.
//!
//! The version prefix is a setting of [`ApiVersion`], never a literal in a path, because
//! VB365 serves v6, v7 and v8 side by side and later releases drop the older ones.

use serde::Serialize;
use uuid::Uuid;

use crate::secret::Secret;

/// The REST API version the client speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ApiVersion {
    /// VB365 6 and later. Restores are synchronous.
    #[default]
    V6,
    /// VB365 7 and later. Restores are synchronous; the token call takes
    /// `disable_antiforgery_token`.
    V7,
}

impl ApiVersion {
    pub fn prefix(self) -> &'static str {
        match self {
            ApiVersion::V6 => "v6",
            ApiVersion::V7 => "v7",
        }
    }

    /// Parses the `apiVersion` setting of config.json.
    pub fn parse(text: &str) -> Result<Self, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "v6" => Ok(ApiVersion::V6),
            "v7" => Ok(ApiVersion::V7),
            "v8" => Err("apiVersion \"v8\" is not supported yet: v8 restores run \
                         asynchronously. Use \"v6\" or \"v7\", which VB365 8 still serves."
                .into()),
            other => Err(format!(
                "apiVersion \"{other}\" is not a VB365 REST API version; use \"v6\" or \"v7\"."
            )),
        }
    }
}

/// Where the API is and which version to call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiEndpoint {
    /// Origin (and optional path prefix) without a trailing slash, such as
    /// `https://restore.contoso.com` or `https://restore.contoso.com/vb365`.
    pub base: String,
    pub version: ApiVersion,
}

impl ApiEndpoint {
    fn url(&self, path: &str) -> String {
        format!("{}/{}/{}", self.base, self.version.prefix(), path)
    }

    pub fn token_url(&self) -> String {
        self.url("token")
    }

    pub fn device_code_url(&self, session_id: Uuid) -> String {
        self.url(&format!(
            "RestoreSessions/{session_id}/organization/restoreDeviceCode"
        ))
    }

    pub fn mailbox_restore_url(&self, session_id: Uuid, mailbox_id: Uuid) -> String {
        self.url(&format!(
            "RestoreSessions/{session_id}/organization/mailboxes/{mailbox_id}/restore"
        ))
    }

    /// The form-encoded body of a sign-in with a VB365 administrator's account.
    pub fn password_grant_body(&self, user_name: &str, password: &Secret) -> Secret {
        let mut form = form_urlencoded::Serializer::new(String::new());
        form.append_pair("grant_type", "password")
            .append_pair("username", user_name)
            .append_pair("password", password.expose());
        self.finish_token_body(form)
    }

    /// The form-encoded body that trades a refresh token for a new token pair.
    pub fn refresh_grant_body(&self, refresh_token: &Secret) -> Secret {
        let mut form = form_urlencoded::Serializer::new(String::new());
        form.append_pair("grant_type", "refresh_token")
            .append_pair("refresh_token", refresh_token.expose());
        self.finish_token_body(form)
    }

    fn finish_token_body(&self, mut form: form_urlencoded::Serializer<'_, String>) -> Secret {
        // Without this v7 also issues an antiforgery token, whose use is not documented.
        if self.version != ApiVersion::V6 {
            form.append_pair("disable_antiforgery_token", "true");
        }
        Secret::new(form.finish())
    }

    /// Returns the URL that lists the organizations (`GET`). With `extended_view` the
    /// server also returns `isBackedup`, `firstBackuptime` and `lastBackuptime`, but only
    /// while the backup proxy is online. v6 declares the parameter required, so it is
    /// always sent.
    pub fn organizations_url(&self, extended_view: bool) -> String {
        self.url(&format!("Organizations?extendedView={extended_view}"))
    }

    /// Returns the URL that opens a restore session (`POST` with
    /// [`crate::browse::explore_body`]).
    pub fn explore_url(&self, organization_id: Uuid) -> String {
        self.url(&format!("Organizations/{organization_id}/explore"))
    }

    /// Returns the URL of one page of restore sessions (`GET`).
    pub fn restore_sessions_url(&self, page: crate::browse::PageRequest) -> String {
        self.url(&format!(
            "RestoreSessions?offset={}&limit={}",
            page.offset, page.limit
        ))
    }

    /// Returns the URL of one restore session (`GET`).
    pub fn restore_session_url(&self, session_id: Uuid) -> String {
        self.url(&format!("RestoreSessions/{session_id}"))
    }

    /// Returns the URL of one page of the mailboxes of a restore session (`GET`).
    pub fn mailboxes_url(&self, session_id: Uuid, page: crate::browse::PageRequest) -> String {
        self.url(&format!(
            "RestoreSessions/{session_id}/organization/mailboxes?offset={}&limit={}",
            page.offset, page.limit
        ))
    }

    /// Returns the URL that stops a restore session and frees its resources on the server
    /// (`POST` with no body).
    pub fn stop_session_url(&self, session_id: Uuid) -> String {
        self.url(&format!("RestoreSessions/{session_id}/Stop"))
    }
}

/// The JSON body of `restoreDeviceCode` (`RESTDeviceCodeRequestOptions`).
pub fn device_code_body(application_id: Uuid) -> String {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct DeviceCodeRequest {
        target_application_id: Uuid,
    }

    serde_json::to_string(&DeviceCodeRequest {
        target_application_id: application_id,
    })
    .expect("serializing a GUID cannot fail")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint(version: ApiVersion) -> ApiEndpoint {
        ApiEndpoint {
            base: "https://restore.contoso.com".into(),
            version,
        }
    }

    const SESSION: &str = "380d7caf-6294-4a33-b50a-b8aeb13af58c";
    const MAILBOX: &str = "9e9b7199-f547-467a-b580-9d283a75eaad";

    #[test]
    fn restore_url_matches_veeam_example() {
        let url = endpoint(ApiVersion::V6).mailbox_restore_url(
            Uuid::parse_str(SESSION).unwrap(),
            Uuid::parse_str(MAILBOX).unwrap(),
        );
        assert_eq!(
            url,
            "https://restore.contoso.com/v6/RestoreSessions/380d7caf-6294-4a33-b50a-b8aeb13af58c/organization/mailboxes/9e9b7199-f547-467a-b580-9d283a75eaad/restore"
        );
    }

    #[test]
    fn version_prefix_applies_everywhere() {
        let v7 = endpoint(ApiVersion::V7);
        assert_eq!(v7.token_url(), "https://restore.contoso.com/v7/token");
        assert!(v7
            .device_code_url(Uuid::parse_str(SESSION).unwrap())
            .starts_with("https://restore.contoso.com/v7/RestoreSessions/"));
    }

    #[test]
    fn password_grant_is_form_encoded() {
        let body = endpoint(ApiVersion::V6)
            .password_grant_body("CONTOSO\\administrator", &Secret::new("p&ss=word +1"));
        assert_eq!(
            body.expose(),
            "grant_type=password&username=CONTOSO%5Cadministrator&password=p%26ss%3Dword+%2B1"
        );
    }

    #[test]
    fn refresh_grant_body() {
        let body = endpoint(ApiVersion::V6).refresh_grant_body(&Secret::new("abc/def"));
        assert_eq!(
            body.expose(),
            "grant_type=refresh_token&refresh_token=abc%2Fdef"
        );
    }

    #[test]
    fn v7_disables_antiforgery_token() {
        let body = endpoint(ApiVersion::V7).refresh_grant_body(&Secret::new("r"));
        assert!(body.expose().ends_with("&disable_antiforgery_token=true"));
    }

    #[test]
    fn device_code_body_shape() {
        let body = device_code_body(Uuid::parse_str(SESSION).unwrap());
        assert_eq!(
            body,
            r#"{"targetApplicationId":"380d7caf-6294-4a33-b50a-b8aeb13af58c"}"#
        );
    }

    #[test]
    fn versions_parse() {
        assert_eq!(ApiVersion::parse(" V6 "), Ok(ApiVersion::V6));
        assert_eq!(ApiVersion::parse("v7"), Ok(ApiVersion::V7));
        assert!(ApiVersion::parse("v8")
            .unwrap_err()
            .contains("asynchronously"));
        assert!(ApiVersion::parse("v5").is_err());
    }
}
