//! Sessions: refresh rotation and reuse detection, listing and revoking, sign-out, `/me`, and
//! `tokens/verify` for both token kinds; and how long each thing lives, shown by moving the
//! server's clock.

use std::time::Duration;

use latchkey_test::{TestApp, assert_json, assert_problem, session_cookie};
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn refresh_rotates_and_reuse_revokes_the_session() {
    let t = TestApp::spawn().await;
    let signed = t.sign_up("ann@example.com").await;
    let first = signed.refresh_token().to_owned();

    let second = assert_json(t.refresh(&first).await, StatusCode::OK).await;
    let second_token = second["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(second_token, first);
    assert_eq!(second["session"]["id"], signed.body["session"]["id"]);
    assert_ne!(second["access_token"], signed.body["access_token"]);
    assert!(second["auth_token"].as_str().unwrap().starts_with("lk_at_"));

    // Past the reuse grace, the rotated-out token is refused, and presenting it revokes the
    // whole session.
    t.advance(Duration::from_secs(11));
    let res = t.refresh(&first).await;
    let body = assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert!(body["detail"].as_str().unwrap().contains("already used"));
    let res = t.refresh(&second_token).await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = t
        .with_bearer(second["access_token"].as_str().unwrap())
        .current_session()
        .await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let reuse = t.events("session.refresh_reuse_detected").await;
    assert_eq!(reuse.len(), 1);
    assert_eq!(reuse[0]["data"]["session_id"], signed.body["session"]["id"]);
    assert_eq!(reuse[0]["user_id"], signed.body["user"]["id"]);

    // Garbage and unknown tokens are plain 401s.
    for bad in ["", "lk_rt_nope", "something"] {
        assert_problem(
            t.refresh(bad).await,
            StatusCode::UNAUTHORIZED,
            "unauthorized",
        )
        .await;
    }
    let res = t.refresh_session(json!({"refresh_token": 7})).await;
    assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
    let res = t.refresh_session(json!({})).await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

/// Two tabs refreshing with the same token: within 10 seconds of its rotation the token answers
/// with the same new tokens again (nothing new is written), and the session goes on.
#[tokio::test]
async fn a_refresh_repeated_within_the_grace_hands_over_the_same_tokens() {
    let t = TestApp::spawn().await;
    let signed = t.sign_up("ann@example.com").await;
    let first = signed.refresh_token().to_owned();

    let second = assert_json(t.refresh(&first).await, StatusCode::OK).await;
    t.advance(Duration::from_secs(9));
    let again = assert_json(t.refresh(&first).await, StatusCode::OK).await;
    assert_eq!(again["refresh_token"], second["refresh_token"]);
    assert_eq!(again["auth_token"], second["auth_token"]);
    assert_eq!(again["session"]["id"], signed.body["session"]["id"]);
    assert_eq!(again["user"]["id"], signed.body["user"]["id"]);
    // Its access token is good, and no reuse was recorded.
    let res = t
        .with_bearer(again["access_token"].as_str().unwrap())
        .current_session()
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(t.events("session.refresh_reuse_detected").await.is_empty());
    // The repeat is on the record, with the session it went on.
    let repeated = t.events("session.refresh_repeated").await;
    assert_eq!(repeated.len(), 1);
    assert_eq!(
        repeated[0]["data"]["session_id"],
        signed.body["session"]["id"]
    );

    // The token handed over twice is the session's one live token: it rotates as usual, and a
    // tab that kept the first token is brought to the newest (both rotations within the grace).
    let second_token = second["refresh_token"].as_str().unwrap().to_owned();
    let third = assert_json(t.refresh(&second_token).await, StatusCode::OK).await;
    assert_ne!(third["refresh_token"], second["refresh_token"]);
    let caught_up = assert_json(t.refresh(&first).await, StatusCode::OK).await;
    assert_eq!(caught_up["refresh_token"], third["refresh_token"]);

    // Past the grace the first token is reuse again: the session is revoked, every token of it
    // with it.
    t.advance(Duration::from_secs(11));
    let res = t.refresh(&first).await;
    let body = assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert!(body["detail"].as_str().unwrap().contains("already used"));
    assert_eq!(t.events("session.refresh_reuse_detected").await.len(), 1);
    let res = t.refresh(third["refresh_token"].as_str().unwrap()).await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

/// The grace never brings back a session that ended: after sign-out, a token rotated a second
/// ago is refused like any other.
#[tokio::test]
async fn the_refresh_grace_does_not_outlive_a_revoked_session() {
    let t = TestApp::spawn().await;
    let signed = t.sign_up("ann@example.com").await;
    let first = signed.refresh_token().to_owned();
    let second = assert_json(t.refresh(&first).await, StatusCode::OK).await;
    let res = t
        .with_bearer(second["access_token"].as_str().unwrap())
        .sign_out()
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    let res = t.refresh(&first).await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = t.refresh(second["refresh_token"].as_str().unwrap()).await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

/// Fifteen pairs of tabs, each pair refreshing one session's token at the same moment: every
/// request succeeds, both tabs of a pair hold the same new token, and every session lives on.
#[tokio::test]
async fn two_tabs_refreshing_at_once_stay_signed_in() {
    let t = TestApp::spawn().await;
    let mut sessions = Vec::new();
    for i in 0..15 {
        sessions.push(t.sign_up(&format!("tab{i}@example.com")).await);
    }
    let mut refreshed = Vec::new();
    for signed in &sessions {
        let token = signed.refresh_token();
        let (a, b) = tokio::join!(t.refresh(token), t.refresh(token));
        let a = assert_json(a, StatusCode::OK).await;
        let b = assert_json(b, StatusCode::OK).await;
        assert_eq!(a["refresh_token"], b["refresh_token"]);
        assert_eq!(a["auth_token"], b["auth_token"]);
        refreshed.push(a);
    }
    for body in refreshed {
        let res = t.refresh(body["refresh_token"].as_str().unwrap()).await;
        assert_eq!(res.status(), StatusCode::OK);
    }
    assert!(t.events("session.refresh_reuse_detected").await.is_empty());
}

/// `DELETE /sessions` ends every session of the user (this one too) and clears the cookie;
/// another user's sessions are untouched.
#[tokio::test]
async fn sign_out_everywhere_ends_every_session_of_the_user() {
    let t = TestApp::spawn().await;
    let mut here = t.sign_up("ann@example.com").await;
    let there = t.sign_in(&mut here.credential, None).await;
    let there = assert_json(there, StatusCode::OK).await;
    let bob = t.sign_up("bob@example.com").await;

    let res = t.with_cookie(&here.cookie).sign_out_everywhere().await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let cleared = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .any(|v| v.to_str().unwrap().contains("Max-Age=0"));
    assert!(cleared, "the cookie is cleared");
    for token in [here.access_token(), there["access_token"].as_str().unwrap()] {
        let res = t.with_bearer(token).current_session().await;
        assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    }
    let res = t.refresh(there["refresh_token"].as_str().unwrap()).await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(t.events("session.signed_out").await.len(), 2);
    let res = t.with_bearer(bob.access_token()).current_session().await;
    assert_eq!(res.status(), StatusCode::OK);
    // Without a session there is nothing to end.
    let res = t.sign_out_everywhere().await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

/// A path with a trailing slash answers as the path without it.
#[tokio::test]
async fn trailing_slash_paths_answer_like_the_rest() {
    let t = TestApp::spawn().await;
    let signed = t.sign_up("ann@example.com").await;
    for path in [
        "/apps/acme/config/",
        "/health/",
        "/apps/acme/.well-known/jwks.json/",
    ] {
        let res = t.http.get(t.url(path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
    }
    let res = t
        .http
        .get(t.url("/apps/acme/sessions/current/"))
        .bearer_auth(signed.access_token())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn refresh_by_cookie_keeps_the_session_and_rotates_its_refresh_token() {
    let t = TestApp::spawn().await;
    let signed = t.sign_up("ann@example.com").await;
    let res = t
        .with_cookie(&signed.cookie)
        .refresh_session(json!({}))
        .await;
    let body = assert_json(res, StatusCode::OK).await;
    assert_eq!(body["session"]["id"], signed.body["session"]["id"]);
    // The refresh token issued at sign-in was superseded.
    let res = t.refresh(signed.refresh_token()).await;
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
    let by_cookie = t.with_cookie(&second_cookie);
    let by_token = t.with_bearer(&token);

    let list = assert_json(by_cookie.list_sessions().await, StatusCode::OK).await;
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    let current: Vec<&Value> = items.iter().filter(|s| s["current"] == true).collect();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0]["id"], second["session"]["id"]);
    assert!(items.iter().all(|s| s["ip"] == "127.0.0.1"));

    // Current session and user, by cookie and by bearer token.
    let current: Value = by_cookie.current_session().await.json().await.unwrap();
    assert_eq!(current["user"]["email"], "ann@example.com");
    assert_eq!(current["session"]["id"], second["session"]["id"]);
    let res = by_token.current_permissions().await;
    assert_eq!(
        res.json::<Value>().await.unwrap(),
        json!({"org_id": null, "roles": [], "permissions": []})
    );

    // Revoke the first session from the second.
    let first_id = signed.session_id();
    let res = by_token.revoke_session(first_id).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = t.with_cookie(&signed.cookie).me().await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = by_token.revoke_session(first_id).await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(t.events("session.revoked").await.len(), 1);

    // Sign out: the session ends and the cookie is cleared.
    let res = by_cookie.sign_out().await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let cleared = res.headers().get("set-cookie").unwrap().to_str().unwrap();
    assert!(cleared.starts_with("latchkey_session=;") && cleared.contains("Max-Age=0"));
    let res = by_token.current_session().await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(t.events("session.signed_out").await.len(), 1);

    // Without credentials: 401.
    let res = t.list_sessions().await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = t.with_bearer("not-a-jwt").list_sessions().await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

#[tokio::test]
async fn another_users_session_cannot_be_revoked() {
    let t = TestApp::spawn().await;
    let ann = t.sign_up("ann@example.com").await;
    let bob = t.sign_up("bob@example.com").await;
    let res = t
        .with_bearer(ann.access_token())
        .revoke_session(bob.session_id())
        .await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    let res = t.with_bearer(bob.access_token()).me().await;
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn me_can_change_names_and_metadata_but_not_email() {
    let t = TestApp::spawn().await;
    let signed = t.sign_up("ann@example.com").await;
    let ann = t.with_bearer(signed.access_token());
    let res = ann
        .update_me(json!({"given_name": "Ann", "family_name": "Lee", "display_name": "Ann Lee", "metadata": {"plan": "pro"}}))
        .await;
    let me = assert_json(res, StatusCode::OK).await;
    assert_eq!(me["given_name"], "Ann");
    assert_eq!(me["display_name"], "Ann Lee");
    assert_eq!(me["metadata"], json!({"plan": "pro"}));
    let res = ann.me().await;
    assert_eq!(res.json::<Value>().await.unwrap()["family_name"], "Lee");

    for bad in [
        json!({"email": "new@example.com"}),
        json!({"disabled": true}),
        json!({"email_verified": true}),
        json!({"given_name": "x".repeat(101)}),
        json!({"nickname": "x"}),
        json!({"metadata": "text"}),
    ] {
        let res = ann.update_me(bad).await;
        assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
    }
    let res = ann.me().await;
    assert_eq!(
        res.json::<Value>().await.unwrap()["email"],
        "ann@example.com"
    );
}

#[tokio::test]
async fn tokens_verify_redeems_auth_tokens_once_and_checks_access_tokens_live() {
    let t = TestApp::spawn().await;
    let signed = t.sign_up("ann@example.com").await;
    let auth_token = signed.auth_token();

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
    // A good token is remembered once checked; one with its payload changed is not it.
    let mut parts: Vec<String> = signed
        .access_token()
        .split('.')
        .map(str::to_owned)
        .collect();
    let flipped = if parts[1].ends_with('A') { 'B' } else { 'A' };
    parts[1].pop();
    parts[1].push(flipped);
    assert_eq!(t.verify_token(&parts.join(".")).await["valid"], false);
    assert_eq!(t.verify_token("garbage").await["valid"], false);
    assert_eq!(t.verify_token("lk_at_unknown").await["valid"], false);

    // Disabling the user makes the token invalid at once, though its signature still holds.
    let user_id = signed.user_id();
    let res = t.patch_user(user_id, json!({"disabled": true})).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(t.verify_token(signed.access_token()).await["valid"], false);
    let res = t.patch_user(user_id, json!({"disabled": false})).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(t.verify_token(signed.access_token()).await["valid"], true);

    // Revoking the session too.
    let res = t.revoke_user_sessions(user_id).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let revoked = t.verify_token(signed.access_token()).await;
    assert_eq!(revoked["valid"], false);

    // And deleting the user.
    let mut other = t.sign_up("bob@example.com").await;
    let res = t.sign_in(&mut other.credential, None).await;
    let fresh: Value = res.json().await.unwrap();
    let res = t.delete_user(other.user_id()).await;
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
    let other_app = t.new_app("other", json!({})).await;
    let foreign = other_app.sign_up("c@example.com").await;
    assert_eq!(t.verify_token(foreign.access_token()).await["valid"], false);
    assert_eq!(t.verify_token(foreign.auth_token()).await["valid"], false);
    // …and it is still redeemable at its own app: the failed attempt above did not consume it.
    assert_eq!(
        other_app.verify_token(foreign.auth_token()).await["valid"],
        true
    );
}

/// Lifetimes from API.md, each shown by moving the server's clock past it: an auth token lives
/// five minutes, an access token its app's `access_token_ttl` (900 s by default).
#[tokio::test]
async fn auth_and_access_tokens_expire_with_the_clock() {
    let t = TestApp::spawn().await;
    let signed = t.sign_up("ann@example.com").await;
    let kept = t.sign_up("bob@example.com").await;

    // Just before the end of their lives both are good (the auth token is then spent).
    t.advance(Duration::from_secs(290));
    assert_eq!(t.verify_token(kept.auth_token()).await["valid"], true);
    // Past five minutes, an unspent auth token is refused.
    t.advance(Duration::from_secs(20));
    let late = t.verify_token(signed.auth_token()).await;
    assert_eq!(late["valid"], false, "{late}");

    // The access token holds until its expiry (`tokens/verify` allows no more leeway than the
    // server's), and not long after it.
    assert_eq!(t.verify_token(signed.access_token()).await["valid"], true);
    let res = t.with_bearer(signed.access_token()).current_session().await;
    assert_eq!(res.status(), StatusCode::OK);
    t.advance(Duration::from_secs(900));
    let expired = t.verify_token(signed.access_token()).await;
    assert_eq!(expired["valid"], false, "{expired}");
    let res = t.with_bearer(signed.access_token()).current_session().await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    // The session itself lives on: its refresh token still gets a new access token.
    let refreshed = assert_json(t.refresh(signed.refresh_token()).await, StatusCode::OK).await;
    let fresh = refreshed["access_token"].as_str().unwrap();
    assert_eq!(t.verify_token(fresh).await["valid"], true);
}

/// A session lives its app's `refresh_token_ttl` from its last refresh: each refresh moves the
/// end, and a session left alone longer than that is over.
#[tokio::test]
async fn a_session_slides_with_each_refresh_and_ends_when_left_alone() {
    let t = TestApp::spawn().await;
    let res = t
        .patch_app("acme", json!({"refresh_token_ttl": 3600}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let signed = t.sign_up("ann@example.com").await;

    // Refreshed within the hour, twice: well past an hour since sign-in, still alive.
    t.advance(Duration::from_secs(3000));
    let first = assert_json(t.refresh(signed.refresh_token()).await, StatusCode::OK).await;
    t.advance(Duration::from_secs(3000));
    let second = assert_json(
        t.refresh(first["refresh_token"].as_str().unwrap()).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(second["session"]["id"], signed.body["session"]["id"]);
    let listed = assert_json(t.user_sessions(signed.user_id()).await, StatusCode::OK).await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);

    // Then left alone for more than an hour: over, whatever token is shown.
    t.advance(Duration::from_secs(3610));
    let res = t.refresh(second["refresh_token"].as_str().unwrap()).await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = t.with_cookie(&signed.cookie).current_session().await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let listed = assert_json(t.user_sessions(signed.user_id()).await, StatusCode::OK).await;
    assert_eq!(listed["items"], json!([]));
}

/// Waits, up to 10 s, for `table` to hold `rows` rows (the sweep runs every second here).
async fn swept_to(t: &TestApp, table: &str, rows: i64) {
    for _ in 0..100 {
        if t.db.count(table).await == rows {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(t.db.count(table).await, rows, "{table} was not swept");
}

/// Traffic leaves a bounded store: a day after sessions end they are deleted with their
/// refresh and auth tokens, and audit events go once they are older than the retention; what
/// is live stays.
#[tokio::test]
async fn ended_sessions_and_old_events_are_swept() {
    let t = TestApp::spawn_with(|c| {
        c.sweep_interval = 1;
        c.event_retention_days = 90;
    })
    .await;
    let res = t
        .patch_app("acme", json!({"refresh_token_ttl": 3600}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    // A day of traffic: sign-ups, each refreshed a few times, about an hour apart (just under a
    // day in all, so no spent token is yet a day old).
    for hour in 0..24 {
        let signed = t.sign_up(&format!("u{hour}@example.com")).await;
        let mut token = signed.refresh_token().to_owned();
        for _ in 0..3 {
            let body = assert_json(t.refresh(&token).await, StatusCode::OK).await;
            token = body["refresh_token"].as_str().unwrap().to_owned();
        }
        t.advance(Duration::from_secs(3500));
    }
    assert_eq!(t.db.count("sessions").await, 24);
    assert_eq!(t.db.count("refresh_tokens").await, 96);
    let events_of_the_day = t.db.count("events").await;

    // A day after the last of them ended, only the session made now is left.
    t.advance(Duration::from_secs(86_400 + 3600));
    let live = t.sign_up("live@example.com").await;
    swept_to(&t, "sessions", 1).await;
    swept_to(&t, "refresh_tokens", 1).await;
    swept_to(&t, "auth_tokens", 1).await;
    let res = t.refresh(live.refresh_token()).await;
    assert_eq!(res.status(), StatusCode::OK);
    // The events stay for their 90 days…
    assert!(t.db.count("events").await > events_of_the_day);

    assert_eq!(t.events("user.signed_up").await.len(), 25);

    // …and then go, all but the recent ones.
    t.advance(Duration::from_secs(90 * 86_400));
    let late = t.sign_up("late@example.com").await;
    for _ in 0..100 {
        if t.events("user.signed_up").await.len() == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let recent_after = t.events("user.signed_up").await;
    assert_eq!(recent_after.len(), 1, "{recent_after:?}");
    assert_eq!(recent_after[0]["user_id"], late.body["user"]["id"]);
}

/// A session signed out goes a day later, with its tokens, though it would have lasted weeks. A
/// live session keeps its spent refresh tokens, so that one presented again days later still
/// revokes it. On SQLite the space is given back to the file system.
#[tokio::test]
async fn revoked_sessions_are_swept_and_live_ones_keep_their_spent_tokens() {
    let t = TestApp::spawn_with(|c| c.sweep_interval = 1).await;
    let ann = t.sign_up("ann@example.com").await;
    let bob = t.sign_up("bob@example.com").await;
    let mut token = ann.refresh_token().to_owned();
    for _ in 0..3 {
        let body = assert_json(t.refresh(&token).await, StatusCode::OK).await;
        token = body["refresh_token"].as_str().unwrap().to_owned();
    }
    let res = t.with_cookie(&bob.cookie).sign_out().await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(t.db.count("refresh_tokens").await, 5);

    t.advance(Duration::from_secs(2 * 86_400));
    swept_to(&t, "sessions", 1).await;
    swept_to(&t, "refresh_tokens", 4).await;
    // Ann's session goes on with its current token…
    let res = t.refresh(&token).await;
    let body = assert_json(res, StatusCode::OK).await;
    // …and her first token, stolen and presented two days later, still ends it.
    let res = t.refresh(ann.refresh_token()).await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = t.refresh(body["refresh_token"].as_str().unwrap()).await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    if !t.db.is_postgres() {
        let mut conn = t.db.connect().await;
        let pragma = |name: &'static str| sqlx::query_scalar::<_, i64>(name);
        assert_eq!(
            pragma("pragma auto_vacuum")
                .fetch_one(&mut conn)
                .await
                .unwrap(),
            2,
            "incremental"
        );
        let mut free = i64::MAX;
        for _ in 0..50 {
            free = pragma("pragma freelist_count")
                .fetch_one(&mut conn)
                .await
                .unwrap();
            if free == 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(free, 0, "freed pages stay in the file");
    }
}

/// A user holds at most 100 active sessions: a sign-in past that revokes the oldest, which then
/// stops working like any revoked session.
#[tokio::test]
async fn a_user_holds_at_most_100_sessions_and_the_oldest_make_room() {
    let t = TestApp::spawn().await;
    let mut ann = t.sign_up("ann@example.com").await;
    let first = ann.access_token().to_owned();
    let mut second = String::new();
    for i in 0..100 {
        let res = t.sign_in(&mut ann.credential, None).await;
        let body = assert_json(res, StatusCode::OK).await;
        if i == 0 {
            second = body["access_token"].as_str().unwrap().to_owned();
        }
    }
    let res = t.user_sessions(ann.user_id()).await;
    let listed = assert_json(res, StatusCode::OK).await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 100);
    let res = t.with_bearer(&first).me().await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = t.with_bearer(&second).me().await;
    assert_eq!(res.status(), StatusCode::OK);
    let mut conn = t.db.connect().await;
    let reason: String =
        sqlx::query_scalar("select revoke_reason from sessions where revoked_at is not null")
            .fetch_one(&mut conn)
            .await
            .unwrap();
    assert_eq!(reason, "session_limit");
}
