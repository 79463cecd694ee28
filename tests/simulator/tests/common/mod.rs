//! Helpers shared by the integration tests: an in-process simulator on 127.0.0.1 with a
//! free port, an HTTP client, and real PFX files made by the `openssl` command.
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;

use base64::Engine;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use vb365_simulator::{start, Ports, RunningSimulator, SimConfig};

pub const CONTOSO_ID: &str = "7d4a3c10-5b2e-4f8a-9c61-0a1b2c3d4e01";
pub const FABRIKAM_ID: &str = "8e5b4d21-6c3f-4a9b-8d72-1b2c3d4e5f02";
pub const NORTHWIND_ID: &str = "9f6c5e32-7d4a-4bac-9e83-2c3d4e5f6003";
pub const CONTOSO_SESSION: &str = "1f0e6a52-7c3d-4c1e-9a57-3c2b8d4e0a01";
pub const FABRIKAM_SESSION: &str = "2a7d1c88-0b4e-4f6a-8d3e-5e9f7a6b0b02";
pub const CONTOSO_STOPPED_SESSION: &str = "3b8e2d99-1c5f-4a7b-9e4f-6fa08b7c0c03";
pub const ADMIN_USER: &str = "administrator";
pub const ADMIN_PASSWORD: &str = "Restore-Demo-1";
pub const M365_USER: &str = "admin@contoso.onmicrosoft.com";
pub const M365_PASSWORD: &str = "M365-Demo-1";
pub const APP_ID: &str = "0b6a7c2e-3d4f-4a5b-9c8d-7e6f5a4b3c2d";
pub const PFX_PASSWORD: &str = "Pfx-Secret-1";

/// Test configuration: restores finish at once and device codes wait for the control API.
pub fn fast_config() -> SimConfig {
    SimConfig {
        restore_delay_ms: 0,
        device_code_sign_in_after_secs: 0,
        ..SimConfig::default()
    }
}

pub struct Sim {
    pub server: RunningSimulator,
    pub base: String,
    pub client: reqwest::Client,
}

pub async fn start_sim(config: SimConfig) -> Sim {
    let server = start(
        config,
        Ports {
            http: 0,
            https: None,
        },
    )
    .await
    .unwrap();
    let base = server.http_url();
    Sim {
        server,
        base,
        client: reqwest::Client::new(),
    }
}

pub async fn start_default() -> Sim {
    start_sim(fast_config()).await
}

impl Sim {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Signs in with the password grant and returns the whole token response.
    pub async fn token_response(&self) -> Value {
        let response = self
            .client
            .post(self.url("/v6/token"))
            .form(&[
                ("grant_type", "password"),
                ("username", ADMIN_USER),
                ("password", ADMIN_PASSWORD),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    pub async fn access_token(&self) -> String {
        self.token_response().await["access_token"]
            .as_str()
            .unwrap()
            .to_string()
    }

    pub async fn get(&self, token: &str, path: &str) -> (u16, Value) {
        let response = self
            .client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    pub async fn post_json(&self, token: &str, path: &str, body: &Value) -> (u16, Value) {
        let response = self
            .client
            .post(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    /// Posts to a `/sim` control route without a bearer and returns the status.
    pub async fn control(&self, path: &str, body: Option<Value>) -> u16 {
        let mut request = self.client.post(self.url(path));
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.unwrap().status().as_u16()
    }

    pub async fn restores(&self) -> Vec<Value> {
        let response = self
            .client
            .get(self.url("/sim/restores"))
            .send()
            .await
            .unwrap();
        response.json().await.unwrap()
    }

    /// Returns the id of mailbox `index` of a session, read through the API.
    pub async fn mailbox_id(&self, token: &str, session: &str, index: u32) -> String {
        let (status, page) = self
            .get(
                token,
                &format!(
                    "/v6/RestoreSessions/{session}/organization/mailboxes?offset={index}&limit=1"
                ),
            )
            .await;
        assert_eq!(status, 200, "{page}");
        page["results"][0]["id"].as_str().unwrap().to_string()
    }

    pub async fn restore(
        &self,
        token: &str,
        session: &str,
        mailbox: &str,
        body: &Value,
    ) -> (u16, Value) {
        self.post_json(
            token,
            &format!("/v6/RestoreSessions/{session}/organization/mailboxes/{mailbox}/restore"),
            body,
        )
        .await
    }
}

pub fn message(body: &Value) -> &str {
    body["message"]
        .as_str()
        .unwrap_or_else(|| panic!("no message in {body}"))
}

pub fn password_credentials() -> Value {
    json!({ "userName": M365_USER, "userPassword": M365_PASSWORD })
}

/// PFX and PEM files made by the `openssl` command, read into memory.
pub struct CertificateFiles {
    /// `openssl pkcs12 -export` with OpenSSL 3 defaults (AES-256, PBKDF2).
    pub default_pfx: Vec<u8>,
    /// `openssl pkcs12 -export -legacy` (RC2 and 3DES).
    pub legacy_pfx: Vec<u8>,
    /// Exported with an empty password.
    pub passwordless_pfx: Vec<u8>,
    /// `-nokeys`: the certificate only.
    pub keyless_pfx: Vec<u8>,
    /// The certificate as PEM, not PKCS#12.
    pub certificate_pem: Vec<u8>,
}

fn openssl(dir: &Path, args: &[&str]) {
    let output = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the openssl command must be installed");
    assert!(
        output.status.success(),
        "openssl {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

pub fn certificate_files() -> &'static CertificateFiles {
    static FILES: OnceLock<CertificateFiles> = OnceLock::new();
    FILES.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path();
        openssl(
            path,
            &[
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "key.pem",
                "-out",
                "cert.pem",
                "-subj",
                "/CN=VB365 restore test",
                "-days",
                "2",
            ],
        );
        let pass = format!("pass:{PFX_PASSWORD}");
        openssl(
            path,
            &[
                "pkcs12",
                "-export",
                "-inkey",
                "key.pem",
                "-in",
                "cert.pem",
                "-out",
                "default.pfx",
                "-passout",
                &pass,
            ],
        );
        openssl(
            path,
            &[
                "pkcs12",
                "-export",
                "-legacy",
                "-inkey",
                "key.pem",
                "-in",
                "cert.pem",
                "-out",
                "legacy.pfx",
                "-passout",
                &pass,
            ],
        );
        openssl(
            path,
            &[
                "pkcs12",
                "-export",
                "-inkey",
                "key.pem",
                "-in",
                "cert.pem",
                "-out",
                "nopass.pfx",
                "-passout",
                "pass:",
            ],
        );
        openssl(
            path,
            &[
                "pkcs12",
                "-export",
                "-nokeys",
                "-in",
                "cert.pem",
                "-out",
                "nokey.pfx",
                "-passout",
                &pass,
            ],
        );
        let read = |name: &str| std::fs::read(path.join(name)).unwrap();
        CertificateFiles {
            default_pfx: read("default.pfx"),
            legacy_pfx: read("legacy.pfx"),
            passwordless_pfx: read("nopass.pfx"),
            keyless_pfx: read("nokey.pfx"),
            certificate_pem: read("cert.pem"),
        }
    })
}

pub fn base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Application certificate credentials for `pfx` with `password` (`None` leaves the field out).
pub fn certificate_credentials(pfx: &[u8], password: Option<&str>) -> Value {
    let mut body = json!({
        "applicationId": APP_ID,
        "applicationCertificate": base64(pfx),
        "impersonationAccountName": M365_USER,
    });
    if let Some(password) = password {
        body["applicationCertificatePassword"] = json!(password);
    }
    body
}
