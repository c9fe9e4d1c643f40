//! Sessions: refresh rotation and reuse detection, listing and revoking, sign-out, `/me`, and
//! `tokens/verify` for both token kinds.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem, session_cookie};

async fn refresh(t: &TestApp, token: &str) -> reqwest::Response {
    t.post("/sessions/refresh", &json!({"refresh_token": token}))
        .await
}

#[tokio::test]
async fn refresh_rotates_and_reuse_revokes_the_session() {
    let t = TestApp::spawn().await;
    let signed = t.sign_up("ann@example.com").await;
    let first = signed.body["refresh_token"].as_str().unwrap().to_owned();

    let res = refresh(&t, &first).await;
    assert_eq!(res.status(), StatusCode::OK);
    let second: Value = res.json().await.unwrap();
    let second_token = second["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(second_token, first);
    assert_eq!(second["session"]["id"], signed.body["session"]["id"]);
    assert_ne!(second["access_token"], signed.body["access_token"]);
    assert!(second["auth_token"].as_str().unwrap().starts_with("lk_at_"));

    // The rotated-out token is refused, and presenting it revokes the whole session.
    let res = refresh(&t, &first).await;
    let body = assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert!(body["detail"].as_str().unwrap().contains("already used"));
    let res = refresh(&t, &second_token).await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = t
        .browser(Method::GET, "/sessions/current")
        .bearer_auth(second["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let reuse = t.events("session.refresh_reuse_detected").await;
    assert_eq!(reuse.len(), 1);
    assert_eq!(reuse[0]["data"]["session_id"], signed.body["session"]["id"]);
    assert_eq!(reuse[0]["user_id"], signed.body["user"]["id"]);

    // Garbage and unknown tokens are plain 401s.
    for bad in ["", "lk_rt_nope", "something"] {
        assert_problem(
            refresh(&t, bad).await,
            StatusCode::UNAUTHORIZED,
            "unauthorized",
        )
        .await;
    }
    let res = t
        .post("/sessions/refresh", &json!({"refresh_token": 7}))
        .await;
    assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
    let res = t.post("/sessions/refresh", &json!({})).await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

#[tokio::test]
async fn refresh_by_cookie_keeps_the_session_and_rotates_its_refresh_token() {
    let t = TestApp::spawn().await;
    let signed = t.sign_up("ann@example.com").await;
    let res = t
        .browser(Method::POST, "/sessions/refresh")
        .header("cookie", &signed.cookie)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["session"]["id"], signed.body["session"]["id"]);
    // The refresh token issued at sign-in was superseded.
    let res = refresh(&t, signed.body["refresh_token"].as_str().unwrap()).await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

#[tokio::test]
async fn sessions_are_listed_and_revoked_and_sign_out_ends_one() {
    let t = TestApp::spawn().await;
    let mut signed = t.sign_up("ann@example.com").await;
    let res = t.sign_in(&mut signed.credential, None).await;
    let second_cookie = session_cookie(&res).unwrap();
    let second: Value = res.json().await.unwrap();
    let token = second["access_token"].as_str().unwrap().to_owned();

    let res = t
        .browser(Method::GET, "/sessions")
        .header("cookie", &second_cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let list: Value = res.json().await.unwrap();
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    let current: Vec<&Value> = items.iter().filter(|s| s["current"] == true).collect();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0]["id"], second["session"]["id"]);
    assert!(items.iter().all(|s| s["ip"] == "127.0.0.1"));

    // Current session and user, by cookie and by bearer token.
    let res = t
        .browser(Method::GET, "/sessions/current")
        .header("cookie", &second_cookie)
        .send()
        .await
        .unwrap();
    let current: Value = res.json().await.unwrap();
    assert_eq!(current["user"]["email"], "ann@example.com");
    assert_eq!(current["session"]["id"], second["session"]["id"]);
    let res = t
        .browser(Method::GET, "/sessions/current/permissions")
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.json::<Value>().await.unwrap(),
        json!({"roles": [], "permissions": []})
    );

    // Revoke the first session from the second.
    let first_id = signed.body["session"]["id"].as_str().unwrap();
    let res = t
        .browser(Method::DELETE, &format!("/sessions/{first_id}"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = t
        .browser(Method::GET, "/me")
        .header("cookie", &signed.cookie)
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = t
        .browser(Method::DELETE, &format!("/sessions/{first_id}"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(t.events("session.revoked").await.len(), 1);

    // Sign out: the session ends and the cookie is cleared.
    let res = t
        .browser(Method::DELETE, "/sessions/current")
        .header("cookie", &second_cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let cleared = res.headers().get("set-cookie").unwrap().to_str().unwrap();
    assert!(cleared.starts_with("latchkey_session=;") && cleared.contains("Max-Age=0"));
    let res = t
        .browser(Method::GET, "/sessions/current")
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(t.events("session.signed_out").await.len(), 1);

    // Without credentials: 401.
    let res = t.browser(Method::GET, "/sessions").send().await.unwrap();
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = t
        .browser(Method::GET, "/sessions")
        .bearer_auth("not-a-jwt")
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

#[tokio::test]
async fn another_users_session_cannot_be_revoked() {
    let t = TestApp::spawn().await;
    let ann = t.sign_up("ann@example.com").await;
    let bob = t.sign_up("bob@example.com").await;
    let bob_session = bob.body["session"]["id"].as_str().unwrap();
    let res = t
        .browser(Method::DELETE, &format!("/sessions/{bob_session}"))
        .bearer_auth(ann.access_token())
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    let res = t
        .browser(Method::GET, "/me")
        .bearer_auth(bob.access_token())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn me_can_change_names_and_metadata_but_not_email() {
    let t = TestApp::spawn().await;
    let signed = t.sign_up("ann@example.com").await;
    let token = signed.access_token();
    let res = t
        .browser(Method::PATCH, "/me")
        .bearer_auth(token)
        .json(&json!({"given_name": "Ann", "family_name": "Lee", "display_name": "Ann Lee", "metadata": {"plan": "pro"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let me: Value = res.json().await.unwrap();
    assert_eq!(me["given_name"], "Ann");
    assert_eq!(me["display_name"], "Ann Lee");
    assert_eq!(me["metadata"], json!({"plan": "pro"}));
    let res = t
        .browser(Method::GET, "/me")
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.json::<Value>().await.unwrap()["family_name"], "Lee");

    for bad in [
        json!({"email": "new@example.com"}),
        json!({"disabled": true}),
        json!({"email_verified": true}),
        json!({"given_name": "x".repeat(101)}),
        json!({"nickname": "x"}),
        json!({"metadata": "text"}),
    ] {
        let res = t
            .browser(Method::PATCH, "/me")
            .bearer_auth(token)
            .json(&bad)
            .send()
            .await
            .unwrap();
        assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
    }
    let res = t
        .browser(Method::GET, "/me")
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.json::<Value>().await.unwrap()["email"],
        "ann@example.com"
    );
}

#[tokio::test]
async fn tokens_verify_redeems_auth_tokens_once_and_checks_access_tokens_live() {
    let t = TestApp::spawn().await;
    let signed = t.sign_up("ann@example.com").await;
    let auth_token = signed.body["auth_token"].as_str().unwrap();

    let first = t.verify_token(auth_token).await;
    assert_eq!(first["valid"], true);
    assert_eq!(first["user"]["id"], signed.body["user"]["id"]);
    assert_eq!(first["session_id"], signed.body["session"]["id"]);
    assert_eq!(first["amr"], json!(["passkey", "mfa"]));
    assert!(first["expires_at"].is_string());
    let second = t.verify_token(auth_token).await;
    assert_eq!(second["valid"], false);
    assert!(second["error"].as_str().unwrap().contains("already used"));

    let access = t.verify_token(signed.access_token()).await;
    assert_eq!(access["valid"], true);
    assert_eq!(access["user"]["email"], "ann@example.com");
    // Still valid on a second look: access tokens are not consumed.
    assert_eq!(t.verify_token(signed.access_token()).await["valid"], true);

    // A tampered token, garbage, and a token of another app are not valid.
    let mut tampered = signed.access_token().to_owned();
    let last = tampered.pop().unwrap();
    tampered.push(if last == 'A' { 'B' } else { 'A' });
    assert_eq!(t.verify_token(&tampered).await["valid"], false);
    assert_eq!(t.verify_token("garbage").await["valid"], false);
    assert_eq!(t.verify_token("lk_at_unknown").await["valid"], false);

    // Disabling the user makes the token invalid at once, though its signature still holds.
    let user_id = signed.user_id();
    let res = t
        .api(Method::PATCH, &format!("/users/{user_id}"))
        .json(&json!({"disabled": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(t.verify_token(signed.access_token()).await["valid"], false);
    let res = t
        .api(Method::PATCH, &format!("/users/{user_id}"))
        .json(&json!({"disabled": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(t.verify_token(signed.access_token()).await["valid"], true);

    // Revoking the session too.
    let res = t
        .api(Method::DELETE, &format!("/users/{user_id}/sessions"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let revoked = t.verify_token(signed.access_token()).await;
    assert_eq!(revoked["valid"], false);

    // And deleting the user.
    let mut other = t.sign_up("bob@example.com").await;
    let res = t.sign_in(&mut other.credential, None).await;
    let fresh: Value = res.json().await.unwrap();
    let res = t
        .api(Method::DELETE, &format!("/users/{}", other.user_id()))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        t.verify_token(fresh["access_token"].as_str().unwrap())
            .await["valid"],
        false
    );
    assert_eq!(
        t.verify_token(fresh["auth_token"].as_str().unwrap()).await["valid"],
        false
    );

    // A token issued for another app is refused here.
    let (_, other_key) = t.create_app("other", json!({})).await;
    let res = t
        .browser_for("other", Method::POST, "/passkeys/register/options")
        .json(&json!({"email": "c@example.com"}))
        .send()
        .await
        .unwrap();
    let options: Value = res.json().await.unwrap();
    let (response, _) = latchkey_authenticator::create(
        &options["publicKey"],
        &latchkey_authenticator::CreateOptions::new(crate::helpers::ORIGIN),
    )
    .unwrap();
    let res = t
        .browser_for("other", Method::POST, "/passkeys/register/verify")
        .json(&response)
        .send()
        .await
        .unwrap();
    let foreign: Value = res.json().await.unwrap();
    assert_eq!(
        t.verify_token(foreign["access_token"].as_str().unwrap())
            .await["valid"],
        false
    );
    assert_eq!(
        t.verify_token(foreign["auth_token"].as_str().unwrap())
            .await["valid"],
        false
    );
    // …and it is still redeemable at its own app: the failed attempt above did not consume it.
    let res = t
        .http
        .post(t.url("/apps/other/tokens/verify"))
        .bearer_auth(&other_key)
        .json(&json!({"token": foreign["auth_token"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.json::<Value>().await.unwrap()["valid"], true);
}
