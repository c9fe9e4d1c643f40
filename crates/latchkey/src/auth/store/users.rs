//! Users: one row per person per app, email unique (case-insensitively) within the app.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Conn, Result, flag, from_json, to_json};
use crate::auth::users::UserFilter;
use crate::auth::{AppId, EmailAddress, User, UserId};

const COLUMNS: &str = "id, app_id, email, email_verified, given_name, family_name, display_name, \
    metadata, disabled, created_at, updated_at, last_sign_in_at";

/// The user columns of a join with another table, as `u.<name> as u_<name>`, read back with
/// [`from_joined_row`].
pub(crate) const JOINED_COLUMNS: &str = "u.id as u_id, u.app_id as u_app_id, u.email as u_email, \
    u.email_verified as u_email_verified, u.given_name as u_given_name, \
    u.family_name as u_family_name, u.display_name as u_display_name, u.metadata as u_metadata, \
    u.disabled as u_disabled, u.created_at as u_created_at, u.updated_at as u_updated_at, \
    u.last_sign_in_at as u_last_sign_in_at";

fn from_row(row: &AnyRow) -> Result<User> {
    read_row(
        row,
        [
            "id",
            "app_id",
            "email",
            "email_verified",
            "given_name",
            "family_name",
            "display_name",
            "metadata",
            "disabled",
            "created_at",
            "updated_at",
            "last_sign_in_at",
        ],
    )
}

/// The user of a left join selected with [`JOINED_COLUMNS`], if there was one.
pub(crate) fn from_joined_row(row: &AnyRow) -> Result<Option<User>> {
    if row.try_get::<Option<String>, _>("u_id")?.is_none() {
        return Ok(None);
    }
    read_row(
        row,
        [
            "u_id",
            "u_app_id",
            "u_email",
            "u_email_verified",
            "u_given_name",
            "u_family_name",
            "u_display_name",
            "u_metadata",
            "u_disabled",
            "u_created_at",
            "u_updated_at",
            "u_last_sign_in_at",
        ],
    )
    .map(Some)
}

/// Reads a user from `row`, where its columns are named `names`, in [`COLUMNS`] order.
fn read_row(row: &AnyRow, names: [&str; 12]) -> Result<User> {
    let [
        id,
        app_id,
        email,
        email_verified,
        given_name,
        family_name,
        display_name,
        metadata,
        disabled,
        created_at,
        updated_at,
        last_sign_in_at,
    ] = names;
    Ok(User {
        id: UserId::from(row.try_get::<String, _>(id)?),
        app_id: AppId::from(row.try_get::<String, _>(app_id)?),
        email: row
            .try_get::<Option<String>, _>(email)?
            .map(EmailAddress::from_stored),
        email_verified: flag(row.try_get(email_verified)?),
        given_name: row.try_get(given_name)?,
        family_name: row.try_get(family_name)?,
        display_name: row.try_get(display_name)?,
        metadata: from_json(&row.try_get::<String, _>(metadata)?),
        disabled: flag(row.try_get(disabled)?),
        created_at: row.try_get(created_at)?,
        updated_at: row.try_get(updated_at)?,
        last_sign_in_at: row.try_get(last_sign_in_at)?,
    })
}

pub async fn insert_user(conn: &mut Conn, user: &User) -> Result<()> {
    sqlx::query(
        "insert into users (id, app_id, email, email_lower, email_verified, given_name, \
         family_name, display_name, metadata, disabled, created_at, updated_at, last_sign_in_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(user.id.as_str())
    .bind(user.app_id.as_str())
    .bind(user.email.as_ref().map(EmailAddress::as_str))
    .bind(user.email.as_ref().map(EmailAddress::lowercase))
    .bind(i64::from(user.email_verified))
    .bind(&user.given_name)
    .bind(&user.family_name)
    .bind(&user.display_name)
    .bind(to_json(&user.metadata))
    .bind(i64::from(user.disabled))
    .bind(user.created_at)
    .bind(user.updated_at)
    .bind(user.last_sign_in_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Writes every mutable field of `user` back.
pub async fn update_user(conn: &mut Conn, user: &User) -> Result<()> {
    sqlx::query(
        "update users set email = $3, email_lower = $4, email_verified = $5, given_name = $6, \
         family_name = $7, display_name = $8, metadata = $9, disabled = $10, updated_at = $11, \
         last_sign_in_at = $12 where app_id = $1 and id = $2",
    )
    .bind(user.app_id.as_str())
    .bind(user.id.as_str())
    .bind(user.email.as_ref().map(EmailAddress::as_str))
    .bind(user.email.as_ref().map(EmailAddress::lowercase))
    .bind(i64::from(user.email_verified))
    .bind(&user.given_name)
    .bind(&user.family_name)
    .bind(&user.display_name)
    .bind(to_json(&user.metadata))
    .bind(i64::from(user.disabled))
    .bind(user.updated_at)
    .bind(user.last_sign_in_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Marks the email verified, touching nothing else.
pub async fn set_email_verified(
    conn: &mut Conn,
    app_id: &AppId,
    id: &UserId,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "update users set email_verified = 1, updated_at = $3 where app_id = $1 and id = $2",
    )
    .bind(app_id.as_str())
    .bind(id.as_str())
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Takes the user's row lock for the rest of the transaction (PostgreSQL row lock; SQLite
/// already holds the write lock), so a read-modify-write of the user cannot interleave with
/// another. Returns false if there is no such user.
pub async fn lock_user(conn: &mut Conn, app_id: &AppId, id: &UserId) -> Result<bool> {
    let done =
        sqlx::query("update users set updated_at = updated_at where app_id = $1 and id = $2")
            .bind(app_id.as_str())
            .bind(id.as_str())
            .execute(conn)
            .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn find_user(conn: &mut Conn, app_id: &AppId, id: &UserId) -> Result<Option<User>> {
    let row = sqlx::query(&format!(
        "select {COLUMNS} from users where app_id = $1 and id = $2"
    ))
    .bind(app_id.as_str())
    .bind(id.as_str())
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn find_user_by_email(
    conn: &mut Conn,
    app_id: &AppId,
    email: &EmailAddress,
) -> Result<Option<User>> {
    let row = sqlx::query(&format!(
        "select {COLUMNS} from users where app_id = $1 and email_lower = $2"
    ))
    .bind(app_id.as_str())
    .bind(email.lowercase())
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// A page of users ordered by id (creation order), optionally filtered by exact email or by a
/// substring of email or names.
pub async fn list_users(
    conn: &mut Conn,
    app_id: &AppId,
    filter: &UserFilter,
    limit: i64,
) -> Result<Vec<User>> {
    let pattern = filter.query.as_deref().map(|q| {
        let escaped = q
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        format!("%{escaped}%")
    });
    let rows = sqlx::query(&format!(
        "select {COLUMNS} from users where app_id = $1 and id > $2 \
         and ($3 is null or email_lower = $3) \
         and ($4 is null or email_lower like $4 escape '\\' \
              or lower(coalesce(display_name, '')) like $4 escape '\\' \
              or lower(coalesce(given_name, '')) like $4 escape '\\' \
              or lower(coalesce(family_name, '')) like $4 escape '\\') \
         order by id limit $5"
    ))
    .bind(app_id.as_str())
    .bind(filter.cursor.as_deref().unwrap_or(""))
    .bind(filter.email.as_deref().map(str::to_lowercase))
    .bind(pattern)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter().map(from_row).collect()
}

/// Deletes the user with their passkeys, sessions, tokens and pending email codes; false if
/// there was no such user.
pub async fn delete_user(conn: &mut Conn, app_id: &AppId, id: &UserId) -> Result<bool> {
    let (app_id, id) = (app_id.as_str(), id.as_str());
    sqlx::query(
        "delete from email_codes where app_id = $1 \
         and email_lower = (select email_lower from users where app_id = $1 and id = $2)",
    )
    .bind(app_id)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "delete from refresh_tokens where session_id in (select id from sessions where user_id = $1)",
    )
    .bind(id)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "delete from auth_tokens where session_id in (select id from sessions where user_id = $1)",
    )
    .bind(id)
    .execute(&mut *conn)
    .await?;
    for table in ["sessions", "passkeys"] {
        sqlx::query(&format!(
            "delete from {table} where app_id = $1 and user_id = $2"
        ))
        .bind(app_id)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    }
    let done = sqlx::query("delete from users where app_id = $1 and id = $2")
        .bind(app_id)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}
