//! Running Latchkey, as far as one in-process server shows it: liveness and readiness, CORS on
//! the browser API only, and the cookie CSRF rule. What needs real processes (metric values,
//! restarts, several instances, SIGTERM, the CLI, the configuration contract) is the `process`
//! suite's.

use latchkey_test::helpers::{header, set_cookie};
use latchkey_test::{ADMIN_KEY, ORIGIN, TestApp, assert_json, assert_problem};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn health_ready_and_the_metrics_endpoint() {
    let t = TestApp::spawn().await;
    let res = t.health().await;
    assert_eq!(
        assert_json(res, StatusCode::OK).await,
        json!({"status": "ok"})
    );
    let res = t.ready().await;
    assert_eq!(assert_json(res, StatusCode::OK).await["status"], "ready");
    // The exposition itself; what it counts is asserted against a process of its own (the
    // recorder is process-wide, shared by every in-process server of this binary).
    let res = t.metrics().await;
    assert_eq!(res.status(), StatusCode::OK);
    let ct = header(&res, "content-type").unwrap();
    assert!(ct.starts_with("text/plain"), "{ct}");
}

#[tokio::test]
async fn cors_answers_exactly_the_apps_origins_on_the_browser_api() {
    let t = TestApp::spawn().await;
    let res = t
        .preflight("/apps/acme/passkeys/authenticate/options")
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    assert_eq!(
        header(&res, "access-control-allow-origin").as_deref(),
        Some(ORIGIN)
    );
    assert_eq!(
        header(&res, "access-control-allow-credentials").as_deref(),
        Some("true")
    );
    let methods = header(&res, "access-control-allow-methods").unwrap_or_default();
    assert!(methods.contains("POST"), "{methods}");
    let headers = header(&res, "access-control-allow-headers")
        .unwrap_or_default()
        .to_ascii_lowercase();
    assert!(headers.contains("content-type"), "{headers}");

    // Another origin, another app's origin list, the server API, an unknown app: no CORS.
    let res = t
        .with_origin("https://evil.example")
        .preflight("/apps/acme/passkeys/authenticate/options")
        .await;
    assert_eq!(header(&res, "access-control-allow-origin"), None);
    for path in [
        "/apps/acme/users",
        "/apps/acme/tokens/verify",
        "/admin/apps",
        "/apps/nope/passkeys/authenticate/options",
    ] {
        let res = t.preflight(path).await;
        assert_eq!(header(&res, "access-control-allow-origin"), None, "{path}");
    }
    t.new_app(
        "other",
        json!({"rp_id": "other.example", "origins": ["https://other.example"]}),
    )
    .await;
    let res = t
        .preflight("/apps/other/passkeys/authenticate/options")
        .await;
    assert_eq!(header(&res, "access-control-allow-origin"), None);
    let res = t
        .with_origin("https://other.example")
        .preflight("/apps/other/passkeys/authenticate/options")
        .await;
    assert_eq!(
        header(&res, "access-control-allow-origin").as_deref(),
        Some("https://other.example")
    );

    // A simple request from the app's origin gets its origin back; a foreign one does not.
    let res = t.config().await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        header(&res, "access-control-allow-origin").as_deref(),
        Some(ORIGIN)
    );
    assert_eq!(
        header(&res, "access-control-allow-credentials").as_deref(),
        Some("true")
    );
    let res = t.with_origin("https://evil.example").config().await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, "access-control-allow-origin"), None);
}

#[tokio::test]
async fn cookie_authenticated_changes_need_the_apps_origin() {
    let t = TestApp::spawn().await;
    let signed = t.sign_up("ann@example.com").await;
    let browser = t.with_cookie(&signed.cookie);
    let no_origin = browser.without_origin();

    // Reading with the cookie needs no Origin.
    let res = no_origin.current_session().await;
    let current = assert_json(res, StatusCode::OK).await;
    assert_eq!(current["session"]["id"], signed.body["session"]["id"]);

    // Changing needs one of the app's origins.
    let res = no_origin.sign_out().await;
    assert_problem(res, StatusCode::FORBIDDEN, "origin_not_allowed").await;
    for origin in ["https://evil.example", "null"] {
        let res = browser.with_origin(origin).sign_out().await;
        assert_problem(res, StatusCode::FORBIDDEN, "origin_not_allowed").await;
    }
    let res = no_origin.refresh_session(json!({})).await;
    assert_problem(res, StatusCode::FORBIDDEN, "origin_not_allowed").await;
    // None of that touched the session.
    assert_eq!(no_origin.current_session().await.status(), StatusCode::OK);

    // From the app's origin: signed out, and the cookie is cleared.
    let res = browser.sign_out().await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let cleared = set_cookie(&res, "latchkey_session").expect("the cookie is cleared");
    assert!(cleared.starts_with("latchkey_session=;"), "{cleared}");
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    assert!(cleared.contains("Path=/apps/acme"), "{cleared}");
    let res = no_origin.current_session().await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(t.verify_token(signed.access_token()).await["valid"], false);
}

#[tokio::test]
async fn metrics_ask_for_the_metrics_token_when_one_is_set() {
    const TOKEN: &str = "scrape-token-for-the-suite";
    let t = TestApp::spawn_with(|config| {
        config.metrics_token = Some(TOKEN.to_owned());
    })
    .await;
    let scrape = |token: Option<&str>| {
        let mut req = t.without_origin().request(reqwest::Method::GET, "/metrics");
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        req.send()
    };
    for wrong in [
        None,
        Some("scrape-token-for-the-suitf"),
        Some(""),
        Some(ADMIN_KEY),
    ] {
        let res = scrape(wrong).await.unwrap();
        assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    }
    let res = scrape(Some(TOKEN)).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("latchkey_http_requests_total")
    );
    // Without a token set, they stay open (the default; see docs/deployment.md).
    let open = TestApp::spawn().await;
    assert_eq!(open.metrics().await.status(), StatusCode::OK);
}
