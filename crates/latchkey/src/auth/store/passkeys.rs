//! Passkeys: registered WebAuthn credentials, keyed by (app, credential id).

use sqlx::Row;
use sqlx::any::AnyRow;

use super::users;
use super::{Conn, Result, flag, from_json, is_postgres, to_json};
use crate::auth::passkeys::Passkey;
use crate::auth::{AppId, EmailAddress, User, UserId};

const COLUMNS: &str = "app_id, id, user_id, name, aaguid, transports, backup_eligible, \
    backup_state, user_verified, sign_count, static_state, dynamic_state, created_at, last_used_at";

fn from_row(row: &AnyRow) -> Result<Passkey> {
    Ok(Passkey {
        app_id: AppId::from(row.try_get::<String, _>("app_id")?),
        id: row.try_get("id")?,
        user_id: UserId::from(row.try_get::<String, _>("user_id")?),
        name: row.try_get("name")?,
        aaguid: row.try_get("aaguid")?,
        transports: from_json(&row.try_get::<String, _>("transports")?),
        backup_eligible: flag(row.try_get("backup_eligible")?),
        backup_state: flag(row.try_get("backup_state")?),
        user_verified: flag(row.try_get("user_verified")?),
        sign_count: row.try_get("sign_count")?,
        static_state: row.try_get("static_state")?,
        dynamic_state: row.try_get("dynamic_state")?,
        created_at: row.try_get("created_at")?,
        last_used_at: row.try_get("last_used_at")?,
    })
}

pub async fn insert_passkey(conn: &mut Conn, p: &Passkey) -> Result<()> {
    sqlx::query(&format!(
        "insert into passkeys ({COLUMNS}) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
    ))
    .bind(p.app_id.as_str())
    .bind(&p.id)
    .bind(p.user_id.as_str())
    .bind(&p.name)
    .bind(&p.aaguid)
    .bind(to_json(&p.transports))
    .bind(i64::from(p.backup_eligible))
    .bind(i64::from(p.backup_state))
    .bind(i64::from(p.user_verified))
    .bind(p.sign_count)
    .bind(&p.static_state)
    .bind(&p.dynamic_state)
    .bind(p.created_at)
    .bind(p.last_used_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find_passkey(conn: &mut Conn, app_id: &AppId, id: &str) -> Result<Option<Passkey>> {
    let row = sqlx::query(&format!(
        "select {COLUMNS} from passkeys where app_id = $1 and id = $2"
    ))
    .bind(app_id.as_str())
    .bind(id)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// A passkey and its owner (`None` if the user row is gone), in one read: what a sign-in needs.
pub async fn find_passkey_with_user(
    conn: &mut Conn,
    app_id: &AppId,
    id: &str,
) -> Result<Option<(Passkey, Option<User>)>> {
    let row = sqlx::query(&format!(
        "select p.app_id, p.id, p.user_id, p.name, p.aaguid, p.transports, p.backup_eligible, \
         p.backup_state, p.user_verified, p.sign_count, p.static_state, p.dynamic_state, \
         p.created_at, p.last_used_at, {user_columns} from passkeys p \
         left join users u on u.app_id = p.app_id and u.id = p.user_id \
         where p.app_id = $1 and p.id = $2",
        user_columns = users::JOINED_COLUMNS,
    ))
    .bind(app_id.as_str())
    .bind(id)
    .fetch_optional(conn)
    .await?;
    row.as_ref()
        .map(|r| Ok((from_row(r)?, users::from_joined_row(r)?)))
        .transpose()
}

/// The passkeys of the user with this email, oldest first, as (credential id,
/// transports), with the user's id; `None` if no user has the email. One read: what a sign-in
/// by email needs for its `allowCredentials`.
pub async fn allow_list_by_email(
    conn: &mut Conn,
    app_id: &AppId,
    email: &EmailAddress,
) -> Result<Option<(UserId, Vec<(String, Vec<String>)>)>> {
    let rows = sqlx::query(
        "select u.id as user_id, p.id as passkey_id, p.transports from users u \
         left join passkeys p on p.app_id = u.app_id and p.user_id = u.id \
         where u.app_id = $1 and u.email_lower = $2 order by p.created_at, p.id",
    )
    .bind(app_id.as_str())
    .bind(email.lowercase())
    .fetch_all(conn)
    .await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let user_id = UserId::from(first.try_get::<String, _>("user_id")?);
    let mut passkeys = Vec::with_capacity(rows.len());
    for row in &rows {
        if let Some(id) = row.try_get::<Option<String>, _>("passkey_id")? {
            let transports = row
                .try_get::<Option<String>, _>("transports")?
                .map(|t| from_json(&t))
                .unwrap_or_default();
            passkeys.push((id, transports));
        }
    }
    Ok(Some((user_id, passkeys)))
}

/// The user's passkeys, oldest first.
pub async fn list_user_passkeys(
    conn: &mut Conn,
    app_id: &AppId,
    user_id: &UserId,
) -> Result<Vec<Passkey>> {
    let rows = sqlx::query(&format!(
        "select {COLUMNS} from passkeys where app_id = $1 and user_id = $2 order by created_at, id"
    ))
    .bind(app_id.as_str())
    .bind(user_id.as_str())
    .fetch_all(conn)
    .await?;
    rows.iter().map(from_row).collect()
}

/// What [`claim_assertion`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Claim {
    /// The ceremony was there and is now consumed.
    pub ceremony_taken: bool,
    /// The passkey's counter was still `previous_count` and is now updated.
    pub passkey_updated: bool,
}

/// The writes of a verified assertion in one round trip: consumes the ceremony `challenge` and
/// stores the passkey's new state if its counter is still `previous_count` (compare-and-set).
/// Each statement returns a marker row when it changed one, so the caller learns which held.
pub async fn claim_assertion(
    conn: &mut Conn,
    challenge: &str,
    p: &Passkey,
    previous_count: i64,
) -> Result<Claim> {
    const CEREMONY: &str =
        "delete from ceremonies where app_id = $1 and challenge = $9 returning 'c' as what";
    const PASSKEY: &str = "update passkeys set dynamic_state = $3, backup_state = $4, \
        user_verified = $5, sign_count = $6, last_used_at = $7 \
        where app_id = $1 and id = $2 and sign_count = $8 returning 'p' as what";
    let sql = if is_postgres(conn) {
        format!(
            "with c as ({CEREMONY}), p as ({PASSKEY}) select what from c union all select what from p"
        )
    } else {
        format!("{CEREMONY}; {PASSKEY}")
    };
    let rows = sqlx::query(&sql)
        .bind(p.app_id.as_str())
        .bind(&p.id)
        .bind(&p.dynamic_state)
        .bind(i64::from(p.backup_state))
        .bind(i64::from(p.user_verified))
        .bind(p.sign_count)
        .bind(p.last_used_at)
        .bind(previous_count)
        .bind(challenge)
        .fetch_all(conn)
        .await?;
    let mut claim = Claim {
        ceremony_taken: false,
        passkey_updated: false,
    };
    for row in &rows {
        match row.try_get::<String, _>("what")?.as_str() {
            "c" => claim.ceremony_taken = true,
            "p" => claim.passkey_updated = true,
            _ => {}
        }
    }
    Ok(claim)
}

pub async fn rename_passkey(conn: &mut Conn, app_id: &AppId, id: &str, name: &str) -> Result<bool> {
    let done = sqlx::query("update passkeys set name = $3 where app_id = $1 and id = $2")
        .bind(app_id.as_str())
        .bind(id)
        .bind(name)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn delete_passkey(
    conn: &mut Conn,
    app_id: &AppId,
    user_id: &UserId,
    id: &str,
) -> Result<bool> {
    let done = sqlx::query("delete from passkeys where app_id = $1 and user_id = $2 and id = $3")
        .bind(app_id.as_str())
        .bind(user_id.as_str())
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}
