//! API keys (app scope) and admin keys (instance scope), stored as SHA-256 hashes.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Conn, Result};
use crate::auth::AppId;
use crate::auth::api_keys::ApiKey;

const COLUMNS: &str = "id, app_id, name, prefix, created_at, last_used_at, revoked_at";

fn from_row(row: &AnyRow) -> Result<ApiKey> {
    Ok(ApiKey {
        id: row.try_get("id")?,
        app_id: row.try_get::<Option<String>, _>("app_id")?.map(AppId::from),
        name: row.try_get("name")?,
        prefix: row.try_get("prefix")?,
        created_at: row.try_get("created_at")?,
        last_used_at: row.try_get("last_used_at")?,
        revoked_at: row.try_get("revoked_at")?,
    })
}

pub async fn insert_api_key(conn: &mut Conn, key: &ApiKey, secret_hash: &[u8]) -> Result<()> {
    sqlx::query(
        "insert into api_keys (id, app_id, name, prefix, secret_hash, created_at) \
         values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&key.id)
    .bind(key.app_id.as_ref().map(AppId::as_str))
    .bind(&key.name)
    .bind(&key.prefix)
    .bind(secret_hash)
    .bind(key.created_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// The unrevoked key whose secret hashes to `secret_hash`.
pub async fn find_active_by_hash(conn: &mut Conn, secret_hash: &[u8]) -> Result<Option<ApiKey>> {
    let row = sqlx::query(&format!(
        "select {COLUMNS} from api_keys where secret_hash = $1 and revoked_at is null"
    ))
    .bind(secret_hash)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn list_app_keys(conn: &mut Conn, app_id: &AppId) -> Result<Vec<ApiKey>> {
    let rows = sqlx::query(&format!(
        "select {COLUMNS} from api_keys where app_id = $1 order by id"
    ))
    .bind(app_id.as_str())
    .fetch_all(conn)
    .await?;
    rows.iter().map(from_row).collect()
}

/// Marks the app's key revoked; false if there is no such unrevoked key.
pub async fn revoke_app_key(conn: &mut Conn, app_id: &AppId, id: &str, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "update api_keys set revoked_at = $3 where app_id = $1 and id = $2 and revoked_at is null",
    )
    .bind(app_id.as_str())
    .bind(id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
