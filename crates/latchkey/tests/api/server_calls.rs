//! Server-API calls by method and path, for the suites that drive many of its CRUD endpoints
//! (roles, permissions, organizations) with the app's API key.

use latchkey_test::{TestApp, assert_json};
use reqwest::{Method, StatusCode};
use serde_json::Value;

/// A server-API call of `method` to the app's `path` (after `/apps/{app}`) with `body`.
pub async fn call(
    t: &TestApp,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let mut req = t
        .request(method, &format!("/apps/{}{path}", t.app))
        .bearer_auth(&t.api_key);
    if let Some(body) = body {
        req = req.json(&body);
    }
    req.send().await.unwrap()
}

/// [`call`], asserted to answer `status` with JSON: that JSON.
pub async fn ok(
    t: &TestApp,
    method: Method,
    path: &str,
    body: Option<Value>,
    status: StatusCode,
) -> Value {
    assert_json(call(t, method, path, body).await, status).await
}
