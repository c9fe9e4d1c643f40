//! Small helpers every suite needs to read answers: the problem-details and JSON assertions,
//! cookies out of `Set-Cookie`, JWTs decoded for inspection (never verified: the server and
//! `latchkey-client` do that), and base64url.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::{Response, StatusCode};
use serde_json::Value;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "latchkey_session";
/// The magic-link binding cookie's name (set by `POST /otp/email`).
pub const LINK_COOKIE: &str = "latchkey_link";

/// Asserts a problem-details response (RFC 9457) with `status` and `code`; returns its body.
pub async fn assert_problem(res: Response, status: StatusCode, code: &str) -> Value {
    assert_eq!(res.status(), status, "unexpected status");
    let content_type = header(&res, "content-type").unwrap_or_default();
    assert_eq!(content_type, "application/problem+json");
    let body: Value = res.json().await.expect("a problem-details body");
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(body["status"], status.as_u16());
    assert!(body["detail"].as_str().is_some_and(|d| !d.is_empty()));
    body
}

/// Asserts `status` and returns the JSON body (the body is shown when the status is wrong).
pub async fn assert_json(res: Response, status: StatusCode) -> Value {
    let actual = res.status();
    let text = res.text().await.expect("a response body");
    assert_eq!(actual, status, "{text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// A response header as text, if present.
pub fn header(res: &Response, name: &str) -> Option<String> {
    res.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// The whole `Set-Cookie` header (attributes included) that sets cookie `name`, if any: under
/// that name, or with the `__Host-` prefix an app's own https domain gives it.
pub fn set_cookie(res: &Response, name: &str) -> Option<String> {
    let prefix = format!("{name}=");
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.strip_prefix("__Host-").unwrap_or(v).starts_with(&prefix))
        .map(str::to_owned)
}

/// The `name=value` pair a response sets for cookie `name`, ready for a `Cookie` header.
pub fn cookie(res: &Response, name: &str) -> Option<String> {
    set_cookie(res, name).and_then(|v| v.split(';').next().map(str::to_owned))
}

/// The `latchkey_session=…` pair from a response's `Set-Cookie`, ready for a `Cookie` header.
pub fn session_cookie(res: &Response) -> Option<String> {
    cookie(res, SESSION_COOKIE)
}

/// The magic-link binding cookie (`latchkey_link=…`) from a response's `Set-Cookie`.
pub fn link_cookie(res: &Response) -> Option<String> {
    cookie(res, LINK_COOKIE)
}

/// The JOSE header and the claims of a JWT, decoded but not verified.
pub fn jwt(token: &str) -> (Value, Value) {
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "a JWT has three parts: {token}");
    let decode = |part: &str| -> Value {
        serde_json::from_slice(&unb64url(part)).expect("a JWT part holds JSON")
    };
    (decode(parts[0]), decode(parts[1]))
}

/// Base64url without padding, as WebAuthn and JWTs write bytes.
pub fn b64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes base64url without padding; panics on anything else.
pub fn unb64url(text: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD
        .decode(text)
        .unwrap_or_else(|e| panic!("not base64url ({e}): {text}"))
}

/// `assertion` with the last byte of its signature flipped. For ES256 that byte is inside the
/// DER's `s`: the signature stays well formed and only its value is wrong, so the server's
/// signature check itself refuses it.
pub fn with_bad_signature(assertion: &Value) -> Value {
    let mut assertion = assertion.clone();
    let mut bytes = unb64url(
        assertion["response"]["signature"]
            .as_str()
            .expect("a signature"),
    );
    if let Some(last) = bytes.last_mut() {
        *last ^= 1;
    }
    assertion["response"]["signature"] = Value::String(b64url(&bytes));
    assertion
}

/// A temporary directory, removed on drop.
pub struct TempDir(std::path::PathBuf);

impl TempDir {
    pub fn new() -> Self {
        let path =
            std::env::temp_dir().join(format!("latchkey-test-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&path).expect("create a temporary directory");
        Self(path)
    }

    pub fn path(&self) -> &std::path::Path {
        &self.0
    }
}

impl Default for TempDir {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
