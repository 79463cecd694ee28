//! Token grants, bearer checks and the login throttle.

mod common;

use common::*;
use serde_json::{json, Value};

async fn post_form(sim: &Sim, path: &str, form: &[(&str, &str)]) -> (u16, Value) {
    let response = sim
        .client
        .post(sim.url(path))
        .form(form)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn password_grant_returns_token_response() {
    let sim = start_default().await;
    let token = sim.token_response().await;
    for field in ["access_token", "refresh_token", ".issued", ".expires"] {
        assert!(
            token[field].as_str().is_some_and(|value| !value.is_empty()),
            "{field} in {token}"
        );
    }
    assert_eq!(token["token_type"], "bearer");
    assert_eq!(token["expires_in"], 3600);
    assert_eq!(token["userName"], ADMIN_USER);
    let issued = token[".issued"].as_str().unwrap();
    assert!(
        chrono::DateTime::parse_from_rfc3339(issued).is_ok(),
        "{issued}"
    );
}

#[tokio::test]
async fn token_path_is_case_insensitive() {
    let sim = start_default().await;
    let form = [
        ("grant_type", "password"),
        ("username", ADMIN_USER),
        ("password", ADMIN_PASSWORD),
    ];
    for path in ["/v6/Token", "/V6/TOKEN", "/v6/token"] {
        let (status, body) = post_form(&sim, path, &form).await;
        assert_eq!(status, 200, "{path}: {body}");
    }
}

#[tokio::test]
async fn password_grant_accepts_json() {
    let sim = start_default().await;
    let response = sim
        .client
        .post(sim.url("/v6/token"))
        .json(
            &json!({"grant_type": "password", "username": ADMIN_USER, "password": ADMIN_PASSWORD}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn wrong_password_is_invalid_grant() {
    let sim = start_default().await;
    let (status, body) = post_form(
        &sim,
        "/v6/token",
        &[
            ("grant_type", "password"),
            ("username", ADMIN_USER),
            ("password", "wrong"),
        ],
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(
        body["error_description"],
        "The user name or password is incorrect."
    );
}

#[tokio::test]
async fn malformed_grants_return_message() {
    let sim = start_default().await;
    let cases: [&[(&str, &str)]; 4] = [
        &[("username", ADMIN_USER), ("password", ADMIN_PASSWORD)],
        &[("grant_type", "client_credentials")],
        &[("grant_type", "password"), ("password", ADMIN_PASSWORD)],
        &[("grant_type", "refresh_token")],
    ];
    for form in cases {
        let (status, body) = post_form(&sim, "/v6/token", form).await;
        assert_eq!(status, 400, "{form:?}");
        assert!(!message(&body).is_empty(), "{form:?}");
    }
}

#[tokio::test]
async fn refresh_rotates_token_pair() {
    let sim = start_default().await;
    let first = sim.token_response().await;
    let old_refresh = first["refresh_token"].as_str().unwrap();
    let (status, second) = post_form(
        &sim,
        "/v6/token",
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", old_refresh),
        ],
    )
    .await;
    assert_eq!(status, 200, "{second}");
    assert_ne!(second["access_token"], first["access_token"]);
    assert_ne!(second["refresh_token"], first["refresh_token"]);

    let new_access = second["access_token"].as_str().unwrap();
    let (status, _) = sim.get(new_access, "/v6/Organizations").await;
    assert_eq!(status, 200);

    let (status, body) = post_form(
        &sim,
        "/v6/token",
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", old_refresh),
        ],
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(
        body["error_description"],
        "The refresh token is invalid or has expired."
    );
}

#[tokio::test]
async fn bearer_missing_or_unknown_is_401() {
    let sim = start_default().await;
    let response = sim
        .client
        .get(sim.url("/v6/Organizations"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        message(&body),
        "Authorization has been denied for this request."
    );

    let (status, body) = sim.get("not-a-token", "/v6/Organizations").await;
    assert_eq!(status, 401);
    assert_eq!(
        message(&body),
        "Authorization has been denied for this request."
    );
}

#[tokio::test]
async fn expired_access_token_refreshes() {
    let sim = start_default().await;
    let token = sim.token_response().await;
    let access = token["access_token"].as_str().unwrap();
    assert_eq!(sim.control("/sim/tokens/expire-access", None).await, 204);
    let (status, _) = sim.get(access, "/v6/Organizations").await;
    assert_eq!(status, 401);

    let refresh = token["refresh_token"].as_str().unwrap();
    let (status, renewed) = post_form(
        &sim,
        "/v6/token",
        &[("grant_type", "refresh_token"), ("refresh_token", refresh)],
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = sim
        .get(
            renewed["access_token"].as_str().unwrap(),
            "/v6/Organizations",
        )
        .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn expire_all_invalidates_refresh_token() {
    let sim = start_default().await;
    let token = sim.token_response().await;
    assert_eq!(sim.control("/sim/tokens/expire-all", None).await, 204);
    let refresh = token["refresh_token"].as_str().unwrap();
    let (status, body) = post_form(
        &sim,
        "/v6/token",
        &[("grant_type", "refresh_token"), ("refresh_token", refresh)],
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "invalid_grant");
}

#[tokio::test]
async fn short_token_lifetime_expires() {
    let sim = start_sim(vb365_simulator::SimConfig {
        token_lifetime_secs: 1,
        ..fast_config()
    })
    .await;
    let token = sim.token_response().await;
    assert_eq!(token["expires_in"], 1);
    let access = token["access_token"].as_str().unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let (status, _) = sim.get(access, "/v6/Organizations").await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn throttle_flag_returns_429() {
    let sim = start_sim(vb365_simulator::SimConfig {
        token_throttle: true,
        ..fast_config()
    })
    .await;
    sim.token_response().await;
    let (status, body) = post_form(
        &sim,
        "/v6/token",
        &[
            ("grant_type", "password"),
            ("username", ADMIN_USER),
            ("password", ADMIN_PASSWORD),
        ],
    )
    .await;
    assert_eq!(status, 429);
    assert_eq!(message(&body), "Quota Exceeded");

    let counts: Value = sim
        .client
        .get(sim.url("/sim/token-requests"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        counts,
        json!({"password": 1, "refreshToken": 0, "throttled": 1})
    );
}

#[tokio::test]
async fn throttle_fault_rejects_every_sign_in() {
    let sim = start_default().await;
    assert_eq!(
        sim.control("/sim/faults", Some(json!({"tokenThrottled": true})))
            .await,
        204
    );
    let form = [
        ("grant_type", "password"),
        ("username", ADMIN_USER),
        ("password", ADMIN_PASSWORD),
    ];
    let (status, body) = post_form(&sim, "/v6/token", &form).await;
    assert_eq!(status, 429);
    assert_eq!(body, json!({"message": "Quota Exceeded"}));
    tokio::time::sleep(std::time::Duration::from_millis(1050)).await;
    let (status, _) = post_form(&sim, "/v6/token", &form).await;
    assert_eq!(status, 429);

    assert_eq!(
        sim.control("/sim/faults", Some(json!({"tokenThrottled": false})))
            .await,
        204
    );
    let (status, _) = post_form(&sim, "/v6/token", &form).await;
    assert_eq!(status, 200);
}
