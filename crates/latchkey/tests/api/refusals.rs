//! Refusals: every way a request can be turned away, shown over real HTTP with its exact status
//! and problem `code`, and shown to change nothing in the store that it should not.
//!
//! A refused WebAuthn response is allowed exactly one side effect: when the server could only
//! tell it was bad by checking it against its ceremony, that ceremony is used up (a challenge is
//! good for one attempt). Every such case says so and asserts the ceremonies count fell by
//! exactly one and nothing else moved; every other refusal must leave the snapshot identical.
//!
//! Malformed requests go through the harness's one escape hatch, [`TestApp::request`]; every
//! well-formed one through the endpoint methods. Expiry is shown by moving the server's clock.

use std::time::Duration;

use latchkey_authenticator::{CreateOptions, Credential, GetOptions};
use latchkey_test::helpers::{b64url as b64, unb64url as unb64, with_bad_signature};
use latchkey_test::{ADMIN_KEY, ORIGIN, TestApp, assert_problem, session_cookie};
use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};
use sqlx::Row as _;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

/// Row counts per table, as `TestDb::snapshot` returns them.
type Snapshot = Vec<(String, i64)>;

const REGISTER_VERIFY: &str = "/passkeys/register/verify";
const AUTHENTICATE_VERIFY: &str = "/passkeys/authenticate/verify";

/// How long a challenge lives.
const CEREMONY_TTL: Duration = Duration::from_secs(300);

/// What a request that legitimately used up one ceremony, and did nothing else, leaves behind:
/// one row fewer on PostgreSQL; on SQLite ceremonies wait in the server's memory and the table
/// stays empty, so nothing moves ([`used_up`] shows the ceremony gone on both).
fn minus_one_ceremony(t: &TestApp, snapshot: &Snapshot) -> Snapshot {
    let mut expected = snapshot.clone();
    if t.db.is_postgres() {
        let ceremonies = expected
            .iter_mut()
            .find(|(table, _)| table == "ceremonies")
            .unwrap();
        ceremonies.1 -= 1;
    }
    expected
}

/// Whether the ceremony that `valid` answers was used up, shown by posting that valid answer
/// to `path`: refused as `challenge_expired` if it was, accepted (2xx) if not.
async fn used_up(t: &TestApp, path: &str, valid: &Value) -> bool {
    let res = post_raw(t, path, serde_json::to_vec(valid).unwrap()).await;
    if res.status().is_success() {
        return false;
    }
    assert_problem(res, StatusCode::BAD_REQUEST, "challenge_expired").await;
    true
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

/// A browser-API POST of raw bytes, labelled as JSON, to the app's `path`.
async fn post_raw(t: &TestApp, path: &str, body: Vec<u8>) -> Response {
    t.request(Method::POST, &format!("/apps/{}{path}", t.app))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap()
}

/// A registration response for fresh sign-up options of `t`'s app, made with `opts`.
async fn registration(t: &TestApp, email: &str, opts: &CreateOptions) -> Value {
    t.registration(json!({"email": email}), opts).await.0
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
    let untampered = t.assertion(&mut ann.credential, None).await;
    // The DER stays well formed, only the value is wrong: this reaches the signature check.
    let assertion = with_bad_signature(&untampered);

    let before = t.db.snapshot().await;
    let res = t.finish_authentication(&assertion).await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_credential").await;
    // The ceremony was legitimately used up by the failed attempt; nothing else changed.
    assert_eq!(t.db.snapshot().await, minus_one_ceremony(&t, &before));
    assert!(used_up(&t, AUTHENTICATE_VERIFY, &untampered).await);

    let failed = t.events("sign_in.failed").await;
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["user_id"], ann.body["user"]["id"]);
    assert_eq!(failed[0]["data"]["method"], "passkey");
    assert_failures(&t, 1, "signature").await;

    // The same body again: the challenge is gone.
    let res = t.finish_authentication(&assertion).await;
    assert_problem(res, StatusCode::BAD_REQUEST, "challenge_expired").await;
    assert_eq!(t.db.snapshot().await, minus_one_ceremony(&t, &before));

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
    let res = t.finish_authentication(&assertion).await;
    assert_eq!(res.status(), StatusCode::OK);
    let after_first = t.db.snapshot().await;
    let res = t.finish_authentication(&assertion).await;
    assert_problem(res, StatusCode::BAD_REQUEST, "challenge_expired").await;
    assert_eq!(t.db.snapshot().await, after_first);
}

#[tokio::test]
async fn a_replayed_registration_is_refused() {
    let t = TestApp::spawn().await;
    let response = registration(&t, "ann@example.com", &CreateOptions::new(ORIGIN)).await;
    let res = t.finish_registration(&response).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let after_first = t.db.snapshot().await;
    let res = t.finish_registration(&response).await;
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
    let before = t.db.snapshot().await;
    let mut attempts = tokio::task::JoinSet::new();
    for _ in 0..32 {
        let (t, assertion) = (t.clone(), assertion.clone());
        attempts.spawn(async move { t.finish_authentication(&assertion).await });
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
    let ceremonies = |snapshot: Snapshot| snapshot.into_iter().find(|(n, _)| n == "ceremonies");
    assert_eq!(
        ceremonies(t.db.snapshot().await),
        ceremonies(minus_one_ceremony(&t, &before))
    );
    for res in refused {
        assert_problem(res, StatusCode::BAD_REQUEST, "challenge_expired").await;
    }
    assert_eq!(failure_reasons(&t).await, Vec::<String>::new());
}

// 3. Expired challenges.

#[tokio::test]
async fn an_expired_registration_challenge_is_refused() {
    let t = TestApp::spawn().await;
    let response = registration(&t, "ann@example.com", &CreateOptions::new(ORIGIN)).await;
    t.advance(CEREMONY_TTL);
    let before = t.db.snapshot().await;
    let res = t.finish_registration(&response).await;
    assert_problem(res, StatusCode::BAD_REQUEST, "challenge_expired").await;
    // The expired ceremony is deleted when it is met (legitimately gone); no user, passkey or
    // session appeared.
    assert_eq!(t.db.snapshot().await, minus_one_ceremony(&t, &before));
    assert_eq!(t.db.count("users").await, 0);
}

#[tokio::test]
async fn an_expired_authentication_challenge_is_refused() {
    let t = TestApp::spawn().await;
    let mut ann = t.sign_up("ann@example.com").await;
    let assertion = t.assertion(&mut ann.credential, None).await;
    t.advance(CEREMONY_TTL);
    let before = t.db.snapshot().await;
    let res = t.finish_authentication(&assertion).await;
    assert_problem(res, StatusCode::BAD_REQUEST, "challenge_expired").await;
    // The expired ceremony is deleted when it is met (legitimately gone); no session appeared.
    assert_eq!(t.db.snapshot().await, minus_one_ceremony(&t, &before));
}

#[tokio::test]
async fn a_challenge_is_good_until_its_five_minutes_are_up() {
    let t = TestApp::spawn().await;
    let response = registration(&t, "ann@example.com", &CreateOptions::new(ORIGIN)).await;
    t.advance(CEREMONY_TTL - Duration::from_secs(10));
    let res = t.finish_registration(&response).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let mut ann = t.sign_up("bob@example.com").await;
    let assertion = t.assertion(&mut ann.credential, None).await;
    t.advance(CEREMONY_TTL - Duration::from_secs(10));
    let res = t.finish_authentication(&assertion).await;
    assert_eq!(res.status(), StatusCode::OK);
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
        let response = registration(&t, &email, &CreateOptions::new(origin)).await;
        let before = t.db.snapshot().await;
        let res = t.finish_registration(&response).await;
        assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_credential").await;
        // Only verification tells: the ceremony is used up, nothing else changes.
        assert_eq!(
            t.db.snapshot().await,
            minus_one_ceremony(&t, &before),
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
        let assertion = t
            .assertion_with(&mut ann.credential, None, &GetOptions::new(origin))
            .await;
        let before = t.db.snapshot().await;
        let res = t.finish_authentication(&assertion).await;
        assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_credential").await;
        // Only verification tells: the ceremony is used up, nothing else changes.
        assert_eq!(
            t.db.snapshot().await,
            minus_one_ceremony(&t, &before),
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
        let response = registration(&t, &format!("user{i}@example.com"), &opts).await;
        let before = t.db.snapshot().await;
        let res = t.finish_registration(&response).await;
        assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_credential").await;
        // Only verification tells: the ceremony is used up, nothing else changes.
        assert_eq!(
            t.db.snapshot().await,
            minus_one_ceremony(&t, &before),
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
        let assertion = t.assertion_with(&mut ann.credential, None, &opts).await;
        let before = t.db.snapshot().await;
        let res = t.finish_authentication(&assertion).await;
        assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_credential").await;
        // Only verification tells: the ceremony is used up, nothing else changes.
        assert_eq!(
            t.db.snapshot().await,
            minus_one_ceremony(&t, &before),
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
    let (_never_posted, mut ghost) = t
        .registration(
            json!({"email": "ghost@example.com"}),
            &CreateOptions::new(ORIGIN),
        )
        .await;
    let assertion = t.assertion(&mut ghost, None).await;
    let before = t.db.snapshot().await;
    let res = t.finish_authentication(&assertion).await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_credential").await;
    // The lookup fails only once the ceremony is found: it is used up, nothing else changes.
    assert_eq!(t.db.snapshot().await, minus_one_ceremony(&t, &before));
    assert_failures(&t, 1, "not registered").await;
}

// 7. and 8. Apps are islands: credentials and challenges of one are unknown to another.

#[tokio::test]
async fn a_credential_of_another_app_is_refused_both_ways() {
    let t = TestApp::spawn().await;
    let other = t.new_app("other", json!({})).await;
    // The same person, by the same address, in both apps (same RP ID example.com).
    let mut at_other = other.sign_up("ann@example.com").await.credential;
    let mut at_acme = t.sign_up("ann@example.com").await.credential;

    for (used_at, credential) in [(&t, &mut at_other), (&other, &mut at_acme)] {
        println!("used at {}", used_at.app);
        let assertion = used_at.assertion(credential, None).await;
        let before = t.db.snapshot().await;
        let res = used_at.finish_authentication(&assertion).await;
        assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_credential").await;
        // The lookup fails only once the ceremony is found: it is used up, nothing else changes.
        assert_eq!(
            t.db.snapshot().await,
            minus_one_ceremony(&t, &before),
            "{}",
            used_at.app
        );
    }
    // acme's audit log holds its own refusal, not other's.
    assert_failures(&t, 1, "not registered").await;

    // Each passkey still signs in where it was registered.
    for (app, credential) in [(&other, &mut at_other), (&t, &mut at_acme)] {
        let res = app.sign_in(credential, None).await;
        assert_eq!(res.status(), StatusCode::OK, "{}", app.app);
    }
}

#[tokio::test]
async fn a_challenge_of_another_app_is_unknown_and_left_alone() {
    let t = TestApp::spawn().await;
    let other = t.new_app("other", json!({})).await;
    let mut ann = other.sign_up("ann@example.com").await.credential;

    // Sign-in: other's challenge posted to acme.
    let assertion = other.assertion(&mut ann, None).await;
    let before = t.db.snapshot().await;
    let res = t.finish_authentication(&assertion).await;
    assert_problem(res, StatusCode::BAD_REQUEST, "challenge_expired").await;
    assert_eq!(
        t.db.snapshot().await,
        before,
        "other's ceremony is not consumed"
    );
    let res = other.finish_authentication(&assertion).await;
    assert_eq!(res.status(), StatusCode::OK);

    // Sign-up: other's challenge posted to acme.
    let response = registration(&other, "bob@example.com", &CreateOptions::new(ORIGIN)).await;
    let before = t.db.snapshot().await;
    let res = t.finish_registration(&response).await;
    assert_problem(res, StatusCode::BAD_REQUEST, "challenge_expired").await;
    assert_eq!(
        t.db.snapshot().await,
        before,
        "other's ceremony is not consumed"
    );
    let res = other.finish_registration(&response).await;
    assert_eq!(res.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn a_challenge_answers_only_its_own_kind_of_ceremony() {
    let t = TestApp::spawn().await;
    let mut ann = t.sign_up("ann@example.com").await;

    // A registration response posted to authenticate/verify.
    let response = registration(&t, "bob@example.com", &CreateOptions::new(ORIGIN)).await;
    let before = t.db.snapshot().await;
    let res = t.finish_authentication(&response).await;
    assert_problem(res, StatusCode::BAD_REQUEST, "challenge_expired").await;
    assert_eq!(t.db.snapshot().await, before);
    let res = t.finish_registration(&response).await;
    assert_eq!(res.status(), StatusCode::CREATED);

    // An assertion posted to register/verify.
    let assertion = t.assertion(&mut ann.credential, None).await;
    let before = t.db.snapshot().await;
    let res = t.finish_registration(&assertion).await;
    assert_problem(res, StatusCode::BAD_REQUEST, "challenge_expired").await;
    assert_eq!(t.db.snapshot().await, before);
    let res = t.finish_authentication(&assertion).await;
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
        let assertion = t.assertion_with(&mut ann.credential, None, &opts).await;
        let before = t.db.snapshot().await;
        let res = t.finish_authentication(&assertion).await;
        assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_credential").await;
        // Only verification tells: the ceremony is used up, nothing else changes.
        assert_eq!(
            t.db.snapshot().await,
            minus_one_ceremony(&t, &before),
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
    let other = t.new_app("other", json!({})).await;
    let ann = t.sign_up("ann@example.com").await;
    let auth_token = ann.auth_token().to_owned();
    // One character off acme's real key: the right shape, not a key.
    let mut forged = t.api_key.clone();
    let last = forged.pop().unwrap();
    forged.push(if last == 'A' { 'B' } else { 'A' });

    let before = t.db.snapshot().await;
    for (label, key) in [
        ("other app's key", other.api_key.as_str()),
        ("no key", ""),
        ("garbage", "garbage"),
        ("forged acme key", forged.as_str()),
        ("admin key", ADMIN_KEY),
    ] {
        let backend = t.with_api_key(key);
        let calls = [
            ("GET /users", backend.list_users("").await),
            (
                "POST /tokens/verify",
                backend.tokens_verify(json!({"token": auth_token})).await,
            ),
            ("GET /events", backend.list_events("").await),
        ];
        for (call, res) in calls {
            println!("{label} on {call}");
            assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
        }
    }
    // Refused calls redeemed nothing: the auth token is still good for acme's own key, once.
    assert_eq!(t.db.snapshot().await, before);
    let verified = t.verify_token(&auth_token).await;
    assert_eq!(verified["valid"], true);
    // And other's key does work on other's own paths.
    let res = other.list_users("").await;
    assert_eq!(res.status(), StatusCode::OK);

    // App keys are not admin keys.
    let before = t.db.snapshot().await;
    let new_app =
        json!({"id": "sneaky", "name": "Sneaky", "rp_id": "example.com", "origins": [ORIGIN]});
    for key in [
        t.api_key.as_str(),
        other.api_key.as_str(),
        "",
        "lk_admin_garbage",
    ] {
        println!("{key:?} on /admin/apps");
        let operator = t.with_admin_key(key);
        let res = operator.list_apps("").await;
        assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
        let res = operator.create_app(new_app.clone()).await;
        assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    }
    assert_eq!(t.db.snapshot().await, before);
    let res = t.list_apps("").await;
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
    let mut signed_up = 0;
    for (i, case) in registration_cases().into_iter().enumerate() {
        println!("case: {}", case.case);
        let email = format!("new{i}@example.com");
        let response = registration(&t, &email, &CreateOptions::new(ORIGIN)).await;
        let before = t.db.snapshot().await;
        let res = post_raw(&t, REGISTER_VERIFY, (case.body)(response.clone())).await;
        assert_problem(res, case.status, case.code).await;
        let expected = if case.burns_ceremony {
            minus_one_ceremony(&t, &before)
        } else {
            before
        };
        assert_eq!(t.db.snapshot().await, expected, "{}", case.case);
        // The refusal used the ceremony up exactly when the case says so: the untouched
        // response is then refused, or still signs up.
        let burned = used_up(&t, REGISTER_VERIFY, &response).await;
        assert_eq!(burned, case.burns_ceremony, "{}", case.case);
        signed_up += usize::from(!burned);
    }
    assert_eq!(t.db.count("users").await, signed_up as i64);
    assert_eq!(t.db.count("passkeys").await, signed_up as i64);
}

#[tokio::test]
async fn malformed_assertions_are_refused_without_side_effects() {
    let t = TestApp::spawn().await;
    let mut ann = t.sign_up("ann@example.com").await;
    for case in assertion_cases() {
        println!("case: {}", case.case);
        let assertion = t.assertion(&mut ann.credential, None).await;
        let before = t.db.snapshot().await;
        let res = post_raw(&t, AUTHENTICATE_VERIFY, (case.body)(assertion.clone())).await;
        assert_problem(res, case.status, case.code).await;
        let expected = if case.burns_ceremony {
            minus_one_ceremony(&t, &before)
        } else {
            before
        };
        assert_eq!(t.db.snapshot().await, expected, "{}", case.case);
        let burned = used_up(&t, AUTHENTICATE_VERIFY, &assertion).await;
        assert_eq!(burned, case.burns_ceremony, "{}", case.case);
    }
    // The userHandle is required only without an email: a sign-in restricted to the user's
    // passkeys may leave it null, as WebAuthn allows for that kind of request.
    let mut assertion = t
        .assertion(&mut ann.credential, Some("ann@example.com"))
        .await;
    assertion["response"]["userHandle"] = Value::Null;
    let res = t.finish_authentication(&assertion).await;
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
    const REGISTER_OPTIONS: &str = "/passkeys/register/options";
    const AUTHENTICATE_OPTIONS: &str = "/passkeys/authenticate/options";
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
            Caller::Browser => t.request(Method::POST, &format!("/apps/acme{path}")),
            Caller::Backend => t
                .as_backend()
                .request(Method::POST, &format!("/apps/acme{path}")),
            Caller::Admin => t.as_admin().request(Method::POST, path),
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
    let res = t.with_bearer(ann.access_token()).current_session().await;
    assert_eq!(res.status(), StatusCode::OK);
}

// 12. Oversized bodies.

/// Just over the 64 KiB limit.
const OVERSIZED: usize = 70 * 1024;

/// Asserts `res` is a 413 that left the store as it was in `before`.
async fn refused_for_size(t: &TestApp, before: &Snapshot, label: &str, res: Response) {
    println!("{label}");
    assert_problem(res, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
    assert_eq!(&t.db.snapshot().await, before, "{label}");
}

#[tokio::test]
async fn oversized_bodies_are_refused_without_side_effects() {
    let t = TestApp::spawn().await;
    let mut ann = t.sign_up("ann@example.com").await;
    let pad = "x".repeat(OVERSIZED);

    // Good WebAuthn responses, made too big by one extra member.
    let registration = registration(&t, "bob@example.com", &CreateOptions::new(ORIGIN)).await;
    let assertion = t.assertion(&mut ann.credential, None).await;
    let mut padded_registration = registration.clone();
    padded_registration["pad"] = json!(pad);
    let mut padded_assertion = assertion.clone();
    padded_assertion["pad"] = json!(pad);

    let before = t.db.snapshot().await;
    let res = t.finish_registration(&padded_registration).await;
    refused_for_size(&t, &before, "register/verify", res).await;
    let res = t.finish_authentication(&padded_assertion).await;
    refused_for_size(&t, &before, "authenticate/verify", res).await;
    let res = t
        .create_app(json!({"id": "big", "name": pad, "rp_id": "example.com", "origins": [ORIGIN]}))
        .await;
    refused_for_size(&t, &before, "admin apps", res).await;
    let res = t
        .create_user(json!({"email": "big@example.com", "metadata": {"pad": pad}}))
        .await;
    refused_for_size(&t, &before, "users", res).await;

    // Refused for size alone: the same responses without the padding still go through.
    let res = t.finish_registration(&registration).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let res = t.finish_authentication(&assertion).await;
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
    let post_user = |body: String| {
        t.as_backend()
            .request(Method::POST, "/apps/acme/users")
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let before = t.db.snapshot().await;
    let res = post_user(body_of(64 * 1024)).await.unwrap();
    let problem = assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
    assert!(
        problem["detail"].as_str().unwrap().contains("metadata"),
        "{problem}"
    );
    let res = post_user(body_of(64 * 1024 + 1)).await.unwrap();
    assert_problem(res, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
    assert_eq!(t.db.snapshot().await, before);
}

#[tokio::test]
async fn an_oversized_chunked_body_is_refused() {
    let t = TestApp::spawn().await;
    let registration = registration(&t, "bob@example.com", &CreateOptions::new(ORIGIN)).await;
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
    let res = t.finish_registration(&registration).await;
    assert_eq!(res.status(), StatusCode::CREATED);
}

/// POSTs `body` with `Transfer-Encoding: chunked` over a raw connection (reqwest here has no
/// streaming bodies); returns the status and the response body.
async fn post_chunked(t: &TestApp, path: &str, body: &[u8]) -> (u16, String) {
    let addr = t.base.strip_prefix("http://").unwrap();
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
    let res = t.with_bearer(&token).current_session().await;
    assert_eq!(res.status(), StatusCode::OK, "the token works before");

    let res = t.patch_user(ann.user_id(), json!({"disabled": true})).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.json::<Value>().await.unwrap()["disabled"], true);

    let assertion = t.assertion(&mut ann.credential, None).await;
    let sessions = t.db.count("sessions").await;
    let res = t.finish_authentication(&assertion).await;
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

    let res = t.with_bearer(&token).current_session().await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = t.with_cookie(&ann.cookie).current_session().await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(t.verify_token(&token).await["valid"], false);
}

/// A challenge is good for exactly one attempt, including one refused because the account is
/// disabled: otherwise the refused assertion signs in once the account is enabled again.
#[tokio::test]
async fn a_sign_in_refused_for_a_disabled_user_still_uses_up_its_challenge() {
    let t = TestApp::spawn().await;
    let mut ann = t.sign_up("ann@example.com").await;
    let res = t.patch_user(ann.user_id(), json!({"disabled": true})).await;
    assert_eq!(res.status(), StatusCode::OK);

    let assertion = t.assertion(&mut ann.credential, None).await;
    let before = t.db.snapshot().await;
    let res = t.finish_authentication(&assertion).await;
    assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
    // The attempt legitimately used up its ceremony, and nothing else changed.
    assert_eq!(t.db.snapshot().await, minus_one_ceremony(&t, &before));
    let failed = t.events("sign_in.failed").await;
    assert_eq!(failed.len(), 1, "the refused attempt is in the audit log");

    let res = t
        .patch_user(ann.user_id(), json!({"disabled": false}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = t.finish_authentication(&assertion).await;
    assert_problem(res, StatusCode::BAD_REQUEST, "challenge_expired").await;
}

// 14. Unknown apps and routes.

#[tokio::test]
async fn unknown_apps_and_routes_are_not_found() {
    let t = TestApp::spawn().await;
    let registration = registration(&t, "ann@example.com", &CreateOptions::new(ORIGIN)).await;
    let before = t.db.snapshot().await;
    let nope = t.for_app("nope", "");
    let anonymous = t.without_origin();
    let answers = [
        (
            "GET /apps/nope/config",
            nope.without_origin().config().await,
        ),
        (
            "POST /apps/nope/passkeys/authenticate/options",
            nope.authenticate_options(json!({})).await,
        ),
        (
            "POST /apps/nope/passkeys/register/options",
            nope.register_options(json!({"email": "bob@example.com"}))
                .await,
        ),
        (
            "POST /apps/nope/passkeys/register/verify with acme's response",
            nope.finish_registration(&registration).await,
        ),
        (
            "GET /apps/Not%20An%20App/config",
            t.for_app("Not%20An%20App", "")
                .without_origin()
                .config()
                .await,
        ),
        (
            "GET /nope",
            anonymous
                .request(Method::GET, "/nope")
                .send()
                .await
                .unwrap(),
        ),
        (
            "GET /apps/acme/nope",
            anonymous
                .request(Method::GET, "/apps/acme/nope")
                .send()
                .await
                .unwrap(),
        ),
        (
            "POST /apps/acme/passkeys/nope/deeper",
            t.request(Method::POST, "/apps/acme/passkeys/nope/deeper")
                .json(&json!({}))
                .send()
                .await
                .unwrap(),
        ),
        (
            "GET /admin/nope",
            t.as_admin()
                .request(Method::GET, "/admin/nope")
                .send()
                .await
                .unwrap(),
        ),
    ];
    for (label, res) in answers {
        println!("{label}");
        assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    }
    assert_eq!(t.db.snapshot().await, before);
    // acme's ceremony was not touched by the post to `nope`.
    let res = t.finish_registration(&registration).await;
    assert_eq!(res.status(), StatusCode::CREATED);
}

/// Where an access token is optional (sign-up or an added passkey, sign-out, email codes), a bad
/// one is refused with 401, as the description says, never taken for no token at all.
#[tokio::test]
async fn an_optional_access_token_that_is_bad_is_refused() {
    let t = TestApp::spawn().await;
    let bad = t.with_bearer("not-a-token");
    let res = bad
        .register_options(json!({"email": "ann@example.com"}))
        .await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = bad.sign_out().await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = bad.request_email_code("ann@example.com", "sign_in").await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
}
