//! The Latchkey adapter: the browser API for passkeys, the server API for tokens.

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
        let url = format!("{}/apps/{}{path}", self.base, self.app);
        post_json(&self.http, &url, bearer, body, spent)
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
