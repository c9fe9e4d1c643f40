//! API keys (app scope) and admin keys (instance scope), stored as SHA-256 hashes.

use super::Result;
use super::db::{Conn, Row, params};
use crate::auth::AppId;
use crate::auth::api_keys::ApiKey;

macro_rules! columns {
    () => {
        "id, app_id, name, prefix, created_at, last_used_at, revoked_at"
    };
}

fn from_row(row: &Row<'_>) -> Result<ApiKey> {
    Ok(ApiKey {
        id: row.get("id")?,
        app_id: row.get::<Option<String>>("app_id")?.map(AppId::from),
        name: row.get("name")?,
        prefix: row.get("prefix")?,
        created_at: row.get("created_at")?,
        last_used_at: row.get("last_used_at")?,
        revoked_at: row.get("revoked_at")?,
    })
}

pub async fn insert_api_key(conn: &mut Conn<'_>, key: &ApiKey, secret_hash: &[u8]) -> Result<()> {
    conn.execute(
        "insert into api_keys (id, app_id, name, prefix, secret_hash, created_at) \
         values ($1, $2, $3, $4, $5, $6)",
        params![
            &key.id,
            key.app_id.as_ref().map(AppId::as_str),
            &key.name,
            &key.prefix,
            secret_hash,
            key.created_at,
        ],
    )
    .await?;
    Ok(())
}

/// The unrevoked key whose secret hashes to `secret_hash`.
pub async fn find_active_by_hash(
    conn: &mut Conn<'_>,
    secret_hash: &[u8],
) -> Result<Option<ApiKey>> {
    const SQL: &str = concat!(
        "select ",
        columns!(),
        " from api_keys where secret_hash = $1 and revoked_at is null"
    );
    conn.optional(SQL, params![secret_hash], from_row).await
}

pub async fn list_app_keys(conn: &mut Conn<'_>, app_id: &AppId) -> Result<Vec<ApiKey>> {
    const SQL: &str = concat!(
        "select ",
        columns!(),
        " from api_keys where app_id = $1 order by id"
    );
    conn.all(SQL, params![app_id.as_str()], from_row).await
}

/// Marks the app's key revoked; false if there is no such unrevoked key.
pub async fn revoke_app_key(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    id: &str,
    now: i64,
) -> Result<bool> {
    let revoked = conn
        .execute(
            "update api_keys set revoked_at = $3 \
             where app_id = $1 and id = $2 and revoked_at is null",
            params![app_id.as_str(), id, now],
        )
        .await?;
    Ok(revoked == 1)
}
