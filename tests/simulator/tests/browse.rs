//! Organizations, explore, restore sessions, mailbox pages, device codes and Stop.

mod common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn organizations_is_plain_array() {
    let sim = start_default().await;
    let token = sim.access_token().await;
    let (status, body) = sim.get(&token, "/v6/Organizations?extendedView=true").await;
    assert_eq!(status, 200);
    let orgs = body.as_array().expect("a JSON array");
    assert_eq!(orgs.len(), 3);
    let contoso = orgs.iter().find(|org| org["id"] == CONTOSO_ID).unwrap();
    assert_eq!(contoso["name"], "Contoso Ltd.");
    assert_eq!(contoso["officeName"], "contoso.onmicrosoft.com");
    assert_eq!(contoso["type"], "Office365");
    assert_eq!(contoso["isBackedup"], true);
    assert!(contoso["firstBackuptime"].is_string());
    assert!(contoso["lastBackuptime"].is_string());
    assert!(contoso["_links"]["self"]["href"].is_string());
    let northwind = orgs.iter().find(|org| org["id"] == NORTHWIND_ID).unwrap();
    assert_eq!(northwind["isBackedup"], false);
    assert!(northwind["lastBackuptime"].is_null());
}

#[tokio::test]
async fn explore_creates_working_session() {
    let sim = start_default().await;
    let token = sim.access_token().await;
    let path = format!("/v6/Organizations/{CONTOSO_ID}/explore");
    let (status, session) = sim
        .post_json(
            &token,
            &path,
            &json!({"type": "vex", "showDeleted": true, "showAllVersions": false}),
        )
        .await;
    assert_eq!(status, 200, "{session}");
    assert_eq!(session["state"], "Working");
    assert_eq!(session["type"], "Vex");
    assert_eq!(session["organization"], "Contoso Ltd.");
    let id = session["id"].as_str().unwrap();

    let (status, listed) = sim.get(&token, "/v6/RestoreSessions").await;
    assert_eq!(status, 200);
    assert_eq!(listed["results"][0]["id"], id, "newest first");
    let (status, page) = sim
        .get(
            &token,
            &format!("/v6/RestoreSessions/{id}/organization/mailboxes"),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(page["results"].as_array().unwrap().len(), 30);
}

#[tokio::test]
async fn explore_rejects_bad_requests() {
    let sim = start_default().await;
    let token = sim.access_token().await;
    let unknown = "00000000-0000-0000-0000-000000000001";
    let (status, body) = sim
        .post_json(
            &token,
            &format!("/v6/Organizations/{unknown}/explore"),
            &json!({"type": "Vex"}),
        )
        .await;
    assert_eq!(status, 404, "{body}");
    assert!(!message(&body).is_empty());

    let (status, body) = sim
        .post_json(
            &token,
            &format!("/v6/Organizations/{NORTHWIND_ID}/explore"),
            &json!({"type": "Vex"}),
        )
        .await;
    assert_eq!(status, 500);
    assert_eq!(message(&body), "Restore session cannot be created.");

    let contoso = format!("/v6/Organizations/{CONTOSO_ID}/explore");
    for options in [
        json!({}),
        json!({"type": "Exchange"}),
        json!({"type": "Vex", "dateTime": "yesterday"}),
    ] {
        let (status, body) = sim.post_json(&token, &contoso, &options).await;
        assert_eq!(status, 400, "{options}: {body}");
    }
}

#[tokio::test]
async fn explore_before_first_backup_is_empty() {
    let sim = start_default().await;
    let token = sim.access_token().await;
    let (status, session) = sim
        .post_json(
            &token,
            &format!("/v6/Organizations/{CONTOSO_ID}/explore"),
            &json!({"type": "Vex", "dateTime": "2001-01-01T00:00:00Z"}),
        )
        .await;
    assert_eq!(status, 200);
    let id = session["id"].as_str().unwrap();
    let (_, page) = sim
        .get(
            &token,
            &format!("/v6/RestoreSessions/{id}/organization/mailboxes"),
        )
        .await;
    assert_eq!(page["results"], json!([]));
}

#[tokio::test]
async fn restore_sessions_page_and_lookup() {
    let sim = start_default().await;
    let token = sim.access_token().await;
    let (status, page) = sim
        .get(&token, "/v6/RestoreSessions?offset=0&limit=2")
        .await;
    assert_eq!(status, 200);
    assert_eq!(page["offset"], 0);
    assert_eq!(page["limit"], 2);
    assert!(page["setId"].is_string());
    let results = page["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert_eq!(results[0]["id"], CONTOSO_SESSION);
    assert_eq!(results[1]["id"], FABRIKAM_SESSION);

    let (status, session) = sim
        .get(
            &token,
            &format!("/v6/RestoreSessions/{CONTOSO_STOPPED_SESSION}"),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(session["state"], "Stopped");
    assert!(session["endTime"].is_string());

    let (status, body) = sim
        .get(
            &token,
            "/v6/RestoreSessions/00000000-0000-0000-0000-000000000000",
        )
        .await;
    assert_eq!(status, 404);
    assert!(!message(&body).is_empty());
}

#[tokio::test]
async fn mailbox_page_shape_and_defaults() {
    let sim = start_default().await;
    let token = sim.access_token().await;
    let (status, page) = sim
        .get(
            &token,
            &format!("/v6/RestoreSessions/{CONTOSO_SESSION}/organization/mailboxes"),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(page["offset"], 0);
    assert_eq!(page["limit"], 30);

    let results = page["results"].as_array().unwrap();
    assert_eq!(results.len(), 30);
    let first = &results[0];
    for field in ["id", "name", "email"] {
        assert!(first[field].is_string(), "{field}");
    }
    assert_eq!(first["isArchive"], false);
    assert_eq!(first["isPublic"], false);
    assert!(first["_links"].is_object());

    let names: Vec<&str> = results
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"<b>Not bold</b> Test"));
    assert!(names.contains(&"Siobhán O'Brien"));
    assert!(results.iter().any(|m| m["isPublic"] == true));
    assert!(results.iter().any(|m| m["isArchive"] == true));
    for mailbox in results {
        assert!(mailbox["email"].as_str().unwrap().is_ascii());
    }
}

#[tokio::test]
async fn mailbox_paging_bounds() {
    let sim = start_default().await;
    let token = sim.access_token().await;
    let base = format!("/v6/RestoreSessions/{FABRIKAM_SESSION}/organization/mailboxes");
    let (status, page) = sim
        .get(&token, &format!("{base}?offset=0&limit=10000"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(page["results"].as_array().unwrap().len(), 10_000);

    let (status, page) = sim
        .get(&token, &format!("{base}?offset=19990&limit=30"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(page["results"].as_array().unwrap().len(), 10);

    let (status, page) = sim
        .get(&token, &format!("{base}?offset=20000&limit=30"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(page["results"], json!([]));

    for query in [
        "limit=10001",
        "limit=0",
        "limit=-1",
        "offset=-5",
        "limit=abc",
    ] {
        let (status, body) = sim.get(&token, &format!("{base}?{query}")).await;
        assert_eq!(status, 400, "{query}");
        assert!(!message(&body).is_empty());
    }
}

#[tokio::test]
async fn mailboxes_of_stopped_session_rejected() {
    let sim = start_default().await;
    let token = sim.access_token().await;
    let (status, body) = sim
        .get(
            &token,
            &format!("/v6/RestoreSessions/{CONTOSO_STOPPED_SESSION}/organization/mailboxes"),
        )
        .await;
    assert_eq!(status, 400);
    assert!(message(&body).contains("stopped"));
}

#[tokio::test]
async fn expired_session_returns_500() {
    let sim = start_default().await;
    let token = sim.access_token().await;
    let mailbox = sim.mailbox_id(&token, CONTOSO_SESSION, 0).await;
    assert_eq!(
        sim.control(
            &format!("/sim/restore-sessions/{CONTOSO_SESSION}/expire"),
            None
        )
        .await,
        204
    );
    let (status, body) = sim
        .get(
            &token,
            &format!("/v6/RestoreSessions/{CONTOSO_SESSION}/organization/mailboxes"),
        )
        .await;
    assert_eq!(status, 500);
    assert!(!message(&body).is_empty());
    let (status, _) = sim
        .restore(&token, CONTOSO_SESSION, &mailbox, &password_credentials())
        .await;
    assert_eq!(status, 500);
}

#[tokio::test]
async fn device_code_response_shape() {
    let sim = start_default().await;
    let token = sim.access_token().await;
    let path = format!("/v6/RestoreSessions/{CONTOSO_SESSION}/organization/restoreDeviceCode");
    let (status, body) = sim
        .post_json(&token, &path, &json!({"targetApplicationId": APP_ID}))
        .await;
    assert_eq!(status, 200, "{body}");
    let code = body["userCode"].as_str().unwrap();
    assert_eq!(code.len(), 9);
    assert!(code
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()));
    assert_eq!(body["verificationUrl"], "https://microsoft.com/devicelogin");
    assert_eq!(body["expiresIn"], 900);
    assert_eq!(
        body["message"],
        format!("To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code {code} to authenticate.")
    );

    for options in [json!({"targetApplicationId": "not-a-guid"}), json!({})] {
        let (status, body) = sim.post_json(&token, &path, &options).await;
        assert_eq!(status, 400, "{options}");
        assert!(!message(&body).is_empty());
    }
}

#[tokio::test]
async fn stop_ends_session() {
    let sim = start_default().await;
    let token = sim.access_token().await;
    let response = sim
        .client
        .post(sim.url(&format!("/v6/RestoreSessions/{CONTOSO_SESSION}/Stop")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "");

    let state: serde_json::Value = sim
        .client
        .get(sim.url(&format!("/sim/restore-sessions/{CONTOSO_SESSION}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(state["state"], "Stopped");
    let (_, session) = sim
        .get(&token, &format!("/v6/RestoreSessions/{CONTOSO_SESSION}"))
        .await;
    assert_eq!(session["state"], "Stopped");
    assert!(session["endTime"].is_string());
}

#[tokio::test]
async fn unknown_api_route_is_404_json() {
    let sim = start_default().await;
    let token = sim.access_token().await;
    let (status, body) = sim.get(&token, "/v6/NoSuchThing").await;
    assert_eq!(status, 404);
    assert!(!message(&body).is_empty());
}
