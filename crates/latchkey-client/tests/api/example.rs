//! The integration guide's Rust backend (`examples/axum_app.rs`), its very router served on a
//! port of its own in front of a real (in-process) Latchkey: what the guide shows is what works.

use latchkey_client::Client;
use serde_json::{Value, json};

use crate::helpers::{PUBLIC_URL, TestApp};

/// The example itself; its `main` only reads the environment and serves [`axum_app::router`].
#[path = "../../examples/axum_app.rs"]
#[allow(dead_code, reason = "the example's `main` is not called here")]
mod axum_app;

#[tokio::test]
async fn the_guides_axum_backend_verifies_tokens_and_redeems_auth_tokens() {
    let t = TestApp::spawn().await;
    // The client as the example's `main` builds it: Latchkey's address, and the public URL its
    // tokens name as their issuer.
    let latchkey = Client::builder(&t.base, &t.app, &t.api_key)
        .public_url(PUBLIC_URL)
        .build()
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, axum_app::router(latchkey)).await });
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
