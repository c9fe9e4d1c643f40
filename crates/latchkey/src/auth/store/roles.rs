//! Permissions, roles, their permission lists, and users' app-wide roles.

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
    refresh_access(conn, app_id, Holders::Of(role_key)).await
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
    refresh_access(conn, app_id, Holders::All).await
}

/// Deletes the role (and, by cascade, its permission list and every user's holding of it);
/// true if it existed.
pub async fn delete_role(conn: &mut Conn<'_>, app_id: &AppId, key: &str) -> Result<bool> {
    refresh_access(conn, app_id, Holders::Losing(key)).await?;
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
    refresh_access(conn, app_id, Holders::User(user_id)).await
}

/// Whose `access_roles` to write again (see [`refresh_access`]).
pub enum Holders<'a> {
    /// A user's app-wide roles were set.
    User(&'a UserId),
    /// A member's organization roles were set.
    Member(&'a str, &'a UserId),
    /// The role's permissions changed: everyone who holds it.
    Of(&'a str),
    /// The role is about to be deleted: everyone who holds it, without it.
    Losing(&'a str),
    /// A permission left every role: everyone who holds a role.
    All,
}

/// Writes again the `access_roles` of users and memberships, which a session read takes a
/// user's roles and permissions from (see [`ACCESS_COLUMNS`]): `role=permission permission…`
/// joined by `;` (keys hold none of these separators), `null` for none, made from the roles
/// held and each role's `permission_keys`. Every change to what a holder's roles grant calls
/// it in the change's own unit of work, so a session read sees the change at once.
pub async fn refresh_access(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    holders: Holders<'_>,
) -> Result<()> {
    let agg = if conn.is_postgres() {
        "string_agg"
    } else {
        "group_concat"
    };
    let list = |table: &str, holder: &str| {
        format!(
            "(select {agg}(ar.role_key || '=' || ro.permission_keys, ';') from {table} ar \
             join roles ro on ro.app_id = ar.app_id and ro.role_key = ar.role_key \
             where {holder} and ($2 is null or ar.role_key <> $2))"
        )
    };
    let users = list(
        "user_roles",
        "ar.app_id = users.app_id and ar.user_id = users.id",
    );
    let members = list(
        "member_roles",
        "ar.app_id = memberships.app_id and ar.org_id = memberships.org_id \
         and ar.user_id = memberships.user_id",
    );
    // $1 the app, $2 a role left out (deleted), $3 and $4 whose.
    let (left_out, which_users, which_members, a, b) = match holders {
        Holders::User(user) => (None, "id = $3", None, user.as_str(), ""),
        Holders::Member(org, user) => (
            None,
            "",
            Some("org_id = $3 and user_id = $4"),
            org,
            user.as_str(),
        ),
        Holders::Of(role) | Holders::Losing(role) => (
            matches!(holders, Holders::Losing(_)).then_some(role),
            "id in (select user_id from user_roles where app_id = $1 and role_key = $3)",
            Some(
                "(org_id, user_id) in (select org_id, user_id from member_roles \
                 where app_id = $1 and role_key = $3)",
            ),
            role,
            "",
        ),
        Holders::All => (
            None,
            "access_roles is not null",
            Some("access_roles is not null"),
            "",
            "",
        ),
    };
    let params = params![app_id.as_str(), left_out, a, b];
    if !which_users.is_empty() {
        let sql =
            format!("update users set access_roles = {users} where app_id = $1 and {which_users}");
        conn.execute(&sql, params).await?;
    }
    if let Some(which) = which_members {
        let sql = format!(
            "update memberships set access_roles = {members} where app_id = $1 and {which}"
        );
        conn.execute(&sql, params).await?;
    }
    Ok(())
}

macro_rules! access_columns {
    () => {
        "am.org_id as access_org, am.access_roles as access_org_roles, \
         u.access_roles as access_roles"
    };
}

/// The columns that resolve what a user may do, in the read that loads their session (with
/// its user as `u` and [`ACCESS_JOIN`]): the active organization if the user is still a member
/// of it, the member's roles there and the user's app-wide roles, as [`refresh_access`] keeps
/// them. No lookup of their own: a subquery costs PostgreSQL even when it finds nothing.
pub const ACCESS_COLUMNS: &str = access_columns!();

/// The join [`ACCESS_COLUMNS`] reads the membership from, for a session `s`.
pub const ACCESS_JOIN: &str = "left join memberships am on am.app_id = s.app_id \
     and am.org_id = s.org_id and am.user_id = s.user_id";

/// [`ACCESS_COLUMNS`] for a read with no organization (a passkey's owner as `u`).
pub const APP_ACCESS_COLUMNS: &str =
    "null as access_org, null as access_org_roles, u.access_roles as access_roles";

/// What [`ACCESS_COLUMNS`] read.
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
    access.org_id = row.get("access_org")?;
    if let Some(roles) = row.get::<Option<String>>("access_org_roles")? {
        add(&roles);
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
    const SQL: &str = concat!(
        "select ",
        access_columns!(),
        " from users u left join memberships am \
         on am.app_id = u.app_id and am.org_id = $3 and am.user_id = u.id \
         where u.app_id = $1 and u.id = $2"
    );
    let found = conn
        .optional(
            SQL,
            params![app_id.as_str(), user_id.as_str(), org_id],
            access_from_row,
        )
        .await?;
    Ok(found.unwrap_or_default())
}
