//! The few domain operations that only the compatibility APIs (`/compat/…`, API.md
//! "Compatibility with hosted passkey services") need, each built on a native one.
//!
//! - PlainKey-style server access tokens: a backend trades an API key (checked by
//!   [`super::api_keys::ApiKeys::authenticate`], the one API-key rule) for an opaque token that
//!   works for 60 minutes. Only its SHA-256 is stored, beside its app, the key it came from
//!   (revoking the key ends the token) and its expiry.
//! - Passlock-style token exchange: an `auth_token` redeemed by the native
//!   [`super::sessions::Sessions::verify_token`], plus the facts a Passlock principal reports
//!   that the native answer leaves out (the token's own lifetime, the passkey that signed in).
//!
//! This module must not hold a second copy of any token, key or user rule: it calls the native
//! operations and only adds what those services report differently.

use std::sync::Arc;

use super::error::{Error, Result};
use super::events::{self, EventKind};
use super::ids::AppId;
use super::sessions::VerifiedToken;
use super::sign_in::{AUTH_TOKEN_TTL, Amr};
use super::store;
use super::tokens::TokenUse;
use super::{App, Auth, RequestMeta};
use crate::clock::Timestamp;
use crate::crypto::{Secret, SecretKind};

/// Server access tokens live 60 minutes, as PlainKey documents.
pub const SERVER_TOKEN_TTL: i64 = 3600;
/// How many of a user's latest sign-ins are searched for the passkey behind a session.
const SIGN_IN_EVENTS_SEARCHED: i64 = 200;

/// A freshly minted server access token; the secret is shown once.
#[derive(Debug)]
pub struct ServerToken {
    pub token: Secret,
    pub expires_in: i64,
}

/// A redeemed `auth_token`, with what a Passlock principal reports about it.
#[derive(Debug)]
pub struct ExchangedToken {
    pub verified: VerifiedToken,
    /// When the auth token was minted (its expiry less its lifetime).
    pub issued_at: Timestamp,
    /// When the auth token would have stopped being accepted.
    pub expires_at: Timestamp,
    /// The passkey the session signed in with, or the session id for an email sign-in.
    pub auth_id: String,
}

/// What only the compatibility APIs need, each built on a native operation.
pub struct Compat<'a> {
    pub(super) auth: &'a Auth,
}

impl Compat<'_> {
    /// Trades an API key of `app_id` for a server access token (client-credentials style).
    /// A key that is unknown, revoked or another app's is `Unauthorized`.
    pub async fn issue_server_token(
        &self,
        app_id: &str,
        client_secret: &Secret,
    ) -> Result<ServerToken> {
        let unauthorized =
            || Error::Unauthorized(format!("the API key is not valid for app {app_id:?}"));
        let app_id = AppId::parse(app_id).ok_or_else(unauthorized)?;
        let key = self
            .auth
            .api_keys()
            .authenticate(&app_id, client_secret)
            .await?;
        let token = Secret::new(SecretKind::ServerToken);
        let now = self.auth.clock.now();
        let hash = hex(&token.hash());
        self.auth
            .store
            .write(move |tx| {
                Box::pin(async move {
                    store::compat_tokens::delete_expired(tx, now).await?;
                    let expires_at = now + SERVER_TOKEN_TTL;
                    store::compat_tokens::insert(tx, &hash, &app_id, &key.id, now, expires_at)
                        .await?;
                    events::record(
                        tx,
                        &app_id,
                        EventKind::ServerTokenIssued,
                        None,
                        &RequestMeta::default(),
                        events::data([("api_key_id", serde_json::json!(key.id))]),
                        now,
                    )
                    .await?;
                    Ok::<_, Error>(())
                })
            })
            .await?;
        Ok(ServerToken {
            token,
            expires_in: SERVER_TOKEN_TTL,
        })
    }

    /// The app a server access token was issued for, if it is `app_id`, unexpired, and the API
    /// key it was traded for is still active; `Unauthorized` otherwise.
    pub async fn authenticate_server_token(
        &self,
        app_id: &str,
        token: &Secret,
    ) -> Result<Arc<App>> {
        let unauthorized = || {
            Error::Unauthorized(format!(
                "the access token is not valid for project {app_id:?}: it is unknown, expired, \
                 or its client secret was revoked"
            ))
        };
        if !SecretKind::ServerToken.is_kind_of(token.expose()) {
            return Err(unauthorized());
        }
        let app_id_parsed = AppId::parse(app_id).ok_or_else(unauthorized)?;
        let mut reader = self.auth.store.read().await?;
        let live = store::compat_tokens::is_live(
            &mut reader.conn(),
            &hex(&token.hash()),
            &app_id_parsed,
            self.auth.clock.now(),
        )
        .await?;
        drop(reader);
        if !live {
            return Err(unauthorized());
        }
        self.auth.apps().get(app_id).await.map_err(|e| match e {
            Error::NotFound(_) => unauthorized(),
            other => other,
        })
    }

    /// Redeems an `auth_token` once through the native `tokens/verify`; anything else (an
    /// access token, a used or expired auth token) is `Ok(Err(reason))`.
    pub async fn exchange_auth_token(
        &self,
        app: &App,
        token: &Secret,
    ) -> Result<Result<ExchangedToken, String>> {
        if !SecretKind::AuthToken.is_kind_of(token.expose()) {
            return Ok(Err(
                "the token is not an auth_token: send the one the sign-in returned".to_owned(),
            ));
        }
        let verified = match self.auth.sessions().verify_token(app, token).await? {
            Ok(v) => v,
            Err(why) => return Ok(Err(why)),
        };
        let mut reader = self.auth.store.read().await?;
        let mut conn = reader.conn();
        let expires_at = store::compat_tokens::auth_token_expiry(&mut conn, &app.id, &token.hash())
            .await?
            // Only a concurrent user deletion removes the row; the token was still good.
            .unwrap_or_else(|| self.auth.clock.now());
        let auth_id = if verified.amr.contains(&Amr::Passkey) {
            // The sign-in event names the passkey; a refresh keeps the session's passkey.
            let filter = events::EventFilter {
                user_id: Some(verified.user.id.clone()),
                kind: Some(EventKind::SignInSucceeded),
                cursor: None,
            };
            store::events::list_events(&mut conn, &app.id, &filter, SIGN_IN_EVENTS_SEARCHED)
                .await?
                .iter()
                .find(|e| {
                    e.data.get("session_id").and_then(|v| v.as_str())
                        == Some(verified.session_id.as_str())
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
        .unwrap_or_else(|| verified.session_id.to_string());
        Ok(Ok(ExchangedToken {
            issued_at: expires_at - AUTH_TOKEN_TTL,
            expires_at,
            auth_id,
            verified,
        }))
    }

    /// Redeems an `auth_token` once through the native `tokens/verify` for PasskeyMe's callback
    /// token: a narrow token of the same session, which PasskeyMe's `verify-token` and `user`
    /// accept and everything else refuses (so one leaked from a URL cannot act for the user).
    /// Anything but a good auth token is `Ok(Err(reason))`.
    pub async fn passkeyme_token(
        &self,
        app: &App,
        auth_token: &Secret,
    ) -> Result<Result<Secret, String>> {
        if !SecretKind::AuthToken.is_kind_of(auth_token.expose()) {
            return Ok(Err("the token is not an auth_token".to_owned()));
        }
        let verified = match self.auth.sessions().verify_token(app, auth_token).await? {
            Ok(v) => v,
            Err(why) => return Ok(Err(why)),
        };
        let keys = self.auth.tokens().keys(app).await?;
        let issuer = self.auth.tokens().issuer(app);
        let grant = (&verified.session_id, &verified.amr[..]);
        let now = self.auth.clock.now();
        let use_ = Some(TokenUse::Passkeyme);
        let (token, _) = keys.sign_token(&issuer, app, &verified.user, grant, now, use_)?;
        Ok(Ok(token))
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
