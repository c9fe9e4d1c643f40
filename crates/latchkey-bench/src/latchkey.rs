//! The Latchkey adapter: the browser API for passkeys and email codes, the server API for tokens
//! and users.

use std::time::Duration;

use latchkey_authenticator::{CreateOptions, GetOptions, Key};
use serde_json::{Value, json};

use crate::target::{Answer, Failure, ORIGIN, SignedUp, User, expect_valid, member, post_json};

/// One app of a Latchkey server.
pub struct Latchkey {
    http: reqwest::Client,
    base: String,
    app: String,
    api_key: Option<String>,
}

impl Latchkey {
    pub fn new(http: reqwest::Client, base: String, app: String, api_key: Option<String>) -> Self {
        Self {
            http,
            base,
            app,
            api_key,
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
        let url = format!("{}/apps/{}{path}", self.base, self.app);
        post_json(http, &url, bearer, body, spent)
            .await
            .map(|Answer { json, .. }| json)
    }

    pub async fn sign_up(
        &self,
        email: &str,
        key: Key,
        spent: &mut Duration,
    ) -> Result<SignedUp, Failure> {
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
            &CreateOptions::with_key(ORIGIN, key),
        )
        .map_err(|e| Failure::authenticator(&e))?;
        let result = self
            .post("/passkeys/register/verify", None, &response, spent)
            .await?;
        Ok(SignedUp {
            user: User {
                email: email.to_owned(),
                credential,
            },
            access_token: member(&result, "access_token")?,
            refresh_token: member(&result, "refresh_token")?,
        })
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
            &GetOptions::new(ORIGIN),
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
}
