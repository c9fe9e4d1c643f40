//! Defences found missing in review, each shown refusing (or, for races, holding) over HTTP.

use latchkey_authenticator::{CreateOptions, GetOptions};
use latchkey_test::helpers::{b64url, unb64url, with_bad_signature};
use latchkey_test::{ORIGIN, TestApp, assert_json, assert_problem, session_cookie};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[tokio::test]
async fn an_access_token_cannot_be_exchanged_for_a_refresh_token() {
    let t = TestApp::spawn().await;
    let signed = t.sign_up("ann@example.com").await;
    let res = t
        .with_bearer(signed.access_token())
        .refresh_session(json!({}))
        .await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    // The real refresh token was not spent by the attempt.
    let res = t.refresh(signed.refresh_token()).await;
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_disable_is_never_undone_by_a_concurrent_change() {
    let t = TestApp::spawn().await;
    let mut signed = t.sign_up("ann@example.com").await;
    let user_id = signed.user_id().to_owned();
    let token = signed.access_token().to_owned();
    for round in 0..25 {
        let enable = t.patch_user(&user_id, json!({"disabled": false})).await;
        assert_eq!(enable.status(), StatusCode::OK);
        let fresh = t.sign_in(&mut signed.credential, None).await;
        let fresh: Value = fresh.json().await.unwrap();
        let signed_in = t.with_bearer(fresh["access_token"].as_str().unwrap());
        let (me, disable) = tokio::join!(
            signed_in.update_me(json!({"metadata": {"round": round}})),
            t.patch_user(&user_id, json!({"disabled": true}))
        );
        assert_eq!(disable.status(), StatusCode::OK);
        // PATCH /me either ran first (200) or found the user disabled (401).
        let me = me.status();
        assert!(
            me == StatusCode::OK || me == StatusCode::UNAUTHORIZED,
            "{me}"
        );
        let user: Value = t.get_user(&user_id).await.json().await.unwrap();
        assert_eq!(
            user["disabled"], true,
            "round {round}: the disable was undone"
        );
    }
    let res = t.with_bearer(&token).me().await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

#[tokio::test]
async fn sign_up_without_an_email() {
    let t = TestApp::spawn().await;
    for body in [
        json!({}),
        json!({"display_name": "John Doe"}),
        json!({"display_name": "Zoë"}),
    ] {
        let res = t.register_options(body.clone()).await;
        assert_eq!(res.status(), StatusCode::OK, "{body}");
        let options: Value = res.json().await.unwrap();
        let name = options["publicKey"]["user"]["name"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(!name.is_empty() && !name.contains(' '), "{name}");
        let (response, _) =
            latchkey_authenticator::create(&options["publicKey"], &CreateOptions::new(ORIGIN))
                .unwrap();
        let created =
            assert_json(t.finish_registration(&response).await, StatusCode::CREATED).await;
        assert!(created["user"]["email"].is_null());
        assert_eq!(
            created["user"]["display_name"],
            body.get("display_name").cloned().unwrap_or(Value::Null)
        );
    }
    let res = t.register_options(json!({"display_name": "a\u{7}b"})).await;
    assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
}

#[tokio::test]
async fn ceremonies_cannot_be_finished_from_another_site() {
    let t = TestApp::spawn().await;
    let mut signed = t.sign_up("attacker@example.com").await;
    let before = t.db.snapshot().await;
    // The attacker's own valid assertion, replayed through a victim's browser on evil.example.
    let assertion = t.assertion(&mut signed.credential, None).await;
    let evil = t.with_origin("https://evil.example");
    let res = evil.finish_authentication(&assertion).await;
    assert!(session_cookie(&res).is_none());
    assert_problem(res, StatusCode::FORBIDDEN, "origin_not_allowed").await;
    // A cross-site form can only send text/plain: not JSON, refused.
    let res = t
        .without_origin()
        .request(Method::POST, "/apps/acme/passkeys/authenticate/verify")
        .header("content-type", "text/plain")
        .body(assertion.to_string())
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
    let refusals = [
        evil.register_options(json!({})).await,
        evil.authenticate_options(json!({})).await,
        evil.request_code(json!({})).await,
        evil.create_session(json!({})).await,
        evil.refresh_session(json!({})).await,
    ];
    for res in refusals {
        assert_problem(res, StatusCode::FORBIDDEN, "origin_not_allowed").await;
    }
    // The ceremony was not touched; from the right origin it completes.
    let after = t.db.snapshot().await;
    assert_eq!(
        before
            .iter()
            .filter(|(n, _)| n != "ceremonies")
            .collect::<Vec<_>>(),
        after
            .iter()
            .filter(|(n, _)| n != "ceremonies")
            .collect::<Vec<_>>()
    );
    let res = t.finish_authentication(&assertion).await;
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn control_characters_are_refused_everywhere() {
    let t = TestApp::spawn().await;
    let signed = t.sign_up("ann@example.com").await;
    let admin = t.as_admin();
    for path in [
        "/apps/%00/config",
        "/apps/acme%00/config",
        "/apps/acme/config?x=%00",
        "/admin/apps/%00",
    ] {
        let res = admin.request(Method::GET, path).send().await.unwrap();
        assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
    }
    let bad_queries = [
        t.get_user("%00").await,
        t.list_users("query=%00").await,
        t.list_users("email=a%0Ab").await,
        t.list_events("type=%00").await,
    ];
    for res in bad_queries {
        assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
    }
    let res = t
        .with_bearer(signed.access_token())
        .update_me(json!({"given_name": "a\u{0}b"}))
        .await;
    assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
    let client_data = b64url(br#"{"type":"webauthn.get","challenge":"a\u0000"}"#);
    let res = t
        .finish_authentication(&json!({"id": "x", "response": {"clientDataJSON": client_data}}))
        .await;
    assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
    // An app id that could never exist is simply not found.
    let res = t.for_app("Not_An_Id", "").without_origin().config().await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn a_stale_cookie_does_not_lock_the_browser_out() {
    let t = TestApp::spawn().await;
    let signed = t.sign_up("gone@example.com").await;
    let res = t.delete_user(signed.user_id()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let stale = t.with_cookie(&signed.cookie);
    // Sign-up with the dead cookie still present.
    let res = stale
        .register_options(json!({"email": "new@example.com"}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    // Sign-out clears it.
    let res = stale.sign_out().await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert!(
        res.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    // But where a session is required, it is still a 401.
    let res = stale.me().await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

#[tokio::test]
async fn two_assertions_with_the_same_counter_count_once() {
    let t = TestApp::spawn().await;
    let mut signed = t.sign_up("clone@example.com").await;
    assert_eq!(
        t.sign_in(&mut signed.credential, None).await.status(),
        StatusCode::OK
    );
    for round in 0..5 {
        let mut a = signed.credential.clone();
        let mut b = signed.credential.clone();
        let next = signed.credential.sign_count + 1;
        let mut get = GetOptions::new(ORIGIN);
        get.counter = Some(next);
        let ra = t.assertion_with(&mut a, None, &get).await;
        let rb = t.assertion_with(&mut b, None, &get).await;
        let (x, y) = tokio::join!(t.finish_authentication(&ra), t.finish_authentication(&rb));
        let ok = [x.status(), y.status()]
            .iter()
            .filter(|s| **s == StatusCode::OK)
            .count();
        assert_eq!(ok, 1, "round {round}: {} and {}", x.status(), y.status());
        signed.credential.sign_count = next;
    }
}

#[tokio::test]
async fn malformed_path_segments_get_problem_details() {
    let t = TestApp::spawn().await;
    for res in [t.get_app("%FF").await, t.get_user("%FF").await] {
        assert_eq!(res.status().as_u16() / 100, 4);
        assert_eq!(res.headers()["content-type"], "application/problem+json");
    }
}

#[tokio::test]
async fn decoy_credentials_vary_like_real_ones() {
    let t = TestApp::spawn().await;
    let mut lengths = std::collections::BTreeSet::new();
    for i in 0..12 {
        let res = t
            .authenticate_options(json!({"email": format!("nobody{i}@example.com")}))
            .await;
        let options = assert_json(res, StatusCode::OK).await;
        let ids = options["publicKey"]["allowCredentials"].as_array().unwrap();
        assert_eq!(ids.len(), 1);
        let id = unb64url(ids[0]["id"].as_str().unwrap());
        assert!((16..=32).contains(&id.len()));
        lengths.insert(id.len());
    }
    assert!(lengths.len() > 2, "{lengths:?}");
}

#[tokio::test]
async fn an_unknown_credential_is_named_so_browsers_can_forget_it() {
    let t = TestApp::spawn().await;
    let mut signed = t.sign_up("ann@example.com").await;
    let id = b64url(&signed.credential.id);
    let res = t.delete_user_passkey(signed.user_id(), &id).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = t.sign_in(&mut signed.credential, None).await;
    let body = assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_credential").await;
    assert_eq!(body["unknown_credential"]["credential_id"], id);
    // A bad signature on a known passkey says nothing of the kind.
    let mut other = t.sign_up("bob@example.com").await;
    let assertion = with_bad_signature(&t.assertion(&mut other.credential, None).await);
    let res = t.finish_authentication(&assertion).await;
    let body = assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_credential").await;
    assert!(body.get("unknown_credential").is_none());
}

/// Signing in by address: an assertion for the decoy an unknown address is offered fails exactly
/// like a real passkey's assertion with a bad signature, so two requests cannot tell whether an
/// address has an account.
#[tokio::test]
async fn a_decoy_fails_exactly_like_a_bad_signature() {
    let t = TestApp::spawn().await;
    let mut ann = t.sign_up("ann@example.com").await;
    let assertion = with_bad_signature(
        &t.assertion(&mut ann.credential, Some("ann@example.com"))
            .await,
    );
    let real = t.finish_authentication(&assertion).await;
    let real = assert_problem(real, StatusCode::UNAUTHORIZED, "invalid_credential").await;

    // An address without an account is offered a decoy; a key made up under its id answers.
    let options = assert_json(
        t.authenticate_options(json!({"email": "nobody@example.com"}))
            .await,
        StatusCode::OK,
    )
    .await;
    let decoy = options["publicKey"]["allowCredentials"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut forged = t.sign_up("mallory@example.com").await.credential;
    forged.id = unb64url(&decoy);
    let answer =
        latchkey_authenticator::get(&options["publicKey"], &mut forged, &GetOptions::new(ORIGIN))
            .unwrap();
    let fake = t.finish_authentication(&answer).await;
    let fake = assert_problem(fake, StatusCode::UNAUTHORIZED, "invalid_credential").await;
    assert_eq!(fake, real);
    assert!(fake.get("unknown_credential").is_none());
}

#[tokio::test]
async fn adding_a_passkey_continues_the_session_instead_of_leaving_one_behind() {
    let t = TestApp::spawn().await;
    let signed = t.sign_up("ann@example.com").await;
    let browser = t.with_cookie(&signed.cookie);
    let mut opts = CreateOptions::new(ORIGIN);
    opts.aaguid = [0; 16];
    let (response, _) = browser.registration(json!({}), &opts).await;
    let res = browser.finish_registration(&response).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    // The browser keeps its cookie; the session is the same one.
    assert!(session_cookie(&res).is_none());
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["session"]["id"], signed.body["session"]["id"]);
    assert_eq!(body["session"]["amr"], signed.body["session"]["amr"]);
    assert_eq!(t.db.count("sessions").await, 1);
    assert_eq!(t.db.count("passkeys").await, 2);
    assert_eq!(
        t.verify_token(body["access_token"].as_str().unwrap()).await["valid"],
        true
    );
    // The refresh token handed out now is the live one; the sign-up's is spent.
    let res = t.refresh(body["refresh_token"].as_str().unwrap()).await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = browser.me().await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(t.events("sign_in.succeeded").await.len() == 1);
}

#[tokio::test]
async fn app_names_and_redirect_uris_are_checked() {
    let t = TestApp::spawn().await;
    for bad in [
        json!({"id": "evil1", "name": "Evil\r\nBcc: x@example.com", "rp_id": "example.com", "origins": [ORIGIN]}),
        json!({"id": "evil2", "name": "Ok", "rp_name": "a\u{0}b", "rp_id": "example.com", "origins": [ORIGIN]}),
        json!({"id": "evil3", "name": "Ok", "rp_id": "example.com", "origins": [ORIGIN], "redirect_uris": ["http://shop.example/cb"]}),
    ] {
        let res = t.create_app(bad).await;
        assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
    }
    let ok = json!({"id": "fine", "name": "Fine", "rp_id": "example.com", "origins": [ORIGIN],
        "redirect_uris": ["http://localhost:3000/cb", "http://127.0.0.1:9/cb", "https://shop.example/cb"]});
    let res = t.create_app(ok).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    for email in ["a<@example.com", "a(b)@example.com", "é@example.com"] {
        let res = t.request_email_code(email, "sign_up").await;
        assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
    }
}
