//! Apps (tenants): their relying-party identity, origins and settings.

use super::db::{Conn, Row, params};
use super::{Result, from_json, parse, to_json};
use crate::auth::{App, AppId};

/// The columns, `created_at` last: an update writes all but that one.
macro_rules! columns {
    () => {
        "id, name, rp_id, rp_name, origins, redirect_uris, access_token_ttl, refresh_token_ttl, \
         user_verification, sign_up_allowed, signing_alg, magic_link_binding, \
         unknown_email_sign_up, sign_up_email_first, cross_device_links, email_templates, \
         logo_url, accent_color, domain, require_par, mfa, updated_at"
    };
}

fn from_row(row: &Row<'_>) -> Result<App> {
    Ok(App {
        id: AppId::from(row.get::<String>("id")?),
        name: row.get("name")?,
        rp_id: row.get("rp_id")?,
        rp_name: row.get("rp_name")?,
        origins: from_json(&row.get::<String>("origins")?),
        redirect_uris: from_json(&row.get::<String>("redirect_uris")?),
        access_token_ttl: row.get("access_token_ttl")?,
        refresh_token_ttl: row.get("refresh_token_ttl")?,
        user_verification: parse(&row.get::<String>("user_verification")?)?,
        sign_up_allowed: row.get("sign_up_allowed")?,
        signing_alg: parse(&row.get::<String>("signing_alg")?)?,
        magic_link_binding: row.get("magic_link_binding")?,
        unknown_email_sign_up: row.get("unknown_email_sign_up")?,
        sign_up_email_first: row.get("sign_up_email_first")?,
        cross_device_links: row.get("cross_device_links")?,
        email_templates: from_json(&row.get::<String>("email_templates")?),
        logo_url: row.get("logo_url")?,
        accent_color: row.get("accent_color")?,
        domain: row.get("domain")?,
        require_par: row.get("require_par")?,
        mfa: parse(&row.get::<String>("mfa")?)?,
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
    })
}

pub async fn find_app(conn: &mut Conn<'_>, id: &AppId) -> Result<Option<App>> {
    const SQL: &str = concat!(
        "select ",
        columns!(),
        ", created_at from apps where id = $1"
    );
    conn.optional(SQL, params![id.as_str()], from_row).await
}

/// Apps ordered by id, after `cursor` (an app id), at most `limit`.
pub async fn list_apps(conn: &mut Conn<'_>, cursor: Option<&str>, limit: i64) -> Result<Vec<App>> {
    const SQL: &str = concat!(
        "select ",
        columns!(),
        ", created_at from apps where id > $1 order by id limit $2"
    );
    conn.all(SQL, params![cursor.unwrap_or(""), limit], from_row)
        .await
}

pub async fn insert_app(conn: &mut Conn<'_>, app: &App) -> Result<()> {
    const SQL: &str = concat!(
        "insert into apps (",
        columns!(),
        ", created_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, \
         $15, $16, $17, $18, $19, $20, $21, $22, $23)"
    );
    write_app(conn, app, SQL, true).await
}

/// Writes every column of `app` back but `created_at`, which never changes.
pub async fn update_app(conn: &mut Conn<'_>, app: &App) -> Result<()> {
    const SQL: &str = concat!(
        "update apps set (",
        columns!(),
        ") = ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
         $18, $19, $20, $21, $22) \
         where id = $1"
    );
    write_app(conn, app, SQL, false).await
}

/// Runs `sql`, whose parameters are the app's columns in order, then `created_at` if
/// `with_created_at`.
async fn write_app(conn: &mut Conn<'_>, app: &App, sql: &str, with_created_at: bool) -> Result<()> {
    let (origins, redirect_uris, templates) = (
        to_json(&app.origins),
        to_json(&app.redirect_uris),
        to_json(&app.email_templates),
    );
    let params = params![
        app.id.as_str(),
        &app.name,
        &app.rp_id,
        &app.rp_name,
        &origins,
        &redirect_uris,
        app.access_token_ttl,
        app.refresh_token_ttl,
        app.user_verification.as_str(),
        app.sign_up_allowed,
        app.signing_alg.as_str(),
        app.magic_link_binding,
        app.unknown_email_sign_up,
        app.sign_up_email_first,
        app.cross_device_links,
        &templates,
        &app.logo_url,
        &app.accent_color,
        &app.domain,
        app.require_par,
        app.mfa.as_str(),
        app.updated_at,
        app.created_at,
    ];
    let params = if with_created_at {
        &params[..]
    } else {
        &params[..params.len() - 1]
    };
    conn.execute(sql, params).await?;
    Ok(())
}

/// Every app's own domain: `(domain, app id)`.
pub async fn domains(conn: &mut Conn<'_>) -> Result<Vec<(String, AppId)>> {
    conn.all(
        "select domain, id from apps where domain is not null",
        params![],
        |row| Ok((row.get("domain")?, AppId::from(row.get::<String>("id")?))),
    )
    .await
}

/// Deletes the app and, through foreign keys, everything that belongs to it.
pub async fn delete_app(conn: &mut Conn<'_>, id: &AppId) -> Result<bool> {
    let id = id.as_str();
    // Children first: PostgreSQL and SQLite both cascade, but deleting in order keeps the
    // statements independent of the foreign-key pragma.
    for sql in [
        "delete from events where app_id = $1",
        "delete from email_codes where app_id = $1",
        "delete from auth_tokens where app_id = $1",
        "delete from signing_keys where app_id = $1",
        "delete from ceremonies where app_id = $1",
        "delete from passkeys where app_id = $1",
        "delete from mfa_factors where app_id = $1",
        "delete from backup_codes where app_id = $1",
        "delete from mfa_challenges where app_id = $1",
        "delete from member_roles where app_id = $1",
        "delete from memberships where app_id = $1",
        "delete from organizations where app_id = $1",
        "delete from user_roles where app_id = $1",
        "delete from role_permissions where app_id = $1",
        "delete from roles where app_id = $1",
        "delete from permissions where app_id = $1",
        "delete from api_keys where app_id = $1",
        "delete from oauth_codes where app_id = $1",
        "delete from oauth_consents where app_id = $1",
        "delete from oauth_clients where app_id = $1",
        "delete from jobs where app_id = $1",
        "delete from refresh_tokens where session_id in \
         (select id from sessions where app_id = $1)",
        "delete from sessions where app_id = $1",
        "delete from users where app_id = $1",
    ] {
        conn.execute(sql, params![id]).await?;
    }
    Ok(conn
        .execute("delete from apps where id = $1", params![id])
        .await?
        == 1)
}
