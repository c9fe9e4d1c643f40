//! Sessions, their rotating refresh tokens, and single-use auth tokens.

use std::sync::LazyLock;

use super::db::{Conn, Row, params};
use super::users::{self, joined_columns};
use super::{Result, to_json};
use crate::auth::events::Event;
use crate::auth::sessions::RevokeReason;
use crate::auth::sign_in::amr_from_json;
use crate::auth::{AppId, Session, SessionId, User, UserId};

macro_rules! columns {
    () => {
        "id, app_id, user_id, amr, ip, user_agent, created_at, last_seen_at, expires_at, \
         revoked_at"
    };
}

/// [`columns`] of the `s` table of a join.
macro_rules! session_columns {
    () => {
        "s.id, s.app_id, s.user_id, s.amr, s.ip, s.user_agent, s.created_at, s.last_seen_at, \
         s.expires_at, s.revoked_at"
    };
}

fn from_row(row: &Row<'_>) -> Result<Session> {
    Ok(Session {
        id: SessionId::from(row.get::<String>("id")?),
        app_id: AppId::from(row.get::<String>("app_id")?),
        user_id: UserId::from(row.get::<String>("user_id")?),
        amr: amr_from_json(&row.get::<String>("amr")?),
        ip: row.get("ip")?,
        user_agent: row.get("user_agent")?,
        created_at: row.get("created_at")?,
        last_seen_at: row.get("last_seen_at")?,
        expires_at: row.get("expires_at")?,
        revoked_at: row.get("revoked_at")?,
    })
}

fn with_user(row: &Row<'_>) -> Result<(Session, Option<User>)> {
    Ok((from_row(row)?, users::from_joined_row(row)?))
}

pub async fn find_session(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    id: &SessionId,
) -> Result<Option<Session>> {
    const SQL: &str = concat!(
        "select ",
        columns!(),
        " from sessions where app_id = $1 and id = $2"
    );
    conn.optional(SQL, params![app_id.as_str(), id.as_str()], from_row)
        .await
}

/// A session and its user (`None` if the user row is gone), in one read.
pub async fn find_session_with_user(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    id: &SessionId,
) -> Result<Option<(Session, Option<User>)>> {
    const SQL: &str = concat!(
        "select ",
        session_columns!(),
        ", ",
        joined_columns!(),
        " from sessions s left join users u on u.app_id = s.app_id and u.id = s.user_id \
         where s.app_id = $1 and s.id = $2"
    );
    conn.optional(SQL, params![app_id.as_str(), id.as_str()], with_user)
        .await
}

/// The session of a cookie and its user (`None` if the user row is gone), in one read.
pub async fn find_by_cookie_with_user(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    cookie_hash: &[u8],
) -> Result<Option<(Session, Option<User>)>> {
    const SQL: &str = concat!(
        "select ",
        session_columns!(),
        ", ",
        joined_columns!(),
        " from sessions s left join users u on u.app_id = s.app_id and u.id = s.user_id \
         where s.app_id = $1 and s.cookie_hash = $2"
    );
    conn.optional(SQL, params![app_id.as_str(), cookie_hash], with_user)
        .await
}

/// The user's sessions that are neither revoked nor expired at `now`, newest first.
pub async fn list_active(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    user_id: &UserId,
    now: i64,
) -> Result<Vec<Session>> {
    const SQL: &str = concat!(
        "select ",
        columns!(),
        " from sessions where app_id = $1 and user_id = $2 \
         and revoked_at is null and expires_at > $3 order by created_at desc, id desc"
    );
    conn.all(
        SQL,
        params![app_id.as_str(), user_id.as_str(), now],
        from_row,
    )
    .await
}

/// Revokes one live session; false if it was already revoked or does not exist.
pub async fn revoke_session(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    id: &SessionId,
    now: i64,
    reason: RevokeReason,
) -> Result<bool> {
    let revoked = conn
        .execute(
            "update sessions set revoked_at = $3, revoke_reason = $4 \
             where app_id = $1 and id = $2 and revoked_at is null",
            params![app_id.as_str(), id.as_str(), now, reason.as_str()],
        )
        .await?;
    Ok(revoked == 1)
}

/// Revokes every live session of the user; returns the ids revoked.
pub async fn revoke_user_sessions(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    user_id: &UserId,
    now: i64,
    reason: RevokeReason,
) -> Result<Vec<SessionId>> {
    conn.all(
        "update sessions set revoked_at = $3, revoke_reason = $4 \
         where app_id = $1 and user_id = $2 and revoked_at is null returning id",
        params![app_id.as_str(), user_id.as_str(), now, reason.as_str()],
        |row| Ok(SessionId::from(row.get::<String>("id")?)),
    )
    .await
}

/// A refresh token's row, as its session's refresh reads it.
#[derive(Clone, Debug)]
pub struct RefreshToken {
    /// When it was spent; `None` while it is the session's current one.
    pub rotated_at: Option<i64>,
}

/// What a sign-in writes besides the user's sign-in time: the session, its first refresh token,
/// an auth token, and the audit event.
pub struct NewSignIn<'a> {
    pub session: &'a Session,
    pub cookie_hash: &'a [u8],
    pub refresh_token_hash: &'a [u8],
    pub auth_token_hash: &'a [u8],
    pub auth_token_expires_at: i64,
    pub event: &'a Event,
}

/// Writes a sign-in: the user's sign-in time, if the user is still enabled, and the session,
/// its first refresh token, an auth token and the audit event. On PostgreSQL one round trip
/// (data-modifying CTEs). Returns false, having written the rows anyway, if the user is
/// disabled or gone: the caller must then roll back.
pub async fn insert_sign_in(conn: &mut Conn<'_>, new: &NewSignIn<'_>) -> Result<bool> {
    const TOUCH: &str = "update users set last_sign_in_at = $7 \
        where app_id = $2 and id = $3 and disabled = 0 returning 'u' as what";
    const SESSION: &str = "insert into sessions (id, app_id, user_id, amr, ip, user_agent, \
        created_at, last_seen_at, expires_at, revoked_at, cookie_hash) \
        values ($1, $2, $3, $4, $5, $6, $7, $7, $8, null, $9)";
    const REFRESH: &str =
        "insert into refresh_tokens (token_hash, session_id, created_at) values ($10, $1, $7)";
    const AUTH: &str = "insert into auth_tokens (token_hash, app_id, session_id, expires_at) \
        values ($11, $2, $1, $12)";
    const EVENT: &str = "insert into events (id, app_id, type, user_id, ip, user_agent, data, \
        created_at) values ($13, $14, $15, $16, $5, $6, $17, $18)";
    let (session, event) = (new.session, new.event);
    let (amr, data) = (to_json(&session.amr), to_json(&event.data));
    let params = params![
        session.id.as_str(),
        session.app_id.as_str(),
        session.user_id.as_str(),
        &amr,
        &session.ip,
        &session.user_agent,
        session.created_at,
        session.expires_at,
        new.cookie_hash,
        new.refresh_token_hash,
        new.auth_token_hash,
        new.auth_token_expires_at,
        &event.id,
        event.app_id.as_str(),
        &event.kind,
        event.user_id.as_ref().map(UserId::as_str),
        &data,
        event.created_at,
    ];
    if conn.is_postgres() {
        static SQL: LazyLock<String> = LazyLock::new(|| {
            format!(
                "with u as ({TOUCH}), s as ({SESSION}), r as ({REFRESH}), a as ({AUTH}), \
                 e as ({EVENT}) select what from u"
            )
        });
        let touched = conn
            .all(&SQL, params, |row| row.get::<String>("what"))
            .await?;
        return Ok(!touched.is_empty());
    }
    let touched = conn
        .optional(TOUCH, params, |row| row.get::<String>("what"))
        .await?;
    for sql in [SESSION, REFRESH, AUTH, EVENT] {
        conn.execute(sql, params).await?;
    }
    Ok(touched.is_some())
}

/// A refresh token with its session (of `app_id`) and the session's user (`None` if the user
/// row is gone), in one read.
pub async fn find_refresh_token_with_session(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    hash: &[u8],
) -> Result<Option<(RefreshToken, Session, Option<User>)>> {
    const SQL: &str = concat!(
        "select r.rotated_at as r_rotated_at, ",
        session_columns!(),
        ", ",
        joined_columns!(),
        " from refresh_tokens r join sessions s on s.id = r.session_id and s.app_id = $1 \
         left join users u on u.app_id = s.app_id and u.id = s.user_id where r.token_hash = $2"
    );
    conn.optional(SQL, params![app_id.as_str(), hash], |row| {
        let token = RefreshToken {
            rotated_at: row.get("r_rotated_at")?,
        };
        Ok((token, from_row(row)?, users::from_joined_row(row)?))
    })
    .await
}

/// Continues a session: its next refresh token, a new auth token, and its last-seen and expiry
/// times slid forward (on PostgreSQL in one round trip).
pub async fn continue_session(
    conn: &mut Conn<'_>,
    session: &Session,
    refresh_token_hash: &[u8],
    auth_token_hash: &[u8],
    auth_token_expires_at: i64,
) -> Result<()> {
    const REFRESH: &str =
        "insert into refresh_tokens (token_hash, session_id, created_at) values ($1, $2, $3)";
    const AUTH: &str = "insert into auth_tokens (token_hash, app_id, session_id, expires_at) \
        values ($4, $5, $2, $6)";
    const TOUCH: &str = "update sessions set last_seen_at = $3, expires_at = $7 where id = $2";
    let params = params![
        refresh_token_hash,
        session.id.as_str(),
        session.last_seen_at,
        auth_token_hash,
        session.app_id.as_str(),
        auth_token_expires_at,
        session.expires_at,
    ];
    if conn.is_postgres() {
        let sql = format!("with r as ({REFRESH}), a as ({AUTH}) {TOUCH}");
        conn.execute(&sql, params).await?;
        return Ok(());
    }
    for sql in [REFRESH, AUTH, TOUCH] {
        conn.execute(sql, params).await?;
    }
    Ok(())
}

/// Marks the token used; true for exactly one caller.
pub async fn rotate_refresh_token(conn: &mut Conn<'_>, hash: &[u8], now: i64) -> Result<bool> {
    let rotated = conn
        .execute(
            "update refresh_tokens set rotated_at = $2 where token_hash = $1 and rotated_at is null",
            params![hash, now],
        )
        .await?;
    Ok(rotated == 1)
}

/// Marks every unused refresh token of the session used (the session is moving to a new one).
pub async fn rotate_session_refresh_tokens(
    conn: &mut Conn<'_>,
    session_id: &SessionId,
    now: i64,
) -> Result<()> {
    conn.execute(
        "update refresh_tokens set rotated_at = $2 where session_id = $1 and rotated_at is null",
        params![session_id.as_str(), now],
    )
    .await?;
    Ok(())
}

/// Consumes an unexpired, unused auth token of the app; returns its session id, for exactly one
/// caller.
pub async fn take_auth_token(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    hash: &[u8],
    now: i64,
) -> Result<Option<SessionId>> {
    conn.optional(
        "update auth_tokens set used_at = $3 where token_hash = $1 and app_id = $2 \
         and used_at is null and expires_at > $3 returning session_id",
        params![hash, app_id.as_str(), now],
        |row| Ok(SessionId::from(row.get::<String>("session_id")?)),
    )
    .await
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

    use super::*;
    use crate::auth::events::EventKind;
    use crate::auth::sign_in::Amr;
    use crate::auth::store::apps;
    use crate::auth::store::testing::{drop_database, stores};

    fn user(id: &str, disabled: bool) -> User {
        User {
            id: UserId::from(id.to_owned()),
            app_id: AppId::from("app".to_owned()),
            email: crate::auth::EmailAddress::parse(&format!("{id}@example.com")).ok(),
            email_verified: false,
            given_name: None,
            family_name: None,
            display_name: None,
            metadata: Default::default(),
            disabled,
            created_at: 1,
            updated_at: 1,
            last_sign_in_at: None,
        }
    }

    /// What a case saw before rolling its unit back.
    #[derive(Debug)]
    enum Seen {
        Outcome(std::result::Result<bool, String>, Option<i64>),
        Store(
            #[allow(dead_code, reason = "shown when a case fails")] crate::auth::store::StoreError,
        ),
    }

    impl From<crate::auth::store::StoreError> for Seen {
        fn from(e: crate::auth::store::StoreError) -> Self {
            Self::Store(e)
        }
    }

    /// The sign-in write reports a user disabled since it was read (the caller then rolls
    /// back), and records the sign-in time only of an enabled one.
    #[tokio::test]
    async fn a_sign_in_write_reports_a_disabled_user() {
        for (store, admin) in stores().await {
            let app = crate::auth::apps::test_app("app");
            let app_id = app.id.clone();
            store
                .write(move |c| {
                    Box::pin(async move {
                        apps::insert_app(c, &app).await?;
                        for (id, disabled) in [("ann", false), ("bob", true)] {
                            users::insert_user(c, &user(id, disabled)).await?;
                        }
                        Ok::<_, crate::auth::store::StoreError>(())
                    })
                })
                .await
                .unwrap();
            for (id, expected) in [("ann", true), ("bob", false), ("gone", false)] {
                let user_id = UserId::from(id.to_owned());
                let session = Session {
                    id: SessionId::from(format!("s-{id}")),
                    app_id: app_id.clone(),
                    user_id: user_id.clone(),
                    amr: vec![Amr::Passkey],
                    ip: None,
                    user_agent: None,
                    created_at: 5,
                    last_seen_at: 5,
                    expires_at: 100,
                    revoked_at: None,
                };
                let event = Event {
                    id: format!("e-{id}"),
                    app_id: app_id.clone(),
                    kind: EventKind::SignInSucceeded.as_str().to_owned(),
                    user_id: Some(user_id.clone()),
                    ip: None,
                    user_agent: None,
                    data: Default::default(),
                    created_at: 5,
                };
                let app_id = app_id.clone();
                // Each case is a unit that rolls itself back (returning what it saw as its
                // error), as a refused sign-in's caller does; "gone" has no user row for the
                // session to refer to.
                let seen = store
                    .write(move |c| {
                        Box::pin(async move {
                            let hash = |s: &str| format!("{s}-{}", user_id.as_str()).into_bytes();
                            let new = NewSignIn {
                                session: &session,
                                cookie_hash: &hash("c"),
                                refresh_token_hash: &hash("r"),
                                auth_token_hash: &hash("a"),
                                auth_token_expires_at: 50,
                                event: &event,
                            };
                            let outcome = insert_sign_in(c, &new).await.map_err(|e| e.to_string());
                            if outcome.is_err() {
                                // A failed statement ends a PostgreSQL transaction's use.
                                return Err(Seen::Outcome(outcome, None));
                            }
                            let signed_in = users::find_user(c, &app_id, &user_id)
                                .await?
                                .and_then(|u| u.last_sign_in_at);
                            Err::<(), _>(Seen::Outcome(outcome, signed_in))
                        })
                    })
                    .await
                    .unwrap_err();
                let Seen::Outcome(outcome, signed_in) = seen else {
                    panic!("{id}: {seen:?}");
                };
                match outcome {
                    Ok(enabled) => assert_eq!(enabled, expected, "{id}"),
                    Err(e) => assert!(!expected, "{id}: {e}"),
                }
                if expected {
                    assert_eq!(signed_in, Some(5), "{id}");
                }
            }
            let mut reader = store.read().await.unwrap();
            let ann = UserId::from("ann".to_owned());
            let touched = users::find_user(&mut reader.conn(), &app_id, &ann)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(touched.last_sign_in_at, None, "rolled back with its case");
            drop(reader);
            store.close().await;
            drop_database(admin).await;
        }
    }
}
