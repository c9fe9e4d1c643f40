//! The better-auth adapter (`bench/peers/better-auth`): better-auth's passkey plugin for the
//! ceremonies, its cookie session for everything after.
//!
//! better-auth keeps ceremony state and sessions in cookies, so this adapter carries them by
//! hand: the challenge cookie from an options answer goes back with its verify request, and the
//! session cookie a verify answer sets is what the generator holds as both "access" and
//! "refresh" token (as `name=value`, ready for a `Cookie` header). There is no shared cookie
//! jar: the client is shared by all workers, and each ceremony must send its own challenge.
//!
//! How each operation maps onto better-auth is described in `bench/peers/better-auth/README.md`.

use std::time::Duration;

use latchkey_authenticator::{CreateOptions, GetOptions, Key};
use reqwest::header::{CONTENT_TYPE, COOKIE, HeaderMap, ORIGIN as ORIGIN_HEADER, SET_COOKIE};
use serde_json::{Value, json};

use crate::target::{Answer, Failure, ORIGIN, SignedUp, User, member, send};

/// The cookie that ties a passkey ceremony's verify request to its options (the plugin's
/// default `advanced.webAuthnChallengeCookie`, under better-auth's cookie prefix).
const CHALLENGE_COOKIE: &str = "better-auth.better-auth-passkey";
/// better-auth's session cookie (over plain HTTP, so without the `__Secure-` prefix).
const SESSION_COOKIE: &str = "better-auth.session_token";

/// A better-auth server: its routes under `{base}/api/auth`.
pub struct BetterAuth {
    http: reqwest::Client,
    base: String,
}

impl BetterAuth {
    pub fn new(http: reqwest::Client, base: String) -> Self {
        Self { http, base }
    }

    fn url(&self, path: &str) -> String {
        format!("{}/api/auth{path}", self.base)
    }

    /// `GET /api/auth{path}` with the app's origin and, if given, a cookie.
    async fn get(
        &self,
        path: &str,
        query: &[(&str, &str)],
        cookie: Option<&str>,
        spent: &mut Duration,
    ) -> Result<Answer, Failure> {
        let mut request = self
            .http
            .get(self.url(path))
            .query(query)
            .header(ORIGIN_HEADER, ORIGIN);
        if let Some(cookie) = cookie {
            request = request.header(COOKIE, cookie);
        }
        send(request, path, spent).await
    }

    /// `POST /api/auth{path}` with a JSON body, the app's origin and a cookie.
    async fn post(
        &self,
        path: &str,
        body: &Value,
        cookie: &str,
        spent: &mut Duration,
    ) -> Result<Answer, Failure> {
        let bytes = serde_json::to_vec(body).map_err(|e| Failure::Client(e.to_string()))?;
        let request = self
            .http
            .post(self.url(path))
            .header(ORIGIN_HEADER, ORIGIN)
            .header(CONTENT_TYPE, "application/json")
            .header(COOKIE, cookie)
            .body(bytes);
        send(request, path, spent).await
    }

    /// Passkey-first sign-up: `GET /passkey/generate-register-options?context={email}`, then
    /// `POST /passkey/verify-registration` with `createSession: true`, which creates the user,
    /// stores the passkey and signs the user in.
    pub async fn sign_up(
        &self,
        email: &str,
        key: Key,
        spent: &mut Duration,
    ) -> Result<SignedUp, Failure> {
        let path = "/passkey/generate-register-options";
        let options = self.get(path, &[("context", email)], None, spent).await?;
        let challenge = cookie(&options.headers, CHALLENGE_COOKIE, path)?;
        let (mut response, credential) =
            latchkey_authenticator::create(&options.json, &CreateOptions::with_key(ORIGIN, key))
                .map_err(|e| Failure::authenticator(&e))?;
        strip_extension_results(&mut response);
        let path = "/passkey/verify-registration";
        let result = self
            .post(
                path,
                &json!({"response": response, "createSession": true}),
                &challenge,
                spent,
            )
            .await?;
        if result.json.get("session").is_none_or(Value::is_null) {
            return Err(Failure::Refused {
                code: "no_session".to_owned(),
                body: format!("{path}: {}", result.json),
            });
        }
        let session = cookie(&result.headers, SESSION_COOKIE, path)?;
        Ok(SignedUp {
            user: User {
                email: email.to_owned(),
                credential,
            },
            access_token: session.clone(),
            refresh_token: session,
        })
    }

    /// `GET /passkey/generate-authenticate-options`, then `POST /passkey/verify-authentication`.
    /// The plugin has no by-email variant (it lists a user's credentials only for a signed-in
    /// session), so `by_email` sign-ins are discoverable too.
    pub async fn sign_in(
        &self,
        user: &mut User,
        _by_email: bool,
        spent: &mut Duration,
    ) -> Result<(), Failure> {
        let path = "/passkey/generate-authenticate-options";
        let options = self.get(path, &[], None, spent).await?;
        let challenge = cookie(&options.headers, CHALLENGE_COOKIE, path)?;
        let mut response = latchkey_authenticator::get(
            &options.json,
            &mut user.credential,
            &GetOptions::new(ORIGIN),
        )
        .map_err(|e| Failure::authenticator(&e))?;
        strip_extension_results(&mut response);
        let path = "/passkey/verify-authentication";
        let result = self
            .post(path, &json!({"response": response}), &challenge, spent)
            .await?;
        cookie(&result.headers, SESSION_COOKIE, path).map(drop)
    }

    /// `GET /get-session` with the session cookie: the server-side session check an app backend
    /// makes. better-auth answers `null` (with 200) for a session it does not know.
    pub async fn verify_token(&self, token: &str, spent: &mut Duration) -> Result<(), Failure> {
        let answer = self.get("/get-session", &[], Some(token), spent).await?;
        if answer.json.get("session").is_none_or(Value::is_null) {
            return Err(Failure::Refused {
                code: "no_session".to_owned(),
                body: format!("/get-session: {}", answer.json),
            });
        }
        Ok(())
    }

    /// `GET /token` with the session cookie: the jwt plugin mints a fresh JWT from the session.
    /// The session cookie itself does not rotate, so `refresh_token` stays as it is.
    #[expect(
        clippy::ptr_arg,
        reason = "the signature all adapters share; other targets rotate the token in place"
    )]
    pub async fn refresh(
        &self,
        refresh_token: &mut String,
        spent: &mut Duration,
    ) -> Result<(), Failure> {
        let answer = self
            .get("/token", &[], Some(refresh_token.as_str()), spent)
            .await?;
        member(&answer.json, "token").map(drop)
    }
}

/// The `name=value` pair of the cookie `name` among an answer's `Set-Cookie` headers.
fn cookie(headers: &HeaderMap, name: &str, label: &str) -> Result<String, Failure> {
    headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .filter_map(|value| value.split(';').next())
        .find(|pair| {
            pair.split_once('=')
                .is_some_and(|(n, v)| n.trim() == name && !v.is_empty())
        })
        .map(|pair| pair.trim().to_owned())
        .ok_or_else(|| Failure::Refused {
            code: format!("no_cookie:{name}"),
            body: format!("{label}: no {name} cookie was set"),
        })
}

/// Drops `clientExtensionResults`, as better-auth's own client does before it posts a
/// WebAuthn response.
fn strip_extension_results(response: &mut Value) {
    if let Some(object) = response.as_object_mut() {
        object.remove("clientExtensionResults");
    }
}
