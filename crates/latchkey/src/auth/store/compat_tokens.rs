//! PlainKey-style server access tokens (the compatibility API), stored as SHA-256 hex.

use super::Result;
use super::db::{Conn, params};
use crate::auth::AppId;

pub async fn insert(
    conn: &mut Conn<'_>,
    hash: &str,
    app_id: &AppId,
    api_key_id: &str,
    now: i64,
    expires_at: i64,
) -> Result<()> {
    conn.execute(
        "insert into compat_server_tokens (token_hash, app_id, api_key_id, created_at, \
         expires_at) values ($1, $2, $3, $4, $5)",
        params![hash, app_id.as_str(), api_key_id, now, expires_at],
    )
    .await?;
    Ok(())
}

pub async fn delete_expired(conn: &mut Conn<'_>, now: i64) -> Result<()> {
    conn.execute(
        "delete from compat_server_tokens where expires_at <= $1",
        params![now],
    )
    .await?;
    Ok(())
}

/// Whether the token of `hash` belongs to `app_id`, is unexpired, and its key unrevoked.
pub async fn is_live(conn: &mut Conn<'_>, hash: &str, app_id: &AppId, now: i64) -> Result<bool> {
    let found = conn
        .optional(
            "select t.app_id from compat_server_tokens t join api_keys k on k.id = t.api_key_id \
             where t.token_hash = $1 and t.app_id = $2 and t.expires_at > $3 \
             and k.revoked_at is null",
            params![hash, app_id.as_str(), now],
            |row| row.get::<String>("app_id"),
        )
        .await?;
    Ok(found.is_some())
}

/// The expiry of the app's auth token of `hash`, used or not.
pub async fn auth_token_expiry(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    hash: &[u8],
) -> Result<Option<i64>> {
    conn.optional(
        "select expires_at from auth_tokens where token_hash = $1 and app_id = $2",
        params![hash, app_id.as_str()],
        |row| row.get::<i64>("expires_at"),
    )
    .await
}
