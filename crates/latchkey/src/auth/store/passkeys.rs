//! Passkeys: registered WebAuthn credentials, keyed by (app, credential id).

use std::sync::LazyLock;

use super::db::{Conn, Row, params};
use super::users::{self, joined_columns};
use super::{Result, from_json, to_json};
use crate::auth::passkeys::Passkey;
use crate::auth::roles::Access;
use crate::auth::{AppId, EmailAddress, User, UserId};

macro_rules! columns {
    () => {
        "app_id, id, user_id, name, aaguid, transports, backup_eligible, backup_state, \
         user_verified, sign_count, static_state, dynamic_state, created_at, last_used_at"
    };
}

fn from_row(row: &Row<'_>) -> Result<Passkey> {
    Ok(Passkey {
        app_id: AppId::from(row.get::<String>("app_id")?),
        id: row.get("id")?,
        user_id: UserId::from(row.get::<String>("user_id")?),
        name: row.get("name")?,
        aaguid: row.get("aaguid")?,
        transports: from_json(&row.get::<String>("transports")?),
        backup_eligible: row.get("backup_eligible")?,
        backup_state: row.get("backup_state")?,
        user_verified: row.get("user_verified")?,
        sign_count: row.get("sign_count")?,
        static_state: row.get("static_state")?,
        dynamic_state: row.get("dynamic_state")?,
        created_at: row.get("created_at")?,
        last_used_at: row.get("last_used_at")?,
    })
}

pub async fn insert_passkey(conn: &mut Conn<'_>, p: &Passkey) -> Result<()> {
    const SQL: &str = concat!(
        "insert into passkeys (",
        columns!(),
        ") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
    );
    let transports = to_json(&p.transports);
    conn.execute(
        SQL,
        params![
            p.app_id.as_str(),
            &p.id,
            p.user_id.as_str(),
            &p.name,
            &p.aaguid,
            &transports,
            p.backup_eligible,
            p.backup_state,
            p.user_verified,
            p.sign_count,
            &p.static_state,
            &p.dynamic_state,
            p.created_at,
            p.last_used_at,
        ],
    )
    .await?;
    Ok(())
}

pub async fn find_passkey(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    id: &str,
) -> Result<Option<Passkey>> {
    const SQL: &str = concat!(
        "select ",
        columns!(),
        " from passkeys where app_id = $1 and id = $2"
    );
    conn.optional(SQL, params![app_id.as_str(), id], from_row)
        .await
}

/// A passkey and its owner (`None` if the user row is gone), in one read: what a sign-in needs.
pub async fn find_passkey_with_user(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    id: &str,
) -> Result<Option<(Passkey, Option<User>, Access)>> {
    // What the owner may do (their roles and permissions) comes in the same read: a sign-in's
    // access token carries it, and a passkey sign-in writes in one statement.
    static SQL: LazyLock<String> = LazyLock::new(|| {
        format!(
            "select p.app_id, p.id, p.user_id, p.name, p.aaguid, p.transports, \
             p.backup_eligible, p.backup_state, p.user_verified, p.sign_count, \
             p.static_state, p.dynamic_state, p.created_at, p.last_used_at, {}, {} \
             from passkeys p left join users u on u.app_id = p.app_id and u.id = p.user_id \
             where p.app_id = $1 and p.id = $2",
            joined_columns!(),
            super::roles::APP_ACCESS_COLUMNS,
        )
    });
    let sql = SQL.as_str();
    conn.optional(sql, params![app_id.as_str(), id], |row| {
        Ok((
            from_row(row)?,
            users::from_joined_row(row)?,
            super::roles::access_from_row(row)?,
        ))
    })
    .await
}

/// The passkeys of the user with this email, oldest first, as (credential id, transports), with
/// the user's id; `None` if no user has the email. One read: what a sign-in by email needs for
/// its `allowCredentials`.
pub async fn allow_list_by_email(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    email: &EmailAddress,
) -> Result<Option<(UserId, Vec<(String, Vec<String>)>)>> {
    let email = email.lowercase();
    let rows = conn
        .all(
            "select u.id as user_id, p.id as passkey_id, p.transports from users u \
             left join passkeys p on p.app_id = u.app_id and p.user_id = u.id \
             where u.app_id = $1 and u.email_lower = $2 order by p.created_at, p.id",
            params![app_id.as_str(), &email],
            |row| {
                let passkey = match row.get::<Option<String>>("passkey_id")? {
                    Some(id) => {
                        let transports = row
                            .get::<Option<String>>("transports")?
                            .map(|t| from_json(&t))
                            .unwrap_or_default();
                        Some((id, transports))
                    }
                    None => None,
                };
                Ok((row.get::<String>("user_id")?, passkey))
            },
        )
        .await?;
    let Some((user_id, _)) = rows.first() else {
        return Ok(None);
    };
    let user_id = UserId::from(user_id.clone());
    let passkeys = rows.into_iter().filter_map(|(_, p)| p).collect();
    Ok(Some((user_id, passkeys)))
}

/// The user's passkeys, oldest first.
pub async fn list_user_passkeys(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    user_id: &UserId,
) -> Result<Vec<Passkey>> {
    const SQL: &str = concat!(
        "select ",
        columns!(),
        " from passkeys where app_id = $1 and user_id = $2 order by created_at, id"
    );
    conn.all(SQL, params![app_id.as_str(), user_id.as_str()], from_row)
        .await
}

/// How many passkeys the user has.
pub async fn count_user_passkeys(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    user_id: &UserId,
) -> Result<i64> {
    let count = conn
        .optional(
            "select count(*) as n from passkeys where app_id = $1 and user_id = $2",
            params![app_id.as_str(), user_id.as_str()],
            |row| row.get::<i64>("n"),
        )
        .await?;
    Ok(count.unwrap_or(0))
}

pub async fn rename_passkey(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    id: &str,
    name: &str,
) -> Result<bool> {
    let renamed = conn
        .execute(
            "update passkeys set name = $3 where app_id = $1 and id = $2",
            params![app_id.as_str(), id, name],
        )
        .await?;
    Ok(renamed == 1)
}

pub async fn delete_passkey(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    user_id: &UserId,
    id: &str,
) -> Result<bool> {
    let deleted = conn
        .execute(
            "delete from passkeys where app_id = $1 and user_id = $2 and id = $3",
            params![app_id.as_str(), user_id.as_str(), id],
        )
        .await?;
    Ok(deleted == 1)
}
