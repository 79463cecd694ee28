//! The mailbox restore: every validation branch, the three credential forms and the outcome
//! chosen by mailbox index.

mod common;

use common::*;
use serde_json::{json, Value};

async fn contoso_mailbox(sim: &Sim, token: &str, index: u32) -> String {
    sim.mailbox_id(token, CONTOSO_SESSION, index).await
}

#[tokio::test]
async fn password_form_succeeds() {
    let sim = start_default().await;
    let token = sim.access_token().await;
    let mailbox = contoso_mailbox(&sim, &token, 0).await;
    let (status, stats) = sim
        .restore(&token, CONTOSO_SESSION, &mailbox, &password_credentials())
        .await;
    assert_eq!(status, 200, "{stats}");
    for field in ["createdItemsCount", "mergedItemsCount", "skippedItemsCount"] {
        assert!(stats[field].as_u64().unwrap() > 0, "{field}");
    }
    assert_eq!(stats["failedItemsCount"], 0);
    assert_eq!(stats["failedFoldersCount"], 0);
    assert_eq!(stats["exceptions"], json!([]));
    assert_eq!(stats["warnings"], json!([]));
    assert!(stats
        .as_object()
        .unwrap()
        .contains_key("cannotContinueError"));
    assert!(stats["cannotContinueError"].is_null());
}

#[tokio::test]
async fn outcomes_follow_mailbox_index() {
    let sim = start_default().await;
    let token = sim.access_token().await;

    let warnings = contoso_mailbox(&sim, &token, 3).await;
    let (status, stats) = sim
        .restore(&token, CONTOSO_SESSION, &warnings, &password_credentials())
        .await;
    assert_eq!(status, 200);
    assert!(!stats["warnings"].as_array().unwrap().is_empty());
    assert_eq!(stats["failedItemsCount"], 0);
    assert!(stats["cannotContinueError"].is_null());

    let failed = contoso_mailbox(&sim, &token, 16).await;
    let (status, stats) = sim
        .restore(&token, CONTOSO_SESSION, &failed, &password_credentials())
        .await;
    assert_eq!(status, 200);
    assert!(stats["failedItemsCount"].as_u64().unwrap() > 0);
    assert_eq!(stats["failedFoldersCount"], 1);
    let exceptions = stats["exceptions"].as_array().unwrap();
    assert!(exceptions[0]
        .as_str()
        .unwrap()
        .starts_with("failed to restore item 'Quarterly report.msg'"));

    let cannot = contoso_mailbox(&sim, &token, 9).await;
    let (status, stats) = sim
        .restore(&token, CONTOSO_SESSION, &cannot, &password_credentials())
        .await;
    assert_eq!(status, 200);
    assert!(stats["cannotContinueError"]
        .as_str()
        .unwrap()
        .starts_with("Cannot open user mailbox"));
    for field in [
        "createdItemsCount",
        "mergedItemsCount",
        "failedItemsCount",
        "skippedItemsCount",
        "failedFoldersCount",
    ] {
        assert_eq!(stats[field], 0, "{field}");
    }

    let clean = contoso_mailbox(&sim, &token, 11).await;
    let (_, stats) = sim
        .restore(&token, CONTOSO_SESSION, &clean, &password_credentials())
        .await;
    assert!(stats["cannotContinueError"].is_null());
    assert_eq!(stats["warnings"], json!([]));
}

#[tokio::test]
async fn password_form_rejects_wrong_credentials() {
    let sim = start_default().await;
    let token = sim.access_token().await;
    let mailbox = contoso_mailbox(&sim, &token, 0).await;
    for body in [
        json!({"userName": M365_USER, "userPassword": "wrong"}),
        json!({"userName": "admin@fabrikam.onmicrosoft.com", "userPassword": M365_PASSWORD}),
        json!({"userName": "administrator", "userPassword": M365_PASSWORD}),
    ] {
        let (status, response) = sim.restore(&token, CONTOSO_SESSION, &mailbox, &body).await;
        assert_eq!(status, 400, "{body}");
        assert!(message(&response).starts_with("Failed to authenticate to the organization"));
    }
}

#[tokio::test]
async fn session_and_mailbox_must_exist() {
    let sim = start_default().await;
    let token = sim.access_token().await;
    let mailbox = contoso_mailbox(&sim, &token, 0).await;
    let unknown = "00000000-0000-4000-8000-000000000000";

    let (status, body) = sim
        .restore(&token, unknown, &mailbox, &password_credentials())
        .await;
    assert_eq!(status, 404);
    assert!(!message(&body).is_empty());

    let (status, body) = sim
        .restore(
            &token,
            CONTOSO_STOPPED_SESSION,
            &mailbox,
            &password_credentials(),
        )
        .await;
    assert_eq!(status, 400);
    assert!(message(&body).contains("stopped"));

    let (status, _) = sim
        .restore(&token, CONTOSO_SESSION, unknown, &password_credentials())
        .await;
    assert_eq!(status, 404);

    let fabrikam_mailbox = sim.mailbox_id(&token, FABRIKAM_SESSION, 0).await;
    let (status, _) = sim
        .restore(
            &token,
            CONTOSO_SESSION,
            &fabrikam_mailbox,
            &password_credentials(),
        )
        .await;
    assert_eq!(status, 404, "a mailbox of another organization");
}

#[tokio::test]
async fn body_field_checks() {
    let sim = start_default().await;
    let token = sim.access_token().await;
    let mailbox = contoso_mailbox(&sim, &token, 0).await;
    let cases = [
        (json!([1, 2]), "JSON object"),
        (
            json!({"userName": M365_USER, "password": M365_PASSWORD}),
            "'password'",
        ),
        (
            json!({"userName": M365_USER, "userPassword": M365_PASSWORD, "UserCode": "X"}),
            "'UserCode'",
        ),
        (
            json!({"userName": M365_USER, "userPassword": null}),
            "'userPassword'",
        ),
        (
            json!({"userName": "", "userPassword": M365_PASSWORD}),
            "'userName'",
        ),
        (json!({"userCode": 12345}), "'userCode'"),
    ];
    for (body, expected) in cases {
        let (status, response) = sim.restore(&token, CONTOSO_SESSION, &mailbox, &body).await;
        assert_eq!(status, 400, "{body}");
        assert!(message(&response).contains(expected), "{body}: {response}");
    }
}

#[tokio::test]
async fn body_must_be_json() {
    let sim = start_default().await;
    let token = sim.access_token().await;
    let mailbox = contoso_mailbox(&sim, &token, 0).await;
    let url = sim.url(&format!(
        "/v6/RestoreSessions/{CONTOSO_SESSION}/organization/mailboxes/{mailbox}/restore"
    ));
    let response = sim
        .client
        .post(&url)
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let response = sim
        .client
        .post(&url)
        .bearer_auth(&token)
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 415);
}

#[tokio::test]
async fn credential_forms_must_not_mix() {
    let sim = start_default().await;
    let token = sim.access_token().await;
    let mailbox = contoso_mailbox(&sim, &token, 0).await;
    let cases = [
        (json!({}), "No credentials"),
        (
            json!({"userName": M365_USER, "userPassword": M365_PASSWORD, "userCode": "ABCDEFGHI"}),
            "mixes",
        ),
        (
            json!({"userCode": "ABCDEFGHI", "applicationId": APP_ID, "applicationCertificate": "AAAA", "impersonationAccountName": M365_USER}),
            "mixes",
        ),
        (json!({"userName": M365_USER}), "userPassword"),
        (json!({"userPassword": M365_PASSWORD}), "userName"),
        (
            json!({"applicationId": APP_ID, "applicationCertificate": "AAAA"}),
            "impersonationAccountName",
        ),
        (
            json!({"applicationCertificatePassword": "x"}),
            "applicationId",
        ),
    ];
    for (body, expected) in cases {
        let (status, response) = sim.restore(&token, CONTOSO_SESSION, &mailbox, &body).await;
        assert_eq!(status, 400, "{body}");
        assert!(message(&response).contains(expected), "{body}: {response}");
    }
}

async fn issue_device_code(sim: &Sim, token: &str, session: &str) -> String {
    let path = format!("/v6/RestoreSessions/{session}/organization/restoreDeviceCode");
    let (status, body) = sim
        .post_json(token, &path, &json!({"targetApplicationId": APP_ID}))
        .await;
    assert_eq!(status, 200, "{body}");
    body["userCode"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn device_code_form_lifecycle() {
    let sim = start_default().await;
    let token = sim.access_token().await;
    let mailbox = contoso_mailbox(&sim, &token, 0).await;

    let (status, body) = sim
        .restore(
            &token,
            CONTOSO_SESSION,
            &mailbox,
            &json!({"userCode": "ZZZZZZZZZ"}),
        )
        .await;
    assert_eq!(status, 400);
    assert!(message(&body).contains("was not issued"), "{body}");

    let code = issue_device_code(&sim, &token, CONTOSO_SESSION).await;
    let (status, body) = sim
        .restore(
            &token,
            CONTOSO_SESSION,
            &mailbox,
            &json!({"userCode": code}),
        )
        .await;
    assert_eq!(status, 400);
    assert!(message(&body).contains("authorization_pending"), "{body}");

    assert_eq!(
        sim.control(&format!("/sim/device-codes/{code}/sign-in"), None)
            .await,
        204
    );
    let (status, body) = sim
        .restore(
            &token,
            CONTOSO_SESSION,
            &mailbox,
            &json!({"userCode": code}),
        )
        .await;
    assert_eq!(status, 200, "{body}");

    let fabrikam_mailbox = sim.mailbox_id(&token, FABRIKAM_SESSION, 0).await;
    let (status, _) = sim
        .restore(
            &token,
            FABRIKAM_SESSION,
            &fabrikam_mailbox,
            &json!({"userCode": code}),
        )
        .await;
    assert_eq!(status, 400, "a code of another session");

    assert_eq!(
        sim.control(&format!("/sim/device-codes/{code}/expire"), None)
            .await,
        204
    );
    let (status, body) = sim
        .restore(
            &token,
            CONTOSO_SESSION,
            &mailbox,
            &json!({"userCode": code}),
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(
        message(&body),
        "The device code has expired. Request a new code."
    );

    assert_eq!(
        sim.control("/sim/device-codes/NOSUCHCOD/sign-in", None)
            .await,
        404
    );
}

#[tokio::test]
async fn device_code_signs_in_after_delay() {
    let sim = start_sim(vb365_simulator::SimConfig {
        device_code_sign_in_after_secs: 1,
        ..fast_config()
    })
    .await;
    let token = sim.access_token().await;
    let mailbox = contoso_mailbox(&sim, &token, 0).await;
    let code = issue_device_code(&sim, &token, CONTOSO_SESSION).await;
    let (status, _) = sim
        .restore(
            &token,
            CONTOSO_SESSION,
            &mailbox,
            &json!({"userCode": code}),
        )
        .await;
    assert_eq!(status, 400);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let (status, _) = sim
        .restore(
            &token,
            CONTOSO_SESSION,
            &mailbox,
            &json!({"userCode": code}),
        )
        .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn certificate_form_accepts_real_pfx_files() {
    let files = certificate_files();
    let sim = start_default().await;
    let token = sim.access_token().await;
    let mailbox = contoso_mailbox(&sim, &token, 0).await;
    let cases = [
        ("OpenSSL 3 default", &files.default_pfx, Some(PFX_PASSWORD)),
        ("-legacy", &files.legacy_pfx, Some(PFX_PASSWORD)),
        (
            "empty password, field absent",
            &files.passwordless_pfx,
            None,
        ),
    ];
    for (label, pfx, password) in cases {
        let body = certificate_credentials(pfx, password);
        let (status, response) = sim.restore(&token, CONTOSO_SESSION, &mailbox, &body).await;
        assert_eq!(status, 200, "{label}: {response}");
    }

    let records = sim.restores().await;
    assert_eq!(records.len(), 3);
    let first = &records[0];
    assert_eq!(first["certificateSha256"], sha256_hex(&files.default_pfx));
    assert_eq!(first["certificateLength"], files.default_pfx.len());
    assert_eq!(first["applicationId"], APP_ID);
    assert_eq!(first["impersonationAccountName"], M365_USER);
    assert_eq!(first["status"], 200);
    assert_eq!(
        first["fieldNames"],
        json!([
            "applicationCertificate",
            "applicationCertificatePassword",
            "applicationId",
            "impersonationAccountName"
        ])
    );
    assert_eq!(
        records[1]["certificateSha256"],
        sha256_hex(&files.legacy_pfx)
    );
    let text = serde_json::to_string(&records).unwrap();
    assert!(
        !text.contains(PFX_PASSWORD),
        "a password leaked into /sim/restores"
    );
}

#[tokio::test]
async fn certificate_form_rejects_bad_files() {
    let files = certificate_files();
    let sim = start_default().await;
    let token = sim.access_token().await;
    let mailbox = contoso_mailbox(&sim, &token, 0).await;
    let cases = [
        (certificate_credentials(&files.default_pfx, Some("wrong")), "The specified network password is not correct."),
        (certificate_credentials(&files.certificate_pem, Some(PFX_PASSWORD)), "Cannot find the requested object."),
        (
            certificate_credentials(&files.keyless_pfx, Some(PFX_PASSWORD)),
            "The certificate has no private key. Export the certificate together with its private key as a PFX (PKCS#12) file.",
        ),
    ];
    for (body, expected) in cases {
        let (status, response) = sim.restore(&token, CONTOSO_SESSION, &mailbox, &body).await;
        assert_eq!(status, 400, "{expected}");
        assert_eq!(message(&response), expected);
    }
}

#[tokio::test]
async fn certificate_base64_must_be_strict() {
    let files = certificate_files();
    let sim = start_default().await;
    let token = sim.access_token().await;
    let mailbox = contoso_mailbox(&sim, &token, 0).await;
    let encoded = base64(&files.default_pfx);
    let invalid_character = "The input is not a valid Base-64 string as it contains a non-base 64 character, more than two padding characters, or an illegal character among the padding characters.";
    let wrapped: String = encoded
        .as_bytes()
        .chunks(64)
        .map(|line| std::str::from_utf8(line).unwrap())
        .collect::<Vec<_>>()
        .join("\r\n");
    let url_safe = encoded.replace('+', "-").replace('/', "_");
    let unpadded = format!("{}A", encoded.trim_end_matches('='));
    let cases = [
        (wrapped, invalid_character),
        (url_safe, invalid_character),
        (
            format!("data:application/x-pkcs12;base64,{encoded}"),
            invalid_character,
        ),
        (
            unpadded,
            "Invalid length for a Base-64 char array or string.",
        ),
    ];
    for (text, expected) in cases {
        let mut body = certificate_credentials(&files.default_pfx, Some(PFX_PASSWORD));
        body["applicationCertificate"] = Value::String(text);
        let (status, response) = sim.restore(&token, CONTOSO_SESSION, &mailbox, &body).await;
        assert_eq!(status, 400);
        assert_eq!(message(&response), expected);
    }
}

#[tokio::test]
async fn certificate_form_checks_ids() {
    let files = certificate_files();
    let sim = start_default().await;
    let token = sim.access_token().await;
    let mailbox = contoso_mailbox(&sim, &token, 0).await;

    let mut body = certificate_credentials(&files.default_pfx, Some(PFX_PASSWORD));
    body["applicationId"] = json!("my-app");
    let (status, response) = sim.restore(&token, CONTOSO_SESSION, &mailbox, &body).await;
    assert_eq!(status, 400);
    assert!(message(&response).contains("'applicationId'"));

    let mut body = certificate_credentials(&files.default_pfx, Some(PFX_PASSWORD));
    body["impersonationAccountName"] = json!("CONTOSO\\admin");
    let (status, response) = sim.restore(&token, CONTOSO_SESSION, &mailbox, &body).await;
    assert_eq!(status, 400);
    assert!(message(&response).contains("impersonation account"));
}

#[tokio::test]
async fn rejected_requests_are_recorded() {
    let sim = start_default().await;
    let token = sim.access_token().await;
    let mailbox = contoso_mailbox(&sim, &token, 0).await;
    let body = json!({"userName": M365_USER, "userPassword": "Secret-Wrong-1"});
    let (status, _) = sim.restore(&token, CONTOSO_SESSION, &mailbox, &body).await;
    assert_eq!(status, 400);
    let records = sim.restores().await;
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["status"], 400);
    assert_eq!(records[0]["sessionId"], CONTOSO_SESSION);
    assert_eq!(records[0]["mailboxId"], mailbox);
    assert_eq!(records[0]["userName"], M365_USER);
    assert_eq!(
        records[0]["fieldNames"],
        json!(["userName", "userPassword"])
    );
    assert!(!serde_json::to_string(&records)
        .unwrap()
        .contains("Secret-Wrong-1"));
}

#[tokio::test]
async fn restore_waits_for_delay() {
    let sim = start_sim(vb365_simulator::SimConfig {
        restore_delay_ms: 400,
        ..fast_config()
    })
    .await;
    let token = sim.access_token().await;
    let mailbox = contoso_mailbox(&sim, &token, 0).await;
    let started = std::time::Instant::now();
    let (status, _) = sim
        .restore(&token, CONTOSO_SESSION, &mailbox, &password_credentials())
        .await;
    assert_eq!(status, 200);
    assert!(started.elapsed() >= std::time::Duration::from_millis(400));

    assert_eq!(
        sim.control("/sim/faults", Some(json!({"restoreDelayMs": 0})))
            .await,
        204
    );
    let started = std::time::Instant::now();
    sim.restore(&token, CONTOSO_SESSION, &mailbox, &password_credentials())
        .await;
    assert!(started.elapsed() < std::time::Duration::from_millis(400));
}
