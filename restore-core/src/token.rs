//! The signed-in state: the token pair and when to renew it.

use crate::model::TokenResponse;
use crate::secret::Secret;

/// The most time before expiry at which the access token is renewed.
const MAX_RENEW_LEAD_MS: f64 = 60_000.0;

/// An access and refresh token pair, held in memory only.
#[derive(Debug, Clone)]
pub struct TokenSet {
    pub access_token: Secret,
    pub refresh_token: Secret,
    /// Milliseconds since the Unix epoch at which the server stops taking the access token.
    pub expires_at_ms: f64,
    /// Milliseconds since the Unix epoch after which the token should be renewed.
    pub renew_at_ms: f64,
}

impl TokenSet {
    /// Builds the token set from a token response received at `now_ms`.
    pub fn from_response(response: TokenResponse, now_ms: f64) -> Self {
        let lifetime_ms = response.expires_in.max(0) as f64 * 1000.0;
        // Renew a minute early, or after four fifths of a short lifetime, so a request sent
        // just before expiry does not arrive with a dead token.
        let lead_ms = (lifetime_ms / 5.0).min(MAX_RENEW_LEAD_MS);
        Self {
            access_token: Secret::new(response.access_token),
            refresh_token: Secret::new(response.refresh_token),
            expires_at_ms: now_ms + lifetime_ms,
            renew_at_ms: now_ms + lifetime_ms - lead_ms,
        }
    }

    pub fn needs_renewal(&self, now_ms: f64) -> bool {
        now_ms >= self.renew_at_ms
    }

    /// Milliseconds from `now_ms` until renewal is due, zero if it already is.
    pub fn renew_in_ms(&self, now_ms: f64) -> f64 {
        (self.renew_at_ms - now_ms).max(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(expires_in: i64) -> TokenResponse {
        TokenResponse {
            access_token: "a".into(),
            refresh_token: "r".into(),
            expires_in,
            user_name: None,
        }
    }

    #[test]
    fn hour_token_renews_minute_early() {
        let tokens = TokenSet::from_response(response(3600), 1_000.0);
        assert_eq!(tokens.expires_at_ms, 1_000.0 + 3_600_000.0);
        assert_eq!(tokens.renew_at_ms, 1_000.0 + 3_540_000.0);
        assert!(!tokens.needs_renewal(1_000.0 + 3_539_999.0));
        assert!(tokens.needs_renewal(1_000.0 + 3_540_000.0));
    }

    #[test]
    fn short_token_renews_at_four_fifths() {
        let tokens = TokenSet::from_response(response(10), 0.0);
        assert_eq!(tokens.renew_at_ms, 8_000.0);
        assert_eq!(tokens.renew_in_ms(3_000.0), 5_000.0);
        assert_eq!(tokens.renew_in_ms(9_000.0), 0.0);
    }

    #[test]
    fn negative_lifetime_renews_now() {
        let tokens = TokenSet::from_response(response(-5), 50.0);
        assert!(tokens.needs_renewal(50.0));
    }

    #[test]
    fn debug_hides_tokens() {
        let text = format!("{:?}", TokenSet::from_response(response(60), 0.0));
        assert!(!text.contains("\"a\""));
        assert!(text.contains("***"));
    }
}
