//! Apps (tenants): their relying-party identity, origins and settings.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Conn, Result, flag, from_json, parse, to_json};
use crate::auth::{App, AppId};

/// The columns, `created_at` last: an update writes all but that one.
const COLUMNS: &str = "id, name, rp_id, rp_name, origins, redirect_uris, access_token_ttl, \
    refresh_token_ttl, user_verification, sign_up_allowed, signing_alg, magic_link_binding, \
    unknown_email_sign_up, email_templates, logo_url, accent_color, updated_at, created_at";

/// `$1, …, $18`: one parameter per column of [`COLUMNS`].
const PLACEHOLDERS: &str =
    "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18";

fn from_row(row: &AnyRow) -> Result<App> {
    Ok(App {
        id: AppId::from(row.try_get::<String, _>("id")?),
        name: row.try_get("name")?,
        rp_id: row.try_get("rp_id")?,
        rp_name: row.try_get("rp_name")?,
        origins: from_json(&row.try_get::<String, _>("origins")?),
        redirect_uris: from_json(&row.try_get::<String, _>("redirect_uris")?),
        access_token_ttl: row.try_get("access_token_ttl")?,
        refresh_token_ttl: row.try_get("refresh_token_ttl")?,
        user_verification: parse(&row.try_get::<String, _>("user_verification")?)?,
        sign_up_allowed: flag(row.try_get("sign_up_allowed")?),
        signing_alg: parse(&row.try_get::<String, _>("signing_alg")?)?,
        magic_link_binding: flag(row.try_get("magic_link_binding")?),
        unknown_email_sign_up: flag(row.try_get("unknown_email_sign_up")?),
        email_templates: from_json(&row.try_get::<String, _>("email_templates")?),
        logo_url: row.try_get("logo_url")?,
        accent_color: row.try_get("accent_color")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

pub async fn find_app(conn: &mut Conn, id: &AppId) -> Result<Option<App>> {
    let row = sqlx::query(&format!("select {COLUMNS} from apps where id = $1"))
        .bind(id.as_str())
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Apps ordered by id, after `cursor` (an app id), at most `limit`.
pub async fn list_apps(conn: &mut Conn, cursor: Option<&str>, limit: i64) -> Result<Vec<App>> {
    let rows = sqlx::query(&format!(
        "select {COLUMNS} from apps where id > $1 order by id limit $2"
    ))
    .bind(cursor.unwrap_or(""))
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter().map(from_row).collect()
}

pub async fn insert_app(conn: &mut Conn, app: &App) -> Result<()> {
    let sql = format!("insert into apps ({COLUMNS}) values ({PLACEHOLDERS})");
    write_app(conn, app, &sql, true).await
}

/// Writes every column of `app` back but `created_at`, which never changes.
pub async fn update_app(conn: &mut Conn, app: &App) -> Result<()> {
    let columns = COLUMNS
        .trim_start_matches("id, ")
        .trim_end_matches(", created_at");
    let values = PLACEHOLDERS
        .trim_start_matches("$1, ")
        .trim_end_matches(", $18");
    let sql = format!("update apps set ({columns}) = ({values}) where id = $1");
    write_app(conn, app, &sql, false).await
}

/// Runs `sql`, whose parameters are the app's [`COLUMNS`] in order, `created_at` only if
/// `with_created_at`.
async fn write_app(conn: &mut Conn, app: &App, sql: &str, with_created_at: bool) -> Result<()> {
    let query = sqlx::query(sql)
        .bind(app.id.as_str())
        .bind(&app.name)
        .bind(&app.rp_id)
        .bind(&app.rp_name)
        .bind(to_json(&app.origins))
        .bind(to_json(&app.redirect_uris))
        .bind(app.access_token_ttl)
        .bind(app.refresh_token_ttl)
        .bind(app.user_verification.as_str())
        .bind(i64::from(app.sign_up_allowed))
        .bind(app.signing_alg.as_str())
        .bind(i64::from(app.magic_link_binding))
        .bind(i64::from(app.unknown_email_sign_up))
        .bind(to_json(&app.email_templates))
        .bind(&app.logo_url)
        .bind(&app.accent_color)
        .bind(app.updated_at);
    let query = if with_created_at {
        query.bind(app.created_at)
    } else {
        query
    };
    query.execute(conn).await?;
    Ok(())
}

/// Deletes the app and, through foreign keys, everything that belongs to it.
pub async fn delete_app(conn: &mut Conn, id: &AppId) -> Result<bool> {
    let id = id.as_str();
    // Children first: PostgreSQL and SQLite both cascade, but deleting in order keeps the
    // statement independent of the foreign-key pragma.
    for table in [
        "events",
        "email_codes",
        "auth_tokens",
        "signing_keys",
        "ceremonies",
        "passkeys",
        "api_keys",
    ] {
        sqlx::query(&format!("delete from {table} where app_id = $1"))
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query(
        "delete from refresh_tokens where session_id in (select id from sessions where app_id = $1)",
    )
    .bind(id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("delete from sessions where app_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("delete from users where app_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let done = sqlx::query("delete from apps where id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}
