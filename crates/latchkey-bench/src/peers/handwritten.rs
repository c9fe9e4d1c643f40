//! Adapter for the `bench/peers/handwritten` peer: the server a team would write by hand with
//! `@simplewebauthn/server`, `jose` and `better-sqlite3`.
//!
//! Its ceremonies are two JSON calls each, tied by a `ceremony_id` the server hands out with the
//! options; tokens come back in the JSON bodies, as with Latchkey. The protocol is described in
//! `bench/peers/handwritten/README.md`.

use std::time::Duration;

use latchkey_authenticator::{CreateOptions, GetOptions, Key};
use serde_json::{Value, json};

use crate::target::{Answer, Failure, ORIGIN, SignedUp, User, expect_valid, member, post_json};

/// A running handwritten peer.
pub struct Handwritten {
    http: reqwest::Client,
    /// Its base URL, e.g. `http://127.0.0.1:3001`.
    base: String,
}

impl Handwritten {
    pub fn new(http: reqwest::Client, base: String) -> Self {
        Self { http, base }
    }

    /// `POST {base}{path}`.
    async fn post(&self, path: &str, body: &Value, spent: &mut Duration) -> Result<Value, Failure> {
        let url = format!("{}{path}", self.base);
        post_json(&self.http, &url, None, body, spent)
            .await
            .map(|Answer { json, .. }| json)
    }

    /// `register/options`, the authenticator's `create`, `register/verify`.
    pub async fn sign_up(
        &self,
        email: &str,
        key: Key,
        spent: &mut Duration,
    ) -> Result<SignedUp, Failure> {
        let started = self
            .post("/register/options", &json!({"email": email}), spent)
            .await?;
        let (response, credential) = latchkey_authenticator::create(
            &started["options"],
            &CreateOptions::with_key(ORIGIN, key),
        )
        .map_err(|e| Failure::authenticator(&e))?;
        let result = self
            .post(
                "/register/verify",
                &json!({"ceremony_id": member(&started, "ceremony_id")?, "response": response}),
                spent,
            )
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

    /// `authenticate/options` (with the email, or empty for a discoverable sign-in), the
    /// authenticator's `get`, `authenticate/verify`.
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
        let started = self.post("/authenticate/options", &body, spent).await?;
        let response = latchkey_authenticator::get(
            &started["options"],
            &mut user.credential,
            &GetOptions::new(ORIGIN),
        )
        .map_err(|e| Failure::authenticator(&e))?;
        let result = self
            .post(
                "/authenticate/verify",
                &json!({"ceremony_id": member(&started, "ceremony_id")?, "response": response}),
                spent,
            )
            .await?;
        member(&result, "access_token").map(drop)
    }

    /// `POST /tokens/verify`: the JWT's signature and claims, and its session row.
    pub async fn verify_token(&self, token: &str, spent: &mut Duration) -> Result<(), Failure> {
        let result = self
            .post("/tokens/verify", &json!({"token": token}), spent)
            .await?;
        expect_valid(&result)
    }

    /// `POST /sessions/refresh`: rotates `refresh_token` in place.
    pub async fn refresh(
        &self,
        refresh_token: &mut String,
        spent: &mut Duration,
    ) -> Result<(), Failure> {
        let result = self
            .post(
                "/sessions/refresh",
                &json!({"refresh_token": refresh_token}),
                spent,
            )
            .await?;
        *refresh_token = member(&result, "refresh_token")?;
        Ok(())
    }
}
