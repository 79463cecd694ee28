//! `config.json`, shipped beside `index.html` so a deployment can point the app at its API
//! without a rebuild.

use serde::Deserialize;

use crate::api::{ApiEndpoint, ApiVersion};

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ConfigFile {
    api_base: Option<String>,
    api_version: Option<String>,
}

/// Reads config.json. `apiBase` absent or empty means the page's own origin (`origin`);
/// otherwise it is an `http(s)://` URL or a path on the page's origin starting with `/`.
/// `apiVersion` defaults to v6.
pub fn parse_config(json: &str, origin: &str) -> Result<ApiEndpoint, String> {
    let file: ConfigFile = serde_json::from_str(json)
        .map_err(|error| format!("config.json is not valid: {error}."))?;

    let version = match file.api_version.as_deref() {
        None => ApiVersion::default(),
        Some(text) => ApiVersion::parse(text).map_err(|error| format!("config.json: {error}"))?,
    };

    let base = file.api_base.unwrap_or_default();
    let base = base.trim().trim_end_matches('/');
    let base = if base.is_empty() {
        origin.trim_end_matches('/').to_string()
    } else if base.starts_with('/') {
        format!("{}{base}", origin.trim_end_matches('/'))
    } else if base.starts_with("https://") || base.starts_with("http://") {
        base.to_string()
    } else {
        return Err(format!(
            "config.json: apiBase \"{base}\" must be empty, a path starting with /, or an \
             http(s):// URL."
        ));
    };

    Ok(ApiEndpoint { base, version })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORIGIN: &str = "https://restore.contoso.com";

    #[test]
    fn empty_config_uses_origin() {
        let endpoint = parse_config("{}", ORIGIN).unwrap();
        assert_eq!(endpoint.base, ORIGIN);
        assert_eq!(endpoint.version, ApiVersion::V6);
    }

    #[test]
    fn blank_base_uses_origin() {
        let endpoint = parse_config(r#"{"apiBase": " ", "apiVersion": "v7"}"#, ORIGIN).unwrap();
        assert_eq!(endpoint.base, ORIGIN);
        assert_eq!(endpoint.version, ApiVersion::V7);
    }

    #[test]
    fn path_base_joins_origin() {
        let endpoint = parse_config(r#"{"apiBase": "/vb365/"}"#, ORIGIN).unwrap();
        assert_eq!(endpoint.base, "https://restore.contoso.com/vb365");
    }

    #[test]
    fn absolute_base_kept() {
        let endpoint =
            parse_config(r#"{"apiBase": "https://vb365.contoso.com:4443/"}"#, ORIGIN).unwrap();
        assert_eq!(endpoint.base, "https://vb365.contoso.com:4443");
    }

    #[test]
    fn relative_base_rejected() {
        assert!(parse_config(r#"{"apiBase": "vb365"}"#, ORIGIN)
            .unwrap_err()
            .contains("apiBase"));
    }

    #[test]
    fn invalid_json_rejected() {
        assert!(parse_config("{", ORIGIN)
            .unwrap_err()
            .contains("config.json is not valid"));
    }

    #[test]
    fn unsupported_version_rejected() {
        assert!(parse_config(r#"{"apiVersion": "v8"}"#, ORIGIN).is_err());
    }
}
