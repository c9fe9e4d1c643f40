//! The one rate limiter on every unauthenticated path: each rule refusing with the same 429,
//! `Retry-After` and problem, counting per client (behind a trusted proxy, per forwarded
//! client), and letting the client in again once its window has passed. Limits are set low
//! with `LATCHKEY_RATE_LIMITS` so that a few requests reach them.

use std::time::Duration;

use latchkey_test::helpers::{b64url, with_bad_signature};
use latchkey_test::{TestApp, assert_json, assert_problem};
use reqwest::{Method, Response, StatusCode};
use serde_json::json;

/// A server with `limits`, behind a trusted proxy on loopback, so each test client can be its
/// own forwarded address.
async fn spawn(limits: &str) -> TestApp {
    let limits = limits.to_owned();
    TestApp::spawn_with(move |c| {
        c.rate_limits = Some(limits);
        c.trusted_proxies = Some("127.0.0.0/8".to_owned());
    })
    .await
}

/// Asserts the one refusal shape: 429, `rate_limited`, `Retry-After` equal to the body's
/// `retry_after`; returns the wait.
async fn assert_limited(res: Response) -> u64 {
    let header: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let body = assert_problem(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    assert_eq!(body["retry_after"], header);
    assert!(header >= 1);
    header
}

#[tokio::test]
async fn passkey_options_and_answers_are_limited_per_client() {
    let t = spawn("passkey_options=3/60,passkey_verify=2/60").await;
    let ann = t.with_forwarded_for("198.51.100.1");
    for _ in 0..3 {
        let res = ann.authenticate_options(json!({})).await;
        assert_eq!(res.status(), StatusCode::OK);
    }
    // Sign-in and sign-up options share the budget.
    let wait = assert_limited(ann.authenticate_options(json!({})).await).await;
    assert!(wait <= 60, "{wait}");
    assert_limited(
        ann.register_options(json!({"email": "ann@example.com"}))
            .await,
    )
    .await;
    // Another client is not affected.
    let bob = t.with_forwarded_for("198.51.100.2");
    assert_eq!(
        bob.authenticate_options(json!({})).await.status(),
        StatusCode::OK
    );
    // Answers are counted whether or not they are any good.
    for _ in 0..2 {
        let res = ann.finish_authentication(&json!({})).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    }
    assert_limited(ann.finish_authentication(&json!({})).await).await;
    assert_limited(ann.finish_registration(&json!({})).await).await;
    // Once the window has passed, the client may ask again.
    t.advance(Duration::from_secs(wait));
    assert_eq!(
        ann.authenticate_options(json!({})).await.status(),
        StatusCode::OK
    );
}

/// Failed assertions are limited per passkey and client, and per client: an attacker trying a
/// person's passkey is stopped, and the person, elsewhere, still signs in (a limit per passkey
/// alone would let anyone lock its owner out).
#[tokio::test]
async fn failed_assertions_are_limited_without_locking_the_owner_out() {
    let t = spawn("failed_assertions_passkey=2/900,failed_assertions=4/900").await;
    let mut ann = t.sign_up("ann@example.com").await;
    let mut bob = t.sign_up("bob@example.com").await;
    let attacker = t.with_forwarded_for("203.0.113.9");
    for _ in 0..2 {
        let assertion = with_bad_signature(&attacker.assertion(&mut ann.credential, None).await);
        let res = attacker.finish_authentication(&assertion).await;
        assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_credential").await;
    }
    // The next try with Ann's passkey from there is refused before it is checked, even a good
    // one.
    let good = attacker.assertion(&mut ann.credential, None).await;
    assert_limited(attacker.finish_authentication(&good).await).await;
    // Ann, from her own address, signs in.
    let res = t
        .with_forwarded_for("198.51.100.1")
        .sign_in(&mut ann.credential, Some("ann@example.com"))
        .await;
    assert_eq!(res.status(), StatusCode::OK);

    // The attacker moves on to Bob's passkey: two more failures reach the per-client limit…
    for _ in 0..2 {
        let assertion = with_bad_signature(&attacker.assertion(&mut bob.credential, None).await);
        let res = attacker.finish_authentication(&assertion).await;
        assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_credential").await;
    }
    // …and any assertion from there now waits.
    let good = attacker.assertion(&mut bob.credential, None).await;
    assert_limited(attacker.finish_authentication(&good).await).await;
    // A passkey the app does not know counts as a failure too (here from a fresh client).
    let other = t.with_forwarded_for("203.0.113.10");
    let id = b64url(&bob.credential.id);
    let res = t.delete_user_passkey(bob.user_id(), &id).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    for _ in 0..2 {
        let res = other.sign_in(&mut bob.credential, None).await;
        assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_credential").await;
    }
    let res = other.sign_in(&mut bob.credential, None).await;
    assert_limited(res).await;
}

#[tokio::test]
async fn sign_ups_are_limited_per_client_and_adding_a_passkey_is_not_one() {
    let t = spawn("sign_ups=2/3600").await;
    let here = t.with_forwarded_for("198.51.100.1");
    let ann = here.sign_up("ann@example.com").await;
    here.sign_up("bob@example.com").await;
    let wait = assert_limited(
        here.register_options(json!({"email": "carol@example.com"}))
            .await,
    )
    .await;
    assert!(wait > 60 && wait <= 3600, "{wait}");
    // Signed in, adding a passkey to one's account is not a sign-up.
    let res = here
        .with_cookie(&ann.cookie)
        .register_options(json!({}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    // Another client signs up.
    t.with_forwarded_for("198.51.100.2")
        .sign_up("carol@example.com")
        .await;
}

#[tokio::test]
async fn refreshes_and_token_calls_without_a_key_are_limited_per_client() {
    let t = spawn("refresh=2/60,tokens=3/60").await;
    let ann = t.sign_up("ann@example.com").await;
    let mut refresh = ann.refresh_token().to_owned();
    for _ in 0..2 {
        let body = assert_json(t.refresh(&refresh).await, StatusCode::OK).await;
        refresh = body["refresh_token"].as_str().unwrap().to_owned();
    }
    assert_limited(t.refresh(&refresh).await).await;
    // Refused before it was looked at: the token still works elsewhere.
    let res = t.with_forwarded_for("198.51.100.1").refresh(&refresh).await;
    assert_eq!(res.status(), StatusCode::OK);

    // PasskeyMe's token check and user lookup, PlainKey's client credentials: one budget.
    let params = [("token", ann.access_token()), ("app_id", t.app.as_str())];
    let res = t.passkeyme_verify_token(&params).await;
    assert_eq!(assert_json(res, StatusCode::OK).await["valid"], true);
    let res = t.passkeyme_user(ann.access_token()).await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = t.plainkey_access_token(&t.app, &t.api_key).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_limited(t.passkeyme_verify_token(&params).await).await;
    assert_limited(t.plainkey_access_token(&t.app, &t.api_key).await).await;
}

/// API keys, admin keys and server tokens that do not work are counted per client; past the
/// limit they are answered 429, while a key that works always goes through (no one sharing an
/// address with an app's backend can lock it out).
#[tokio::test]
async fn keys_that_do_not_work_are_limited_per_client() {
    let t = spawn("bad_keys=3/60").await;
    let guesser = t.with_forwarded_for("203.0.113.9").without_origin();
    let users = format!("/apps/{}/users", t.app);
    let get = |view: TestApp, path: String| async move {
        view.request(Method::GET, &path).send().await.unwrap()
    };
    for guess in ["lk_sk_guess", "lk_sk_another", "not even a key"] {
        let res = get(guesser.with_bearer(guess), users.clone()).await;
        assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    }
    let res = get(guesser.with_bearer("lk_sk_more"), users.clone()).await;
    assert_limited(res).await;
    let res = get(
        guesser.with_bearer("lk_admin_guess"),
        "/admin/apps".to_owned(),
    )
    .await;
    assert_limited(res).await;
    // Keys that work go through, from there too.
    let res = get(guesser.with_bearer(&t.api_key), users.clone()).await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = get(guesser.with_bearer(&t.admin_key), "/admin/apps".to_owned()).await;
    assert_eq!(res.status(), StatusCode::OK);
    // PlainKey's client credentials are keys too (here from the suite's own address).
    for _ in 0..3 {
        let res = t.plainkey_access_token(&t.app, "lk_sk_wrong").await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    assert_limited(t.plainkey_access_token(&t.app, "lk_sk_wrong").await).await;
    let res = t.plainkey_access_token(&t.app, &t.api_key).await;
    assert_eq!(res.status(), StatusCode::OK);
}

/// Naming apps that do not exist costs a lookup each: a client that keeps doing it is refused
/// before the lookup, while apps it just used still answer.
#[tokio::test]
async fn naming_apps_that_do_not_exist_is_limited_per_client() {
    let t = spawn("unknown_apps=3/60").await;
    let prober = t.with_forwarded_for("203.0.113.9");
    assert_eq!(prober.config().await.status(), StatusCode::OK);
    let config = |app: &str| {
        let path = format!("/apps/{app}/config");
        let view = prober.clone();
        async move { view.request(Method::GET, &path).send().await.unwrap() }
    };
    for i in 0..3 {
        let res = config(&format!("nope-{i}")).await;
        assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    }
    assert_limited(config("nope-3").await).await;
    assert_eq!(config(&t.app).await.status(), StatusCode::OK);
    // Another client is not affected.
    let res = t
        .with_forwarded_for("198.51.100.1")
        .request(Method::GET, "/apps/nope-4/config")
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
}

/// Public pages, scripts and documents share a generous per-client budget; `/health` is never
/// limited, so a load balancer's probe always gets through.
#[tokio::test]
async fn public_pages_are_limited_per_client_and_health_always_answers() {
    let t = spawn("pages=3/60").await;
    let crawler = t.with_forwarded_for("203.0.113.9");
    assert_eq!(crawler.theme_css().await.status(), StatusCode::OK);
    assert_eq!(crawler.config().await.status(), StatusCode::OK);
    assert_eq!(crawler.asset("login.js").await.status(), StatusCode::OK);
    assert_limited(crawler.theme_css().await).await;
    assert_limited(crawler.config().await).await;
    let res = crawler
        .request(Method::GET, "/openapi.json")
        .send()
        .await
        .unwrap();
    assert_limited(res).await;
    for _ in 0..10 {
        assert_eq!(crawler.health().await.status(), StatusCode::OK);
    }
    let res = t.with_forwarded_for("198.51.100.1").theme_css().await;
    assert_eq!(res.status(), StatusCode::OK);
}

/// A flood from one client at the default limits: most of it is refused at once, and `/health`
/// answers throughout.
#[tokio::test]
async fn a_flood_is_refused_and_health_answers_throughout() {
    let t = TestApp::spawn().await;
    let flood = {
        let t = t.clone();
        tokio::spawn(async move {
            let mut refused = 0;
            for _ in 0..20 {
                let mut batch = tokio::task::JoinSet::new();
                for _ in 0..50 {
                    let t = t.clone();
                    batch.spawn(async move { t.authenticate_options(json!({})).await.status() });
                }
                for status in batch.join_all().await {
                    if status == StatusCode::TOO_MANY_REQUESTS {
                        refused += 1;
                    } else {
                        assert_eq!(status, StatusCode::OK);
                    }
                }
            }
            refused
        })
    };
    while !flood.is_finished() {
        assert_eq!(t.health().await.status(), StatusCode::OK);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let refused = flood.await.unwrap();
    // 1,000 requests, 300 a minute allowed.
    assert_eq!(refused, 700);
}
