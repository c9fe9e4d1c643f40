//! Users: one row per person per app, email unique (case-insensitively) within the app.

use super::db::{Conn, Row, params};
use super::{Result, from_json, to_json};
use crate::auth::users::UserFilter;
use crate::auth::{AppId, EmailAddress, User, UserId};

/// The user columns, in the order [`read_row`] names them.
macro_rules! columns {
    () => {
        "id, app_id, email, email_verified, given_name, family_name, display_name, metadata, \
         disabled, created_at, updated_at, last_sign_in_at"
    };
}

/// The user columns of a join with another table, as `u.<name> as u_<name>`, read back with
/// [`from_joined_row`].
macro_rules! joined_columns {
    () => {
        "u.id as u_id, u.app_id as u_app_id, u.email as u_email, \
         u.email_verified as u_email_verified, u.given_name as u_given_name, \
         u.family_name as u_family_name, u.display_name as u_display_name, \
         u.metadata as u_metadata, u.disabled as u_disabled, u.created_at as u_created_at, \
         u.updated_at as u_updated_at, u.last_sign_in_at as u_last_sign_in_at"
    };
}
pub(crate) use joined_columns;

fn from_row(row: &Row<'_>) -> Result<User> {
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

/// The user of a left join selected with [`joined_columns`], if there was one.
pub(crate) fn from_joined_row(row: &Row<'_>) -> Result<Option<User>> {
    if row.get::<Option<String>>("u_id")?.is_none() {
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

/// Reads a user from `row`, where its columns are named `names`, in [`columns`] order.
fn read_row(row: &Row<'_>, names: [&str; 12]) -> Result<User> {
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
        id: UserId::from(row.get::<String>(id)?),
        app_id: AppId::from(row.get::<String>(app_id)?),
        email: row
            .get::<Option<String>>(email)?
            .map(EmailAddress::from_stored),
        email_verified: row.get(email_verified)?,
        given_name: row.get(given_name)?,
        family_name: row.get(family_name)?,
        display_name: row.get(display_name)?,
        metadata: from_json(&row.get::<String>(metadata)?),
        disabled: row.get(disabled)?,
        created_at: row.get(created_at)?,
        updated_at: row.get(updated_at)?,
        last_sign_in_at: row.get(last_sign_in_at)?,
    })
}

pub async fn insert_user(conn: &mut Conn<'_>, user: &User) -> Result<()> {
    const SQL: &str = "insert into users (id, app_id, email, email_lower, email_verified, \
        given_name, family_name, display_name, metadata, disabled, created_at, updated_at, \
        last_sign_in_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";
    write_user(conn, SQL, user).await
}

/// Writes every mutable field of `user` back.
pub async fn update_user(conn: &mut Conn<'_>, user: &User) -> Result<()> {
    const SQL: &str = "update users set email = $3, email_lower = $4, email_verified = $5, \
        given_name = $6, family_name = $7, display_name = $8, metadata = $9, disabled = $10, \
        updated_at = $12, last_sign_in_at = $13 where id = $1 and app_id = $2";
    write_user(conn, SQL, user).await
}

/// Runs `sql`, whose parameters are the user's columns in insert order (an update leaves out
/// `created_at`, `$11`).
async fn write_user(conn: &mut Conn<'_>, sql: &str, user: &User) -> Result<()> {
    let email_lower = user.email.as_ref().map(EmailAddress::lowercase);
    let metadata = to_json(&user.metadata);
    conn.execute(
        sql,
        params![
            user.id.as_str(),
            user.app_id.as_str(),
            user.email.as_ref().map(EmailAddress::as_str),
            email_lower.as_deref(),
            user.email_verified,
            &user.given_name,
            &user.family_name,
            &user.display_name,
            &metadata,
            user.disabled,
            user.created_at,
            user.updated_at,
            user.last_sign_in_at,
        ],
    )
    .await?;
    Ok(())
}

/// Marks the email verified, touching nothing else.
pub async fn set_email_verified(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    id: &UserId,
    now: i64,
) -> Result<()> {
    conn.execute(
        "update users set email_verified = 1, updated_at = $3 where app_id = $1 and id = $2",
        params![app_id.as_str(), id.as_str(), now],
    )
    .await?;
    Ok(())
}

/// Takes the user's row lock for the rest of the transaction (PostgreSQL row lock; SQLite
/// already holds the write lock), so a read-modify-write of the user cannot interleave with
/// another. Returns false if there is no such user.
pub async fn lock_user(conn: &mut Conn<'_>, app_id: &AppId, id: &UserId) -> Result<bool> {
    let locked = conn
        .execute(
            "update users set updated_at = updated_at where app_id = $1 and id = $2",
            params![app_id.as_str(), id.as_str()],
        )
        .await?;
    Ok(locked == 1)
}

pub async fn find_user(conn: &mut Conn<'_>, app_id: &AppId, id: &UserId) -> Result<Option<User>> {
    const SQL: &str = concat!(
        "select ",
        columns!(),
        " from users where app_id = $1 and id = $2"
    );
    conn.optional(SQL, params![app_id.as_str(), id.as_str()], from_row)
        .await
}

pub async fn find_user_by_email(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    email: &EmailAddress,
) -> Result<Option<User>> {
    const SQL: &str = concat!(
        "select ",
        columns!(),
        " from users where app_id = $1 and email_lower = $2"
    );
    let email = email.lowercase();
    conn.optional(SQL, params![app_id.as_str(), &email], from_row)
        .await
}

/// A page of users ordered by id (creation order), optionally filtered by exact email or by a
/// substring of email or names.
pub async fn list_users(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    filter: &UserFilter,
    limit: i64,
) -> Result<Vec<User>> {
    const SQL: &str = concat!(
        "select ",
        columns!(),
        " from users where app_id = $1 and id > $2 \
         and ($3 is null or email_lower = $3) \
         and ($4 is null or email_lower like $4 escape '\\' \
              or lower(coalesce(display_name, '')) like $4 escape '\\' \
              or lower(coalesce(given_name, '')) like $4 escape '\\' \
              or lower(coalesce(family_name, '')) like $4 escape '\\') \
         order by id limit $5"
    );
    let pattern = filter.query.as_deref().map(|q| {
        let escaped = q
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        format!("%{escaped}%")
    });
    let email = filter.email.as_deref().map(str::to_lowercase);
    conn.all(
        SQL,
        params![
            app_id.as_str(),
            filter.cursor.as_deref().unwrap_or(""),
            email.as_deref(),
            pattern.as_deref(),
            limit,
        ],
        from_row,
    )
    .await
}

/// Deletes the user with their passkeys, sessions, tokens and pending email codes; false if
/// there was no such user.
pub async fn delete_user(conn: &mut Conn<'_>, app_id: &AppId, id: &UserId) -> Result<bool> {
    let (app_id, id) = (app_id.as_str(), id.as_str());
    for sql in [
        "delete from email_codes where app_id = $1 \
         and email_lower = (select email_lower from users where app_id = $1 and id = $2)",
        "delete from refresh_tokens where session_id in \
         (select id from sessions where app_id = $1 and user_id = $2)",
        "delete from auth_tokens where session_id in \
         (select id from sessions where app_id = $1 and user_id = $2)",
        "delete from sessions where app_id = $1 and user_id = $2",
        "delete from passkeys where app_id = $1 and user_id = $2",
        "delete from mfa_factors where app_id = $1 and user_id = $2",
        "delete from backup_codes where app_id = $1 and user_id = $2",
        "delete from mfa_challenges where app_id = $1 and user_id = $2",
        "delete from user_roles where app_id = $1 and user_id = $2",
        "delete from member_roles where app_id = $1 and user_id = $2",
        "delete from memberships where app_id = $1 and user_id = $2",
        "delete from oauth_codes where app_id = $1 and user_id = $2",
        "delete from oauth_consents where app_id = $1 and user_id = $2",
    ] {
        conn.execute(sql, params![app_id, id]).await?;
    }
    let deleted = conn
        .execute(
            "delete from users where app_id = $1 and id = $2",
            params![app_id, id],
        )
        .await?;
    Ok(deleted == 1)
}
