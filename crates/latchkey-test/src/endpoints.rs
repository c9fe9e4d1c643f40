//! One [`TestApp`] method per endpoint of API.md, grouped by surface, each returning the
//! response for the test to judge (a few that every caller only reads the 200 body of return
//! that body). Browser calls carry the view's `Origin`, bearer token and cookies; server-API
//! calls the app's API key; admin calls the admin key; the compatibility routes take their
//! credentials as arguments, since their tests are about exactly those.

use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde_json::{Value, json};

use crate::app::{PUBLIC_URL, TestApp};
use crate::helpers::assert_json;

/// Sends `req`; a transport failure fails the test.
async fn send(req: RequestBuilder) -> Response {
    req.send().await.expect("the request reaches the server")
}

/// `?query`, or nothing for an empty query.
fn query(q: &str) -> String {
    if q.is_empty() {
        String::new()
    } else {
        format!("?{q}")
    }
}

/// Browser API: `/apps/{app}/…` as the app's pages call it.
impl TestApp {
    /// `GET /apps/{app}/config`.
    pub async fn config(&self) -> Response {
        send(self.browser(Method::GET, "/config")).await
    }

    /// `POST /apps/{app}/passkeys/register/options`.
    pub async fn register_options(&self, body: Value) -> Response {
        send(
            self.browser(Method::POST, "/passkeys/register/options")
                .json(&body),
        )
        .await
    }

    /// `POST /apps/{app}/passkeys/register/verify` with an authenticator's response.
    pub async fn finish_registration(&self, response: &Value) -> Response {
        send(
            self.browser(Method::POST, "/passkeys/register/verify")
                .json(response),
        )
        .await
    }

    /// `POST /apps/{app}/passkeys/authenticate/options`.
    pub async fn authenticate_options(&self, body: Value) -> Response {
        send(
            self.browser(Method::POST, "/passkeys/authenticate/options")
                .json(&body),
        )
        .await
    }

    /// `POST /apps/{app}/passkeys/authenticate/verify` with an assertion.
    pub async fn finish_authentication(&self, assertion: &Value) -> Response {
        send(
            self.browser(Method::POST, "/passkeys/authenticate/verify")
                .json(assertion),
        )
        .await
    }

    /// `GET /apps/{app}/passkeys`.
    pub async fn list_passkeys(&self) -> Response {
        send(self.browser(Method::GET, "/passkeys")).await
    }

    /// `PATCH /apps/{app}/passkeys/{id}`.
    pub async fn rename_passkey(&self, id: &str, body: Value) -> Response {
        send(
            self.browser(Method::PATCH, &format!("/passkeys/{id}"))
                .json(&body),
        )
        .await
    }

    /// `DELETE /apps/{app}/passkeys/{id}`.
    pub async fn delete_passkey(&self, id: &str) -> Response {
        send(self.browser(Method::DELETE, &format!("/passkeys/{id}"))).await
    }

    /// `POST /apps/{app}/sessions/refresh` with `{"refresh_token": token}`.
    pub async fn refresh(&self, refresh_token: &str) -> Response {
        self.refresh_session(json!({"refresh_token": refresh_token}))
            .await
    }

    /// `POST /apps/{app}/sessions/refresh` with any body (`{}` to refresh by cookie).
    pub async fn refresh_session(&self, body: Value) -> Response {
        send(self.browser(Method::POST, "/sessions/refresh").json(&body)).await
    }

    /// `GET /apps/{app}/sessions`.
    pub async fn list_sessions(&self) -> Response {
        send(self.browser(Method::GET, "/sessions")).await
    }

    /// `GET /apps/{app}/sessions/current`.
    pub async fn current_session(&self) -> Response {
        send(self.browser(Method::GET, "/sessions/current")).await
    }

    /// `DELETE /apps/{app}/sessions/current`: sign out.
    pub async fn sign_out(&self) -> Response {
        send(self.browser(Method::DELETE, "/sessions/current")).await
    }

    /// `DELETE /apps/{app}/sessions`: sign out everywhere.
    pub async fn sign_out_everywhere(&self) -> Response {
        send(self.browser(Method::DELETE, "/sessions")).await
    }

    /// `GET /apps/{app}/sessions/current/permissions`.
    pub async fn current_permissions(&self) -> Response {
        send(self.browser(Method::GET, "/sessions/current/permissions")).await
    }

    /// `DELETE /apps/{app}/sessions/{id}`.
    pub async fn revoke_session(&self, id: &str) -> Response {
        send(self.browser(Method::DELETE, &format!("/sessions/{id}"))).await
    }

    /// `GET /apps/{app}/mfa/factors`.
    pub async fn mfa_factors(&self) -> Response {
        send(self.browser(Method::GET, "/mfa/factors")).await
    }

    /// `POST /apps/{app}/mfa/totp`.
    pub async fn enroll_totp(&self, body: Value) -> Response {
        send(self.browser(Method::POST, "/mfa/totp").json(&body)).await
    }

    /// `GET /apps/{app}/mfa/totp/{id}/qr.svg`.
    pub async fn totp_qr(&self, id: &str) -> Response {
        send(self.browser(Method::GET, &format!("/mfa/totp/{id}/qr.svg"))).await
    }

    /// `POST /apps/{app}/mfa/totp/{id}/verify` with `{"code"}`.
    pub async fn verify_totp(&self, id: &str, code: &str) -> Response {
        send(
            self.browser(Method::POST, &format!("/mfa/totp/{id}/verify"))
                .json(&json!({"code": code})),
        )
        .await
    }

    /// `DELETE /apps/{app}/mfa/factors/{id}`.
    pub async fn remove_factor(&self, id: &str) -> Response {
        send(self.browser(Method::DELETE, &format!("/mfa/factors/{id}"))).await
    }

    /// `POST /apps/{app}/mfa/backup-codes`.
    pub async fn regenerate_backup_codes(&self) -> Response {
        send(self.browser(Method::POST, "/mfa/backup-codes")).await
    }

    /// `POST /apps/{app}/sessions/current/reauthenticate`.
    pub async fn reauthenticate(&self, body: Value) -> Response {
        send(
            self.browser(Method::POST, "/sessions/current/reauthenticate")
                .json(&body),
        )
        .await
    }

    /// `GET /apps/{app}/me`.
    pub async fn me(&self) -> Response {
        send(self.browser(Method::GET, "/me")).await
    }

    /// `PATCH /apps/{app}/me`.
    pub async fn update_me(&self, body: Value) -> Response {
        send(self.browser(Method::PATCH, "/me").json(&body)).await
    }

    /// `POST /apps/{app}/otp/email` with `{"email", "purpose"}`.
    pub async fn request_email_code(&self, email: &str, purpose: &str) -> Response {
        self.request_code(json!({"email": email, "purpose": purpose}))
            .await
    }

    /// `POST /apps/{app}/otp/email` with any body.
    pub async fn request_code(&self, body: Value) -> Response {
        send(self.browser(Method::POST, "/otp/email").json(&body)).await
    }

    /// `POST /apps/{app}/sessions`: redeem an email code or a magic link.
    pub async fn create_session(&self, body: Value) -> Response {
        send(self.browser(Method::POST, "/sessions").json(&body)).await
    }

    /// `POST /apps/{app}/sessions` with `{"method": "email_otp", "email", "code"}`.
    pub async fn redeem_code(&self, email: &str, code: &str) -> Response {
        self.create_session(json!({"method": "email_otp", "email": email, "code": code}))
            .await
    }

    /// `POST /apps/{app}/sessions` with `{"method": "magic_link", "token"}`.
    pub async fn redeem_link(&self, token: &str) -> Response {
        self.create_session(json!({"method": "magic_link", "token": token}))
            .await
    }
}

/// Hosted pages: what a browser navigates to, and the forms on them.
impl TestApp {
    /// Opens a link from an email on this server, as a navigation: the view's cookies, no
    /// `Origin`. The link must be on [`PUBLIC_URL`], or on the view's host
    /// ([`TestApp::on_host`]).
    pub async fn follow(&self, link: &str) -> Response {
        let path = match self.host() {
            Some(host) => ["https", "http"]
                .iter()
                .find_map(|scheme| link.strip_prefix(&format!("{scheme}://{host}")))
                .unwrap_or_else(|| panic!("{link} is not on {host}")),
            None => link
                .strip_prefix(PUBLIC_URL)
                .unwrap_or_else(|| panic!("{link} is not on {PUBLIC_URL}")),
        };
        send(self.navigation(path)).await
    }

    /// `GET /apps/{app}/login` with `query` (e.g. `redirect_uri=…`, URL-encoded).
    pub async fn login_page(&self, q: &str) -> Response {
        send(self.navigation(&format!("/apps/{}/login{}", self.app, query(q)))).await
    }

    /// `GET /apps/{app}/account`.
    pub async fn account_page(&self) -> Response {
        send(self.navigation(&format!("/apps/{}/account", self.app))).await
    }

    /// `GET /apps/{app}/theme.css`.
    pub async fn theme_css(&self) -> Response {
        send(self.navigation(&format!("/apps/{}/theme.css", self.app))).await
    }

    /// `POST /apps/{app}/login/magic`: the magic-link page's button (a form post carrying the
    /// view's `Origin` and cookies).
    pub async fn magic_submit(&self, token: &str) -> Response {
        send(
            self.browser(Method::POST, "/login/magic")
                .form(&[("token", token)]),
        )
        .await
    }

    /// `POST /apps/{app}/login/mfa`: the second-step form of the magic-link pages.
    pub async fn mfa_submit(&self, mfa_token: &str, code: &str) -> Response {
        send(
            self.browser(Method::POST, "/login/mfa")
                .form(&[("mfa_token", mfa_token), ("code", code)]),
        )
        .await
    }

    /// `POST /apps/{app}/login/code`: the code form the magic-link page offers in another
    /// browser.
    pub async fn code_submit(&self, token: &str, code: &str) -> Response {
        send(
            self.browser(Method::POST, "/login/code")
                .form(&[("token", token), ("code", code)]),
        )
        .await
    }

    /// `GET /assets/{name}`.
    pub async fn asset(&self, name: &str) -> Response {
        send(self.navigation(&format!("/assets/{name}"))).await
    }

    /// A CORS preflight for a `POST` with a JSON body to `path`, from the view's origin.
    pub async fn preflight(&self, path: &str) -> Response {
        send(
            self.request(Method::OPTIONS, path)
                .header("access-control-request-method", "POST")
                .header("access-control-request-headers", "content-type"),
        )
        .await
    }
}

/// Operations and standards: health, metrics, keys, the description of the API.
impl TestApp {
    /// `GET /health`.
    pub async fn health(&self) -> Response {
        send(self.http.get(self.url("/health"))).await
    }

    /// `GET /ready`.
    pub async fn ready(&self) -> Response {
        send(self.http.get(self.url("/ready"))).await
    }

    /// `GET /metrics`.
    pub async fn metrics(&self) -> Response {
        send(self.http.get(self.url("/metrics"))).await
    }

    /// `GET /apps/{app}/.well-known/jwks.json`, asserted 200.
    pub async fn jwks(&self) -> Value {
        let path = format!("/apps/{}/.well-known/jwks.json", self.app);
        assert_json(send(self.http.get(self.url(&path))).await, StatusCode::OK).await
    }

    /// `GET /openapi.json`.
    pub async fn openapi(&self) -> Response {
        send(self.http.get(self.url("/openapi.json"))).await
    }

    /// `GET /docs`.
    pub async fn docs(&self) -> Response {
        send(self.http.get(self.url("/docs"))).await
    }
}

/// Server API: `/apps/{app}/…` as the app's backend calls it, with its API key.
impl TestApp {
    /// `POST /apps/{app}/tokens/verify` with `{"token": token}`, asserted 200: `{"valid": …}`.
    pub async fn verify_token(&self, token: &str) -> Value {
        let res = self.tokens_verify(json!({"token": token})).await;
        assert_json(res, StatusCode::OK).await
    }

    /// `POST /apps/{app}/tokens/verify` with any body, for the answers that are not a 200.
    pub async fn tokens_verify(&self, body: Value) -> Response {
        send(self.backend(Method::POST, "/tokens/verify").json(&body)).await
    }

    /// `GET /apps/{app}/users?query`.
    pub async fn list_users(&self, q: &str) -> Response {
        send(self.backend(Method::GET, &format!("/users{}", query(q)))).await
    }

    /// `POST /apps/{app}/users`.
    pub async fn create_user(&self, body: Value) -> Response {
        send(self.backend(Method::POST, "/users").json(&body)).await
    }

    /// `GET /apps/{app}/users/{id}`.
    pub async fn get_user(&self, id: &str) -> Response {
        send(self.backend(Method::GET, &format!("/users/{id}"))).await
    }

    /// `PATCH /apps/{app}/users/{id}`.
    pub async fn patch_user(&self, id: &str, body: Value) -> Response {
        send(
            self.backend(Method::PATCH, &format!("/users/{id}"))
                .json(&body),
        )
        .await
    }

    /// `DELETE /apps/{app}/users/{id}`.
    pub async fn delete_user(&self, id: &str) -> Response {
        send(self.backend(Method::DELETE, &format!("/users/{id}"))).await
    }

    /// `GET /apps/{app}/users/{id}/passkeys`.
    pub async fn user_passkeys(&self, id: &str) -> Response {
        send(self.backend(Method::GET, &format!("/users/{id}/passkeys"))).await
    }

    /// `DELETE /apps/{app}/users/{id}/passkeys/{pid}`.
    pub async fn delete_user_passkey(&self, id: &str, passkey: &str) -> Response {
        send(self.backend(Method::DELETE, &format!("/users/{id}/passkeys/{passkey}"))).await
    }

    /// `GET /apps/{app}/users/{id}/mfa/factors`.
    pub async fn user_factors(&self, id: &str) -> Response {
        send(self.backend(Method::GET, &format!("/users/{id}/mfa/factors"))).await
    }

    /// `DELETE /apps/{app}/users/{id}/mfa/factors/{fid}`.
    pub async fn delete_user_factor(&self, id: &str, factor: &str) -> Response {
        send(self.backend(Method::DELETE, &format!("/users/{id}/mfa/factors/{factor}"))).await
    }

    /// `GET /apps/{app}/users/{id}/sessions`.
    pub async fn user_sessions(&self, id: &str) -> Response {
        send(self.backend(Method::GET, &format!("/users/{id}/sessions"))).await
    }

    /// `DELETE /apps/{app}/users/{id}/sessions`: revoke them all.
    pub async fn revoke_user_sessions(&self, id: &str) -> Response {
        send(self.backend(Method::DELETE, &format!("/users/{id}/sessions"))).await
    }

    /// `DELETE /apps/{app}/users/{id}/sessions/{sid}`.
    pub async fn revoke_user_session(&self, id: &str, session: &str) -> Response {
        send(self.backend(Method::DELETE, &format!("/users/{id}/sessions/{session}"))).await
    }

    /// `GET /apps/{app}/events?query`.
    pub async fn list_events(&self, q: &str) -> Response {
        send(self.backend(Method::GET, &format!("/events{}", query(q)))).await
    }

    /// The app's events of type `kind` (up to 200, newest first), asserted 200.
    pub async fn events(&self, kind: &str) -> Vec<Value> {
        let res = self.list_events(&format!("type={kind}&limit=200")).await;
        let body = assert_json(res, StatusCode::OK).await;
        body["items"].as_array().cloned().unwrap_or_default()
    }

    /// [`Self::events`] of `kind` once there is at least one, for what the server records in
    /// the background (an email's delivery): polls for up to 10 s, and fails the test if none
    /// comes.
    pub async fn events_once_there(&self, kind: &str) -> Vec<Value> {
        for _ in 0..100 {
            let events = self.events(kind).await;
            if !events.is_empty() {
                return events;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("no {kind} event within 10 s");
    }
}

/// Admin API: `/admin/…` with the admin key.
impl TestApp {
    /// `GET /admin/apps?query`.
    pub async fn list_apps(&self, q: &str) -> Response {
        send(self.operator(Method::GET, &format!("/admin/apps{}", query(q)))).await
    }

    /// `POST /admin/apps` (see also [`TestApp::new_app`]).
    pub async fn create_app(&self, body: Value) -> Response {
        send(self.operator(Method::POST, "/admin/apps").json(&body)).await
    }

    /// `GET /admin/apps/{id}`.
    pub async fn get_app(&self, id: &str) -> Response {
        send(self.operator(Method::GET, &format!("/admin/apps/{id}"))).await
    }

    /// `PATCH /admin/apps/{id}`.
    pub async fn patch_app(&self, id: &str, body: Value) -> Response {
        send(
            self.operator(Method::PATCH, &format!("/admin/apps/{id}"))
                .json(&body),
        )
        .await
    }

    /// `DELETE /admin/apps/{id}`.
    pub async fn delete_app(&self, id: &str) -> Response {
        send(self.operator(Method::DELETE, &format!("/admin/apps/{id}"))).await
    }

    /// `POST /admin/apps/{app}/signing-keys/rotate`.
    pub async fn rotate_signing_key(&self, app: &str) -> Response {
        send(self.operator(
            Method::POST,
            &format!("/admin/apps/{app}/signing-keys/rotate"),
        ))
        .await
    }

    /// `GET /admin/apps/{app}/api-keys`.
    pub async fn list_api_keys(&self, app: &str) -> Response {
        send(self.operator(Method::GET, &format!("/admin/apps/{app}/api-keys"))).await
    }

    /// `POST /admin/apps/{app}/api-keys`.
    pub async fn create_api_key(&self, app: &str, body: Value) -> Response {
        send(
            self.operator(Method::POST, &format!("/admin/apps/{app}/api-keys"))
                .json(&body),
        )
        .await
    }

    /// `DELETE /admin/apps/{app}/api-keys/{id}`.
    pub async fn revoke_api_key(&self, app: &str, id: &str) -> Response {
        send(self.operator(Method::DELETE, &format!("/admin/apps/{app}/api-keys/{id}"))).await
    }

    /// `GET /admin/apps/{app}/oauth-clients?query`.
    pub async fn list_oauth_clients(&self, app: &str, q: &str) -> Response {
        let path = format!("/admin/apps/{app}/oauth-clients{}", query(q));
        send(self.operator(Method::GET, &path)).await
    }

    /// `POST /admin/apps/{app}/oauth-clients`.
    pub async fn create_oauth_client(&self, app: &str, body: Value) -> Response {
        let path = format!("/admin/apps/{app}/oauth-clients");
        send(self.operator(Method::POST, &path).json(&body)).await
    }

    /// `GET /admin/apps/{app}/oauth-clients/{id}`.
    pub async fn get_oauth_client(&self, app: &str, id: &str) -> Response {
        let path = format!("/admin/apps/{app}/oauth-clients/{id}");
        send(self.operator(Method::GET, &path)).await
    }

    /// `PATCH /admin/apps/{app}/oauth-clients/{id}`.
    pub async fn patch_oauth_client(&self, app: &str, id: &str, body: Value) -> Response {
        let path = format!("/admin/apps/{app}/oauth-clients/{id}");
        send(self.operator(Method::PATCH, &path).json(&body)).await
    }

    /// `DELETE /admin/apps/{app}/oauth-clients/{id}`.
    pub async fn delete_oauth_client(&self, app: &str, id: &str) -> Response {
        let path = format!("/admin/apps/{app}/oauth-clients/{id}");
        send(self.operator(Method::DELETE, &path)).await
    }

    /// `POST /admin/apps/{app}/oauth-clients/{id}/secret`.
    pub async fn rotate_oauth_client_secret(&self, app: &str, id: &str) -> Response {
        let path = format!("/admin/apps/{app}/oauth-clients/{id}/secret");
        send(self.operator(Method::POST, &path)).await
    }
}

/// Compatibility routes, called the way Passlock's, PasskeyMe's and PlainKey's documentation
/// calls them; `None` leaves a credential out.
impl TestApp {
    /// `GET /compat/passlock/{tenancy}/token/{token}` with `Authorization: Bearer {key}`.
    pub async fn passlock_token(&self, tenancy: &str, key: Option<&str>, token: &str) -> Response {
        let req = self
            .http
            .get(self.url(&format!("/compat/passlock/{tenancy}/token/{token}")))
            .header("accept", "application/json");
        send(with_bearer(req, key)).await
    }

    /// `GET /compat/passlock/{tenancy}/user/{sub}`.
    pub async fn passlock_user(&self, tenancy: &str, sub: &str, key: Option<&str>) -> Response {
        let req = self
            .http
            .get(self.url(&format!("/compat/passlock/{tenancy}/user/{sub}")))
            .header("accept", "application/json");
        send(with_bearer(req, key)).await
    }

    /// `PATCH /compat/passlock/{tenancy}/user/{sub}`.
    pub async fn passlock_update_user(
        &self,
        tenancy: &str,
        sub: &str,
        key: Option<&str>,
        body: Value,
    ) -> Response {
        let req = self
            .http
            .patch(self.url(&format!("/compat/passlock/{tenancy}/user/{sub}")))
            .header("accept", "application/json")
            .json(&body);
        send(with_bearer(req, key)).await
    }

    /// `GET /compat/passkeyme/api/config` with these query parameters.
    pub async fn passkeyme_config(&self, params: &[(&str, &str)]) -> Response {
        send(
            self.http
                .get(self.url("/compat/passkeyme/api/config"))
                .query(params),
        )
        .await
    }

    /// `GET /compat/passkeyme/oauth/{provider}/authorize` with these query parameters.
    pub async fn passkeyme_authorize(&self, provider: &str, params: &[(&str, &str)]) -> Response {
        let path = format!("/compat/passkeyme/oauth/{provider}/authorize");
        send(self.http.get(self.url(&path)).query(params)).await
    }

    /// `GET /compat/passkeyme/api/auth/verify-token` with these query parameters.
    pub async fn passkeyme_verify_token(&self, params: &[(&str, &str)]) -> Response {
        send(
            self.http
                .get(self.url("/compat/passkeyme/api/auth/verify-token"))
                .query(params),
        )
        .await
    }

    /// `GET /compat/passkeyme/api/user?token=…`.
    pub async fn passkeyme_user(&self, token: &str) -> Response {
        send(
            self.http
                .get(self.url("/compat/passkeyme/api/user"))
                .query(&[("token", token)]),
        )
        .await
    }

    /// `POST /compat/plainkey/server/access-token`, form-encoded client credentials.
    pub async fn plainkey_access_token(&self, client_id: &str, client_secret: &str) -> Response {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("client_id", client_id)
            .append_pair("client_secret", client_secret)
            .finish();
        send(
            self.http
                .post(self.url("/compat/plainkey/server/access-token"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body),
        )
        .await
    }

    /// `POST /compat/plainkey/server/authentication-token/verify` with the server access token
    /// as the bearer and the project in `X-Project-Id`.
    pub async fn plainkey_verify(
        &self,
        access_token: Option<&str>,
        project: Option<&str>,
        token: &str,
    ) -> Response {
        let mut req = self
            .http
            .post(self.url("/compat/plainkey/server/authentication-token/verify"))
            .json(&json!({"token": token}));
        if let Some(project) = project {
            req = req.header("x-project-id", project);
        }
        send(with_bearer(req, access_token)).await
    }
}

fn with_bearer(req: RequestBuilder, key: Option<&str>) -> RequestBuilder {
    match key {
        Some(key) => req.bearer_auth(key),
        None => req,
    }
}
