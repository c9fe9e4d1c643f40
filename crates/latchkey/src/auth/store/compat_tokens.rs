//! PlainKey-style server access tokens (the compatibility API), stored as SHA-256 hex.

use sqlx::Row;

use super::{Conn, Result};
use crate::auth::AppId;

pub async fn insert(
    conn: &mut Conn,
    hash: &str,
    app_id: &AppId,
    api_key_id: &str,
    now: i64,
    expires_at: i64,
) -> Result<()> {
    sqlx::query(
        "insert into compat_server_tokens (token_hash, app_id, api_key_id, created_at, \
         expires_at) values ($1, $2, $3, $4, $5)",
    )
    .bind(hash)
    .bind(app_id.as_str())
    .bind(api_key_id)
    .bind(now)
    .bind(expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn delete_expired(conn: &mut Conn, now: i64) -> Result<()> {
    sqlx::query("delete from compat_server_tokens where expires_at <= $1")
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

/// Whether the token of `hash` belongs to `app_id`, is unexpired, and its key unrevoked.
pub async fn is_live(conn: &mut Conn, hash: &str, app_id: &AppId, now: i64) -> Result<bool> {
    let row = sqlx::query(
        "select t.app_id from compat_server_tokens t join api_keys k on k.id = t.api_key_id \
         where t.token_hash = $1 and t.app_id = $2 and t.expires_at > $3 \
         and k.revoked_at is null",
    )
    .bind(hash)
    .bind(app_id.as_str())
    .bind(now)
    .fetch_optional(conn)
    .await?;
    Ok(row.is_some())
}

/// The expiry of the app's auth token of `hash`, used or not.
pub async fn auth_token_expiry(
    conn: &mut Conn,
    app_id: &AppId,
    hash: &[u8],
) -> Result<Option<i64>> {
    let row =
        sqlx::query("select expires_at from auth_tokens where token_hash = $1 and app_id = $2")
            .bind(hash)
            .bind(app_id.as_str())
            .fetch_optional(conn)
            .await?;
    row.map(|r| r.try_get("expires_at").map_err(Into::into))
        .transpose()
}
