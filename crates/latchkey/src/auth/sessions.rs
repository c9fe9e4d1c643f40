//! Sessions: turning a cookie or a bearer token back into the signed-in user, refresh rotation
//! with reuse detection, sign-out and revocation, and `tokens/verify`.
//!
//! A session is what every sign-in creates (see [`super::sign_in`]); it holds a rotating
//! refresh token, single-use auth tokens and the browser cookie, all stored as hashes.

use serde_json::json;

use super::error::{Error, Result};
use super::events::{self, EventKind};
use super::ids::{AppId, SessionId, UserId};
use super::oauth_clients::Scope;
use super::sign_in::{Amr, Ending, NextTokens, SignIn, SignInOutcome};
use super::store::{self, Conn};
use super::tokens::TokenUse;
use super::{App, Auth, RequestMeta, User};
use crate::clock::Timestamp;
use crate::crypto::{Secret, SecretKind};

/// How long a session is kept after it expired (so a refresh just too late still finds it and
/// answers "expired" rather than "unknown"), before the sweep deletes it and its tokens.
pub const ENDED_KEPT: i64 = 86_400;

/// Seconds after a refresh token's rotation during which presenting it again answers with the
/// same new tokens instead of revoking the session: two tabs refreshing at once must not sign
/// the person out.
pub const REFRESH_REUSE_GRACE: i64 = 10;

/// How many rotations a repeated refresh follows to the session's current token (each within
/// the grace): a tab that refreshed twice while another was still asking.
const GRACE_CHAIN: usize = 4;

/// A session: one sign-in, alive until it expires (sliding with each refresh) or is revoked.
#[derive(Clone, Debug, PartialEq)]
pub struct Session {
    pub id: SessionId,
    pub app_id: AppId,
    pub user_id: UserId,
    /// How the user proved themselves.
    pub amr: Vec<Amr>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
    pub expires_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
    /// When the user last proved themselves in this session: its sign-in, or for a grant the
    /// sign-in of the browser session that authorized it.
    pub auth_time: Timestamp,
    /// The organization the session acts for (at most one), as set; whether the user is
    /// still a member is checked where it is read.
    pub org_id: Option<String>,
    /// Set on a session an OAuth client's grant made: whose, and what it may do.
    pub grant: Option<Grant>,
}

/// What marks a session as an OAuth client's grant: its tokens are that client's (OAuth access
/// tokens, refreshed only by that client at the token endpoint), never the browser API's.
#[derive(Clone, Debug, PartialEq)]
pub struct Grant {
    pub client_id: String,
    /// The scopes the user granted.
    pub scopes: Vec<Scope>,
    /// A public client's grant: the DPoP key its refresh tokens are bound to (RFC 9449,
    /// section 5).
    pub dpop_jkt: Option<String>,
    /// The client's name, where sessions are listed for people to read (else `None`).
    pub client_name: Option<String>,
}

impl Session {
    /// Neither revoked nor expired at `now`.
    pub fn is_live(&self, now: Timestamp) -> bool {
        self.revoked_at.is_none() && self.expires_at > now
    }
}

string_enum! {
    /// Why a session ended early.
    pub enum RevokeReason {
        /// The user signed out.
        SignOut = "sign_out",
        /// The user ended one of their other sessions.
        RevokedByUser = "revoked_by_user",
        /// The app's backend ended it.
        RevokedByApi = "revoked_by_api",
        /// A spent refresh token was presented again: stolen, or raced by a thief.
        RefreshReuse = "refresh_reuse",
        /// The account's address was proven by someone who had not set the account up.
        TakeoverProtection = "takeover_protection",
        /// The user signed in with the most sessions a user may hold: the oldest made room.
        SessionLimit = "session_limit",
        /// An OAuth code was presented again: the grant its first exchange made ends.
        CodeReuse = "code_reuse",
        /// The OAuth client revoked its token (RFC 7009).
        TokenRevoked = "token_revoked",
        /// The user withdrew the client's access.
        ConsentRevoked = "consent_revoked",
        /// The OAuth client was deleted.
        ClientDeleted = "client_deleted",
    }
}

impl RevokeReason {
    /// Records the revocation of `session_id` for this reason (`session.signed_out` for a
    /// sign-out, else `session.revoked`).
    pub(crate) async fn record(
        self,
        conn: &mut Conn<'_>,
        app_id: &AppId,
        user_id: &UserId,
        session_id: &SessionId,
        meta: &RequestMeta,
        now: Timestamp,
    ) -> store::Result<()> {
        let kind = match self {
            Self::SignOut => EventKind::SignedOut,
            _ => EventKind::SessionRevoked,
        };
        let data = events::data([("session_id", json!(session_id)), ("reason", json!(self))]);
        events::record(conn, app_id, kind, Some(user_id), meta, data, now).await
    }
}

/// The client a grant's refresh is for, and the DPoP key its request proved.
struct GrantHolder {
    client_id: String,
    dpop_jkt: Option<String>,
}

/// The signed-in user and the session that proves it.
#[derive(Clone, Debug)]
pub struct Principal {
    pub user: User,
    pub session: Session,
}

/// The principal of a session and its user as read together: refused unless the session is
/// live and the user exists and is enabled. The one rule every session read goes through.
pub(crate) fn principal_of(
    session: Session,
    user: Option<User>,
    now: Timestamp,
) -> Result<Principal> {
    if !session.is_live(now) {
        return Err(Error::Unauthorized(
            "the session has ended: sign in again".to_owned(),
        ));
    }
    let user = user.filter(|u| !u.disabled).ok_or_else(|| {
        Error::Unauthorized("the user no longer exists or is disabled".to_owned())
    })?;
    Ok(Principal { user, session })
}

/// What `tokens/verify` learns from a good token.
#[derive(Debug)]
pub struct VerifiedToken {
    pub user: User,
    pub session_id: SessionId,
    pub amr: Vec<Amr>,
    /// When the token stops being accepted: the JWT's `exp`, or the session's end for an
    /// auth token.
    pub expires_at: Timestamp,
    /// What the user may do, as it stands now.
    pub access: super::roles::Access,
}

/// Sessions of signed-in users.
pub struct Sessions<'a> {
    pub(super) auth: &'a Auth,
}

impl Sessions<'_> {
    /// The user behind a session cookie, if the session is live and the user enabled.
    pub async fn from_cookie(&self, app: &App, cookie: &Secret) -> Result<Principal> {
        let mut reader = self.auth.store.read().await?;
        let (session, user) =
            store::sessions::find_by_cookie_with_user(&mut reader.conn(), &app.id, &cookie.hash())
                .await?
                .ok_or_else(|| Error::Unauthorized("the session cookie is not valid".to_owned()))?;
        principal_of(session, user, self.auth.clock.now())
    }

    /// The user behind an access token, if its signature holds, its session is live and the
    /// user enabled.
    pub async fn from_access_token(&self, app: &App, token: &str) -> Result<Principal> {
        self.from_token_for(app, token, None).await
    }

    /// [`Self::from_access_token`], accepting also a narrow token for `use_`.
    pub async fn from_token_for(
        &self,
        app: &App,
        token: &str,
        use_: Option<TokenUse>,
    ) -> Result<Principal> {
        let claims = self
            .auth
            .tokens()
            .verify_token_for(app, token, use_)
            .await?;
        let mut reader = self.auth.store.read().await?;
        let (session, user) =
            store::sessions::find_session_with_user(&mut reader.conn(), &app.id, &claims.sid)
                .await?
                .ok_or_else(|| Error::Unauthorized("the session no longer exists".to_owned()))?;
        principal_of(session, user, self.auth.clock.now())
    }

    /// Rotates a refresh token: the presented one stops working, a new sign-in result comes
    /// back. A token already rotated within the last [`REFRESH_REUSE_GRACE`] seconds answers
    /// with the same new tokens again (two tabs refreshing at once); one rotated before that
    /// revokes the whole session (it was stolen, or the legitimate holder lost a race with a
    /// thief).
    #[tracing::instrument(level = "debug", skip_all, fields(app = %app.id))]
    pub async fn refresh(
        &self,
        app: &App,
        refresh_token: &Secret,
        meta: &RequestMeta,
    ) -> Result<SignIn> {
        self.rotate(app, refresh_token, None, meta).await
    }

    /// [`Self::refresh`] of an OAuth client's grant, at the token endpoint: only the client
    /// the grant is for may refresh it (with the DPoP key it is bound to, if it is), and its
    /// new access token is bound to `dpop_jkt` when the request carried a proof.
    pub async fn refresh_grant(
        &self,
        app: &App,
        refresh_token: &Secret,
        client_id: &str,
        dpop_jkt: Option<&str>,
        meta: &RequestMeta,
    ) -> Result<SignIn> {
        let client = GrantHolder {
            client_id: client_id.to_owned(),
            dpop_jkt: dpop_jkt.map(str::to_owned),
        };
        self.rotate(app, refresh_token, Some(client), meta).await
    }

    /// Rotates a refresh token of a session of `holder` (a client's grant) or, without one,
    /// of a sign-in's session.
    async fn rotate(
        &self,
        app: &App,
        refresh_token: &Secret,
        holder: Option<GrantHolder>,
        meta: &RequestMeta,
    ) -> Result<SignIn> {
        let unauthorized = || Error::Unauthorized("the refresh token is not valid".to_owned());
        if !SecretKind::RefreshToken.is_kind_of(refresh_token.expose()) {
            return Err(unauthorized());
        }
        let presented = refresh_token.clone();
        let key = self.auth.master_key.clone();
        let meta = meta.clone();
        let jkt = holder.as_ref().and_then(|h| h.dpop_jkt.clone());
        let outcome = self
            .auth
            .sign_ins()
            .bound_to(jkt.as_deref())
            .run(app, move |conn, tx| {
                Box::pin(async move {
                    let (app_id, now) = (&tx.app().id, tx.now);
                    let hash = presented.hash();
                    let (token, session, user) =
                        store::sessions::find_refresh_token_with_session(conn, app_id, &hash)
                            .await?
                            .ok_or_else(unauthorized)?;
                    // A grant's token works only for its client, a sign-in's only here.
                    let grant = session.grant.as_ref();
                    if grant.map(|g| &g.client_id) != holder.as_ref().map(|h| &h.client_id) {
                        return Err(unauthorized());
                    }
                    if let Some(bound) = grant.and_then(|g| g.dpop_jkt.as_ref())
                        && holder.as_ref().and_then(|h| h.dpop_jkt.as_ref()) != Some(bound)
                    {
                        return Err(Error::Unauthorized(
                            "the refresh token is bound to a DPoP key: send a proof made with it"
                                .to_owned(),
                        ));
                    }
                    let first_use = token.rotated_at.is_none()
                        && store::sessions::rotate_refresh_token(conn, &hash, now).await?;
                    if first_use {
                        let next = NextTokens::following(&presented, &key);
                        return tx.continue_session(conn, session, user, next).await;
                    }
                    // Rotated before, or by a request that committed while this one read.
                    let rotated_at = token.rotated_at.unwrap_or(now);
                    if now - rotated_at <= REFRESH_REUSE_GRACE
                        && let Some(next) =
                            current_successor(conn, app_id, &session, &presented, &key, now).await?
                    {
                        events::record(
                            conn,
                            app_id,
                            EventKind::RefreshRepeated,
                            Some(&session.user_id),
                            &meta,
                            events::data([("session_id", json!(session.id))]),
                            now,
                        )
                        .await?;
                        return tx.continue_again(conn, session, user, next).await;
                    }
                    let revoked = store::sessions::revoke_session(
                        conn,
                        app_id,
                        &session.id,
                        now,
                        RevokeReason::RefreshReuse,
                    )
                    .await?;
                    events::record(
                        conn,
                        app_id,
                        EventKind::RefreshReuseDetected,
                        Some(&session.user_id),
                        &meta,
                        events::data([
                            ("session_id", json!(session.id)),
                            ("session_revoked", json!(revoked)),
                        ]),
                        now,
                    )
                    .await?;
                    Ok(Ending::Refused(Error::Unauthorized(
                        "the refresh token was already used: the session has been revoked"
                            .to_owned(),
                    )))
                })
            })
            .await?;
        signed_in(outcome)
    }

    /// Refreshes the session behind a browser cookie.
    #[tracing::instrument(level = "debug", skip_all, fields(app = %app.id))]
    pub async fn refresh_cookie_session(&self, app: &App, principal: Principal) -> Result<SignIn> {
        let outcome = self
            .auth
            .sign_ins()
            .run(app, move |conn, tx| {
                Box::pin(async move {
                    let session = principal.session;
                    store::sessions::rotate_session_refresh_tokens(conn, &session.id, tx.now)
                        .await?;
                    let user =
                        store::users::find_user(conn, &tx.app().id, &session.user_id).await?;
                    tx.continue_session(conn, session, user, NextTokens::fresh())
                        .await
                })
            })
            .await?;
        signed_in(outcome)
    }

    /// The user's live sessions, newest first.
    pub async fn list(&self, app: &App, user_id: &UserId) -> Result<Vec<Session>> {
        let mut reader = self.auth.store.read().await?;
        let now = self.auth.clock.now();
        Ok(store::sessions::list_active(&mut reader.conn(), &app.id, user_id, now).await?)
    }

    /// Revokes `session_id` if it is a live session of `user_id`.
    #[tracing::instrument(level = "debug", skip_all, fields(app = %app.id))]
    pub async fn revoke(
        &self,
        app: &App,
        user_id: &UserId,
        session_id: &SessionId,
        reason: RevokeReason,
        meta: &RequestMeta,
    ) -> Result<()> {
        let now = self.auth.clock.now();
        let (app_id, user_id, session_id) = (app.id.clone(), user_id.clone(), session_id.clone());
        let meta = meta.clone();
        self.auth
            .store
            .write(move |tx| {
                Box::pin(async move {
                    let session = store::sessions::find_session(tx, &app_id, &session_id)
                        .await?
                        .filter(|s| s.user_id == user_id && s.is_live(now))
                        .ok_or_else(|| {
                            Error::NotFound(format!(
                                "there is no active session {:?}",
                                session_id.as_str()
                            ))
                        })?;
                    store::sessions::revoke_session(tx, &app_id, &session.id, now, reason).await?;
                    reason
                        .record(tx, &app_id, &user_id, &session.id, &meta, now)
                        .await?;
                    Ok(())
                })
            })
            .await
    }

    /// Revokes every live session of the user (the app's backend signing them out everywhere).
    #[tracing::instrument(level = "debug", skip_all, fields(app = %app.id))]
    pub async fn revoke_all(
        &self,
        app: &App,
        user_id: &UserId,
        reason: RevokeReason,
        meta: &RequestMeta,
    ) -> Result<()> {
        let now = self.auth.clock.now();
        let (app_id, user_id, meta) = (app.id.clone(), user_id.clone(), meta.clone());
        self.auth
            .store
            .write(move |tx| {
                Box::pin(async move {
                    store::users::find_user(tx, &app_id, &user_id)
                        .await?
                        .ok_or_else(|| {
                            Error::NotFound(format!("there is no user {:?}", user_id.as_str()))
                        })?;
                    let ids =
                        store::sessions::revoke_user_sessions(tx, &app_id, &user_id, now, reason)
                            .await?;
                    for id in ids {
                        reason
                            .record(tx, &app_id, &user_id, &id, &meta, now)
                            .await?;
                    }
                    Ok(())
                })
            })
            .await
    }

    /// Verifies an access token or redeems an auth token (once). `Ok(Err(reason))` is a token
    /// that is not valid, which the server API reports as `valid: false`.
    pub async fn verify_token(
        &self,
        app: &App,
        token: &Secret,
    ) -> Result<Result<VerifiedToken, String>> {
        if SecretKind::AuthToken.is_kind_of(token.expose()) {
            return self.redeem_auth_token(app, token).await;
        }
        self.verify_access_token_for(app, token, None).await
    }

    /// Verifies an access token, or a narrow token for `use_`, with its live session.
    /// `Ok(Err(reason))` is a token that is not valid.
    pub async fn verify_access_token_for(
        &self,
        app: &App,
        token: &Secret,
        use_: Option<TokenUse>,
    ) -> Result<Result<VerifiedToken, String>> {
        let claims = match self
            .auth
            .tokens()
            .verify_token_for(app, token.expose(), use_)
            .await
        {
            Ok(c) => c,
            Err(Error::Unauthorized(why)) => return Ok(Err(why)),
            Err(e) => return Err(e),
        };
        let mut reader = self.auth.store.read().await?;
        let found =
            store::sessions::find_session_with_access(&mut reader.conn(), &app.id, &claims.sid)
                .await?;
        drop(reader);
        let Some((session, user, access)) = found else {
            return Ok(Err("the session no longer exists".to_owned()));
        };
        match principal_of(session, user, self.auth.clock.now()) {
            Ok(p) => Ok(Ok(VerifiedToken {
                user: p.user,
                session_id: p.session.id,
                amr: claims.amr.clone(),
                expires_at: claims.exp,
                access,
            })),
            Err(Error::Unauthorized(why)) => Ok(Err(why)),
            Err(e) => Err(e),
        }
    }

    /// Consumes an auth token and reports its session's user.
    async fn redeem_auth_token(
        &self,
        app: &App,
        token: &Secret,
    ) -> Result<Result<VerifiedToken, String>> {
        let now = self.auth.clock.now();
        let (app_id, hash) = (app.id.clone(), token.hash());
        let principal = self
            .auth
            .store
            .write(move |tx| {
                Box::pin(async move {
                    let Some(session_id) =
                        store::sessions::take_auth_token(tx, &app_id, &hash, now).await?
                    else {
                        return Ok(None);
                    };
                    let found =
                        store::sessions::find_session_with_access(tx, &app_id, &session_id).await?;
                    Ok::<_, Error>(Some(match found {
                        Some((session, user, access)) => {
                            principal_of(session, user, now).map(|p| (p, access))
                        }
                        None => Err(Error::Unauthorized(
                            "the session no longer exists".to_owned(),
                        )),
                    }))
                })
            })
            .await?;
        let Some(principal) = principal else {
            return Ok(Err(
                "the auth token is unknown, expired or already used".to_owned()
            ));
        };
        Ok(match principal {
            Ok((p, access)) => Ok(VerifiedToken {
                expires_at: p.session.expires_at,
                session_id: p.session.id,
                amr: p.session.amr,
                user: p.user,
                access,
            }),
            Err(Error::Unauthorized(why)) => Err(why),
            Err(e) => return Err(e),
        })
    }
}

/// The tokens a repeated refresh of `presented` hands over: its successor, or the successor's
/// successor while each was rotated within the grace too, as long as the chain stays in
/// `session`. `None` if the chain leaves the session, ends in a token rotated longer ago, or
/// breaks (a browser refresh rotated every token of the session at once): reuse, then.
async fn current_successor(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    session: &Session,
    presented: &Secret,
    key: &crate::crypto::MasterKey,
    now: Timestamp,
) -> store::Result<Option<NextTokens>> {
    let mut current = presented.clone();
    for _ in 0..GRACE_CHAIN {
        let next = NextTokens::following(&current, key);
        let Some((token, successor_session, _)) = store::sessions::find_refresh_token_with_session(
            conn,
            app_id,
            &next.refresh_token.hash(),
        )
        .await?
        else {
            return Ok(None);
        };
        if successor_session.id != session.id {
            return Ok(None);
        }
        match token.rotated_at {
            None => return Ok(Some(next)),
            Some(at) if now - at <= REFRESH_REUSE_GRACE => current = next.refresh_token,
            Some(_) => return Ok(None),
        }
    }
    Ok(None)
}

/// The session a refresh goes on with.
fn signed_in(outcome: SignInOutcome) -> Result<SignIn> {
    outcome.continued("a refresh")
}
