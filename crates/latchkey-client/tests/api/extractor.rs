//! The axum `AuthUser` extractor in a small router, driven with `oneshot`.

use axum::Router;
use axum::body::Body;
use axum::extract::FromRef;
use axum::http::{Request, StatusCode, header};
use axum::routing::get;
use latchkey_client::Client;
use latchkey_client::axum::{AuthUser, RequirePermission};
use latchkey_client::permission;
use serde_json::Value;
use tower::ServiceExt;

use crate::helpers::{PUBLIC_URL, TestApp, client_for};

/// A state holding the client among other things, as a real app's would.
#[derive(Clone)]
struct AppState {
    latchkey: Client,
    greeting: &'static str,
}

impl FromRef<AppState> for Client {
    fn from_ref(state: &AppState) -> Client {
        state.latchkey.clone()
    }
}

permission!(InvoicesRead = "invoices:read");
permission!(InvoicesWrite = "invoices:write");

fn router(latchkey: Client) -> Router {
    Router::new()
        .route(
            "/invoices",
            get(|user: RequirePermission<InvoicesRead>| async move { user.sub.to_string() }),
        )
        .route(
            "/invoices/new",
            get(|_: RequirePermission<InvoicesWrite>| async move { "made" }),
        )
        .route(
            "/me",
            get(|user: AuthUser| async move { user.sub.to_string() }),
        )
        .route(
            "/hello",
            get(
                |axum::extract::State(s): axum::extract::State<AppState>,
                 user: Option<AuthUser>| async move {
                    match user {
                        Some(u) => {
                            format!("{} {}", s.greeting, u.email.clone().unwrap_or_default())
                        }
                        None => format!("{} anonymous", s.greeting),
                    }
                },
            ),
        )
        .with_state(AppState {
            latchkey,
            greeting: "hello",
        })
}

async fn call(
    app: &Router,
    path: &str,
    authorization: Option<&str>,
) -> (StatusCode, String, Option<String>, String) {
    let mut req = Request::get(path);
    if let Some(a) = authorization {
        req = req.header(header::AUTHORIZATION, a);
    }
    let res = app
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let content_type = res
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let challenge = res
        .headers()
        .get(header::WWW_AUTHENTICATE)
        .map(|v| v.to_str().unwrap().to_owned());
    let body = axum::body::to_bytes(res.into_body(), 1 << 20)
        .await
        .unwrap();
    (
        status,
        content_type,
        challenge,
        String::from_utf8(body.to_vec()).unwrap(),
    )
}

fn assert_refused(
    (status, content_type, challenge, body): (StatusCode, String, Option<String>, String),
    expected_challenge: &str,
) {
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(content_type, "application/problem+json");
    assert_eq!(challenge.as_deref(), Some(expected_challenge));
    let problem: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(problem["status"], 401);
    assert_eq!(problem["code"], "unauthorized");
    assert!(problem["detail"].as_str().is_some_and(|d| !d.is_empty()));
}

#[tokio::test]
async fn auth_user_accepts_a_good_token_and_refuses_the_rest() {
    let t = TestApp::spawn().await;
    let client = client_for(&t);
    let signed_in = t.sign_up("jdoe@example.com").await;
    let app = router(client.clone());
    let bearer = format!("Bearer {}", signed_in.access_token());

    let (status, _, _, body) = call(&app, "/me", Some(&bearer)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body, signed_in.user_id());
    // The scheme is case-insensitive.
    let lower = format!("bearer {}", signed_in.access_token());
    assert_eq!(call(&app, "/me", Some(&lower)).await.0, StatusCode::OK);

    assert_refused(call(&app, "/me", None).await, "Bearer");
    for not_bearer in ["Basic dXNlcjpwYXNz", "Bearer", "Bearer   ", "token"] {
        assert_refused(
            call(&app, "/me", Some(not_bearer)).await,
            r#"Bearer error="invalid_request""#,
        );
    }
    let mut tampered = signed_in.access_token().to_owned();
    tampered.push('x');
    for bad in [
        "Bearer garbage".to_owned(),
        format!("Bearer {tampered}"),
        format!("Bearer {}", signed_in.auth_token()),
    ] {
        assert_refused(
            call(&app, "/me", Some(&bad)).await,
            r#"Bearer error="invalid_token""#,
        );
    }

    // A token of the same app for a client that expects another issuer.
    let elsewhere = Client::new(&t.base, "acme", &t.api_key).unwrap();
    assert_ne!(elsewhere.issuer(), format!("{PUBLIC_URL}/apps/acme"));
    assert_refused(
        call(&router(elsewhere), "/me", Some(&bearer)).await,
        r#"Bearer error="invalid_token""#,
    );
}

#[tokio::test]
async fn optional_auth_user_lets_anonymous_requests_through_but_not_bad_tokens() {
    let t = TestApp::spawn().await;
    let client = client_for(&t);
    let signed_in = t.sign_up("jdoe@example.com").await;
    let app = router(client.clone());

    let (status, _, _, body) = call(&app, "/hello", None).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "hello anonymous"));
    let bearer = format!("Bearer {}", signed_in.access_token());
    let (status, _, _, body) = call(&app, "/hello", Some(&bearer)).await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::OK, "hello jdoe@example.com")
    );
    assert_refused(
        call(&app, "/hello", Some("Bearer garbage.garbage.garbage")).await,
        r#"Bearer error="invalid_token""#,
    );
}

#[tokio::test]
async fn require_permission_lets_through_the_tokens_that_grant_it() {
    let t = TestApp::spawn().await;
    let client = client_for(&t);
    let backend = |method: reqwest::Method, path: &str, body: Value| {
        t.request(method, &format!("/apps/acme{path}"))
            .bearer_auth(&t.api_key)
            .json(&body)
            .send()
    };
    for key in ["invoices:read", "invoices:write"] {
        let res = backend(
            reqwest::Method::POST,
            "/permissions",
            serde_json::json!({"key": key}),
        )
        .await
        .unwrap();
        assert_eq!(res.status(), 201);
    }
    let res = backend(
        reqwest::Method::POST,
        "/roles",
        serde_json::json!({"key": "reader", "name": "Reader", "permissions": ["invoices:read"]}),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), 201);
    let mut signed_up = t.sign_up("jdoe@example.com").await;
    let res = backend(
        reqwest::Method::PUT,
        &format!("/users/{}/roles", signed_up.user_id()),
        serde_json::json!({"roles": ["reader"]}),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), 200);
    let app = router(client.clone());

    // The sign-up's token predates the role: refused, 403.
    let before = format!("Bearer {}", signed_up.access_token());
    let (status, content_type, challenge, body) = call(&app, "/invoices", Some(&before)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(content_type, "application/problem+json");
    assert_eq!(
        challenge.as_deref(),
        Some(r#"Bearer error="insufficient_scope""#)
    );
    assert!(body.contains("invoices:read"));
    // A token issued since carries it; it does not carry invoices:write.
    let res = t.sign_in(&mut signed_up.credential, None).await;
    let signed_in: Value = res.json().await.unwrap();
    let bearer = format!("Bearer {}", signed_in["access_token"].as_str().unwrap());
    let (status, _, _, body) = call(&app, "/invoices", Some(&bearer)).await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::OK, signed_up.user_id())
    );
    assert_eq!(
        call(&app, "/invoices/new", Some(&bearer)).await.0,
        StatusCode::FORBIDDEN
    );
    assert_refused(call(&app, "/invoices", None).await, "Bearer");
    // Verified live, the server says the same.
    let claims = client
        .verify_access_token(signed_in["access_token"].as_str().unwrap())
        .await
        .unwrap();
    assert!(claims.has_permission("invoices:read") && claims.has_role("reader"));
    assert!(!claims.has_permission("invoices:write"));
}

#[tokio::test]
async fn unreachable_keys_are_a_503_not_a_401() {
    let t = TestApp::spawn().await;
    let signed_in = t.sign_up("jdoe@example.com").await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let client = Client::builder(format!("http://127.0.0.1:{port}"), "acme", &t.api_key)
        .public_url(PUBLIC_URL)
        .build()
        .unwrap();
    let bearer = format!("Bearer {}", signed_in.access_token());
    let (status, content_type, _, body) = call(&router(client), "/me", Some(&bearer)).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(content_type, "application/problem+json");
}
