//! Invitations to join an organization. Only the link token's hash is kept.

use super::db::{Conn, Row, params};
use super::{Result, from_json, to_json};
use crate::auth::organizations::Invitation;
use crate::auth::{AppId, UserId};

macro_rules! columns {
    () => {
        "i.id, i.org_id, i.email, i.roles, i.created_at, i.expires_at, i.accepted_at, \
         i.accepted_by"
    };
}

fn from_row(row: &Row<'_>) -> Result<Invitation> {
    Ok(Invitation {
        id: row.get("id")?,
        org_id: row.get("org_id")?,
        email: row.get("email")?,
        roles: from_json(&row.get::<String>("roles")?),
        created_at: row.get("created_at")?,
        expires_at: row.get("expires_at")?,
        accepted_at: row.get("accepted_at")?,
        accepted_by: row.get::<Option<String>>("accepted_by")?.map(UserId::from),
    })
}

pub async fn insert(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    invitation: &Invitation,
    token_hash: &[u8],
) -> Result<()> {
    conn.execute(
        "insert into invitations (id, app_id, org_id, email, email_lower, roles, token_hash, \
         created_at, expires_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        params![
            &invitation.id,
            app_id.as_str(),
            &invitation.org_id,
            &invitation.email,
            &invitation.email.to_lowercase(),
            &to_json(&invitation.roles),
            token_hash,
            invitation.created_at,
            invitation.expires_at,
        ],
    )
    .await?;
    Ok(())
}

/// The organization's invitations, newest first (ids grow with time), before `cursor`, at most
/// `limit`.
pub async fn list(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    org_id: &str,
    cursor: Option<&str>,
    limit: i64,
) -> Result<Vec<Invitation>> {
    const SQL: &str = concat!(
        "select ",
        columns!(),
        " from invitations i where i.app_id = $1 and i.org_id = $2 \
         and ($3 is null or i.id < $3) order by i.id desc limit $4"
    );
    conn.all(
        SQL,
        params![app_id.as_str(), org_id, cursor, limit],
        from_row,
    )
    .await
}

/// The invitation whose link token hashes to `token_hash`, with its organization's name.
pub async fn find_by_token(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    token_hash: &[u8],
) -> Result<Option<(Invitation, String)>> {
    const SQL: &str = concat!(
        "select ",
        columns!(),
        ", o.name as org_name from invitations i join organizations o \
         on o.app_id = i.app_id and o.org_id = i.org_id \
         where i.app_id = $1 and i.token_hash = $2"
    );
    conn.optional(SQL, params![app_id.as_str(), token_hash], |row| {
        Ok((from_row(row)?, row.get::<String>("org_name")?))
    })
    .await
}

/// Deletes an invitation of the organization; true if it existed.
pub async fn delete(conn: &mut Conn<'_>, app_id: &AppId, org_id: &str, id: &str) -> Result<bool> {
    let n = conn
        .execute(
            "delete from invitations where app_id = $1 and org_id = $2 and id = $3",
            params![app_id.as_str(), org_id, id],
        )
        .await?;
    Ok(n == 1)
}

/// Deletes the organization's invitations of `email` not yet accepted (a new one replaces
/// them); how many.
pub async fn delete_open(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    org_id: &str,
    email: &str,
) -> Result<u64> {
    conn.execute(
        "delete from invitations where app_id = $1 and org_id = $2 and email_lower = $3 \
         and accepted_at is null",
        params![app_id.as_str(), org_id, &email.to_lowercase()],
    )
    .await
}

/// Marks the invitation accepted by `user_id`, if it is still open at `now`: true for exactly
/// one caller.
pub async fn accept(conn: &mut Conn<'_>, id: &str, user_id: &UserId, now: i64) -> Result<bool> {
    let n = conn
        .execute(
            "update invitations set accepted_at = $2, accepted_by = $3 \
             where id = $1 and accepted_at is null and expires_at > $2",
            params![id, now, user_id.as_str()],
        )
        .await?;
    Ok(n == 1)
}

/// Deletes invitations that expired before `before` (accepted ones included: the membership
/// and the audit log keep what matters); how many.
pub async fn delete_expired(conn: &mut Conn<'_>, before: i64) -> Result<u64> {
    conn.execute(
        "delete from invitations where expires_at < $1",
        params![before],
    )
    .await
}
