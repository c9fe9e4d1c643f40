//! Refusals: every way a request can be turned away, shown over real HTTP with its exact status
//! and problem `code`, and shown to change nothing in the store that it should not.
//!
//! A refused WebAuthn response is allowed exactly one side effect: when the server could only
//! tell it was bad by checking it against its ceremony, that ceremony is used up (a challenge is
//! good for one attempt). Every such case says so and asserts the ceremonies count fell by
//! exactly one and nothing else moved; every other refusal must leave the snapshot identical.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use latchkey_authenticator::{CreateOptions, Credential, GetOptions};
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde_json::{Value, json};
use sqlx::Row as _;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use crate::helpers::{ADMIN_KEY, ORIGIN, TestApp, assert_problem, session_cookie};

/// Row counts per table, as `TestDb::snapshot` returns them.
type Snapshot = Vec<(String, i64)>;

const REGISTER_OPTIONS: &str = "/passkeys/register/options";
const REGISTER_VERIFY: &str = "/passkeys/register/verify";
const AUTHENTICATE_OPTIONS: &str = "/passkeys/authenticate/options";
const AUTHENTICATE_VERIFY: &str = "/passkeys/authenticate/verify";

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn unb64(text: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD.decode(text).unwrap()
}

/// What a request that legitimately used up one ceremony, and did nothing else, leaves behind.
fn minus_one_ceremony(snapshot: &Snapshot) -> Snapshot {
    let mut expected = snapshot.clone();
    let ceremonies = expected
        .iter_mut()
        .find(|(table, _)| table == "ceremonies")
        .unwrap();
    ceremonies.1 -= 1;
    expected
}

/// `value` with the member at JSON pointer `pointer` set to `new` (created if missing), as bytes.
fn with(mut value: Value, pointer: &str, new: Value) -> Vec<u8> {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let parent = if parent.is_empty() {
        &mut value
    } else {
        value.pointer_mut(parent).unwrap()
    };
    parent.as_object_mut().unwrap().insert(key.to_owned(), new);
    serde_json::to_vec(&value).unwrap()
}

/// `value` without the member at JSON pointer `pointer`, as bytes.
fn without(mut value: Value, pointer: &str) -> Vec<u8> {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let parent = if parent.is_empty() {
        &mut value
    } else {
        value.pointer_mut(parent).unwrap()
    };
    assert!(
        parent.as_object_mut().unwrap().remove(key).is_some(),
        "{pointer} was there to remove"
    );
    serde_json::to_vec(&value).unwrap()
}

/// A browser-API POST of raw bytes, labelled as JSON, to `app`.
async fn post_raw(t: &TestApp, app: &str, path: &str, body: Vec<u8>) -> Response {
    t.browser_for(app, Method::POST, path)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn post_at(t: &TestApp, app: &str, path: &str, body: &Value) -> Response {
    t.browser_for(app, Method::POST, path)
        .json(body)
        .send()
        .await
        .unwrap()
}

/// Options from `app` (asserted 200).
async fn options_at(t: &TestApp, app: &str, path: &str, body: &Value) -> Value {
    let res = post_at(t, app, path, body).await;
    assert_eq!(res.status(), StatusCode::OK, "options from {app}{path}");
    res.json().await.unwrap()
}

/// Signs `email` up at `app` with a fresh passkey; returns the sign-in result and the credential.
async fn sign_up_at(t: &TestApp, app: &str, email: &str) -> (Value, Credential) {
    let options = options_at(t, app, REGISTER_OPTIONS, &json!({"email": email})).await;
    let (response, credential) =
        latchkey_authenticator::create(&options["publicKey"], &CreateOptions::new(ORIGIN)).unwrap();
    let res = post_at(t, app, REGISTER_VERIFY, &response).await;
    assert_eq!(res.status(), StatusCode::CREATED, "sign-up at {app}");
    (res.json().await.unwrap(), credential)
}

/// A discoverable assertion from `credential` for fresh options of `app`.
async fn assertion_at(
    t: &TestApp,
    app: &str,
    credential: &mut Credential,
    opts: &GetOptions,
) -> Value {
    let options = options_at(t, app, AUTHENTICATE_OPTIONS, &json!({})).await;
    latchkey_authenticator::get(&options["publicKey"], credential, opts).unwrap()
}

/// A registration response for fresh sign-up options of `app`, made with `opts`.
async fn registration_at(t: &TestApp, app: &str, email: &str, opts: &CreateOptions) -> Value {
    let options = options_at(t, app, REGISTER_OPTIONS, &json!({"email": email})).await;
    latchkey_authenticator::create(&options["publicKey"], opts)
        .unwrap()
        .0
}

/// The reasons of every `sign_in.failed` event so far.
async fn failure_reasons(t: &TestApp) -> Vec<String> {
    t.events("sign_in.failed")
        .await
        .iter()
        .map(|e| e["data"]["reason"].as_str().expect("a reason").to_owned())
        .collect()
}

/// Asserts there have been `n` failed sign-ins, each for a reason that mentions `cause`.
async fn assert_failures(t: &TestApp, n: usize, cause: &str) {
    let reasons = failure_reasons(t).await;
    assert_eq!(reasons.len(), n, "{reasons:?}");
    assert!(
        reasons.iter().all(|r| r.contains(cause)),
        "{cause}: {reasons:?}"
    );
}

// 1. A tampered signature.

#[tokio::test]
async fn a_tampered_assertion_signature_is_refused_and_burns_the_challenge() {
    let t = TestApp::spawn().await;
    let mut ann = t.sign_up("ann@example.com").await;
    let mut assertion = t.assertion(&mut ann.credential, None).await;
    let mut signature = unb64(assertion["response"]["signature"].as_str().unwrap());
    // The last byte of a DER ECDSA signature is inside `s`: the DER stays well formed, only the
    // value is wrong, so this reaches the signature check itself.
    *signature.last_mut().unwrap() ^= 0x01;
    assertion["response"]["signature"] = json!(b64(&signature));

    let before = t.db.snapshot().await;
    let res = t.post(AUTHENTICATE_VERIFY, &assertion).await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_credential").await;
    // The ceremony was legitimately used up by the failed attempt; nothing else changed.
    assert_eq!(t.db.snapshot().await, minus_one_ceremony(&before));

    let failed = t.events("sign_in.failed").await;
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["user_id"], ann.body["user"]["id"]);
    assert_eq!(failed[0]["data"]["method"], "passkey");
    assert_failures(&t, 1, "signature").await;

    // The same body again: the challenge is gone.
    let res = t.post(AUTHENTICATE_VERIFY, &assertion).await;
    assert_problem(res, StatusCode::BAD_REQUEST, "challenge_expired").await;
    assert_eq!(t.db.snapshot().await, minus_one_ceremony(&before));

    // The passkey itself is fine: an untampered assertion signs in.
    let res = t.sign_in(&mut ann.credential, None).await;
    assert_eq!(res.status(), StatusCode::OK);
}

// 2. Replays.

#[tokio::test]
async fn a_replayed_assertion_is_refused() {
    let t = TestApp::spawn().await;
    let mut ann = t.sign_up("ann@example.com").await;
    let assertion = t.assertion(&mut ann.credential, None).await;
    let res = t.post(AUTHENTICATE_VERIFY, &assertion).await;
    assert_eq!(res.status(), StatusCode::OK);
    let after_first = t.db.snapshot().await;
    let res = t.post(AUTHENTICATE_VERIFY, &assertion).await;
    assert_problem(res, StatusCode::BAD_REQUEST, "challenge_expired").await;
    assert_eq!(t.db.snapshot().await, after_first);
}

#[tokio::test]
async fn a_replayed_registration_is_refused() {
    let t = TestApp::spawn().await;
    let response =
        registration_at(&t, &t.app, "ann@example.com", &CreateOptions::new(ORIGIN)).await;
    let res = t.post(REGISTER_VERIFY, &response).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let after_first = t.db.snapshot().await;
    let res = t.post(REGISTER_VERIFY, &response).await;
    assert_problem(res, StatusCode::BAD_REQUEST, "challenge_expired").await;
    assert_eq!(t.db.snapshot().await, after_first);
}

/// Copies of one assertion posted at once: one signs in, and every other copy is told its
/// challenge is used up. None of them is a failed verification: a copy that lost the race did
/// not present a bad counter or signature, and must not be logged as if it had (a counter that
/// does not increase is the sign of a cloned authenticator).
#[tokio::test]
async fn concurrent_replays_of_one_assertion_sign_in_once() {
    let t = TestApp::spawn().await;
    let mut ann = t.sign_up("ann@example.com").await;
    let assertion = t.assertion(&mut ann.credential, None).await;
    let sessions_before = t.db.count("sessions").await;
    let ceremonies_before = t.db.count("ceremonies").await;
    let mut attempts = tokio::task::JoinSet::new();
    for _ in 0..32 {
        let request = t
            .browser(Method::POST, AUTHENTICATE_VERIFY)
            .json(&assertion);
        attempts.spawn(async move { request.send().await.unwrap() });
    }
    let mut signed_in = 0;
    let mut refused = Vec::new();
    while let Some(res) = attempts.join_next().await {
        let res = res.unwrap();
        if res.status() == StatusCode::OK {
            signed_in += 1;
        } else {
            refused.push(res);
        }
    }
    assert_eq!(signed_in, 1, "exactly one of the concurrent posts signs in");
    assert_eq!(t.db.count("sessions").await, sessions_before + 1);
    assert_eq!(t.db.count("ceremonies").await, ceremonies_before - 1);
    for res in refused {
        assert_problem(res, StatusCode::BAD_REQUEST, "challenge_expired").await;
    }
    assert_eq!(failure_reasons(&t).await, Vec::<String>::new());
}

// 3. Expired challenges.

#[tokio::test]
async fn an_expired_registration_challenge_is_refused() {
    let t = TestApp::spawn().await;
    let response =
        registration_at(&t, &t.app, "ann@example.com", &CreateOptions::new(ORIGIN)).await;
    t.db.execute("update ceremonies set expires_at = 0").await;
    let before = t.db.snapshot().await;
    let res = t.post(REGISTER_VERIFY, &response).await;
    assert_problem(res, StatusCode::BAD_REQUEST, "challenge_expired").await;
    // The expired ceremony is deleted when it is met (legitimately gone); no user, passkey or
    // session appeared.
    assert_eq!(t.db.snapshot().await, minus_one_ceremony(&before));
    assert_eq!(t.db.count("users").await, 0);
}

#[tokio::test]
async fn an_expired_authentication_challenge_is_refused() {
    let t = TestApp::spawn().await;
    let mut ann = t.sign_up("ann@example.com").await;
    let assertion = t.assertion(&mut ann.credential, None).await;
    t.db.execute("update ceremonies set expires_at = 0").await;
    let before = t.db.snapshot().await;
    let res = t.post(AUTHENTICATE_VERIFY, &assertion).await;
    assert_problem(res, StatusCode::BAD_REQUEST, "challenge_expired").await;
    // The expired ceremony is deleted when it is met (legitimately gone); no session appeared.
    assert_eq!(t.db.snapshot().await, minus_one_ceremony(&before));
}

// 4. Origins outside the app's list.

/// Origins a response must not come from: another site, a subdomain the app does not list, the
/// app's host over plain HTTP, and on another port.
const FOREIGN_ORIGINS: [&str; 4] = [
    "https://evil.example",
    "https://login.example.com",
    "http://example.com",
    "https://example.com:8443",
];

#[tokio::test]
async fn a_registration_from_a_foreign_origin_is_refused() {
    let t = TestApp::spawn().await;
    for (i, origin) in FOREIGN_ORIGINS.into_iter().enumerate() {
        println!("origin {origin}");
        let email = format!("user{i}@example.com");
        let response = registration_at(&t, &t.app, &email, &CreateOptions::new(origin)).await;
        let before = t.db.snapshot().await;
        let res = t.post(REGISTER_VERIFY, &response).await;
        assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_credential").await;
        // Only verification tells: the ceremony is used up, nothing else changes.
        assert_eq!(
            t.db.snapshot().await,
            minus_one_ceremony(&before),
            "{origin}"
        );
        assert_failures(&t, i + 1, "origin").await;
    }
    assert_eq!(t.db.count("users").await, 0);
}

#[tokio::test]
async fn an_assertion_from_a_foreign_origin_is_refused() {
    let t = TestApp::spawn().await;
    let mut ann = t.sign_up("ann@example.com").await;
    for (i, origin) in FOREIGN_ORIGINS.into_iter().enumerate() {
        println!("origin {origin}");
        let assertion =
            assertion_at(&t, &t.app, &mut ann.credential, &GetOptions::new(origin)).await;
        let before = t.db.snapshot().await;
        let res = t.post(AUTHENTICATE_VERIFY, &assertion).await;
        assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_credential").await;
        // Only verification tells: the ceremony is used up, nothing else changes.
        assert_eq!(
            t.db.snapshot().await,
            minus_one_ceremony(&before),
            "{origin}"
        );
        assert_failures(&t, i + 1, "origin").await;
    }
    // From the app's own origin the same passkey still signs in.
    let res = t.sign_in(&mut ann.credential, None).await;
    assert_eq!(res.status(), StatusCode::OK);
}

// 5. The wrong RP ID hash.

/// RP IDs an authenticator must not have signed for this app: another site, a subdomain of the
/// app's RP ID, and its parent suffix.
const FOREIGN_RP_IDS: [&str; 3] = ["evil.example", "login.example.com", "com"];

#[tokio::test]
async fn a_registration_for_another_rp_id_is_refused() {
    let t = TestApp::spawn().await;
    for (i, rp_id) in FOREIGN_RP_IDS.into_iter().enumerate() {
        println!("rp_id {rp_id}");
        let mut opts = CreateOptions::new(ORIGIN);
        opts.rp_id_override = Some(rp_id.to_owned());
        let response = registration_at(&t, &t.app, &format!("user{i}@example.com"), &opts).await;
        let before = t.db.snapshot().await;
        let res = t.post(REGISTER_VERIFY, &response).await;
        assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_credential").await;
        // Only verification tells: the ceremony is used up, nothing else changes.
        assert_eq!(
            t.db.snapshot().await,
            minus_one_ceremony(&before),
            "{rp_id}"
        );
        assert_failures(&t, i + 1, "RP ID").await;
    }
    assert_eq!(t.db.count("users").await, 0);
}

#[tokio::test]
async fn an_assertion_for_another_rp_id_is_refused() {
    let t = TestApp::spawn().await;
    let mut ann = t.sign_up("ann@example.com").await;
    for (i, rp_id) in FOREIGN_RP_IDS.into_iter().enumerate() {
        println!("rp_id {rp_id}");
        let mut opts = GetOptions::new(ORIGIN);
        opts.rp_id_override = Some(rp_id.to_owned());
        let assertion = assertion_at(&t, &t.app, &mut ann.credential, &opts).await;
        let before = t.db.snapshot().await;
        let res = t.post(AUTHENTICATE_VERIFY, &assertion).await;
        assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_credential").await;
        // Only verification tells: the ceremony is used up, nothing else changes.
        assert_eq!(
            t.db.snapshot().await,
            minus_one_ceremony(&before),
            "{rp_id}"
        );
        assert_failures(&t, i + 1, "RP ID").await;
    }
    let res = t.sign_in(&mut ann.credential, None).await;
    assert_eq!(res.status(), StatusCode::OK);
}

// 6. A credential the server never registered.

#[tokio::test]
async fn an_unregistered_credential_is_refused() {
    let t = TestApp::spawn().await;
    let _ann = t.sign_up("ann@example.com").await;
    // The authenticator made this credential for real options, but its response was never posted.
    let options = t
        .register_options(json!({"email": "ghost@example.com"}))
        .await;
    let (_never_posted, mut ghost) =
        latchkey_authenticator::create(&options["publicKey"], &CreateOptions::new(ORIGIN)).unwrap();
    let assertion = assertion_at(&t, &t.app, &mut ghost, &GetOptions::new(ORIGIN)).await;
    let before = t.db.snapshot().await;
    let res = t.post(AUTHENTICATE_VERIFY, &assertion).await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_credential").await;
    // The lookup fails only once the ceremony is found: it is used up, nothing else changes.
    assert_eq!(t.db.snapshot().await, minus_one_ceremony(&before));
    assert_failures(&t, 1, "not registered").await;
}

// 7. and 8. Apps are islands: credentials and challenges of one are unknown to another.

#[tokio::test]
async fn a_credential_of_another_app_is_refused_both_ways() {
    let t = TestApp::spawn().await;
    t.create_app("other", json!({})).await;
    // The same person, by the same address, in both apps (same RP ID example.com).
    let (_, mut at_other) = sign_up_at(&t, "other", "ann@example.com").await;
    let (_, mut at_acme) = sign_up_at(&t, "acme", "ann@example.com").await;

    for (used_at, credential) in [("acme", &mut at_other), ("other", &mut at_acme)] {
        println!("used at {used_at}");
        let assertion = assertion_at(&t, used_at, credential, &GetOptions::new(ORIGIN)).await;
        let before = t.db.snapshot().await;
        let res = post_at(&t, used_at, AUTHENTICATE_VERIFY, &assertion).await;
        assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_credential").await;
        // The lookup fails only once the ceremony is found: it is used up, nothing else changes.
        assert_eq!(
            t.db.snapshot().await,
            minus_one_ceremony(&before),
            "{used_at}"
        );
    }
    // acme's audit log holds its own refusal, not other's.
    assert_failures(&t, 1, "not registered").await;

    // Each passkey still signs in where it was registered.
    for (app, credential) in [("other", &mut at_other), ("acme", &mut at_acme)] {
        let assertion = assertion_at(&t, app, credential, &GetOptions::new(ORIGIN)).await;
        let res = post_at(&t, app, AUTHENTICATE_VERIFY, &assertion).await;
        assert_eq!(res.status(), StatusCode::OK, "{app}");
    }
}

#[tokio::test]
async fn a_challenge_of_another_app_is_unknown_and_left_alone() {
    let t = TestApp::spawn().await;
    t.create_app("other", json!({})).await;
    let (_, mut ann) = sign_up_at(&t, "other", "ann@example.com").await;

    // Sign-in: other's challenge posted to acme.
    let assertion = assertion_at(&t, "other", &mut ann, &GetOptions::new(ORIGIN)).await;
    let before = t.db.snapshot().await;
    let res = post_at(&t, "acme", AUTHENTICATE_VERIFY, &assertion).await;
    assert_problem(res, StatusCode::BAD_REQUEST, "challenge_expired").await;
    assert_eq!(
        t.db.snapshot().await,
        before,
        "other's ceremony is not consumed"
    );
    let res = post_at(&t, "other", AUTHENTICATE_VERIFY, &assertion).await;
    assert_eq!(res.status(), StatusCode::OK);

    // Sign-up: other's challenge posted to acme.
    let response =
        registration_at(&t, "other", "bob@example.com", &CreateOptions::new(ORIGIN)).await;
    let before = t.db.snapshot().await;
    let res = post_at(&t, "acme", REGISTER_VERIFY, &response).await;
    assert_problem(res, StatusCode::BAD_REQUEST, "challenge_expired").await;
    assert_eq!(
        t.db.snapshot().await,
        before,
        "other's ceremony is not consumed"
    );
    let res = post_at(&t, "other", REGISTER_VERIFY, &response).await;
    assert_eq!(res.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn a_challenge_answers_only_its_own_kind_of_ceremony() {
    let t = TestApp::spawn().await;
    let mut ann = t.sign_up("ann@example.com").await;

    // A registration response posted to authenticate/verify.
    let response =
        registration_at(&t, &t.app, "bob@example.com", &CreateOptions::new(ORIGIN)).await;
    let before = t.db.snapshot().await;
    let res = t.post(AUTHENTICATE_VERIFY, &response).await;
    assert_problem(res, StatusCode::BAD_REQUEST, "challenge_expired").await;
    assert_eq!(t.db.snapshot().await, before);
    let res = t.post(REGISTER_VERIFY, &response).await;
    assert_eq!(res.status(), StatusCode::CREATED);

    // An assertion posted to register/verify.
    let assertion = t.assertion(&mut ann.credential, None).await;
    let before = t.db.snapshot().await;
    let res = t.post(REGISTER_VERIFY, &assertion).await;
    assert_problem(res, StatusCode::BAD_REQUEST, "challenge_expired").await;
    assert_eq!(t.db.snapshot().await, before);
    let res = t.post(AUTHENTICATE_VERIFY, &assertion).await;
    assert_eq!(res.status(), StatusCode::OK);
}

// 9. Signature counters.

#[tokio::test]
async fn a_counter_that_stops_increasing_is_refused() {
    let t = TestApp::spawn().await;
    let mut ann = t.sign_up("ann@example.com").await;
    for _ in 0..2 {
        let res = t.sign_in(&mut ann.credential, None).await;
        assert_eq!(res.status(), StatusCode::OK);
    }
    assert_eq!(stored_sign_count(&t, &ann.credential).await, 2);
    // Backwards, the same again, and back to zero: all signs of a cloned authenticator.
    for (i, counter) in [1, 2, 0].into_iter().enumerate() {
        println!("counter {counter}");
        let mut opts = GetOptions::new(ORIGIN);
        opts.counter = Some(counter);
        let assertion = assertion_at(&t, &t.app, &mut ann.credential, &opts).await;
        let before = t.db.snapshot().await;
        let res = t.post(AUTHENTICATE_VERIFY, &assertion).await;
        assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_credential").await;
        // Only verification tells: the ceremony is used up, nothing else changes.
        assert_eq!(
            t.db.snapshot().await,
            minus_one_ceremony(&before),
            "counter {counter}"
        );
        assert_failures(&t, i + 1, "counter").await;
    }
    // The refused assertions did not move the stored counter.
    assert_eq!(stored_sign_count(&t, &ann.credential).await, 2);
}

/// The signature counter the server stored for `credential`.
async fn stored_sign_count(t: &TestApp, credential: &Credential) -> i64 {
    let mut conn = t.db.connect().await;
    sqlx::query("select sign_count from passkeys where id = $1")
        .bind(b64(&credential.id))
        .fetch_one(&mut conn)
        .await
        .unwrap()
        .try_get("sign_count")
        .unwrap()
}

#[tokio::test]
async fn a_passkey_whose_counter_stays_zero_keeps_working() {
    let t = TestApp::spawn().await;
    let bob = t.sign_up("bob@example.com").await;
    let mut synced = bob.credential.non_counting();
    for i in 0..3 {
        let res = t.sign_in(&mut synced, None).await;
        assert_eq!(res.status(), StatusCode::OK, "sign-in {i}");
        assert_eq!(stored_sign_count(&t, &synced).await, 0);
    }
}

// 10. API and admin keys.

#[tokio::test]
async fn keys_work_only_where_they_belong() {
    let t = TestApp::spawn().await;
    let (_, other_key) = t.create_app("other", json!({})).await;
    let ann = t.sign_up("ann@example.com").await;
    let auth_token = ann.body["auth_token"].as_str().unwrap().to_owned();
    // One character off acme's real key: the right shape, not a key.
    let mut forged = t.api_key.clone();
    let last = forged.pop().unwrap();
    forged.push(if last == 'A' { 'B' } else { 'A' });

    let calls = |key: Option<&str>| -> Vec<(&'static str, RequestBuilder)> {
        let with_key = |req: RequestBuilder| match key {
            Some(key) => req.bearer_auth(key),
            None => req,
        };
        vec![
            (
                "GET /users",
                with_key(t.http.get(t.url("/apps/acme/users"))),
            ),
            (
                "POST /tokens/verify",
                with_key(
                    t.http
                        .post(t.url("/apps/acme/tokens/verify"))
                        .json(&json!({"token": auth_token})),
                ),
            ),
            (
                "GET /events",
                with_key(t.http.get(t.url("/apps/acme/events"))),
            ),
        ]
    };
    let before = t.db.snapshot().await;
    for (label, key) in [
        ("other app's key", Some(other_key.as_str())),
        ("no key", None),
        ("garbage", Some("garbage")),
        ("forged acme key", Some(forged.as_str())),
        ("admin key", Some(ADMIN_KEY)),
    ] {
        for (call, request) in calls(key) {
            println!("{label} on {call}");
            let res = request.send().await.unwrap();
            assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
        }
    }
    // Refused calls redeemed nothing: the auth token is still good for acme's own key, once.
    assert_eq!(t.db.snapshot().await, before);
    let verified = t.verify_token(&auth_token).await;
    assert_eq!(verified["valid"], true);
    // And other's key does work on other's own paths.
    let res = t
        .http
        .get(t.url("/apps/other/users"))
        .bearer_auth(&other_key)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);

    // App keys are not admin keys.
    let before = t.db.snapshot().await;
    let new_app =
        json!({"id": "sneaky", "name": "Sneaky", "rp_id": "example.com", "origins": [ORIGIN]});
    for key in [
        Some(t.api_key.as_str()),
        Some(other_key.as_str()),
        None,
        Some("lk_admin_garbage"),
    ] {
        println!("{key:?} on /admin/apps");
        let mut list = t.http.get(t.url("/admin/apps"));
        let mut create = t.http.post(t.url("/admin/apps")).json(&new_app);
        if let Some(key) = key {
            list = list.bearer_auth(key);
            create = create.bearer_auth(key);
        }
        assert_problem(
            list.send().await.unwrap(),
            StatusCode::UNAUTHORIZED,
            "unauthorized",
        )
        .await;
        assert_problem(
            create.send().await.unwrap(),
            StatusCode::UNAUTHORIZED,
            "unauthorized",
        )
        .await;
    }
    assert_eq!(t.db.snapshot().await, before);
    let res = t.admin(Method::GET, "/admin/apps").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

// 11. Malformed input.

/// A bad body made from a good WebAuthn response, and what the server must answer.
struct BadBody {
    case: &'static str,
    body: fn(Value) -> Vec<u8>,
    status: StatusCode,
    code: &'static str,
    /// The server could only tell after checking the response against its ceremony, which the
    /// attempt then legitimately used up.
    burns_ceremony: bool,
}

const fn bad(case: &'static str, body: fn(Value) -> Vec<u8>) -> BadBody {
    BadBody {
        case,
        body,
        status: StatusCode::BAD_REQUEST,
        code: "invalid_request",
        burns_ceremony: false,
    }
}

const fn unknown_challenge(case: &'static str, body: fn(Value) -> Vec<u8>) -> BadBody {
    BadBody {
        case,
        body,
        status: StatusCode::BAD_REQUEST,
        code: "challenge_expired",
        burns_ceremony: false,
    }
}

const fn unverifiable(case: &'static str, body: fn(Value) -> Vec<u8>) -> BadBody {
    BadBody {
        case,
        body,
        status: StatusCode::UNAUTHORIZED,
        code: "invalid_credential",
        burns_ceremony: true,
    }
}

/// The response's clientDataJSON, decoded.
fn client_data(response: &Value) -> Value {
    serde_json::from_slice(&unb64(
        response["response"]["clientDataJSON"].as_str().unwrap(),
    ))
    .unwrap()
}

/// `response` with `member` of its clientDataJSON set to `new`, re-encoded.
fn with_client_data(response: Value, member: &str, new: Value) -> Vec<u8> {
    let mut data = client_data(&response);
    data[member] = new;
    with(
        response,
        "/response/clientDataJSON",
        json!(b64(&serde_json::to_vec(&data).unwrap())),
    )
}

/// CBOR `{"fmt": "none"}`: well-formed, but no attestation object.
const CBOR_FMT_ONLY: [u8; 10] = [0xa1, 0x63, b'f', b'm', b't', 0x64, b'n', b'o', b'n', b'e'];

/// Bad bodies for `register/verify`, made from a good registration response.
fn registration_cases() -> Vec<BadBody> {
    vec![
        bad("not JSON", |_| b"{".to_vec()),
        bad("an empty body", |_| Vec::new()),
        bad("a JSON array", |_| b"[]".to_vec()),
        bad("the response inside an array", |v| {
            serde_json::to_vec(&json!([v])).unwrap()
        }),
        bad("a JSON string", |_| br#""public-key""#.to_vec()),
        bad("null", |_| b"null".to_vec()),
        bad("name is a number", |v| with(v, "/name", json!(5))),
        bad("name is empty", |v| with(v, "/name", json!(""))),
        bad("no response member", |v| without(v, "/response")),
        bad("response is a string", |v| with(v, "/response", json!("x"))),
        bad("id is a number", |v| with(v, "/id", json!(5))),
        bad("type is not public-key", |v| {
            with(v, "/type", json!("password"))
        }),
        bad("clientDataJSON is missing", |v| {
            without(v, "/response/clientDataJSON")
        }),
        bad("clientDataJSON is a number", |v| {
            with(v, "/response/clientDataJSON", json!(5))
        }),
        bad("clientDataJSON is not base64url", |v| {
            with(v, "/response/clientDataJSON", json!("!!!"))
        }),
        bad("clientDataJSON is not JSON", |v| {
            with(v, "/response/clientDataJSON", json!(b64(b"not json")))
        }),
        bad("clientDataJSON is a JSON array", |v| {
            with(v, "/response/clientDataJSON", json!(b64(b"[]")))
        }),
        bad("clientDataJSON has no challenge", |v| {
            let mut data = client_data(&v);
            data.as_object_mut().unwrap().remove("challenge");
            with(
                v,
                "/response/clientDataJSON",
                json!(b64(&serde_json::to_vec(&data).unwrap())),
            )
        }),
        bad("the challenge is a number", |v| {
            with_client_data(v, "challenge", json!(5))
        }),
        unknown_challenge("an unknown challenge", |v| {
            with_client_data(v, "challenge", json!(b64(&[7; 32])))
        }),
        bad("a challenge that is not base64url", |v| {
            with_client_data(v, "challenge", json!("!!!"))
        }),
        bad("attestationObject is missing", |v| {
            without(v, "/response/attestationObject")
        }),
        bad("attestationObject is not base64url", |v| {
            with(v, "/response/attestationObject", json!("!!!"))
        }),
        bad("attestationObject is not CBOR", |v| {
            with(
                v,
                "/response/attestationObject",
                json!(b64(&[0xff, 0x00, 0x13])),
            )
        }),
        bad("attestationObject is empty", |v| {
            with(v, "/response/attestationObject", json!(""))
        }),
        bad("attestationObject lacks authData", |v| {
            with(v, "/response/attestationObject", json!(b64(&CBOR_FMT_ONLY)))
        }),
        bad("transports is a string", |v| {
            with(v, "/response/transports", json!("usb"))
        }),
        bad("publicKey is not DER SPKI", |v| {
            with(v, "/response/publicKey", json!(b64(&[1, 2, 3])))
        }),
        bad("publicKeyAlgorithm disagrees with the key", |v| {
            with(v, "/response/publicKeyAlgorithm", json!(-8))
        }),
        bad("authenticatorData is too short", |v| {
            with(v, "/response/authenticatorData", json!(b64(&[0; 10])))
        }),
        bad("clientExtensionResults is a number", |v| {
            with(v, "/clientExtensionResults", json!(5))
        }),
        // Well formed, wrong: only the ceremony's checks can tell.
        unverifiable("clientDataJSON type is webauthn.get", |v| {
            with_client_data(v, "type", json!("webauthn.get"))
        }),
        unverifiable("clientDataJSON says crossOrigin", |v| {
            with_client_data(v, "crossOrigin", json!(true))
        }),
        unverifiable("an extension result nobody asked for", |v| {
            with(
                v,
                "/clientExtensionResults",
                json!({"credProps": {"rk": true}}),
            )
        }),
    ]
}

/// Bad bodies for `authenticate/verify`, made from a good discoverable assertion.
fn assertion_cases() -> Vec<BadBody> {
    vec![
        bad("not JSON", |_| b"{".to_vec()),
        bad("an empty body", |_| Vec::new()),
        bad("a JSON array", |_| b"[]".to_vec()),
        bad("a JSON number", |_| b"5".to_vec()),
        bad("no response member", |v| without(v, "/response")),
        bad("response is an array", |v| with(v, "/response", json!([]))),
        bad("type is not public-key", |v| {
            with(v, "/type", json!("password"))
        }),
        bad("clientDataJSON is not base64url", |v| {
            with(v, "/response/clientDataJSON", json!("!!!"))
        }),
        bad("clientDataJSON is not JSON", |v| {
            with(v, "/response/clientDataJSON", json!(b64(b"not json")))
        }),
        unknown_challenge("an unknown challenge", |v| {
            with_client_data(v, "challenge", json!(b64(&[7; 32])))
        }),
        bad("signature is missing", |v| {
            without(v, "/response/signature")
        }),
        bad("signature is not base64url", |v| {
            with(v, "/response/signature", json!("!!!"))
        }),
        bad("signature is a number", |v| {
            with(v, "/response/signature", json!(5))
        }),
        bad("authenticatorData is not base64url", |v| {
            with(v, "/response/authenticatorData", json!("!!!"))
        }),
        bad("userHandle is missing", |v| {
            without(v, "/response/userHandle")
        }),
        bad("userHandle is null", |v| {
            with(v, "/response/userHandle", Value::Null)
        }),
        bad("userHandle is empty", |v| {
            with(v, "/response/userHandle", json!(""))
        }),
        bad("userHandle is not base64url", |v| {
            with(v, "/response/userHandle", json!("!!!"))
        }),
        bad("userHandle is a number", |v| {
            with(v, "/response/userHandle", json!(5))
        }),
        bad("userHandle is 5 bytes", |v| {
            with(v, "/response/userHandle", json!(b64(&[1; 5])))
        }),
        bad("rawId is not base64url", |v| {
            with(v, "/rawId", json!("!!!"))
        }),
        bad("id and rawId differ", |v| {
            with(v, "/id", json!(b64(&[9; 16])))
        }),
        unverifiable("another user's handle", |v| {
            with(v, "/response/userHandle", json!(b64(&[3; 16])))
        }),
        unverifiable("an unknown credential id", |v| {
            let id = json!(b64(&[9; 16]));
            let v: Value = serde_json::from_slice(&with(v, "/id", id.clone())).unwrap();
            with(v, "/rawId", id)
        }),
        unverifiable("a signature that is not DER", |v| {
            with(v, "/response/signature", json!(b64(&[1, 2, 3])))
        }),
        bad("authenticatorAttachment is not a known value", |v| {
            with(v, "/authenticatorAttachment", json!("bogus"))
        }),
        bad("clientExtensionResults is a number", |v| {
            with(v, "/clientExtensionResults", json!(5))
        }),
        bad("clientExtensionResults has an unknown shape", |v| {
            with(
                v,
                "/clientExtensionResults",
                json!({"prf": {"enabled": true}}),
            )
        }),
        unverifiable("clientDataJSON type is webauthn.create", |v| {
            with_client_data(v, "type", json!("webauthn.create"))
        }),
        // Any change to clientDataJSON also breaks the signature over its hash.
        unverifiable("clientDataJSON says crossOrigin", |v| {
            with_client_data(v, "crossOrigin", json!(true))
        }),
        unverifiable("the user-present flag is cleared", |v| {
            let mut data = unb64(v["response"]["authenticatorData"].as_str().unwrap());
            data[32] &= !0x01;
            with(v, "/response/authenticatorData", json!(b64(&data)))
        }),
        unverifiable("authenticatorData has a trailing byte", |v| {
            let mut data = unb64(v["response"]["authenticatorData"].as_str().unwrap());
            data.push(0);
            with(v, "/response/authenticatorData", json!(b64(&data)))
        }),
        // Shorter than the RP ID hash, flags and counter: refused before the ceremony is touched.
        bad("authenticatorData is too short", |v| {
            with(v, "/response/authenticatorData", json!(b64(&[0; 10])))
        }),
    ]
}

#[tokio::test]
async fn malformed_registration_responses_are_refused_without_side_effects() {
    let t = TestApp::spawn().await;
    for (i, case) in registration_cases().into_iter().enumerate() {
        println!("case: {}", case.case);
        let email = format!("new{i}@example.com");
        let response = registration_at(&t, &t.app, &email, &CreateOptions::new(ORIGIN)).await;
        let before = t.db.snapshot().await;
        let res = post_raw(&t, &t.app, REGISTER_VERIFY, (case.body)(response)).await;
        assert_problem(res, case.status, case.code).await;
        let expected = if case.burns_ceremony {
            minus_one_ceremony(&before)
        } else {
            before
        };
        assert_eq!(t.db.snapshot().await, expected, "{}", case.case);
    }
    assert_eq!(t.db.count("users").await, 0);
    assert_eq!(t.db.count("passkeys").await, 0);
}

#[tokio::test]
async fn malformed_assertions_are_refused_without_side_effects() {
    let t = TestApp::spawn().await;
    let mut ann = t.sign_up("ann@example.com").await;
    for case in assertion_cases() {
        println!("case: {}", case.case);
        let assertion = t.assertion(&mut ann.credential, None).await;
        let before = t.db.snapshot().await;
        let res = post_raw(&t, &t.app, AUTHENTICATE_VERIFY, (case.body)(assertion)).await;
        assert_problem(res, case.status, case.code).await;
        let expected = if case.burns_ceremony {
            minus_one_ceremony(&before)
        } else {
            before
        };
        assert_eq!(t.db.snapshot().await, expected, "{}", case.case);
    }
    // The userHandle is required only without an email: a sign-in restricted to the user's
    // passkeys may leave it null, as WebAuthn allows for that kind of request.
    let mut assertion = t
        .assertion(&mut ann.credential, Some("ann@example.com"))
        .await;
    assertion["response"]["userHandle"] = Value::Null;
    let res = t.post(AUTHENTICATE_VERIFY, &assertion).await;
    assert_eq!(res.status(), StatusCode::OK);
}

/// Who sends a plain JSON request.
#[derive(Clone, Copy, Debug)]
enum Caller {
    /// The app's page, to `/apps/acme{path}`.
    Browser,
    /// The app's backend with its API key, to `/apps/acme{path}`.
    Backend,
    /// The operator with the admin key, to `{path}`.
    Admin,
}

#[tokio::test]
async fn malformed_json_bodies_are_refused_without_side_effects() {
    let t = TestApp::spawn().await;
    let ann = t.sign_up("ann@example.com").await;
    let app = |extra: Value| {
        let mut body =
            json!({"id": "fresh", "name": "Fresh", "rp_id": "example.com", "origins": [ORIGIN]});
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        body.to_string()
    };
    let shapeless = ["{", "", "[]", "5", "\"x\"", "null"];
    let mut cases: Vec<(Caller, &str, String)> = Vec::new();
    for (caller, path) in [
        (Caller::Browser, REGISTER_OPTIONS),
        (Caller::Browser, AUTHENTICATE_OPTIONS),
        (Caller::Backend, "/tokens/verify"),
        (Caller::Backend, "/users"),
        (Caller::Admin, "/admin/apps"),
    ] {
        for body in shapeless {
            // An empty body means "no options" to the options calls, which is valid there.
            if body.is_empty() && matches!(caller, Caller::Browser) {
                continue;
            }
            cases.push((caller, path, body.to_owned()));
        }
    }
    for body in [
        json!({"email": 5}),
        json!({"email": "not-an-email"}),
        json!({"display_name": []}),
        json!({"email": "new@example.com", "display_name": ""}),
        json!({"email": "new@example.com", "role": "admin"}),
    ] {
        cases.push((Caller::Browser, REGISTER_OPTIONS, body.to_string()));
    }
    for body in [
        json!({"email": 5}),
        json!({"email": "not-an-email"}),
        json!({"email": "ann@example.com", "x": 1}),
    ] {
        cases.push((Caller::Browser, AUTHENTICATE_OPTIONS, body.to_string()));
    }
    for body in [
        json!({"token": []}),
        json!({"token": 5}),
        json!({"token": null}),
        json!({}),
        json!({"token": "x", "extra": 1}),
    ] {
        cases.push((Caller::Backend, "/tokens/verify", body.to_string()));
    }
    for body in [
        json!({"email": 5}),
        json!({}),
        json!({"email": "not-an-email"}),
        json!({"email": "new@example.com", "metadata": []}),
        json!({"email": "new@example.com", "email_verified": "yes"}),
        json!({"email": "new@example.com", "given_name": "x".repeat(101)}),
        json!({"email": "new@example.com", "disabled": true}),
    ] {
        cases.push((Caller::Backend, "/users", body.to_string()));
    }
    for body in [
        json!({}).to_string(),
        app(json!({"id": 5})),
        app(json!({"id": "Not An Id"})),
        app(json!({"origins": ORIGIN})),
        app(json!({"origins": []})),
        app(json!({"origins": ["https://evil.example"]})),
        app(json!({"origins": ["https://example.com/path"]})),
        app(json!({"rp_id": "EXAMPLE.com"})),
        app(json!({"rp_id": 5})),
        app(json!({"redirect_uris": "https://example.com/callback"})),
        app(json!({"sign_up_allowed": "yes"})),
        app(json!({"unknown_setting": true})),
    ] {
        cases.push((Caller::Admin, "/admin/apps", body));
    }

    let before = t.db.snapshot().await;
    for (caller, path, body) in cases {
        println!("{caller:?} POST {path} {body}");
        let request = match caller {
            Caller::Browser => t.browser(Method::POST, path),
            Caller::Backend => t.api(Method::POST, path),
            Caller::Admin => t.admin(Method::POST, path),
        };
        let res = request
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
        assert_eq!(t.db.snapshot().await, before);
    }
    // None of it touched the signed-in user.
    let res = t
        .browser(Method::GET, "/sessions/current")
        .bearer_auth(ann.access_token())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

// 12. Oversized bodies.

/// Just over the 64 KiB limit.
const OVERSIZED: usize = 70 * 1024;

#[tokio::test]
async fn oversized_bodies_are_refused_without_side_effects() {
    let t = TestApp::spawn().await;
    let mut ann = t.sign_up("ann@example.com").await;
    let pad = "x".repeat(OVERSIZED);

    // Good WebAuthn responses, made too big by one extra member.
    let registration =
        registration_at(&t, &t.app, "bob@example.com", &CreateOptions::new(ORIGIN)).await;
    let assertion = t.assertion(&mut ann.credential, None).await;
    let mut padded_registration = registration.clone();
    padded_registration["pad"] = json!(pad);
    let mut padded_assertion = assertion.clone();
    padded_assertion["pad"] = json!(pad);

    let before = t.db.snapshot().await;
    let requests = [
        (
            "register/verify",
            t.browser(Method::POST, REGISTER_VERIFY)
                .json(&padded_registration),
        ),
        (
            "authenticate/verify",
            t.browser(Method::POST, AUTHENTICATE_VERIFY)
                .json(&padded_assertion),
        ),
        (
            "admin apps",
            t.admin(Method::POST, "/admin/apps").json(
                &json!({"id": "big", "name": pad, "rp_id": "example.com", "origins": [ORIGIN]}),
            ),
        ),
        (
            "users",
            t.api(Method::POST, "/users")
                .json(&json!({"email": "big@example.com", "metadata": {"pad": pad}})),
        ),
    ];
    for (label, request) in requests {
        println!("{label}");
        let res = request.send().await.unwrap();
        assert_problem(res, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
        assert_eq!(t.db.snapshot().await, before, "{label}");
    }

    // Refused for size alone: the same responses without the padding still go through.
    let res = t.post(REGISTER_VERIFY, &registration).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let res = t.post(AUTHENTICATE_VERIFY, &assertion).await;
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_body_limit_is_64_kib_exactly() {
    let t = TestApp::spawn().await;
    // A user whose metadata is far over its own 16 KiB limit, padded to a body of exactly
    // `size` bytes: at 64 KiB the body is read and the metadata refused; one byte more and the
    // body is not read at all.
    let body_of = |size: usize| {
        let empty = json!({"email": "big@example.com", "metadata": {"pad": ""}}).to_string();
        let body = json!({"email": "big@example.com", "metadata": {"pad": "x".repeat(size - empty.len())}}).to_string();
        assert_eq!(body.len(), size);
        body
    };
    let before = t.db.snapshot().await;
    let res = t
        .api(Method::POST, "/users")
        .header("content-type", "application/json")
        .body(body_of(64 * 1024))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
    assert!(
        problem["detail"].as_str().unwrap().contains("metadata"),
        "{problem}"
    );
    let res = t
        .api(Method::POST, "/users")
        .header("content-type", "application/json")
        .body(body_of(64 * 1024 + 1))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
    assert_eq!(t.db.snapshot().await, before);
}

#[tokio::test]
async fn an_oversized_chunked_body_is_refused() {
    let t = TestApp::spawn().await;
    let registration =
        registration_at(&t, &t.app, "bob@example.com", &CreateOptions::new(ORIGIN)).await;
    let mut padded = registration.clone();
    padded["pad"] = json!("x".repeat(OVERSIZED));
    let before = t.db.snapshot().await;
    // No Content-Length: the limit must hold while the body streams in.
    let (status, body) = post_chunked(
        &t,
        "/apps/acme/passkeys/register/verify",
        &serde_json::to_vec(&padded).unwrap(),
    )
    .await;
    assert_eq!(status, 413, "{body}");
    let problem: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(problem["code"], "payload_too_large");
    assert_eq!(t.db.snapshot().await, before);
    let res = t.post(REGISTER_VERIFY, &registration).await;
    assert_eq!(res.status(), StatusCode::CREATED);
}

/// POSTs `body` with `Transfer-Encoding: chunked` over a raw connection (reqwest here has no
/// streaming bodies); returns the status and the response body.
async fn post_chunked(t: &TestApp, path: &str, body: &[u8]) -> (u16, String) {
    let addr = t.server.base.strip_prefix("http://").unwrap();
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nOrigin: {ORIGIN}\r\nContent-Type: application/json\r\n\
         Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    for chunk in body.chunks(4096) {
        let mut framed = format!("{:x}\r\n", chunk.len()).into_bytes();
        framed.extend_from_slice(chunk);
        framed.extend_from_slice(b"\r\n");
        // The server may answer and stop reading before the end: that is the point.
        if stream.write_all(&framed).await.is_err() {
            break;
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n").await;
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw).await;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("no response: {text:?}"));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("status line: {head}"));
    (status, body.to_owned())
}

// 13. Disabled users.

#[tokio::test]
async fn a_disabled_user_cannot_sign_in_and_their_tokens_stop_working() {
    let t = TestApp::spawn().await;
    let mut ann = t.sign_up("ann@example.com").await;
    let token = ann.access_token().to_owned();
    let res = t
        .browser(Method::GET, "/sessions/current")
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "the token works before");

    let res = t
        .api(Method::PATCH, &format!("/users/{}", ann.user_id()))
        .json(&json!({"disabled": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.json::<Value>().await.unwrap()["disabled"], true);

    let assertion = t.assertion(&mut ann.credential, None).await;
    let sessions = t.db.count("sessions").await;
    let res = t.post(AUTHENTICATE_VERIFY, &assertion).await;
    assert!(
        session_cookie(&res).is_none(),
        "no cookie for a refused sign-in"
    );
    assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
    assert_eq!(
        t.db.count("sessions").await,
        sessions,
        "no session was created"
    );

    let res = t
        .browser(Method::GET, "/sessions/current")
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = t
        .browser(Method::GET, "/sessions/current")
        .header("cookie", &ann.cookie)
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(t.verify_token(&token).await["valid"], false);
}

/// A challenge is good for exactly one attempt, including one refused because the account is
/// disabled: otherwise the refused assertion signs in once the account is enabled again.
#[tokio::test]
async fn a_sign_in_refused_for_a_disabled_user_still_uses_up_its_challenge() {
    let t = TestApp::spawn().await;
    let mut ann = t.sign_up("ann@example.com").await;
    let user = format!("/users/{}", ann.user_id());
    let res = t
        .api(Method::PATCH, &user)
        .json(&json!({"disabled": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);

    let assertion = t.assertion(&mut ann.credential, None).await;
    let before = t.db.snapshot().await;
    let res = t.post(AUTHENTICATE_VERIFY, &assertion).await;
    assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
    // The attempt legitimately used up its ceremony, and nothing else changed.
    assert_eq!(t.db.snapshot().await, minus_one_ceremony(&before));
    let failed = t.events("sign_in.failed").await;
    assert_eq!(failed.len(), 1, "the refused attempt is in the audit log");

    let res = t
        .api(Method::PATCH, &user)
        .json(&json!({"disabled": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let res = t.post(AUTHENTICATE_VERIFY, &assertion).await;
    assert_problem(res, StatusCode::BAD_REQUEST, "challenge_expired").await;
}

// 14. Unknown apps and routes.

#[tokio::test]
async fn unknown_apps_and_routes_are_not_found() {
    let t = TestApp::spawn().await;
    let registration =
        registration_at(&t, &t.app, "ann@example.com", &CreateOptions::new(ORIGIN)).await;
    let before = t.db.snapshot().await;
    let requests = [
        (
            "GET /apps/nope/config",
            t.http.get(t.url("/apps/nope/config")),
        ),
        (
            "POST /apps/nope/passkeys/authenticate/options",
            t.browser_for("nope", Method::POST, AUTHENTICATE_OPTIONS)
                .json(&json!({})),
        ),
        (
            "POST /apps/nope/passkeys/register/options",
            t.browser_for("nope", Method::POST, REGISTER_OPTIONS)
                .json(&json!({"email": "bob@example.com"})),
        ),
        (
            "POST /apps/nope/passkeys/register/verify with acme's response",
            t.browser_for("nope", Method::POST, REGISTER_VERIFY)
                .json(&registration),
        ),
        (
            "GET /apps/Not%20An%20App/config",
            t.http.get(t.url("/apps/Not%20An%20App/config")),
        ),
        ("GET /nope", t.http.get(t.url("/nope"))),
        ("GET /apps/acme/nope", t.http.get(t.url("/apps/acme/nope"))),
        (
            "POST /apps/acme/passkeys/nope/deeper",
            t.browser(Method::POST, "/passkeys/nope/deeper")
                .json(&json!({})),
        ),
        ("GET /admin/nope", t.admin(Method::GET, "/admin/nope")),
    ];
    for (label, request) in requests {
        println!("{label}");
        let res = request.send().await.unwrap();
        assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    }
    assert_eq!(t.db.snapshot().await, before);
    // acme's ceremony was not touched by the post to `nope`.
    let res = t.post(REGISTER_VERIFY, &registration).await;
    assert_eq!(res.status(), StatusCode::CREATED);
}
