//! The `/sim` control API: faults, reset and session state.

mod common;

use common::*;
use serde_json::{json, Value};

#[tokio::test]
async fn next_restore_fault_is_one_shot() {
    let sim = start_default().await;
    let token = sim.access_token().await;
    let mailbox = sim.mailbox_id(&token, CONTOSO_SESSION, 0).await;
    let fault = json!({"nextRestore": {
        "status": 504,
        "contentType": "text/html",
        "body": "<html><body><h1>504 Gateway Time-out</h1></body></html>"
    }});
    assert_eq!(sim.control("/sim/faults", Some(fault)).await, 204);

    let url = sim.url(&format!(
        "/v6/RestoreSessions/{CONTOSO_SESSION}/organization/mailboxes/{mailbox}/restore"
    ));
    let response = sim
        .client
        .post(&url)
        .bearer_auth(&token)
        .json(&password_credentials())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 504);
    assert_eq!(response.headers()["content-type"], "text/html");
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("504 Gateway Time-out"));

    let (status, _) = sim
        .restore(&token, CONTOSO_SESSION, &mailbox, &password_credentials())
        .await;
    assert_eq!(status, 200);
    let statuses: Vec<Value> = sim
        .restores()
        .await
        .iter()
        .map(|r| r["status"].clone())
        .collect();
    assert_eq!(statuses, vec![json!(504), json!(200)]);
}

#[tokio::test]
async fn faults_reject_unknown_names() {
    let sim = start_default().await;
    assert_eq!(
        sim.control("/sim/faults", Some(json!({"tokenThrotled": true})))
            .await,
        400
    );
    assert_eq!(
        sim.control("/sim/faults", Some(json!({"nextRestore": {"status": 199}})))
            .await,
        400
    );
    assert_eq!(
        sim.control("/sim/faults", Some(json!({"nextRestore": {"status": 200}})))
            .await,
        204
    );
    assert_eq!(
        sim.control(
            "/sim/faults",
            Some(json!({"nextRestore": null, "restoreDelayMs": null}))
        )
        .await,
        204
    );
}

#[tokio::test]
async fn reset_restores_seed_state() {
    let sim = start_default().await;
    let token = sim.access_token().await;
    let mailbox = sim.mailbox_id(&token, CONTOSO_SESSION, 0).await;
    sim.restore(&token, CONTOSO_SESSION, &mailbox, &password_credentials())
        .await;
    let stop = sim.url(&format!("/v6/RestoreSessions/{CONTOSO_SESSION}/Stop"));
    sim.client
        .post(&stop)
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();

    assert_eq!(sim.control("/sim/reset", None).await, 204);
    assert!(sim.restores().await.is_empty());
    let state: Value = sim
        .client
        .get(sim.url(&format!("/sim/restore-sessions/{CONTOSO_SESSION}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(state["state"], "Working");
    let (status, _) = sim.get(&token, "/v6/Organizations").await;
    assert_eq!(status, 401, "reset drops issued tokens");
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
        json!({"password": 0, "refreshToken": 0, "throttled": 0})
    );
}

#[tokio::test]
async fn unknown_session_control_is_404() {
    let sim = start_default().await;
    let status = sim
        .client
        .get(sim.url("/sim/restore-sessions/00000000-0000-0000-0000-000000000000"))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, 404);
    assert_eq!(
        sim.control(
            "/sim/restore-sessions/00000000-0000-0000-0000-000000000000/expire",
            None
        )
        .await,
        404
    );
}
