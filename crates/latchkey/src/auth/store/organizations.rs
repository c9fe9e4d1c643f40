//! Organizations, their memberships and the members' organization roles.

use super::db::{Conn, Row, params};
use super::{Result, from_json, to_json};
use crate::auth::organizations::{Member, Membership, Organization};
use crate::auth::{AppId, UserId};

fn org_from_row(row: &Row<'_>) -> Result<Organization> {
    Ok(Organization {
        id: row.get("org_id")?,
        name: row.get("name")?,
        domains: from_json(&row.get::<String>("domains")?),
        metadata: from_json(&row.get::<String>("metadata")?),
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
    })
}

/// The app's organizations ordered by id, after `cursor`, at most `limit`; with `query`, those
/// whose id or name contains it (case-insensitive).
pub async fn list(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    query: Option<&str>,
    cursor: Option<&str>,
    limit: i64,
) -> Result<Vec<Organization>> {
    // The query as a LIKE pattern, its wildcards escaped.
    let pattern = query.map(|q| {
        let escaped = q
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        format!("%{escaped}%")
    });
    conn.all(
        "select org_id, name, domains, metadata, created_at, updated_at from organizations \
         where app_id = $1 and org_id > $2 \
         and ($3 is null or org_id like $3 escape '\\' or name_lower like $3 escape '\\') \
         order by org_id limit $4",
        params![
            app_id.as_str(),
            cursor.unwrap_or(""),
            pattern.as_deref(),
            limit
        ],
        org_from_row,
    )
    .await
}

pub async fn find(conn: &mut Conn<'_>, app_id: &AppId, id: &str) -> Result<Option<Organization>> {
    conn.optional(
        "select org_id, name, domains, metadata, created_at, updated_at from organizations \
         where app_id = $1 and org_id = $2",
        params![app_id.as_str(), id],
        org_from_row,
    )
    .await
}

pub async fn insert(conn: &mut Conn<'_>, app_id: &AppId, o: &Organization) -> Result<()> {
    conn.execute(
        "insert into organizations (app_id, org_id, name, name_lower, domains, metadata, \
         created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8)",
        params![
            app_id.as_str(),
            &o.id,
            &o.name,
            &o.name.to_lowercase(),
            &to_json(&o.domains),
            &to_json(&o.metadata),
            o.created_at,
            o.updated_at
        ],
    )
    .await?;
    Ok(())
}

pub async fn update(conn: &mut Conn<'_>, app_id: &AppId, o: &Organization) -> Result<()> {
    conn.execute(
        "update organizations set name = $3, name_lower = $4, domains = $5, metadata = $6, \
         updated_at = $7 where app_id = $1 and org_id = $2",
        params![
            app_id.as_str(),
            &o.id,
            &o.name,
            &o.name.to_lowercase(),
            &to_json(&o.domains),
            &to_json(&o.metadata),
            o.updated_at
        ],
    )
    .await?;
    Ok(())
}

/// Deletes the organization with its memberships, its invitations and its sessions'
/// organization context; true if it existed.
pub async fn delete(conn: &mut Conn<'_>, app_id: &AppId, id: &str) -> Result<bool> {
    leave(conn, app_id, id, None).await?;
    let n = conn
        .execute(
            "delete from organizations where app_id = $1 and org_id = $2",
            params![app_id.as_str(), id],
        )
        .await?;
    Ok(n == 1)
}

/// The organization's members (ordered by user id, after `cursor`, at most `limit`) with
/// their roles.
pub async fn members(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    org_id: &str,
    cursor: Option<&str>,
    limit: i64,
) -> Result<Vec<Member>> {
    let mut members = conn
        .all(
            "select user_id, created_at from memberships \
             where app_id = $1 and org_id = $2 and user_id > $3 order by user_id limit $4",
            params![app_id.as_str(), org_id, cursor.unwrap_or(""), limit],
            |row| {
                Ok(Member {
                    user_id: UserId::from(row.get::<String>("user_id")?),
                    roles: Vec::new(),
                    created_at: row.get("created_at")?,
                })
            },
        )
        .await?;
    for member in &mut members {
        member.roles = member_roles(conn, app_id, org_id, &member.user_id).await?;
    }
    Ok(members)
}

pub async fn find_member(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    org_id: &str,
    user_id: &UserId,
) -> Result<Option<Member>> {
    let found = conn
        .optional(
            "select created_at from memberships where app_id = $1 and org_id = $2 \
             and user_id = $3",
            params![app_id.as_str(), org_id, user_id.as_str()],
            |row| row.get::<i64>("created_at"),
        )
        .await?;
    match found {
        Some(created_at) => Ok(Some(Member {
            user_id: user_id.clone(),
            roles: member_roles(conn, app_id, org_id, user_id).await?,
            created_at,
        })),
        None => Ok(None),
    }
}

async fn member_roles(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    org_id: &str,
    user_id: &UserId,
) -> Result<Vec<String>> {
    conn.all(
        "select role_key from member_roles where app_id = $1 and org_id = $2 and user_id = $3 \
         order by role_key",
        params![app_id.as_str(), org_id, user_id.as_str()],
        |row| row.get::<String>("role_key"),
    )
    .await
}

pub async fn insert_member(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    org_id: &str,
    member: &Member,
) -> Result<()> {
    conn.execute(
        "insert into memberships (app_id, org_id, user_id, created_at) values ($1, $2, $3, $4)",
        params![
            app_id.as_str(),
            org_id,
            member.user_id.as_str(),
            member.created_at
        ],
    )
    .await?;
    set_member_roles(conn, app_id, org_id, &member.user_id, &member.roles).await
}

/// Replaces a member's organization roles.
pub async fn set_member_roles(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    org_id: &str,
    user_id: &UserId,
    roles: &[String],
) -> Result<()> {
    conn.execute(
        "delete from member_roles where app_id = $1 and org_id = $2 and user_id = $3",
        params![app_id.as_str(), org_id, user_id.as_str()],
    )
    .await?;
    for role in roles {
        conn.execute(
            "insert into member_roles (app_id, org_id, user_id, role_key) \
             values ($1, $2, $3, $4)",
            params![app_id.as_str(), org_id, user_id.as_str(), role],
        )
        .await?;
    }
    let member = super::roles::Holders::Member(org_id, user_id);
    super::roles::refresh_access(conn, app_id, member).await
}

/// Ends the organization context of sessions acting for `org_id` (all of them, or `user_id`'s).
async fn leave(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    org_id: &str,
    user_id: Option<&UserId>,
) -> Result<()> {
    conn.execute(
        "update sessions set org_id = null where app_id = $1 and org_id = $2 \
         and ($3 is null or user_id = $3)",
        params![app_id.as_str(), org_id, user_id.map(UserId::as_str)],
    )
    .await?;
    Ok(())
}

/// Removes a member (with their organization roles, and their sessions' context of it); true
/// if they were one.
pub async fn delete_member(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    org_id: &str,
    user_id: &UserId,
) -> Result<bool> {
    leave(conn, app_id, org_id, Some(user_id)).await?;
    let n = conn
        .execute(
            "delete from memberships where app_id = $1 and org_id = $2 and user_id = $3",
            params![app_id.as_str(), org_id, user_id.as_str()],
        )
        .await?;
    Ok(n == 1)
}

/// The user's memberships, by organization id, with each organization's name and the roles.
pub async fn user_memberships(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    user_id: &UserId,
) -> Result<Vec<Membership>> {
    let mut memberships = conn
        .all(
            "select o.org_id, o.name, m.created_at from memberships m join organizations o \
             on o.app_id = m.app_id and o.org_id = m.org_id \
             where m.app_id = $1 and m.user_id = $2 order by o.org_id",
            params![app_id.as_str(), user_id.as_str()],
            |row| {
                Ok(Membership {
                    org_id: row.get("org_id")?,
                    name: row.get("name")?,
                    roles: Vec::new(),
                    created_at: row.get("created_at")?,
                })
            },
        )
        .await?;
    for membership in &mut memberships {
        membership.roles = member_roles(conn, app_id, &membership.org_id, user_id).await?;
    }
    Ok(memberships)
}
