//! Email one-time codes and magic links awaiting redemption.

use super::Result;
use super::db::{Conn, Row, params};
use crate::auth::email::EmailCode;
use crate::auth::{AppId, EmailAddress, SessionId, UserId};

/// The `purpose` of a decoy row, which no code or link redeems.
const DECOY: &str = "decoy";

macro_rules! columns {
    () => {
        "id, app_id, email, purpose, user_id, session_id, code_hash, token_hash, binding_hash, \
         attempts, created_at, expires_at, used_at, replaced_at, approved_at"
    };
}

fn from_row(row: &Row<'_>) -> Result<EmailCode> {
    Ok(EmailCode {
        id: row.get("id")?,
        app_id: AppId::from(row.get::<String>("app_id")?),
        email: EmailAddress::from_stored(row.get("email")?),
        // A decoy, or a purpose this version does not know: nothing it can redeem.
        purpose: row.get::<String>("purpose")?.parse().ok(),
        user_id: row.get::<Option<String>>("user_id")?.map(UserId::from),
        session_id: row
            .get::<Option<String>>("session_id")?
            .map(SessionId::from),
        code_hash: row.get("code_hash")?,
        token_hash: row.get("token_hash")?,
        binding_hash: row.get("binding_hash")?,
        attempts: row.get("attempts")?,
        created_at: row.get("created_at")?,
        expires_at: row.get("expires_at")?,
        used_at: row.get("used_at")?,
        replaced_at: row.get("replaced_at")?,
        approved_at: row.get("approved_at")?,
    })
}

/// Supersedes every pending code of the address: a new request replaces the old one.
pub async fn replace_pending(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    email_lower: &str,
    now: i64,
) -> Result<()> {
    conn.execute(
        "update email_codes set replaced_at = $3 where app_id = $1 and email_lower = $2 \
         and used_at is null and replaced_at is null",
        params![app_id.as_str(), email_lower, now],
    )
    .await?;
    Ok(())
}

pub async fn insert_code(conn: &mut Conn<'_>, c: &EmailCode) -> Result<()> {
    const SQL: &str = concat!(
        "insert into email_codes (",
        columns!(),
        ", email_lower) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, \
         $16)"
    );
    let email_lower = c.email.lowercase();
    conn.execute(
        SQL,
        params![
            &c.id,
            c.app_id.as_str(),
            c.email.as_str(),
            c.purpose.map_or(DECOY, |p| p.as_str()),
            c.user_id.as_ref().map(UserId::as_str),
            c.session_id.as_ref().map(SessionId::as_str),
            &c.code_hash,
            &c.token_hash,
            &c.binding_hash,
            c.attempts,
            c.created_at,
            c.expires_at,
            c.used_at,
            c.replaced_at,
            c.approved_at,
            &email_lower,
        ],
    )
    .await?;
    Ok(())
}

/// The newest code requested for the address, whatever its state.
pub async fn find_latest(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    email_lower: &str,
) -> Result<Option<EmailCode>> {
    const SQL: &str = concat!(
        "select ",
        columns!(),
        " from email_codes where app_id = $1 and email_lower = $2 \
         order by created_at desc, id desc limit 1"
    );
    conn.optional(SQL, params![app_id.as_str(), email_lower], from_row)
        .await
}

pub async fn find_by_token(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    token_hash: &[u8],
) -> Result<Option<EmailCode>> {
    const SQL: &str = concat!(
        "select ",
        columns!(),
        " from email_codes where app_id = $1 and token_hash = $2"
    );
    conn.optional(SQL, params![app_id.as_str(), token_hash], from_row)
        .await
}

/// The newest code requested from the browser holding the link-binding cookie whose hash is
/// `binding_hash`.
pub async fn find_by_binding(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    binding_hash: &[u8],
) -> Result<Option<EmailCode>> {
    const SQL: &str = concat!(
        "select ",
        columns!(),
        " from email_codes where app_id = $1 and binding_hash = $2 \
         order by created_at desc, id desc limit 1"
    );
    conn.optional(SQL, params![app_id.as_str(), binding_hash], from_row)
        .await
}

/// Records that the link was confirmed on another device: true for exactly one caller, while
/// the code is still live.
pub async fn approve(conn: &mut Conn<'_>, id: &str, now: i64) -> Result<bool> {
    let approved = conn
        .execute(
            "update email_codes set approved_at = $2 where id = $1 and approved_at is null \
             and used_at is null and replaced_at is null and expires_at > $2",
            params![id, now],
        )
        .await?;
    Ok(approved == 1)
}

/// Counts a wrong code; returns the attempts now recorded.
pub async fn count_attempt(conn: &mut Conn<'_>, id: &str) -> Result<i64> {
    let attempts = conn
        .optional(
            "update email_codes set attempts = attempts + 1 where id = $1 returning attempts",
            params![id],
            |row| row.get::<i64>("attempts"),
        )
        .await?;
    Ok(attempts.unwrap_or(i64::MAX))
}

/// Redeems the code: true for exactly one caller, and only while it is still live.
pub async fn take_code(conn: &mut Conn<'_>, id: &str, now: i64, max_attempts: i64) -> Result<bool> {
    let taken = conn
        .execute(
            "update email_codes set used_at = $2 where id = $1 and used_at is null \
             and replaced_at is null and expires_at > $2 and attempts < $3",
            params![id, now, max_attempts],
        )
        .await?;
    Ok(taken == 1)
}

/// Removes codes that can no longer be used, a day after they stopped being usable.
pub async fn delete_stale(conn: &mut Conn<'_>, before: i64) -> Result<u64> {
    conn.execute(
        "delete from email_codes where expires_at < $1",
        params![before],
    )
    .await
}
