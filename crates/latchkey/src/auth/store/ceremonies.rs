//! WebAuthn ceremonies in flight: the server half of a challenge, between options and verify.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Conn, Result};
use crate::auth::passkeys::ceremony::{Ceremony, CeremonyKind};
use crate::auth::{AppId, EmailAddress, SessionId, UserId};

fn from_row(row: &AnyRow) -> Result<Option<Ceremony>> {
    let kind: String = row.try_get("kind")?;
    let Ok(kind) = kind.parse::<CeremonyKind>() else {
        return Ok(None);
    };
    Ok(Some(Ceremony {
        challenge: row.try_get("challenge")?,
        app_id: AppId::from(row.try_get::<String, _>("app_id")?),
        kind,
        user_id: row
            .try_get::<Option<String>, _>("user_id")?
            .map(UserId::from),
        session_id: row
            .try_get::<Option<String>, _>("session_id")?
            .map(SessionId::from),
        email: row
            .try_get::<Option<String>, _>("email")?
            .map(EmailAddress::from_stored),
        display_name: row.try_get("display_name")?,
        state: row.try_get("state")?,
        expires_at: row.try_get("expires_at")?,
    }))
}

pub async fn insert_ceremony(conn: &mut Conn, c: &Ceremony) -> Result<()> {
    sqlx::query(
        "insert into ceremonies (challenge, app_id, kind, user_id, session_id, email, \
         display_name, state, expires_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&c.challenge)
    .bind(c.app_id.as_str())
    .bind(c.kind.as_str())
    .bind(c.user_id.as_ref().map(UserId::as_str))
    .bind(c.session_id.as_ref().map(SessionId::as_str))
    .bind(c.email.as_ref().map(EmailAddress::as_str))
    .bind(&c.display_name)
    .bind(&c.state)
    .bind(c.expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// The app's ceremony for `challenge`, whatever its expiry.
pub async fn find_ceremony(
    conn: &mut Conn,
    app_id: &AppId,
    challenge: &str,
) -> Result<Option<Ceremony>> {
    let row = sqlx::query(
        "select challenge, app_id, kind, user_id, session_id, email, display_name, state, \
         expires_at from ceremonies where app_id = $1 and challenge = $2",
    )
    .bind(app_id.as_str())
    .bind(challenge)
    .fetch_optional(conn)
    .await?;
    Ok(row.as_ref().map(from_row).transpose()?.flatten())
}

/// Consumes the ceremony: true for exactly one caller, which makes challenges single use even
/// when two verifications race.
pub async fn take_ceremony(conn: &mut Conn, app_id: &AppId, challenge: &str) -> Result<bool> {
    let done = sqlx::query("delete from ceremonies where app_id = $1 and challenge = $2")
        .bind(app_id.as_str())
        .bind(challenge)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Removes ceremonies that expired before `now`; returns how many.
pub async fn delete_expired(conn: &mut Conn, now: i64) -> Result<u64> {
    let done = sqlx::query("delete from ceremonies where expires_at < $1")
        .bind(now)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}
