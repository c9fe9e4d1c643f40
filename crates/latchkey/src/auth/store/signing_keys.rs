//! Per-app token signing keys: the private half sealed under the master key, the public half as a
//! JWK ready for the JWKS document.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Conn, Result, flag};
use crate::auth::AppId;
use crate::auth::tokens::SigningKey;

const COLUMNS: &str = "kid, app_id, alg, private_key, public_jwk, active, created_at, retired_at";

/// The key of `row`; `None` for an algorithm this version does not know (a newer one's key),
/// which it can neither sign nor verify with.
fn from_row(row: &AnyRow) -> Result<Option<SigningKey>> {
    let Ok(alg) = row.try_get::<String, _>("alg")?.parse() else {
        return Ok(None);
    };
    Ok(Some(SigningKey {
        kid: row.try_get("kid")?,
        app_id: AppId::from(row.try_get::<String, _>("app_id")?),
        alg,
        private_key: row.try_get("private_key")?,
        public_jwk: row.try_get("public_jwk")?,
        active: flag(row.try_get("active")?),
        created_at: row.try_get("created_at")?,
        retired_at: row.try_get("retired_at")?,
    }))
}

/// Inserts a new active key; [`super::StoreError::Conflict`] if the app already has one.
pub async fn insert_key(conn: &mut Conn, key: &SigningKey) -> Result<()> {
    sqlx::query(&format!(
        "insert into signing_keys ({COLUMNS}) values ($1, $2, $3, $4, $5, $6, $7, $8)"
    ))
    .bind(&key.kid)
    .bind(key.app_id.as_str())
    .bind(key.alg.as_str())
    .bind(&key.private_key)
    .bind(&key.public_jwk)
    .bind(i64::from(key.active))
    .bind(key.created_at)
    .bind(key.retired_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Whether the app has an active key.
pub async fn has_active(conn: &mut Conn, app_id: &AppId) -> Result<bool> {
    let row = sqlx::query("select kid from signing_keys where app_id = $1 and active = 1")
        .bind(app_id.as_str())
        .fetch_optional(conn)
        .await?;
    Ok(row.is_some())
}

/// The active key and the retired keys retired after `since`, which still verify tokens.
pub async fn list_published(
    conn: &mut Conn,
    app_id: &AppId,
    since: i64,
) -> Result<Vec<SigningKey>> {
    let rows = sqlx::query(&format!(
        "select {COLUMNS} from signing_keys where app_id = $1 \
         and (active = 1 or retired_at > $2) order by created_at desc, kid"
    ))
    .bind(app_id.as_str())
    .bind(since)
    .fetch_all(conn)
    .await?;
    let keys: Result<Vec<_>> = rows.iter().map(from_row).collect();
    Ok(keys?.into_iter().flatten().collect())
}

/// Retires the app's active key (a new one is made on next use).
pub async fn retire_active(conn: &mut Conn, app_id: &AppId, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "update signing_keys set active = 0, retired_at = $2 where app_id = $1 and active = 1",
    )
    .bind(app_id.as_str())
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}
