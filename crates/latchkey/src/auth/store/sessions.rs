//! Sessions, their rotating refresh tokens, and single-use auth tokens.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::users;
use super::{Conn, Result, is_postgres, to_json};
use crate::auth::events::Event;
use crate::auth::sessions::RevokeReason;
use crate::auth::sign_in::amr_from_json;
use crate::auth::{AppId, Session, SessionId, User, UserId};

const COLUMNS: &str =
    "id, app_id, user_id, amr, ip, user_agent, created_at, last_seen_at, expires_at, revoked_at";
/// [`COLUMNS`] of the `s` table of a join.
const JOINED: &str = "s.id, s.app_id, s.user_id, s.amr, s.ip, s.user_agent, s.created_at, \
    s.last_seen_at, s.expires_at, s.revoked_at";

fn from_row(row: &AnyRow) -> Result<Session> {
    Ok(Session {
        id: SessionId::from(row.try_get::<String, _>("id")?),
        app_id: AppId::from(row.try_get::<String, _>("app_id")?),
        user_id: UserId::from(row.try_get::<String, _>("user_id")?),
        amr: amr_from_json(&row.try_get::<String, _>("amr")?),
        ip: row.try_get("ip")?,
        user_agent: row.try_get("user_agent")?,
        created_at: row.try_get("created_at")?,
        last_seen_at: row.try_get("last_seen_at")?,
        expires_at: row.try_get("expires_at")?,
        revoked_at: row.try_get("revoked_at")?,
    })
}

pub async fn find_session(
    conn: &mut Conn,
    app_id: &AppId,
    id: &SessionId,
) -> Result<Option<Session>> {
    let row = sqlx::query(&format!(
        "select {COLUMNS} from sessions where app_id = $1 and id = $2"
    ))
    .bind(app_id.as_str())
    .bind(id.as_str())
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// A session and its user (`None` if the user row is gone), in one read.
pub async fn find_session_with_user(
    conn: &mut Conn,
    app_id: &AppId,
    id: &SessionId,
) -> Result<Option<(Session, Option<User>)>> {
    find_with_user(conn, app_id, "s.id", id.to_string()).await
}

/// The session of a cookie and its user (`None` if the user row is gone), in one read.
pub async fn find_by_cookie_with_user(
    conn: &mut Conn,
    app_id: &AppId,
    cookie_hash: &[u8],
) -> Result<Option<(Session, Option<User>)>> {
    find_with_user(conn, app_id, "s.cookie_hash", cookie_hash.to_vec()).await
}

/// The app's session whose `column` equals `key`, with its user.
async fn find_with_user<K>(
    conn: &mut Conn,
    app_id: &AppId,
    column: &str,
    key: K,
) -> Result<Option<(Session, Option<User>)>>
where
    K: for<'q> sqlx::Encode<'q, sqlx::Any> + sqlx::Type<sqlx::Any> + Send + 'static,
{
    let sql = format!(
        "select {JOINED}, {user_columns} from sessions s \
         left join users u on u.app_id = s.app_id and u.id = s.user_id \
         where s.app_id = $1 and {column} = $2",
        user_columns = users::JOINED_COLUMNS,
    );
    let row = sqlx::query(&sql)
        .bind(app_id.as_str())
        .bind(key)
        .fetch_optional(conn)
        .await?;
    row.as_ref()
        .map(|r| Ok((from_row(r)?, users::from_joined_row(r)?)))
        .transpose()
}

/// The user's sessions that are neither revoked nor expired at `now`, newest first.
pub async fn list_active(
    conn: &mut Conn,
    app_id: &AppId,
    user_id: &UserId,
    now: i64,
) -> Result<Vec<Session>> {
    let rows = sqlx::query(&format!(
        "select {COLUMNS} from sessions where app_id = $1 and user_id = $2 \
         and revoked_at is null and expires_at > $3 order by created_at desc, id desc"
    ))
    .bind(app_id.as_str())
    .bind(user_id.as_str())
    .bind(now)
    .fetch_all(conn)
    .await?;
    rows.iter().map(from_row).collect()
}

/// Revokes one live session; false if it was already revoked or does not exist.
pub async fn revoke_session(
    conn: &mut Conn,
    app_id: &AppId,
    id: &SessionId,
    now: i64,
    reason: RevokeReason,
) -> Result<bool> {
    let done = sqlx::query(
        "update sessions set revoked_at = $3, revoke_reason = $4 \
         where app_id = $1 and id = $2 and revoked_at is null",
    )
    .bind(app_id.as_str())
    .bind(id.as_str())
    .bind(now)
    .bind(reason.as_str())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Revokes every live session of the user; returns the ids revoked.
pub async fn revoke_user_sessions(
    conn: &mut Conn,
    app_id: &AppId,
    user_id: &UserId,
    now: i64,
    reason: RevokeReason,
) -> Result<Vec<SessionId>> {
    let rows = sqlx::query(
        "update sessions set revoked_at = $3, revoke_reason = $4 \
         where app_id = $1 and user_id = $2 and revoked_at is null returning id",
    )
    .bind(app_id.as_str())
    .bind(user_id.as_str())
    .bind(now)
    .bind(reason.as_str())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| Ok(SessionId::from(r.try_get::<String, _>("id")?)))
        .collect()
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

/// Writes a sign-in in one round trip to the database: the user's sign-in time, if the user is
/// still enabled, and the session, its first refresh token, an auth token and the audit event.
/// On SQLite this is one multi-statement query (its `$n` parameters are numbered across the
/// statements), on PostgreSQL one statement of data-modifying CTEs. Returns false, having
/// written the rows anyway, if the user is disabled or gone: the caller must then roll back.
///
/// Each statement through the store costs a hop to the SQLite connection's thread or a network
/// round trip, inside the one writer's transaction; a sign-in is bound by those, not by rows.
pub async fn insert_sign_in(conn: &mut Conn, new: &NewSignIn<'_>) -> Result<bool> {
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
    let sql = if is_postgres(conn) {
        format!(
            "with u as ({TOUCH}), s as ({SESSION}), r as ({REFRESH}), a as ({AUTH}), \
             e as ({EVENT}) select what from u"
        )
    } else {
        format!("{TOUCH}; {SESSION}; {REFRESH}; {AUTH}; {EVENT}")
    };
    let (session, event) = (new.session, new.event);
    let rows = sqlx::query(&sql)
        .bind(session.id.as_str())
        .bind(session.app_id.as_str())
        .bind(session.user_id.as_str())
        .bind(to_json(&session.amr))
        .bind(&session.ip)
        .bind(&session.user_agent)
        .bind(session.created_at)
        .bind(session.expires_at)
        .bind(new.cookie_hash)
        .bind(new.refresh_token_hash)
        .bind(new.auth_token_hash)
        .bind(new.auth_token_expires_at)
        .bind(&event.id)
        .bind(event.app_id.as_str())
        .bind(event.kind.as_str())
        .bind(event.user_id.as_ref().map(UserId::as_str))
        .bind(to_json(&event.data))
        .bind(event.created_at)
        .fetch_all(conn)
        .await?;
    let mut touched = false;
    for row in &rows {
        touched |= row.try_get::<String, _>("what")? == "u";
    }
    Ok(touched)
}

/// A refresh token with its session (of `app_id`) and the session's user (`None` if the user
/// row is gone), in one read.
pub async fn find_refresh_token_with_session(
    conn: &mut Conn,
    app_id: &AppId,
    hash: &[u8],
) -> Result<Option<(RefreshToken, Session, Option<User>)>> {
    let row = sqlx::query(&format!(
        "select r.rotated_at as r_rotated_at, {JOINED}, \
         {user_columns} from refresh_tokens r \
         join sessions s on s.id = r.session_id and s.app_id = $1 \
         left join users u on u.app_id = s.app_id and u.id = s.user_id \
         where r.token_hash = $2",
        user_columns = users::JOINED_COLUMNS,
    ))
    .bind(app_id.as_str())
    .bind(hash)
    .fetch_optional(conn)
    .await?;
    row.as_ref()
        .map(|r| {
            let token = RefreshToken {
                rotated_at: r.try_get("r_rotated_at")?,
            };
            Ok((token, from_row(r)?, users::from_joined_row(r)?))
        })
        .transpose()
}

/// Continues a session in one round trip (as [`insert_sign_in`] does): its next refresh token,
/// a new auth token, and its last-seen and expiry times slid forward.
pub async fn continue_session(
    conn: &mut Conn,
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
    let sql = if is_postgres(conn) {
        format!("with r as ({REFRESH}), a as ({AUTH}) {TOUCH}")
    } else {
        format!("{REFRESH}; {AUTH}; {TOUCH}")
    };
    sqlx::query(&sql)
        .bind(refresh_token_hash)
        .bind(session.id.as_str())
        .bind(session.last_seen_at)
        .bind(auth_token_hash)
        .bind(session.app_id.as_str())
        .bind(auth_token_expires_at)
        .bind(session.expires_at)
        .execute(conn)
        .await?;
    Ok(())
}

/// Marks the token used; true for exactly one caller.
pub async fn rotate_refresh_token(conn: &mut Conn, hash: &[u8], now: i64) -> Result<bool> {
    let done = sqlx::query(
        "update refresh_tokens set rotated_at = $2 where token_hash = $1 and rotated_at is null",
    )
    .bind(hash)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks every unused refresh token of the session used (the session is moving to a new one).
pub async fn rotate_session_refresh_tokens(
    conn: &mut Conn,
    session_id: &SessionId,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "update refresh_tokens set rotated_at = $2 where session_id = $1 and rotated_at is null",
    )
    .bind(session_id.as_str())
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Consumes an unexpired, unused auth token of the app; returns its session id, for exactly one
/// caller.
pub async fn take_auth_token(
    conn: &mut Conn,
    app_id: &AppId,
    hash: &[u8],
    now: i64,
) -> Result<Option<SessionId>> {
    let row = sqlx::query(
        "update auth_tokens set used_at = $3 where token_hash = $1 and app_id = $2 \
         and used_at is null and expires_at > $3 returning session_id",
    )
    .bind(hash)
    .bind(app_id.as_str())
    .bind(now)
    .fetch_optional(conn)
    .await?;
    row.map(|r| Ok(SessionId::from(r.try_get::<String, _>("session_id")?)))
        .transpose()
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

    /// The sign-in write reports a user disabled since it was read (the caller then rolls
    /// back), and records the sign-in time only of an enabled one.
    #[tokio::test]
    async fn a_sign_in_write_reports_a_disabled_user() {
        for (store, admin) in stores().await {
            let mut tx = store.begin().await.unwrap();
            let app = crate::auth::apps::test_app("app");
            apps::insert_app(&mut tx, &app).await.unwrap();
            for (id, disabled) in [("ann", false), ("bob", true)] {
                users::insert_user(&mut tx, &user(id, disabled))
                    .await
                    .unwrap();
            }
            for (id, expected) in [("ann", true), ("bob", false), ("gone", false)] {
                let user_id = UserId::from(id.to_owned());
                let session = Session {
                    id: SessionId::from(format!("s-{id}")),
                    app_id: app.id.clone(),
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
                    app_id: app.id.clone(),
                    kind: EventKind::SignInSucceeded.as_str().to_owned(),
                    user_id: Some(user_id.clone()),
                    ip: None,
                    user_agent: None,
                    data: Default::default(),
                    created_at: 5,
                };
                let hash = |s: &str| format!("{s}-{id}").into_bytes();
                let new = NewSignIn {
                    session: &session,
                    cookie_hash: &hash("c"),
                    refresh_token_hash: &hash("r"),
                    auth_token_hash: &hash("a"),
                    auth_token_expires_at: 50,
                    event: &event,
                };
                // A savepoint per case: the rows of a refused sign-in are rolled back by its
                // caller, and "gone" has no user row for the session to refer to.
                let mut case = sqlx::Connection::begin(&mut *tx).await.unwrap();
                let outcome = insert_sign_in(&mut case, &new).await;
                match outcome {
                    Ok(enabled) => assert_eq!(enabled, expected, "{id}"),
                    Err(e) => assert!(!expected, "{id}: {e}"),
                }
                if expected {
                    let signed_in = users::find_user(&mut case, &app.id, &user_id)
                        .await
                        .unwrap();
                    assert_eq!(signed_in.unwrap().last_sign_in_at, Some(5));
                }
                case.rollback().await.unwrap();
            }
            let ann = UserId::from("ann".to_owned());
            let touched = users::find_user(&mut tx, &app.id, &ann)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(touched.last_sign_in_at, None, "rolled back with its case");
            drop(tx);
            store.close().await;
            drop_database(admin).await;
        }
    }
}
