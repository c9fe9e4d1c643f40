//! Per-app token signing keys: the private half sealed under the master key, the public half as a
//! JWK ready for the JWKS document.

use super::Result;
use super::db::{Conn, Row, params};
use crate::auth::AppId;
use crate::auth::apps::SigningAlg;
use crate::auth::tokens::SigningKey;

/// The key of `row`; `None` for an algorithm this version does not know (a newer one's key),
/// which it can neither sign nor verify with.
fn from_row(row: &Row<'_>) -> Result<Option<SigningKey>> {
    let Ok(alg) = row.get::<String>("alg")?.parse() else {
        return Ok(None);
    };
    Ok(Some(SigningKey {
        kid: row.get("kid")?,
        app_id: AppId::from(row.get::<String>("app_id")?),
        alg,
        private_key: row.get("private_key")?,
        public_jwk: row.get("public_jwk")?,
        active: row.get("active")?,
        created_at: row.get("created_at")?,
        retired_at: row.get("retired_at")?,
    }))
}

/// Inserts a new active key; [`super::StoreError::Conflict`] if the app already has one of that
/// algorithm.
pub async fn insert_key(conn: &mut Conn<'_>, key: &SigningKey) -> Result<()> {
    conn.execute(
        "insert into signing_keys (kid, app_id, alg, private_key, public_jwk, active, \
         created_at, retired_at) values ($1, $2, $3, $4, $5, $6, $7, $8)",
        params![
            &key.kid,
            key.app_id.as_str(),
            key.alg.as_str(),
            &key.private_key,
            &key.public_jwk,
            key.active,
            key.created_at,
            key.retired_at,
        ],
    )
    .await?;
    Ok(())
}

/// The algorithm and creation time of each of the app's active keys.
pub async fn active_keys(conn: &mut Conn<'_>, app_id: &AppId) -> Result<Vec<(SigningAlg, i64)>> {
    let rows = conn
        .all(
            "select alg, created_at from signing_keys where app_id = $1 and active = 1",
            params![app_id.as_str()],
            |row| Ok((row.get::<String>("alg")?, row.get::<i64>("created_at")?)),
        )
        .await?;
    // A key of an algorithm this version does not know is left to the version that made it.
    Ok(rows
        .into_iter()
        .filter_map(|(alg, at)| alg.parse().ok().map(|alg| (alg, at)))
        .collect())
}

/// The active key and the retired keys retired after `since`, which still verify tokens.
pub async fn list_published(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    since: i64,
) -> Result<Vec<SigningKey>> {
    let keys = conn
        .all(
            "select kid, app_id, alg, private_key, public_jwk, active, created_at, retired_at \
             from signing_keys where app_id = $1 and (active = 1 or retired_at > $2) \
             order by active desc, created_at desc, kid",
            params![app_id.as_str(), since],
            from_row,
        )
        .await?;
    Ok(keys.into_iter().flatten().collect())
}

/// Retires the app's active key of `alg` if it was made before `before` (it is due for
/// replacement).
pub async fn retire_active_created_before(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    alg: SigningAlg,
    before: i64,
    now: i64,
) -> Result<bool> {
    let retired = conn
        .execute(
            "update signing_keys set active = 0, retired_at = $3 \
             where app_id = $1 and alg = $4 and active = 1 and created_at <= $2",
            params![app_id.as_str(), before, now, alg.as_str()],
        )
        .await?;
    Ok(retired > 0)
}

/// Retires every active key of the app (new ones are made on next use).
pub async fn retire_active(conn: &mut Conn<'_>, app_id: &AppId, now: i64) -> Result<bool> {
    let retired = conn
        .execute(
            "update signing_keys set active = 0, retired_at = $2 where app_id = $1 and active = 1",
            params![app_id.as_str(), now],
        )
        .await?;
    Ok(retired > 0)
}
