//! Sessions, their rotating refresh tokens, and single-use auth tokens.

use std::sync::LazyLock;

use super::db::{Conn, Row, params};
use super::users::{self, joined_columns};
use super::{Result, to_json};
use crate::auth::events::Event;
use crate::auth::oauth_clients::scopes_from_text;
use crate::auth::passkeys::Passkey;
use crate::auth::roles::Access;
use crate::auth::sessions::Grant;
use crate::auth::sessions::RevokeReason;
use crate::auth::sign_in::amr_from_json;
use crate::auth::{AppId, Session, SessionId, User, UserId};

macro_rules! columns {
    () => {
        "id, app_id, user_id, amr, ip, user_agent, created_at, last_seen_at, expires_at, \
         revoked_at, client_id, scope, dpop_jkt, coalesce(auth_time, created_at) as auth_time, \
         org_id"
    };
}

/// [`columns`] of the `s` table of a join.
macro_rules! session_columns {
    () => {
        "s.id, s.app_id, s.user_id, s.amr, s.ip, s.user_agent, s.created_at, s.last_seen_at, \
         s.expires_at, s.revoked_at, s.client_id, s.scope, s.dpop_jkt, \
         coalesce(s.auth_time, s.created_at) as auth_time, s.org_id"
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
        auth_time: row.get("auth_time")?,
        org_id: row.get("org_id")?,
        grant: match row.get::<Option<String>>("client_id")? {
            Some(client_id) => Some(Grant {
                client_id,
                scopes: scopes_from_text(&row.get::<Option<String>>("scope")?.unwrap_or_default()),
                dpop_jkt: row.get("dpop_jkt")?,
                client_name: None,
            }),
            None => None,
        },
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

/// A session, its user (`None` if the user row is gone) and what the user may do (their roles
/// and permissions), in one read: `tokens/verify`'s.
pub async fn find_session_with_access(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    id: &SessionId,
) -> Result<Option<(Session, Option<User>, Access)>> {
    static SQL: LazyLock<String> = LazyLock::new(|| {
        format!(
            "select {}, {}, {} from sessions s left join users u on u.app_id = s.app_id \
             and u.id = s.user_id {} where s.app_id = $1 and s.id = $2",
            session_columns!(),
            joined_columns!(),
            super::roles::ACCESS_COLUMNS,
            super::roles::ACCESS_JOIN,
        )
    });
    let sql = SQL.as_str();
    conn.optional(sql, params![app_id.as_str(), id.as_str()], |row| {
        let (session, user) = with_user(row)?;
        Ok((session, user, super::roles::access_from_row(row)?))
    })
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

/// The user's sessions that are neither revoked nor expired at `now`, newest first, a grant's
/// with its client's name.
pub async fn list_active(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    user_id: &UserId,
    now: i64,
) -> Result<Vec<Session>> {
    const SQL: &str = concat!(
        "select ",
        session_columns!(),
        ", o.name as client_name from sessions s left join oauth_clients o \
         on o.client_id = s.client_id and o.app_id = s.app_id \
         where s.app_id = $1 and s.user_id = $2 \
         and s.revoked_at is null and s.expires_at > $3 order by s.created_at desc, s.id desc"
    );
    conn.all(
        SQL,
        params![app_id.as_str(), user_id.as_str(), now],
        |row| {
            let mut session = from_row(row)?;
            if let Some(grant) = &mut session.grant {
                grant.client_name = row.get("client_name")?;
            }
            Ok(session)
        },
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
/// an auth token and the audit event, and the method's own writes that must hold first.
pub struct NewSignIn<'a> {
    pub session: &'a Session,
    pub cookie_hash: &'a [u8],
    pub refresh_token_hash: &'a [u8],
    pub auth_token_hash: &'a [u8],
    pub auth_token_expires_at: i64,
    pub event: &'a Event,
    pub claim: Option<PasskeyClaim<'a>>,
}

/// A passkey assertion's writes, made with its sign-in: the stored ceremony consumed (`None`:
/// the ceremony was not stored, and its caller consumed it), then the passkey's new state
/// stored if its counter is still `previous_count` (compare-and-set).
pub struct PasskeyClaim<'a> {
    pub challenge: Option<&'a str>,
    pub passkey: &'a Passkey,
    pub previous_count: i64,
}

/// What writing a sign-in found. The session and the rest are written only if all three hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SignInWritten {
    /// The claim's ceremony was there and is now consumed (true without a stored ceremony).
    pub ceremony_taken: bool,
    /// The claim's passkey counter was as read and is now updated (true without a claim).
    pub passkey_updated: bool,
    /// The user is still there and enabled, and their sign-in time is recorded.
    pub user_enabled: bool,
}

// The statements of a sign-in; parameters $1-$18 the sign-in's, $19-$26 the claim's. Each
// writes only if the one before it did (on PostgreSQL, by `exists` over the earlier part's
// rows; on SQLite, by the caller's checks).
const CLAIM_CEREMONY: &str = "delete from ceremonies where app_id = $2 and challenge = $19 \
    returning 1 as one";
const CLAIM_PASSKEY: &str = "update passkeys set dynamic_state = $20, backup_state = $21, \
    user_verified = $22, sign_count = $23, last_used_at = $24 \
    where app_id = $2 and id = $25 and sign_count = $26";
const TOUCH: &str = "update users set last_sign_in_at = $7 \
    where app_id = $2 and id = $3 and disabled = 0";
const SESSION: &str = "insert into sessions (id, app_id, user_id, amr, ip, user_agent, \
    created_at, last_seen_at, expires_at, revoked_at, cookie_hash, auth_time) \
    select $1, $2, $3, $4, $5, $6, $7, $7, $8, null, $9, $7";
const REFRESH: &str =
    "insert into refresh_tokens (token_hash, session_id, created_at) select $10, $1, $7";
const AUTH: &str = "insert into auth_tokens (token_hash, app_id, session_id, expires_at) \
    select $11, $2, $1, $12";
const EVENT: &str = "insert into events (id, app_id, type, user_id, ip, user_agent, data, \
    created_at) select $13, $14, $15, $16, $5, $6, $17, $18";

/// Active sessions one user may hold at once; a sign-in past it revokes the oldest.
pub const MAX_SESSIONS_PER_USER: i64 = 100;

/// Revokes the user's active sessions past the newest `MAX_SESSIONS_PER_USER - 1`, making room
/// for the one the sign-in adds (which this statement does not see: it runs before the insert
/// on SQLite, and beside it, on the statement's snapshot, on PostgreSQL). OAuth clients' grants
/// are not counted: they have a cap of their own. The partial index `sessions_live_by_user`
/// (with the expiry) answers the inner query alone. The outer
/// `revoked_at is null` is checked again on the locked row, so two sign-ins at once on
/// PostgreSQL never overwrite a revocation.
static CAP: LazyLock<String> = LazyLock::new(|| {
    format!(
        "update sessions set revoked_at = $7, revoke_reason = 'session_limit' \
         where revoked_at is null and id in \
         (select id from sessions where app_id = $2 and user_id = $3 and revoked_at is null \
         and client_id is null and expires_at > $7 order by created_at desc, id desc \
         limit 1000000 offset {})",
        MAX_SESSIONS_PER_USER - 1
    )
});

/// The PostgreSQL form: one statement, each part conditioned on the one before.
fn postgres_sign_in(claim: bool, ceremony: bool) -> String {
    let mut parts = Vec::new();
    let mut guard = String::new();
    if ceremony {
        parts.push(format!("c as ({CLAIM_CEREMONY})"));
        guard = " and exists (select 1 from c)".to_owned();
    }
    if claim {
        parts.push(format!("p as ({CLAIM_PASSKEY}{guard} returning 1 as one)"));
        guard = " and exists (select 1 from p)".to_owned();
    }
    parts.push(format!("u as ({TOUCH}{guard} returning 1 as one)"));
    parts.push(format!(
        "x as ({} and exists (select 1 from u))",
        CAP.as_str()
    ));
    for (name, insert) in [("s", SESSION), ("r", REFRESH), ("a", AUTH), ("e", EVENT)] {
        parts.push(format!(
            "{name} as ({insert} where exists (select 1 from u))"
        ));
    }
    let count = |part: &str, present: bool| {
        if present {
            format!("(select count(*) from {part})")
        } else {
            "cast(1 as bigint)".to_owned()
        }
    };
    format!(
        "with {} select {} as c, {} as p, (select count(*) from u) as u",
        parts.join(", "),
        count("c", ceremony),
        count("p", claim)
    )
}

/// Writes a sign-in: the method's claim, then the user's sign-in time if the user is still
/// enabled, then the session, its first refresh token, an auth token and the audit event; each
/// only if what comes before it held. On PostgreSQL one statement (data-modifying CTEs), which
/// is atomic without a transaction around it.
pub async fn insert_sign_in(conn: &mut Conn<'_>, new: &NewSignIn<'_>) -> Result<SignInWritten> {
    let (session, event) = (new.session, new.event);
    let (amr, data) = (to_json(&session.amr), to_json(&event.data));
    let (challenge, passkey, previous_count) = match &new.claim {
        Some(c) => (c.challenge, Some(c.passkey), c.previous_count),
        None => (None, None, 0),
    };
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
        challenge,
        passkey.map(|p| p.dynamic_state.as_slice()),
        passkey.map(|p| p.backup_state),
        passkey.map(|p| p.user_verified),
        passkey.map(|p| p.sign_count),
        passkey.and_then(|p| p.last_used_at),
        passkey.map(|p| p.id.as_str()),
        previous_count,
    ];
    let (claim, ceremony) = (passkey.is_some(), challenge.is_some());
    if conn.is_postgres() {
        static FORMS: LazyLock<[String; 3]> = LazyLock::new(|| {
            [
                postgres_sign_in(false, false),
                postgres_sign_in(true, false),
                postgres_sign_in(true, true),
            ]
        });
        let sql = &FORMS[usize::from(claim) + usize::from(ceremony)];
        // $19-$26 appear only in the claim's forms.
        let used = if claim { &params[..] } else { &params[..18] };
        let found = conn
            .optional(sql, used, |row| {
                Ok(SignInWritten {
                    ceremony_taken: row.get::<i64>("c")? > 0,
                    passkey_updated: row.get::<i64>("p")? > 0,
                    user_enabled: row.get::<i64>("u")? > 0,
                })
            })
            .await?;
        return Ok(found.unwrap_or(SignInWritten {
            ceremony_taken: false,
            passkey_updated: false,
            user_enabled: false,
        }));
    }
    // As on PostgreSQL: a part that does not apply holds; one that does holds once it wrote.
    let mut written = SignInWritten {
        ceremony_taken: !ceremony,
        passkey_updated: !claim,
        user_enabled: false,
    };
    if ceremony {
        written.ceremony_taken = conn
            .optional(CLAIM_CEREMONY, params, |row| row.get::<i64>("one"))
            .await?
            .is_some();
        if !written.ceremony_taken {
            return Ok(written);
        }
    }
    if claim {
        written.passkey_updated = conn.execute(CLAIM_PASSKEY, params).await? == 1;
        if !written.passkey_updated {
            return Ok(written);
        }
    }
    written.user_enabled = conn.execute(TOUCH, params).await? == 1;
    if written.user_enabled {
        for sql in [CAP.as_str(), SESSION, REFRESH, AUTH, EVENT] {
            conn.execute(sql, params).await?;
        }
    }
    Ok(written)
}

/// A passkey assertion's claim alone (its ceremony consumed, its counter moved), for an
/// assertion that writes no session: one held back for a second factor, or one that
/// re-authenticates a session that goes on. Each part only if the one before it held.
pub async fn claim_passkey(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    claim: &PasskeyClaim<'_>,
) -> Result<SignInWritten> {
    let mut written = SignInWritten {
        ceremony_taken: true,
        passkey_updated: false,
        user_enabled: true,
    };
    if let Some(challenge) = claim.challenge {
        written.ceremony_taken = super::ceremonies::take_ceremony(conn, app_id, challenge).await?;
        if !written.ceremony_taken {
            return Ok(written);
        }
    }
    let p = claim.passkey;
    written.passkey_updated = conn
        .execute(
            "update passkeys set dynamic_state = $3, backup_state = $4, user_verified = $5, \
             sign_count = $6, last_used_at = $7 where app_id = $1 and id = $2 and sign_count = $8",
            params![
                app_id.as_str(),
                p.id.as_str(),
                p.dynamic_state.as_slice(),
                p.backup_state,
                p.user_verified,
                p.sign_count,
                p.last_used_at,
                claim.previous_count,
            ],
        )
        .await?
        == 1;
    Ok(written)
}

/// Marks a session re-authenticated at `now` with what its user proved (`amr`, the session's
/// and the new factor's); true if the session is still live.
pub async fn reauthenticated(conn: &mut Conn<'_>, session: &Session, now: i64) -> Result<bool> {
    let n = conn
        .execute(
            "update sessions set auth_time = $2, amr = $3 where id = $1 and revoked_at is null",
            params![session.id.as_str(), now, &to_json(&session.amr)],
        )
        .await?;
    Ok(n == 1)
}

/// Sets the live session's active organization (`None`: none), if its user is a member of it
/// as the statement runs (a membership removed meanwhile leaves no organization behind); false
/// if the session has ended or the user is not a member.
pub async fn set_organization(
    conn: &mut Conn<'_>,
    session_id: &SessionId,
    org_id: Option<&str>,
) -> Result<bool> {
    let n = conn
        .execute(
            "update sessions set org_id = $2 where id = $1 and revoked_at is null \
             and ($2 is null or exists (select 1 from memberships m where m.app_id = \
             sessions.app_id and m.org_id = $2 and m.user_id = sessions.user_id))",
            params![session_id.as_str(), org_id],
        )
        .await?;
    Ok(n == 1)
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

/// Deletes up to `batch` sessions that ended (expired or revoked) before `before`, with their
/// refresh and auth tokens (the references cascade); returns how many.
pub async fn delete_ended(conn: &mut Conn<'_>, before: i64, batch: i64) -> Result<u64> {
    conn.execute(
        "delete from sessions where id in \
         (select id from sessions where expires_at < $1 or revoked_at < $1 limit $2)",
        params![before, batch],
    )
    .await
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

    use super::*;
    use crate::auth::events::EventKind;
    use crate::auth::sign_in::Amr;
    use crate::auth::store::Store;
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

    fn passkey(user_id: &str, sign_count: i64) -> Passkey {
        Passkey {
            app_id: AppId::from("app".to_owned()),
            id: format!("pk-{user_id}"),
            user_id: UserId::from(user_id.to_owned()),
            name: "Passkey".to_owned(),
            aaguid: String::new(),
            transports: Vec::new(),
            backup_eligible: false,
            backup_state: false,
            user_verified: true,
            sign_count,
            static_state: vec![1],
            dynamic_state: vec![2],
            created_at: 1,
            last_used_at: None,
        }
    }

    /// One case: a sign-in of `user_id` written in a unit of its own, with `claim` (a passkey
    /// whose counter was read as `previous_count`, and a stored ceremony or none).
    async fn sign_in(
        store: &Store,
        user_id: &str,
        claim: Option<(i64, Option<&str>)>,
    ) -> SignInWritten {
        let app_id = AppId::from("app".to_owned());
        let user_id = UserId::from(user_id.to_owned());
        let session = Session {
            id: SessionId::from(format!(
                "s-{}-{}",
                user_id.as_str(),
                crate::auth::ids::new_id()
            )),
            app_id: app_id.clone(),
            user_id: user_id.clone(),
            amr: vec![Amr::Passkey],
            ip: None,
            user_agent: None,
            created_at: 5,
            last_seen_at: 5,
            expires_at: 100,
            revoked_at: None,
            auth_time: 5,
            org_id: None,
            grant: None,
        };
        let event = Event {
            id: crate::auth::ids::new_id(),
            app_id,
            kind: EventKind::SignInSucceeded.as_str().to_owned(),
            user_id: Some(user_id.clone()),
            ip: None,
            user_agent: None,
            data: Default::default(),
            created_at: 5,
        };
        let claim = claim.map(|(previous, challenge)| {
            (
                passkey(user_id.as_str(), previous + 1),
                previous,
                challenge.map(str::to_owned),
            )
        });
        store
            .write_one(move |c| {
                Box::pin(async move {
                    let hash = |s: &str| format!("{s}-{}", session.id.as_str()).into_bytes();
                    let claim = claim
                        .as_ref()
                        .map(|(passkey, previous, challenge)| PasskeyClaim {
                            challenge: challenge.as_deref(),
                            passkey,
                            previous_count: *previous,
                        });
                    let new = NewSignIn {
                        session: &session,
                        cookie_hash: &hash("c"),
                        refresh_token_hash: &hash("r"),
                        auth_token_hash: &hash("a"),
                        auth_token_expires_at: 50,
                        event: &event,
                        claim,
                    };
                    insert_sign_in(c, &new).await
                })
            })
            .await
            .unwrap()
    }

    async fn count(store: &Store, sql: &str) -> i64 {
        let mut reader = store.read().await.unwrap();
        reader
            .conn()
            .optional(sql, &[], |row| row.get::<i64>("n"))
            .await
            .unwrap()
            .unwrap()
    }

    /// A sign-in is written whole or not at all, in one statement on PostgreSQL: not for a
    /// user disabled or gone since they were read, not when its passkey's counter moved or its
    /// ceremony was consumed meanwhile; and the claim's writes are made only when it holds.
    #[tokio::test]
    async fn a_sign_in_is_written_only_when_everything_before_it_holds() {
        for (store, admin) in stores().await {
            let app = crate::auth::apps::test_app("app");
            store
                .write(move |c| {
                    Box::pin(async move {
                        apps::insert_app(c, &app).await?;
                        for (id, disabled) in [("ann", false), ("bob", true), ("cat", false)] {
                            users::insert_user(c, &user(id, disabled)).await?;
                        }
                        crate::auth::store::passkeys::insert_passkey(c, &passkey("cat", 3)).await?;
                        c.execute(
                            "insert into ceremonies (challenge, app_id, kind, state, expires_at) \
                             values ('ch-1', 'app', 'authenticate', $1, 100)",
                            params![&b"state"[..]],
                        )
                        .await?;
                        Ok::<_, crate::auth::store::StoreError>(())
                    })
                })
                .await
                .unwrap();
            let sessions = "select count(*) as n from sessions";
            let all = |taken, updated, enabled| SignInWritten {
                ceremony_taken: taken,
                passkey_updated: updated,
                user_enabled: enabled,
            };
            // Without a claim: the enabled user only.
            assert_eq!(sign_in(&store, "ann", None).await, all(true, true, true));
            assert_eq!(sign_in(&store, "bob", None).await, all(true, true, false));
            assert_eq!(sign_in(&store, "gone", None).await, all(true, true, false));
            assert_eq!(count(&store, sessions).await, 1);
            let touched = "select count(*) as n from users where last_sign_in_at = 5";
            assert_eq!(count(&store, touched).await, 1);
            // A counter that moved since it was read: nothing written.
            assert_eq!(
                sign_in(&store, "cat", Some((2, None))).await,
                all(true, false, false)
            );
            // A ceremony already consumed: nothing written, the counter untouched.
            assert_eq!(
                sign_in(&store, "cat", Some((3, Some("ch-gone")))).await,
                all(false, false, false)
            );
            assert_eq!(count(&store, sessions).await, 1);
            let counter = "select sign_count as n from passkeys where id = 'pk-cat'";
            assert_eq!(count(&store, counter).await, 3);
            // The claim holds: ceremony consumed, counter moved, session written.
            assert_eq!(
                sign_in(&store, "cat", Some((3, Some("ch-1")))).await,
                all(true, true, true)
            );
            assert_eq!(count(&store, counter).await, 4);
            assert_eq!(count(&store, sessions).await, 2);
            assert_eq!(
                count(&store, "select count(*) as n from ceremonies").await,
                0
            );
            let tokens = "select count(*) as n from refresh_tokens";
            assert_eq!(count(&store, tokens).await, 2);
            let events = "select count(*) as n from events";
            assert_eq!(count(&store, events).await, 2);
            store.close().await;
            drop_database(admin).await;
        }
    }
}
