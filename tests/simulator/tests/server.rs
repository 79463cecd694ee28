//! Listeners: HTTPS, static files, and the binary's command line.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use common::*;
use vb365_simulator::{start, Ports};

#[tokio::test]
async fn https_listener_serves_token() {
    let server = start(
        fast_config(),
        Ports {
            http: 0,
            https: Some(0),
        },
    )
    .await
    .unwrap();
    let url = server.https_url().unwrap();
    assert!(String::from_utf8(server.certificate_pem.clone().unwrap())
        .unwrap()
        .contains("BEGIN CERTIFICATE"));
    let client = reqwest::Client::builder()
        .danger_accept_invalid_certs(true)
        .build()
        .unwrap();
    let response = client
        .post(format!("{url}/v6/Token"))
        .form(&[
            ("grant_type", "password"),
            ("username", ADMIN_USER),
            ("password", ADMIN_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn static_dir_serves_app() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("index.html"),
        "<!doctype html><title>app</title>",
    )
    .unwrap();
    std::fs::write(dir.path().join("app.js"), "console.log(1)").unwrap();
    let sim = start_sim(vb365_simulator::SimConfig {
        static_dir: Some(dir.path().to_path_buf()),
        ..fast_config()
    })
    .await;
    let get = |path: &str| sim.client.get(sim.url(path)).send();

    let response = get("/").await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("<title>app</title>"));

    let response = get("/app.js").await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/javascript"));

    let response = get("/restore/session").await.unwrap();
    assert_eq!(
        response.status(),
        200,
        "client-side route falls back to index.html"
    );
    assert_eq!(get("/missing.css").await.unwrap().status(), 404);
    let traversal = get("/../../../../etc/passwd")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !traversal.contains("root:"),
        "a path outside the static directory was served"
    );
    assert_eq!(get("/v6/Organizations").await.unwrap().status(), 401);
}

/// Kills the child process when the test ends, even on a failed assertion.
struct ChildGuard(Child);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn binary_prints_listen_lines() {
    let dir = tempfile::tempdir().unwrap();
    let cert_path = dir.path().join("cert.pem");
    let child = Command::new(env!("CARGO_BIN_EXE_vb365-simulator"))
        .args([
            "--http-port",
            "0",
            "--https-port",
            "0",
            "--restore-delay-ms",
            "0",
            "--tls-cert-out",
        ])
        .arg(&cert_path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut child = ChildGuard(child);
    let mut lines = BufReader::new(child.0.stdout.take().unwrap()).lines();
    let http_line = lines.next().unwrap().unwrap();
    let https_line = lines.next().unwrap().unwrap();
    let http_url = http_line
        .strip_prefix("vb365-simulator listening on ")
        .unwrap()
        .to_string();
    let https_url = https_line
        .strip_prefix("vb365-simulator listening on ")
        .unwrap()
        .to_string();
    assert!(http_url.starts_with("http://127.0.0.1:"), "{http_line}");
    assert!(https_url.starts_with("https://127.0.0.1:"), "{https_line}");
    let rest: Vec<String> = lines.take(3).map(Result::unwrap).collect();
    assert!(
        rest.iter().any(|line| line.contains(CONTOSO_SESSION)),
        "{rest:?}"
    );

    let pem = std::fs::read(&cert_path).unwrap();
    let certificate = reqwest::Certificate::from_pem(&pem).unwrap();
    let client = reqwest::Client::builder()
        .add_root_certificate(certificate)
        .build()
        .unwrap();
    let response = client
        .post(format!("{https_url}/v6/token"))
        .form(&[
            ("grant_type", "password"),
            ("username", ADMIN_USER),
            ("password", ADMIN_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        200,
        "the written certificate is trusted for 127.0.0.1"
    );
    let response = reqwest::get(format!("{http_url}/sim/restores"))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}
