//! Permissions, roles, their permission lists, and users' app-wide roles.

use std::sync::LazyLock;

use super::Result;
use super::db::{Conn, Row, params};
use crate::auth::roles::{Access, Permission, Role};
use crate::auth::{AppId, UserId};

fn permission_from_row(row: &Row<'_>) -> Result<Permission> {
    Ok(Permission {
        key: row.get("permission_key")?,
        description: row.get("description")?,
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
    })
}

/// The app's permissions ordered by key, after `cursor`, at most `limit`.
pub async fn list_permissions(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    cursor: Option<&str>,
    limit: i64,
) -> Result<Vec<Permission>> {
    conn.all(
        "select permission_key, description, created_at, updated_at from permissions \
         where app_id = $1 and permission_key > $2 order by permission_key limit $3",
        params![app_id.as_str(), cursor.unwrap_or(""), limit],
        permission_from_row,
    )
    .await
}

pub async fn find_permission(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    key: &str,
) -> Result<Option<Permission>> {
    conn.optional(
        "select permission_key, description, created_at, updated_at from permissions \
         where app_id = $1 and permission_key = $2",
        params![app_id.as_str(), key],
        permission_from_row,
    )
    .await
}

pub async fn insert_permission(conn: &mut Conn<'_>, app_id: &AppId, p: &Permission) -> Result<()> {
    conn.execute(
        "insert into permissions (app_id, permission_key, description, created_at, updated_at) \
         values ($1, $2, $3, $4, $5)",
        params![
            app_id.as_str(),
            &p.key,
            &p.description,
            p.created_at,
            p.updated_at
        ],
    )
    .await?;
    Ok(())
}

pub async fn update_permission(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    p: &Permission,
) -> Result<bool> {
    let n = conn
        .execute(
            "update permissions set description = $3, updated_at = $4 \
             where app_id = $1 and permission_key = $2",
            params![app_id.as_str(), &p.key, &p.description, p.updated_at],
        )
        .await?;
    Ok(n == 1)
}

/// Deletes the permission (and, by cascade, its place in every role); true if it existed.
pub async fn delete_permission(conn: &mut Conn<'_>, app_id: &AppId, key: &str) -> Result<bool> {
    let n = conn
        .execute(
            "delete from permissions where app_id = $1 and permission_key = $2",
            params![app_id.as_str(), key],
        )
        .await?;
    if n == 1 {
        refresh_permission_keys(conn, app_id).await?;
    }
    Ok(n == 1)
}

/// How many of `keys` are permissions of the app.
pub async fn count_permissions(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    keys: &[String],
) -> Result<i64> {
    let mut found = 0;
    for key in keys {
        if find_permission(conn, app_id, key).await?.is_some() {
            found += 1;
        }
    }
    Ok(found)
}

fn role_from_row(row: &Row<'_>) -> Result<Role> {
    Ok(Role {
        key: row.get("role_key")?,
        name: row.get("name")?,
        description: row.get("description")?,
        permissions: Vec::new(),
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
    })
}

/// Fills each role's permission list, in one read for all of them.
async fn with_permissions(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    mut roles: Vec<Role>,
) -> Result<Vec<Role>> {
    let (Some(first), Some(last)) = (roles.first(), roles.last()) else {
        return Ok(roles);
    };
    let pairs = conn
        .all(
            "select role_key, permission_key from role_permissions \
             where app_id = $1 and role_key >= $2 and role_key <= $3 \
             order by role_key, permission_key",
            params![app_id.as_str(), &first.key, &last.key],
            |row| {
                Ok((
                    row.get::<String>("role_key")?,
                    row.get::<String>("permission_key")?,
                ))
            },
        )
        .await?;
    for (role_key, permission) in pairs {
        if let Some(role) = roles.iter_mut().find(|r| r.key == role_key) {
            role.permissions.push(permission);
        }
    }
    Ok(roles)
}

/// The app's roles ordered by key (with their permissions), after `cursor`, at most `limit`.
pub async fn list_roles(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    cursor: Option<&str>,
    limit: i64,
) -> Result<Vec<Role>> {
    let roles = conn
        .all(
            "select role_key, name, description, created_at, updated_at from roles \
             where app_id = $1 and role_key > $2 order by role_key limit $3",
            params![app_id.as_str(), cursor.unwrap_or(""), limit],
            role_from_row,
        )
        .await?;
    with_permissions(conn, app_id, roles).await
}

pub async fn find_role(conn: &mut Conn<'_>, app_id: &AppId, key: &str) -> Result<Option<Role>> {
    let role = conn
        .optional(
            "select role_key, name, description, created_at, updated_at from roles \
             where app_id = $1 and role_key = $2",
            params![app_id.as_str(), key],
            role_from_row,
        )
        .await?;
    match role {
        Some(role) => Ok(with_permissions(conn, app_id, vec![role]).await?.pop()),
        None => Ok(None),
    }
}

pub async fn insert_role(conn: &mut Conn<'_>, app_id: &AppId, r: &Role) -> Result<()> {
    conn.execute(
        "insert into roles (app_id, role_key, name, description, created_at, updated_at) \
         values ($1, $2, $3, $4, $5, $6)",
        params![
            app_id.as_str(),
            &r.key,
            &r.name,
            &r.description,
            r.created_at,
            r.updated_at
        ],
    )
    .await?;
    set_role_permissions(conn, app_id, &r.key, &r.permissions).await
}

/// Writes the role's name, description and permission list.
pub async fn update_role(conn: &mut Conn<'_>, app_id: &AppId, r: &Role) -> Result<bool> {
    let n = conn
        .execute(
            "update roles set name = $3, description = $4, updated_at = $5 \
             where app_id = $1 and role_key = $2",
            params![
                app_id.as_str(),
                &r.key,
                &r.name,
                &r.description,
                r.updated_at
            ],
        )
        .await?;
    if n == 1 {
        set_role_permissions(conn, app_id, &r.key, &r.permissions).await?;
    }
    Ok(n == 1)
}

async fn set_role_permissions(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    role_key: &str,
    permissions: &[String],
) -> Result<()> {
    conn.execute(
        "delete from role_permissions where app_id = $1 and role_key = $2",
        params![app_id.as_str(), role_key],
    )
    .await?;
    for permission in permissions {
        conn.execute(
            "insert into role_permissions (app_id, role_key, permission_key) values ($1, $2, $3)",
            params![app_id.as_str(), role_key, permission],
        )
        .await?;
    }
    conn.execute(
        "update roles set permission_keys = $3 where app_id = $1 and role_key = $2",
        params![app_id.as_str(), role_key, &permissions.join(" ")],
    )
    .await?;
    Ok(())
}

/// Writes every role's `permission_keys` (what [`access_columns`] reads) again from its
/// permission list, after a permission left them all.
async fn refresh_permission_keys(conn: &mut Conn<'_>, app_id: &AppId) -> Result<()> {
    let list = if conn.is_postgres() {
        "string_agg(rp.permission_key, ' ')"
    } else {
        "group_concat(rp.permission_key, ' ')"
    };
    let sql = format!(
        "update roles set permission_keys = coalesce((select {list} from role_permissions rp \
         where rp.app_id = roles.app_id and rp.role_key = roles.role_key), '') where app_id = $1"
    );
    conn.execute(&sql, params![app_id.as_str()]).await?;
    Ok(())
}

/// Deletes the role (and, by cascade, its permission list and every user's holding of it);
/// true if it existed.
pub async fn delete_role(conn: &mut Conn<'_>, app_id: &AppId, key: &str) -> Result<bool> {
    let n = conn
        .execute(
            "delete from roles where app_id = $1 and role_key = $2",
            params![app_id.as_str(), key],
        )
        .await?;
    Ok(n == 1)
}

/// How many of `keys` are roles of the app.
pub async fn count_roles(conn: &mut Conn<'_>, app_id: &AppId, keys: &[String]) -> Result<i64> {
    let mut found = 0;
    for key in keys {
        let exists = conn
            .optional(
                "select count(*) as n from roles where app_id = $1 and role_key = $2",
                params![app_id.as_str(), key],
                |row| row.get::<i64>("n"),
            )
            .await?;
        found += exists.unwrap_or(0);
    }
    Ok(found)
}

/// The user's app-wide roles, by key.
pub async fn user_roles(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    user_id: &UserId,
) -> Result<Vec<String>> {
    conn.all(
        "select role_key from user_roles where app_id = $1 and user_id = $2 order by role_key",
        params![app_id.as_str(), user_id.as_str()],
        |row| row.get::<String>("role_key"),
    )
    .await
}

/// Replaces the user's app-wide roles.
pub async fn set_user_roles(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    user_id: &UserId,
    roles: &[String],
    now: i64,
) -> Result<()> {
    conn.execute(
        "delete from user_roles where app_id = $1 and user_id = $2",
        params![app_id.as_str(), user_id.as_str()],
    )
    .await?;
    for role in roles {
        conn.execute(
            "insert into user_roles (app_id, user_id, role_key, created_at) values ($1, $2, $3, $4)",
            params![app_id.as_str(), user_id.as_str(), role, now],
        )
        .await?;
    }
    // What lets a session read skip the lookup of a user with no roles (a role deleted later
    // may leave it set: that costs a lookup, never a role).
    conn.execute(
        "update users set has_roles = $3 where app_id = $1 and id = $2",
        params![
            app_id.as_str(),
            user_id.as_str(),
            i64::from(!roles.is_empty())
        ],
    )
    .await?;
    Ok(())
}

/// The columns that resolve what a user may do, in the read that loads their session (or
/// their passkey), as two texts: `access_roles`, the user's app-wide roles, and `access_org`,
/// the active organization (only while the user is a member of it) and the member's roles
/// there. A role reads as `key=permission permission…` (its `permission_keys`, kept with its
/// permission list), roles joined by `;`, the organization as `org_id|roles`: keys hold none
/// of these separators. `owner` is the alias of the query's row holding `app_id` and
/// `user_id`, and with `org` its `org_id` (a row without one has app-wide roles only); its
/// aliases must not be `ar`, `ro` or `am`. `may_hold_roles` is a condition on the query's row,
/// false only for a user who holds no app-wide role (`u.has_roles = 1` where the user's row is
/// joined as `u`): then, with no organization either, nothing is looked up, since a subquery
/// costs PostgreSQL even when it finds nothing. Each part walks primary keys only: a user's
/// roles, then each role's row.
pub fn access_columns(postgres: bool, owner: &str, org: bool, may_hold_roles: &str) -> String {
    let roles = if postgres {
        "string_agg(ar.role_key || '=' || ro.permission_keys, ';')"
    } else {
        "group_concat(ar.role_key || '=' || ro.permission_keys, ';')"
    };
    let app_roles = format!(
        "case when {may_hold_roles} then (select {roles} from user_roles ar join roles ro \
         on ro.app_id = ar.app_id and ro.role_key = ar.role_key \
         where ar.app_id = {owner}.app_id and ar.user_id = {owner}.user_id) end as access_roles"
    );
    if !org {
        return format!("null as access_org, {app_roles}");
    }
    // The member's roles exist only while the membership does (they go with it). A session
    // acting for no organization skips the lookup.
    format!(
        "case when {owner}.org_id is null then null else \
         (select am.org_id || '|' || coalesce((select {roles} from member_roles ar join roles ro \
          on ro.app_id = ar.app_id and ro.role_key = ar.role_key \
          where ar.app_id = am.app_id and ar.org_id = am.org_id and ar.user_id = am.user_id), '') \
          from memberships am where am.app_id = {owner}.app_id and am.org_id = {owner}.org_id \
          and am.user_id = {owner}.user_id) end as access_org, {app_roles}"
    )
}

/// What [`access_columns`] read.
pub fn access_from_row(row: &Row<'_>) -> Result<Access> {
    let mut access = Access::default();
    let mut add = |roles: &str| {
        for role in roles.split(';').filter(|r| !r.is_empty()) {
            let (key, permissions) = role.split_once('=').unwrap_or((role, ""));
            access.roles.push(key.to_owned());
            access.permissions.extend(
                permissions
                    .split(' ')
                    .filter(|p| !p.is_empty())
                    .map(str::to_owned),
            );
        }
    };
    if let Some(org) = row.get::<Option<String>>("access_org")? {
        let (org_id, roles) = org.split_once('|').unwrap_or((&org, ""));
        add(roles);
        access.org_id = Some(org_id.to_owned());
    }
    if let Some(roles) = row.get::<Option<String>>("access_roles")? {
        add(&roles);
    }
    for list in [&mut access.roles, &mut access.permissions] {
        list.sort_unstable();
        list.dedup();
    }
    Ok(access)
}

/// What the user may do, acting for `org_id` (if they are a member) or app-wide, in one read.
pub async fn user_access(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    user_id: &UserId,
    org_id: Option<&str>,
) -> Result<Access> {
    // The same columns as a session read, over a one-row stand-in for the session.
    static SQL: LazyLock<[String; 2]> = LazyLock::new(|| {
        [false, true].map(|postgres| {
            format!(
                "select {} from (select cast($1 as text) as app_id, cast($2 as text) as user_id, \
                 cast($3 as text) as org_id) s",
                access_columns(postgres, "s", true, "1 = 1")
            )
        })
    });
    let sql = &SQL[usize::from(conn.is_postgres())];
    let found = conn
        .optional(
            sql,
            params![app_id.as_str(), user_id.as_str(), org_id],
            access_from_row,
        )
        .await?;
    Ok(found.unwrap_or_default())
}
