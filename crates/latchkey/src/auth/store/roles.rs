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
    Ok(())
}

/// The columns that resolve what a user may do, in the read that loads their session (or
/// their passkey): the active organization if the user is still a member of it, the user's
/// roles (app-wide, and the organization's for the member) and the union of their permissions,
/// as JSON arrays (`null` or `[]` for none). `owner` is the alias of the query's row holding
/// `app_id` and `user_id`, and with `org` its `org_id` (a row without one has app-wide roles
/// only).
pub fn access_columns(postgres: bool, owner: &str, org: bool) -> String {
    let (agg, distinct_agg) = if postgres {
        (
            "cast(json_agg(r.role_key) as text)",
            "cast(json_agg(distinct ap.permission_key) as text)",
        )
    } else {
        (
            "json_group_array(r.role_key)",
            "json_group_array(distinct ap.permission_key)",
        )
    };
    let app_roles = format!(
        "select r.role_key from user_roles r \
         where r.app_id = {owner}.app_id and r.user_id = {owner}.user_id"
    );
    if !org {
        return format!(
            "null as access_org, null as access_org_roles, \
             (select {agg} from user_roles r \
              where r.app_id = {owner}.app_id and r.user_id = {owner}.user_id) as access_roles, \
             (select {distinct_agg} from role_permissions ap \
              where ap.app_id = {owner}.app_id and ap.role_key in ({app_roles})) \
              as access_permissions"
        );
    }
    // The member's roles exist only while the membership does (they go with it).
    let member = format!(
        "r.app_id = {owner}.app_id and r.org_id = {owner}.org_id and r.user_id = {owner}.user_id"
    );
    format!(
        "(select r.org_id from memberships r where {member}) as access_org, \
         (select {agg} from member_roles r where {member}) as access_org_roles, \
         (select {agg} from user_roles r \
          where r.app_id = {owner}.app_id and r.user_id = {owner}.user_id) as access_roles, \
         (select {distinct_agg} from role_permissions ap \
          where ap.app_id = {owner}.app_id and ap.role_key in \
          ({app_roles} union all select r.role_key from member_roles r where {member})) \
          as access_permissions"
    )
}

/// What [`access_columns`] read.
pub fn access_from_row(row: &Row<'_>) -> Result<Access> {
    let list = |name: &str| -> Result<Vec<String>> {
        let mut items: Vec<String> = row
            .get::<Option<String>>(name)?
            .map(|text| super::from_json(&text))
            .unwrap_or_default();
        items.sort_unstable();
        items.dedup();
        Ok(items)
    };
    let mut roles = list("access_roles")?;
    roles.extend(list("access_org_roles")?);
    roles.sort_unstable();
    roles.dedup();
    Ok(Access {
        org_id: row.get("access_org")?,
        roles,
        permissions: list("access_permissions")?,
    })
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
                access_columns(postgres, "s", true)
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
