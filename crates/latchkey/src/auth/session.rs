//! Sessions: the sign-in result, refresh rotation with reuse detection, sign-out, and turning a
//! cookie or bearer token back into the signed-in user.

use serde_json::json;

use super::error::{Error, Result};
use super::{Auth, RequestMeta, commit, event, new_id};
use crate::auth::store::{self, Conn, apps::App, sessions::Session, users::User};
use crate::crypto::{hash_secret, new_secret};

const REFRESH_PREFIX: &str = "lk_rt_";
const AUTH_TOKEN_PREFIX: &str = "lk_at_";
const COOKIE_PREFIX: &str = "lk_ss_";
/// `auth_token`s live five minutes.
pub const AUTH_TOKEN_TTL: i64 = 300;

/// Everything a successful sign-in hands back.
#[derive(Debug)]
pub struct SignIn {
    pub user: User,
    pub session: Session,
    pub access_token: String,
    pub expires_in: i64,
    pub refresh_token: String,
    pub auth_token: String,
    /// The value of the browser session cookie.
    pub cookie: String,
}

/// The signed-in user and the session that proves it.
#[derive(Clone, Debug)]
pub struct Principal {
    pub user: User,
    pub session: Session,
}

/// Secrets minted inside a sign-in transaction, before the access token is signed.
pub(crate) struct Minted {
    /// How the user signed in, for the sign-in metric.
    method: &'static str,
    session: Session,
    refresh_token: String,
    auth_token: String,
    cookie: String,
}

/// Whether an `auth_token` looks like one (as opposed to a JWT).
pub fn is_auth_token(token: &str) -> bool {
    token.starts_with(AUTH_TOKEN_PREFIX)
}

fn is_live(session: &Session, now: i64) -> bool {
    session.revoked_at.is_none() && session.expires_at > now
}

impl Auth {
    /// The common end of every sign-in, inside its transaction: records the user's sign-in
    /// time (refusing a user disabled or deleted meanwhile), creates the session with its first
    /// refresh token and an auth token, and records the `sign_in.succeeded` event with `method`
    /// and `details`. Call [`Auth::prepare_signing`] before the transaction, and
    /// [`Auth::finish_sign_in`] after it commits.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn sign_in_user(
        &self,
        conn: &mut Conn,
        app: &App,
        user: &mut User,
        amr: Vec<String>,
        method: &'static str,
        mut details: serde_json::Map<String, serde_json::Value>,
        meta: &RequestMeta,
        now: i64,
    ) -> Result<Minted> {
        let cookie = new_secret(COOKIE_PREFIX);
        let refresh_token = new_secret(REFRESH_PREFIX);
        let auth_token = new_secret(AUTH_TOKEN_PREFIX);
        let session = Session {
            id: new_id(),
            app_id: app.id.clone(),
            user_id: user.id.clone(),
            amr,
            ip: meta.ip.clone(),
            user_agent: meta.user_agent.clone(),
            created_at: now,
            last_seen_at: now,
            expires_at: now + app.refresh_token_ttl,
            revoked_at: None,
        };
        details.insert("method".to_owned(), json!(method));
        details.insert("session_id".to_owned(), json!(session.id));
        let event = event::new(
            &app.id,
            event::Kind::SignInSucceeded,
            Some(&user.id),
            meta,
            details,
            now,
        );
        // The user's sign-in time is written with the rows, as one column and only while the
        // user is enabled: a whole-row write could undo a concurrent change (a disable), and a
        // disable that committed first stops the sign-in (the caller's rollback undoes the rest).
        let enabled = store::sessions::insert_sign_in(
            conn,
            &store::sessions::NewSignIn {
                session: &session,
                cookie_hash: &hash_secret(&cookie),
                refresh_token_hash: &hash_secret(&refresh_token),
                auth_token_hash: &hash_secret(&auth_token),
                auth_token_expires_at: now + AUTH_TOKEN_TTL,
                event: &event,
            },
        )
        .await?;
        if !enabled {
            return Err(Error::Forbidden(
                "this account is disabled or no longer exists".to_owned(),
            ));
        }
        user.last_sign_in_at = Some(now);
        Ok(Minted {
            method,
            session,
            refresh_token,
            auth_token,
            cookie,
        })
    }

    /// Loads (or creates) the app's signing key before a sign-in transaction starts, so signing
    /// after commit needs no store access.
    pub(crate) async fn prepare_signing(&self, app: &App) -> Result<()> {
        self.jwks(app).await.map(|_| ())
    }

    /// Signs the access token for a committed session, and counts the sign-in.
    pub(crate) async fn finish_sign_in(
        &self,
        app: &App,
        user: User,
        minted: Minted,
    ) -> Result<SignIn> {
        metrics::counter!("latchkey_sign_ins_total", "method" => minted.method, "outcome" => "success")
            .increment(1);
        let (access_token, expires_in) =
            self.issue_access_token(app, &user, &minted.session).await?;
        Ok(SignIn {
            user,
            session: minted.session,
            access_token,
            expires_in,
            refresh_token: minted.refresh_token,
            auth_token: minted.auth_token,
            cookie: minted.cookie,
        })
    }

    /// The user behind a session cookie, if the session is live and the user enabled.
    pub async fn principal_from_cookie(&self, app: &App, cookie: &str) -> Result<Principal> {
        let mut conn = self.store.conn().await?;
        let (session, user) =
            store::sessions::find_by_cookie_with_user(&mut conn, &app.id, &hash_secret(cookie))
                .await?
                .ok_or_else(|| Error::Unauthorized("the session cookie is not valid".to_owned()))?;
        self.principal_of(session, user)
    }

    /// The user behind an access token, if its signature holds, its session is live and the user
    /// enabled.
    pub async fn principal_from_access_token(&self, app: &App, token: &str) -> Result<Principal> {
        let claims = self.verify_access_token(app, token).await?;
        let mut conn = self.store.conn().await?;
        let (session, user) =
            store::sessions::find_session_with_user(&mut conn, &app.id, &claims.sid)
                .await?
                .ok_or_else(|| Error::Unauthorized("the session no longer exists".to_owned()))?;
        self.principal_of(session, user)
    }

    /// The principal of a session and its user as read together: refused unless the session
    /// is live and the user exists and is enabled.
    fn principal_of(&self, session: Session, user: Option<User>) -> Result<Principal> {
        if !is_live(&session, self.clock.now()) {
            return Err(Error::Unauthorized(
                "the session has ended: sign in again".to_owned(),
            ));
        }
        let user = user.filter(|u| !u.disabled).ok_or_else(|| {
            Error::Unauthorized("the user no longer exists or is disabled".to_owned())
        })?;
        Ok(Principal { user, session })
    }

    /// Rotates a refresh token: the presented one stops working, a new sign-in result comes
    /// back. A token that was already rotated revokes the whole session (it was stolen, or
    /// the legitimate holder lost a race with a thief).
    pub async fn refresh(
        &self,
        app: &App,
        refresh_token: &str,
        meta: &RequestMeta,
    ) -> Result<SignIn> {
        let unauthorized = || Error::Unauthorized("the refresh token is not valid".to_owned());
        if !refresh_token.starts_with(REFRESH_PREFIX) {
            return Err(unauthorized());
        }
        self.prepare_signing(app).await?;
        let hash = hash_secret(refresh_token);
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        let (token, session, user) =
            store::sessions::find_refresh_token_with_session(&mut tx, &app.id, &hash)
                .await?
                .ok_or_else(unauthorized)?;
        let first_use = token.rotated_at.is_none()
            && store::sessions::rotate_refresh_token(&mut tx, &hash, now).await?;
        if !first_use {
            let revoked = store::sessions::revoke_session(
                &mut tx,
                &app.id,
                &session.id,
                now,
                "refresh_reuse",
            )
            .await?;
            event::record(
                &mut tx,
                &app.id,
                event::Kind::RefreshReuseDetected,
                Some(&session.user_id),
                meta,
                event::data([
                    ("session_id", json!(session.id)),
                    ("session_revoked", json!(revoked)),
                ]),
                now,
            )
            .await?;
            commit(tx).await?;
            return Err(Error::Unauthorized(
                "the refresh token was already used: the session has been revoked".to_owned(),
            ));
        }
        self.rotate_in(tx, app, session, user, now).await
    }

    /// Refreshes the session behind a browser cookie.
    pub async fn refresh_cookie_session(&self, app: &App, principal: Principal) -> Result<SignIn> {
        self.prepare_signing(app).await?;
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        store::sessions::rotate_session_refresh_tokens(&mut tx, &principal.session.id, now).await?;
        let user = store::users::find_user(&mut tx, &app.id, &principal.session.user_id).await?;
        self.rotate_in(tx, app, principal.session, user, now).await
    }

    /// Continues `session` inside `tx`: a new refresh token (the caller has spent the old
    /// one), a new auth token and access token, the session slid forward; commits. `user` is
    /// the session's user as read inside `tx` (`None`: the row is gone).
    pub(crate) async fn rotate_in(
        &self,
        mut tx: store::Tx,
        app: &App,
        mut session: Session,
        user: Option<User>,
        now: i64,
    ) -> Result<SignIn> {
        let user = self.principal_of(session.clone(), user)?.user;
        let refresh_token = new_secret(REFRESH_PREFIX);
        let auth_token = new_secret(AUTH_TOKEN_PREFIX);
        session.last_seen_at = now;
        session.expires_at = now + app.refresh_token_ttl;
        store::sessions::continue_session(
            &mut tx,
            &session,
            &hash_secret(&refresh_token),
            &hash_secret(&auth_token),
            now + AUTH_TOKEN_TTL,
        )
        .await?;
        // Sign before committing: once the old refresh token is spent, the caller must get
        // the new one, or its retry would look like reuse and revoke the session.
        let (access_token, expires_in) = self.issue_access_token(app, &user, &session).await?;
        commit(tx).await?;
        Ok(SignIn {
            user,
            session,
            access_token,
            expires_in,
            refresh_token,
            auth_token,
            // The browser keeps the cookie it has; an empty value means "unchanged".
            cookie: String::new(),
        })
    }

    /// The user's live sessions.
    pub async fn list_sessions(&self, app: &App, user_id: &str) -> Result<Vec<Session>> {
        let mut conn = self.store.conn().await?;
        Ok(store::sessions::list_active(&mut conn, &app.id, user_id, self.clock.now()).await?)
    }

    /// Revokes `session_id` if it belongs to `user_id`.
    pub async fn revoke_session(
        &self,
        app: &App,
        user_id: &str,
        session_id: &str,
        reason: &str,
        meta: &RequestMeta,
    ) -> Result<()> {
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        let session = store::sessions::find_session(&mut tx, &app.id, session_id)
            .await?
            .filter(|s| s.user_id == user_id && is_live(s, now))
            .ok_or_else(|| Error::NotFound(format!("there is no active session {session_id:?}")))?;
        store::sessions::revoke_session(&mut tx, &app.id, &session.id, now, reason).await?;
        let kind = if reason == "sign_out" {
            event::Kind::SignedOut
        } else {
            event::Kind::SessionRevoked
        };
        event::record(
            &mut tx,
            &app.id,
            kind,
            Some(user_id),
            meta,
            event::data([("session_id", json!(session.id)), ("reason", json!(reason))]),
            now,
        )
        .await?;
        commit(tx).await
    }

    /// Revokes every live session of the user.
    pub async fn revoke_all_sessions(
        &self,
        app: &App,
        user_id: &str,
        meta: &RequestMeta,
    ) -> Result<()> {
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        store::users::find_user(&mut tx, &app.id, user_id)
            .await?
            .ok_or_else(|| Error::NotFound(format!("there is no user {user_id:?}")))?;
        let ids =
            store::sessions::revoke_user_sessions(&mut tx, &app.id, user_id, now, "revoked_by_api")
                .await?;
        for id in ids {
            event::record(
                &mut tx,
                &app.id,
                event::Kind::SessionRevoked,
                Some(user_id),
                meta,
                event::data([
                    ("session_id", json!(id)),
                    ("reason", json!("revoked_by_api")),
                ]),
                now,
            )
            .await?;
        }
        commit(tx).await
    }
}

/// What `tokens/verify` learns from a good token.
#[derive(Debug)]
pub struct VerifiedToken {
    pub user: User,
    pub session_id: String,
    pub amr: Vec<String>,
    /// When the token stops being accepted: the JWT's `exp`, or the session's end for an
    /// auth token.
    pub expires_at: i64,
}

impl Auth {
    /// Verifies an access token or redeems an auth token (once). `Ok(Err(reason))` is a token
    /// that is not valid, which the server API reports as `valid: false`.
    pub async fn verify_token(
        &self,
        app: &App,
        token: &str,
    ) -> Result<Result<VerifiedToken, String>> {
        if is_auth_token(token) {
            let now = self.clock.now();
            let mut tx = self.store.begin().await?;
            let Some(session_id) =
                store::sessions::take_auth_token(&mut tx, &app.id, &hash_secret(token), now)
                    .await?
            else {
                return Ok(Err(
                    "the auth token is unknown, expired or already used".to_owned()
                ));
            };
            let principal =
                match store::sessions::find_session_with_user(&mut tx, &app.id, &session_id).await?
                {
                    Some((session, user)) => self.principal_of(session, user),
                    None => Err(Error::Unauthorized(
                        "the session no longer exists".to_owned(),
                    )),
                };
            commit(tx).await?;
            return Ok(match principal {
                Ok(p) => Ok(VerifiedToken {
                    expires_at: p.session.expires_at,
                    session_id: p.session.id,
                    amr: p.session.amr,
                    user: p.user,
                }),
                Err(Error::Unauthorized(why)) => Err(why),
                Err(e) => return Err(e),
            });
        }
        let claims = match self.verify_access_token(app, token).await {
            Ok(c) => c,
            Err(Error::Unauthorized(why)) => return Ok(Err(why)),
            Err(e) => return Err(e),
        };
        let mut conn = self.store.conn().await?;
        let found =
            store::sessions::find_session_with_user(&mut conn, &app.id, &claims.sid).await?;
        drop(conn);
        let Some((session, user)) = found else {
            return Ok(Err("the session no longer exists".to_owned()));
        };
        match self.principal_of(session, user) {
            Ok(p) => Ok(Ok(VerifiedToken {
                user: p.user,
                session_id: p.session.id,
                amr: claims.amr,
                expires_at: claims.exp,
            })),
            Err(Error::Unauthorized(why)) => Ok(Err(why)),
            Err(e) => Err(e),
        }
    }
}
