//! The few domain operations that only the compatibility APIs (`/compat/…`, API.md
//! "Compatibility with hosted passkey services") need, each built on a native one.
//!
//! - PlainKey-style server access tokens: a backend trades an API key (checked by
//!   [`Auth::authenticate_api_key`], the one API-key rule) for an opaque token that works for 60
//!   minutes. Only its SHA-256 is stored, beside its app, the key it came from (revoking the key
//!   ends the token) and its expiry.
//! - Passlock-style token exchange: an `auth_token` redeemed by the native
//!   [`Auth::verify_token`], plus the facts a Passlock principal reports that the native answer
//!   leaves out (the token's own lifetime, the passkey that signed in).
//!
//! This module must not hold a second copy of any token, key or user rule: it calls the native
//! operations and only adds what those services report differently.

use std::sync::Arc;

use super::Auth;
use super::error::{Error, Result};
use super::session::{AUTH_TOKEN_TTL, VerifiedToken, is_auth_token};
use crate::auth::store::{self, apps::App};
use crate::crypto::{hash_secret, new_secret};

const SERVER_TOKEN_PREFIX: &str = "lk_st_";
/// Server access tokens live 60 minutes, as PlainKey documents.
pub const SERVER_TOKEN_TTL: i64 = 3600;
/// How many of a user's latest sign-ins are searched for the passkey behind a session.
const SIGN_IN_EVENTS_SEARCHED: i64 = 200;

/// A freshly minted server access token; the secret is shown once.
#[derive(Debug)]
pub struct ServerToken {
    pub token: String,
    pub expires_in: i64,
}

/// A redeemed `auth_token`, with what a Passlock principal reports about it.
#[derive(Debug)]
pub struct ExchangedToken {
    pub verified: VerifiedToken,
    /// When the auth token was minted (its expiry less its lifetime).
    pub issued_at: i64,
    /// When the auth token would have stopped being accepted.
    pub expires_at: i64,
    /// The passkey the session signed in with, or the session id for an email sign-in.
    pub auth_id: String,
}

impl Auth {
    /// Trades an API key of `app_id` for a server access token (client-credentials style).
    /// A key that is unknown, revoked or another app's is `Unauthorized`.
    pub async fn issue_server_token(
        &self,
        app_id: &str,
        client_secret: &str,
    ) -> Result<ServerToken> {
        let key = self.authenticate_api_key(app_id, client_secret).await?;
        let token = new_secret(SERVER_TOKEN_PREFIX);
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        store::compat_tokens::delete_expired(&mut tx, now).await?;
        store::compat_tokens::insert(
            &mut tx,
            &hex(&hash_secret(&token)),
            app_id,
            &key.id,
            now,
            now + SERVER_TOKEN_TTL,
        )
        .await?;
        super::event::record(
            &mut tx,
            app_id,
            super::event::Kind::ServerTokenIssued,
            None,
            &super::RequestMeta::default(),
            super::event::data([("api_key_id", serde_json::json!(key.id))]),
            now,
        )
        .await?;
        super::commit(tx).await?;
        Ok(ServerToken {
            token,
            expires_in: SERVER_TOKEN_TTL,
        })
    }

    /// The app a server access token was issued for, if it is `app_id`, unexpired, and the API
    /// key it was traded for is still active; `Unauthorized` otherwise.
    pub async fn authenticate_server_token(&self, app_id: &str, token: &str) -> Result<Arc<App>> {
        let unauthorized = || {
            Error::Unauthorized(format!(
                "the access token is not valid for project {app_id:?}: it is unknown, expired, \
                 or its client secret was revoked"
            ))
        };
        if !token.starts_with(SERVER_TOKEN_PREFIX) || !super::app::valid_app_id(app_id) {
            return Err(unauthorized());
        }
        let mut conn = self.store.conn().await?;
        let live = store::compat_tokens::is_live(
            &mut conn,
            &hex(&hash_secret(token)),
            app_id,
            self.clock.now(),
        )
        .await?;
        drop(conn);
        if !live {
            return Err(unauthorized());
        }
        self.app(app_id).await.map_err(|e| match e {
            Error::NotFound(_) => unauthorized(),
            other => other,
        })
    }

    /// Redeems an `auth_token` once through [`Auth::verify_token`]; anything else (an access
    /// token, a used or expired auth token) is `Ok(Err(reason))`.
    pub async fn exchange_auth_token(
        &self,
        app: &App,
        token: &str,
    ) -> Result<Result<ExchangedToken, String>> {
        if !is_auth_token(token) {
            return Ok(Err(
                "the token is not an auth_token: send the one the sign-in returned".to_owned(),
            ));
        }
        let verified = match self.verify_token(app, token).await? {
            Ok(v) => v,
            Err(why) => return Ok(Err(why)),
        };
        let mut conn = self.store.conn().await?;
        let expires_at =
            store::compat_tokens::auth_token_expiry(&mut conn, &app.id, &hash_secret(token))
                .await?
                // Only a concurrent user deletion removes the row; the token was still good.
                .unwrap_or_else(|| self.clock.now());
        let auth_id = if verified.amr.iter().any(|m| m == "passkey") {
            // The sign-in event names the passkey; a refresh keeps the session's passkey.
            store::events::list_events(
                &mut conn,
                &app.id,
                Some(&verified.user.id),
                Some("sign_in.succeeded"),
                None,
                SIGN_IN_EVENTS_SEARCHED,
            )
            .await?
            .iter()
            .find(|e| {
                e.data.get("session_id").and_then(|v| v.as_str()) == Some(&verified.session_id)
            })
            .and_then(|e| {
                e.data
                    .get("passkey_id")
                    .and_then(|v| v.as_str())
                    .map(str::to_owned)
            })
        } else {
            None
        }
        .unwrap_or_else(|| verified.session_id.clone());
        Ok(Ok(ExchangedToken {
            issued_at: expires_at - AUTH_TOKEN_TTL,
            expires_at,
            auth_id,
            verified,
        }))
    }
}

/// Lower-case hex, the text form the token hash is stored in (one SQL text for both databases).
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_lower_case_and_padded() {
        assert_eq!(hex(&[0, 15, 255]), "000fff");
    }
}
