//! Email one-time codes and magic links awaiting redemption.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Conn, Result};
use crate::auth::email::EmailCode;
use crate::auth::{AppId, EmailAddress, SessionId, UserId};

/// The `purpose` of a decoy row, which no code or link redeems.
const DECOY: &str = "decoy";

const COLUMNS: &str = "id, app_id, email, purpose, user_id, session_id, code_hash, token_hash, binding_hash, \
    attempts, created_at, expires_at, used_at, replaced_at";

fn from_row(row: &AnyRow) -> Result<EmailCode> {
    Ok(EmailCode {
        id: row.try_get("id")?,
        app_id: AppId::from(row.try_get::<String, _>("app_id")?),
        email: EmailAddress::from_stored(row.try_get("email")?),
        // A decoy, or a purpose this version does not know: nothing it can redeem.
        purpose: row.try_get::<String, _>("purpose")?.parse().ok(),
        user_id: row
            .try_get::<Option<String>, _>("user_id")?
            .map(UserId::from),
        session_id: row
            .try_get::<Option<String>, _>("session_id")?
            .map(SessionId::from),
        code_hash: row.try_get("code_hash")?,
        token_hash: row.try_get("token_hash")?,
        binding_hash: row.try_get("binding_hash")?,
        attempts: row.try_get("attempts")?,
        created_at: row.try_get("created_at")?,
        expires_at: row.try_get("expires_at")?,
        used_at: row.try_get("used_at")?,
        replaced_at: row.try_get("replaced_at")?,
    })
}

/// Supersedes every pending code of the address: a new request replaces the old one.
pub async fn replace_pending(
    conn: &mut Conn,
    app_id: &AppId,
    email_lower: &str,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "update email_codes set replaced_at = $3 where app_id = $1 and email_lower = $2 \
         and used_at is null and replaced_at is null",
    )
    .bind(app_id.as_str())
    .bind(email_lower)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn insert_code(conn: &mut Conn, c: &EmailCode) -> Result<()> {
    sqlx::query(&format!(
        "insert into email_codes ({COLUMNS}, email_lower) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
    ))
    .bind(&c.id)
    .bind(c.app_id.as_str())
    .bind(c.email.as_str())
    .bind(c.purpose.map_or(DECOY, |p| p.as_str()))
    .bind(c.user_id.as_ref().map(UserId::as_str))
    .bind(c.session_id.as_ref().map(SessionId::as_str))
    .bind(&c.code_hash)
    .bind(&c.token_hash)
    .bind(&c.binding_hash)
    .bind(c.attempts)
    .bind(c.created_at)
    .bind(c.expires_at)
    .bind(c.used_at)
    .bind(c.replaced_at)
    .bind(c.email.lowercase())
    .execute(conn)
    .await?;
    Ok(())
}

/// The newest code requested for the address, whatever its state.
pub async fn find_latest(
    conn: &mut Conn,
    app_id: &AppId,
    email_lower: &str,
) -> Result<Option<EmailCode>> {
    let row = sqlx::query(&format!(
        "select {COLUMNS} from email_codes where app_id = $1 and email_lower = $2 \
         order by created_at desc, id desc limit 1"
    ))
    .bind(app_id.as_str())
    .bind(email_lower)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn find_by_token(
    conn: &mut Conn,
    app_id: &AppId,
    token_hash: &[u8],
) -> Result<Option<EmailCode>> {
    let row = sqlx::query(&format!(
        "select {COLUMNS} from email_codes where app_id = $1 and token_hash = $2"
    ))
    .bind(app_id.as_str())
    .bind(token_hash)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// Counts a wrong code; returns the attempts now recorded.
pub async fn count_attempt(conn: &mut Conn, id: &str) -> Result<i64> {
    let row = sqlx::query(
        "update email_codes set attempts = attempts + 1 where id = $1 returning attempts",
    )
    .bind(id)
    .fetch_one(conn)
    .await?;
    Ok(row.try_get("attempts")?)
}

/// Redeems the code: true for exactly one caller, and only while it is still live.
pub async fn take_code(conn: &mut Conn, id: &str, now: i64, max_attempts: i64) -> Result<bool> {
    let done = sqlx::query(
        "update email_codes set used_at = $2 where id = $1 and used_at is null \
         and replaced_at is null and expires_at > $2 and attempts < $3",
    )
    .bind(id)
    .bind(now)
    .bind(max_attempts)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Removes codes that can no longer be used, a day after they stopped being usable.
pub async fn delete_stale(conn: &mut Conn, before: i64) -> Result<u64> {
    let done = sqlx::query("delete from email_codes where expires_at < $1")
        .bind(before)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}
