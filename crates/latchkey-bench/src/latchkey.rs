//! The Latchkey adapter: the browser API for passkeys and email codes, the server API for tokens
//! and users, and each app's OpenID Provider as a relying party drives it.

use std::time::Duration;

use latchkey_authenticator::{CreateOptions, GetOptions, Key};
use serde_json::{Value, json};

use crate::target::{
    Answer, Failure, SignedUp, User, expect_valid, member, path_of, post_json_from, send,
    send_for_redirect,
};

/// The session cookie's name.
const SESSION_COOKIE: &str = "latchkey_session";

/// One app of a Latchkey server.
pub struct Latchkey {
    http: reqwest::Client,
    base: String,
    app: String,
    api_key: Option<String>,
    /// The web origin of the pages that call the browser API: [`crate::target::ORIGIN`], or
    /// for the OpenID Provider's scenarios the server's own (where the hosted pages run).
    origin: String,
}

/// An OAuth client of the app, as a relying party holds it.
pub struct OAuthClient {
    pub id: String,
    pub secret: String,
    pub redirect_uri: String,
    /// The provider's issuer, as its discovery document names it: every redirect carries it.
    pub issuer: String,
}

/// A code verifier (RFC 7636) and its S256 challenge.
pub struct Pkce {
    pub verifier: String,
    pub challenge: String,
}

impl Latchkey {
    pub fn new(
        http: reqwest::Client,
        base: String,
        app: String,
        api_key: Option<String>,
        origin: String,
    ) -> Self {
        Self {
            http,
            base,
            app,
            api_key,
            origin,
        }
    }

    /// `POST {base}/apps/{app}{path}`.
    async fn post(
        &self,
        path: &str,
        bearer: Option<&str>,
        body: &Value,
        spent: &mut Duration,
    ) -> Result<Value, Failure> {
        self.post_via(&self.http, path, bearer, body, spent).await
    }

    /// The same through `http`, a client of the caller's (bound to its own source address).
    async fn post_via(
        &self,
        http: &reqwest::Client,
        path: &str,
        bearer: Option<&str>,
        body: &Value,
        spent: &mut Duration,
    ) -> Result<Value, Failure> {
        self.post_answer(http, path, bearer, body, spent)
            .await
            .map(|Answer { json, .. }| json)
    }

    /// The same, with the answer's headers.
    async fn post_answer(
        &self,
        http: &reqwest::Client,
        path: &str,
        bearer: Option<&str>,
        body: &Value,
        spent: &mut Duration,
    ) -> Result<Answer, Failure> {
        let url = self.url(path);
        post_json_from(http, &url, &self.origin, bearer, body, spent).await
    }

    /// `{base}/apps/{app}{path}`.
    fn url(&self, path: &str) -> String {
        format!("{}/apps/{}{path}", self.base, self.app)
    }

    pub async fn sign_up(
        &self,
        email: &str,
        key: Key,
        spent: &mut Duration,
    ) -> Result<SignedUp, Failure> {
        self.sign_up_in_browser(email, key, spent)
            .await
            .map(|(signed_up, _)| signed_up)
    }

    /// [`Self::sign_up`], also returning the `latchkey_session=…` pair the answer set, as a
    /// browser would send it back.
    pub async fn sign_up_in_browser(
        &self,
        email: &str,
        key: Key,
        spent: &mut Duration,
    ) -> Result<(SignedUp, String), Failure> {
        let options = self
            .post(
                "/passkeys/register/options",
                None,
                &json!({"email": email}),
                spent,
            )
            .await?;
        let (response, credential) = latchkey_authenticator::create(
            &options["publicKey"],
            &CreateOptions::with_key(&self.origin, key),
        )
        .map_err(|e| Failure::authenticator(&e))?;
        let Answer { headers, json } = self
            .post_answer(
                &self.http,
                "/passkeys/register/verify",
                None,
                &response,
                spent,
            )
            .await?;
        let prefix = format!("{SESSION_COOKIE}=");
        let cookie = headers
            .get_all(reqwest::header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.split(';').next())
            .find(|pair| pair.starts_with(&prefix))
            .map(str::to_owned)
            .ok_or_else(|| Failure::Refused {
                code: "no_session_cookie".to_owned(),
                body: format!("/passkeys/register/verify: Set-Cookie {headers:?}"),
            })?;
        let signed_up = SignedUp {
            user: User {
                email: email.to_owned(),
                credential,
            },
            access_token: member(&json, "access_token")?,
            refresh_token: member(&json, "refresh_token")?,
        };
        Ok((signed_up, cookie))
    }

    pub async fn sign_in(
        &self,
        user: &mut User,
        by_email: bool,
        spent: &mut Duration,
    ) -> Result<(), Failure> {
        let body = if by_email {
            json!({"email": user.email})
        } else {
            json!({})
        };
        let options = self
            .post("/passkeys/authenticate/options", None, &body, spent)
            .await?;
        let response = latchkey_authenticator::get(
            &options["publicKey"],
            &mut user.credential,
            &GetOptions::new(&self.origin),
        )
        .map_err(|e| Failure::authenticator(&e))?;
        let result = self
            .post("/passkeys/authenticate/verify", None, &response, spent)
            .await?;
        member(&result, "access_token").map(drop)
    }

    /// `POST /apps/{app}/users` with the app's API key: a user with a verified `email`, as an app
    /// backend imports one (so that an email sign-in is a plain sign-in, with no unverified
    /// account's passkeys and sessions to revoke first).
    pub async fn create_user(&self, email: &str, spent: &mut Duration) -> Result<(), Failure> {
        let Some(api_key) = self.api_key.as_deref() else {
            return Err(Failure::Client(
                "creating users needs the app's API key".to_owned(),
            ));
        };
        let user = self
            .post(
                "/users",
                Some(api_key),
                &json!({"email": email, "email_verified": true}),
                spent,
            )
            .await?;
        member(&user, "id").map(drop)
    }

    /// `POST /apps/{app}/otp/email` for a sign-in code to `email`, through `http`.
    pub async fn request_email_code(
        &self,
        http: &reqwest::Client,
        email: &str,
        spent: &mut Duration,
    ) -> Result<(), Failure> {
        let answer = self
            .post_via(
                http,
                "/otp/email",
                None,
                &json!({"email": email, "purpose": "sign_in"}),
                spent,
            )
            .await?;
        if answer["expires_in"].is_u64() {
            return Ok(());
        }
        Err(Failure::Refused {
            code: "no_expires_in".to_owned(),
            body: answer.to_string(),
        })
    }

    /// `POST /apps/{app}/sessions` redeeming an email code, through `http`: a sign-in result.
    pub async fn redeem_email_code(
        &self,
        http: &reqwest::Client,
        email: &str,
        code: &str,
        spent: &mut Duration,
    ) -> Result<(), Failure> {
        let result = self
            .post_via(
                http,
                "/sessions",
                None,
                &json!({"method": "email_otp", "email": email, "code": code}),
                spent,
            )
            .await?;
        member(&result, "access_token").map(drop)
    }

    /// A server-API call of `method` to the app's `path` with the app's API key.
    async fn server_call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: &Value,
    ) -> Result<Value, Failure> {
        let mut request = self.http.request(method, self.url(path)).json(body);
        if let Some(key) = &self.api_key {
            request = request.bearer_auth(key);
        }
        let mut spent = Duration::ZERO;
        send(request, path, &mut spent).await.map(|a| a.json)
    }

    /// Gives the app what a B2B app has before `--with-access` users join it: eight
    /// permissions, an app-wide role `staff` holding three, an organization role `org-admin`
    /// holding five, and the organization `bench-org`.
    pub async fn set_up_access(&self) -> Result<(), Failure> {
        for i in 0..8 {
            self.server_call(
                reqwest::Method::POST,
                "/permissions",
                &json!({"key": format!("bench:p{i}")}),
            )
            .await?;
        }
        let keys = |range: std::ops::Range<usize>| -> Vec<String> {
            range.map(|i| format!("bench:p{i}")).collect()
        };
        for (key, permissions) in [("staff", keys(0..3)), ("org-admin", keys(3..8))] {
            self.server_call(
                reqwest::Method::POST,
                "/roles",
                &json!({"key": key, "name": key, "permissions": permissions}),
            )
            .await?;
        }
        self.server_call(
            reqwest::Method::POST,
            "/organizations",
            &json!({"id": "bench-org", "name": "Bench"}),
        )
        .await?;
        Ok(())
    }

    /// Makes `signed` a `--with-access` user: the app-wide role `staff`, membership of
    /// `bench-org` as `org-admin`, and its session acting for it (its tokens replaced by the
    /// switch's, which carry all that).
    pub async fn grant_access(&self, signed: &mut SignedUp) -> Result<(), Failure> {
        let mut spent = Duration::ZERO;
        let request = self
            .http
            .get(self.url("/sessions/current"))
            .header(reqwest::header::ORIGIN, &self.origin)
            .bearer_auth(&signed.access_token);
        let current = send(request, "/sessions/current", &mut spent).await?.json;
        let user_id = current["user"]["id"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        self.server_call(
            reqwest::Method::PUT,
            &format!("/users/{user_id}/roles"),
            &json!({"roles": ["staff"]}),
        )
        .await?;
        self.server_call(
            reqwest::Method::POST,
            "/organizations/bench-org/members",
            &json!({"user_id": user_id, "roles": ["org-admin"]}),
        )
        .await?;
        let switched = self
            .post(
                "/sessions/current/organization",
                Some(&signed.access_token),
                &json!({"org_id": "bench-org"}),
                &mut spent,
            )
            .await?;
        signed.access_token = member(&switched, "access_token")?;
        signed.refresh_token = member(&switched, "refresh_token")?;
        Ok(())
    }

    /// `POST /apps/{app}/tokens/verify` with the app's API key.
    pub async fn verify_token(&self, token: &str, spent: &mut Duration) -> Result<(), Failure> {
        let result = self
            .post(
                "/tokens/verify",
                self.api_key.as_deref(),
                &json!({"token": token}),
                spent,
            )
            .await?;
        expect_valid(&result)
    }

    /// `POST /apps/{app}/sessions/refresh`: rotates `refresh_token` in place.
    pub async fn refresh(
        &self,
        refresh_token: &mut String,
        spent: &mut Duration,
    ) -> Result<(), Failure> {
        let result = self
            .post(
                "/sessions/refresh",
                None,
                &json!({"refresh_token": refresh_token}),
                spent,
            )
            .await?;
        *refresh_token = member(&result, "refresh_token")?;
        Ok(())
    }

    /// `GET /apps/{app}/oauth/authorize` for `scope` with PKCE, as the browser holding `cookie`
    /// navigates to it (OpenID Connect Core §3.1.2.1): the code of the redirect to the client's
    /// `redirect_uri`, its `state` and `iss` checked (RFC 9207). A redirect anywhere else (the
    /// login page: no live session) or with an `error` is a [`Failure::Refused`].
    pub async fn authorize(
        &self,
        client: &OAuthClient,
        cookie: &str,
        scope: &str,
        pkce: &Pkce,
        state: &str,
        spent: &mut Duration,
    ) -> Result<String, Failure> {
        let request = self
            .http
            .get(self.url("/oauth/authorize"))
            .header(reqwest::header::COOKIE, cookie)
            .query(&[
                ("response_type", "code"),
                ("client_id", &client.id),
                ("redirect_uri", &client.redirect_uri),
                ("scope", scope),
                ("state", state),
                ("nonce", state),
                ("code_challenge", &pkce.challenge),
                ("code_challenge_method", "S256"),
            ]);
        let label = format!("/apps/{}/oauth/authorize", self.app);
        let location = send_for_redirect(request, &label, spent).await?;
        let refused = |code: &str| Failure::Refused {
            code: code.to_owned(),
            body: format!("{label}: Location {location}"),
        };
        let back = location
            .strip_prefix(&client.redirect_uri)
            .is_some_and(|rest| rest.starts_with('?'));
        let params: Vec<(String, String)> = match reqwest::Url::parse(&location) {
            Ok(url) if back => url.query_pairs().into_owned().collect(),
            _ => return Err(refused("redirect_elsewhere")),
        };
        let param = |name: &str| {
            params
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        if let Some(error) = param("error") {
            return Err(refused(&format!("error={error}")));
        }
        if param("state") != Some(state) {
            return Err(refused("state_mismatch"));
        }
        if param("iss") != Some(&client.issuer) {
            return Err(refused("iss_mismatch"));
        }
        param("code")
            .map(str::to_owned)
            .ok_or_else(|| refused("no_code"))
    }

    /// `POST /apps/{app}/oauth/token` with `grant_type=authorization_code` (RFC 6749 §4.1.3,
    /// PKCE's verifier), the client authenticated by HTTP Basic: the access token, once the
    /// answer also holds an `id_token`.
    pub async fn exchange_code(
        &self,
        client: &OAuthClient,
        code: &str,
        pkce: &Pkce,
        spent: &mut Duration,
    ) -> Result<String, Failure> {
        let tokens = self
            .oauth_post(
                client,
                "/oauth/token",
                &[
                    ("grant_type", "authorization_code"),
                    ("code", code),
                    ("redirect_uri", &client.redirect_uri),
                    ("code_verifier", &pkce.verifier),
                ],
                spent,
            )
            .await?;
        member(&tokens, "id_token")?;
        member(&tokens, "access_token")
    }

    /// `GET /apps/{app}/oauth/userinfo` with `access_token` (OpenID Connect Core §5.3): the
    /// answer must name the subject.
    pub async fn userinfo(&self, access_token: &str, spent: &mut Duration) -> Result<(), Failure> {
        let url = self.url("/oauth/userinfo");
        let request = self.http.get(&url).bearer_auth(access_token);
        let Answer { json, .. } = send(request, path_of(&url), spent).await?;
        member(&json, "sub").map(drop)
    }

    /// `POST /apps/{app}/oauth/introspect` of `token` as `client` (RFC 7662): the token must be
    /// active.
    pub async fn introspect(
        &self,
        client: &OAuthClient,
        token: &str,
        spent: &mut Duration,
    ) -> Result<(), Failure> {
        let answer = self
            .oauth_post(client, "/oauth/introspect", &[("token", token)], spent)
            .await?;
        if answer["active"] == Value::Bool(true) {
            return Ok(());
        }
        Err(Failure::Refused {
            code: "inactive".to_owned(),
            body: answer.to_string(),
        })
    }

    /// A form POST to one of the provider's endpoints, authenticated as `client`
    /// (`client_secret_basic`).
    async fn oauth_post(
        &self,
        client: &OAuthClient,
        path: &str,
        form: &[(&str, &str)],
        spent: &mut Duration,
    ) -> Result<Value, Failure> {
        let url = self.url(path);
        let request = self
            .http
            .post(&url)
            .basic_auth(&client.id, Some(&client.secret))
            .form(form);
        send(request, path_of(&url), spent)
            .await
            .map(|Answer { json, .. }| json)
    }
}
