//! The integration guide's Rust backend (`examples/axum_app.rs`), run for real against a real
//! Latchkey: what the guide shows is what works.

use std::process::Stdio;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

use crate::helpers::{PUBLIC_URL, TestApp};

#[tokio::test]
async fn the_guides_axum_backend_verifies_tokens_and_redeems_auth_tokens() {
    let t = TestApp::spawn().await;
    // Built next to this test binary: target/<profile>/examples/axum_app.
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe.parent().and_then(|d| d.parent()).unwrap().to_owned();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut build = std::process::Command::new(cargo);
    build
        .args([
            "build",
            "--quiet",
            "-p",
            "latchkey-client",
            "--example",
            "axum_app",
        ])
        .arg("--target-dir")
        .arg(profile_dir.parent().unwrap())
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    if profile_dir.file_name().is_some_and(|n| n == "release") {
        build.arg("--release");
    }
    let out = build.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let mut child = Command::new(profile_dir.join("examples").join("axum_app"))
        .env("LATCHKEY_URL", &t.server.base)
        .env("LATCHKEY_PUBLIC_URL", PUBLIC_URL)
        .env("LATCHKEY_APP", "acme")
        .env("LATCHKEY_API_KEY", &t.api_key)
        .env("LISTEN", "127.0.0.1:0")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let line = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    let base = line
        .strip_prefix("app backend listening on ")
        .unwrap()
        .to_owned();
    let http = reqwest::Client::new();

    // Protected: no token, a bad token → 401.
    let res = http.get(format!("{base}/api/me")).send().await.unwrap();
    assert_eq!(res.status(), 401);
    let res = http
        .get(format!("{base}/api/me"))
        .bearer_auth("nope")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);

    // A signed-in user's access token passes, verified offline.
    let signed = t.sign_up("guide@example.com").await;
    let res = http
        .get(format!("{base}/api/me"))
        .bearer_auth(signed.access_token())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let me: Value = res.json().await.unwrap();
    assert!(me.to_string().contains(signed.user_id()), "{me}");

    // The frontend hands over the auth token once; a replay is refused.
    let res = http
        .post(format!("{base}/api/session"))
        .json(&json!({"auth_token": signed.auth_token()}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let session: Value = res.json().await.unwrap();
    assert_eq!(session["user_id"], signed.user_id());
    assert_eq!(session["email"], "guide@example.com");
    let res = http
        .post(format!("{base}/api/session"))
        .json(&json!({"auth_token": signed.auth_token()}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
}
