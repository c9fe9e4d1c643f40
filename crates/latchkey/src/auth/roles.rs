//! Roles and permissions: what a signed-in user may do in an app.
//!
//! A permission is a key the app checks (`invoices:read`); a role is a named set of them; a user
//! holds app-wide roles. What a session may do ([`Access`]) is the user's roles and the union of
//! their permissions, resolved in the read that loads the session, so `tokens/verify` pays no
//! extra round trip and sees a change at once. Keys are `[a-z0-9][a-z0-9:._-]{0,127}`.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::error::{Error, Result, conflict, invalid};
use super::events::{self, EventKind};
use super::store;
use super::users::{check_name, existing_user};
use super::{App, Auth, RequestMeta, UserId};
use crate::clock::Timestamp;

/// A permission, as stored and shown.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Permission {
    pub key: String,
    pub description: Option<String>,
    #[serde(with = "crate::clock::rfc3339_serde")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[serde(with = "crate::clock::rfc3339_serde")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
}

/// A role and its permissions, as stored and shown.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Role {
    pub key: String,
    pub name: String,
    pub description: Option<String>,
    /// The keys of its permissions, sorted.
    pub permissions: Vec<String>,
    #[serde(with = "crate::clock::rfc3339_serde")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[serde(with = "crate::clock::rfc3339_serde")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
}

/// What a session's user may do: its organization (none until organizations exist), its roles
/// and the union of their permissions, each sorted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Access {
    /// The session's active organization; `null` when none.
    pub org_id: Option<String>,
    pub roles: Vec<String>,
    pub permissions: Vec<String>,
}

/// `POST /apps/{app}/permissions`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPermission {
    pub key: String,
    pub description: Option<String>,
}

/// `PATCH /apps/{app}/permissions/{key}`: `null` clears the description.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PermissionPatch {
    #[serde(default, deserialize_with = "super::nullable")]
    pub description: Option<Option<String>>,
}

/// `POST /apps/{app}/roles`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRole {
    pub key: String,
    pub name: String,
    pub description: Option<String>,
    /// Permission keys; each must exist.
    #[serde(default)]
    pub permissions: Vec<String>,
}

/// `PATCH /apps/{app}/roles/{key}`: what is sent changes (`permissions` replaces the list).
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RolePatch {
    #[serde(default, deserialize_with = "super::present")]
    #[schema(nullable = false)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "super::nullable")]
    pub description: Option<Option<String>>,
    #[serde(default, deserialize_with = "super::present")]
    #[schema(nullable = false)]
    pub permissions: Option<Vec<String>>,
}

/// Checks a permission or role key: `[a-z0-9][a-z0-9:._-]{0,127}`.
fn check_key(what: &str, key: &str) -> Result<()> {
    let mut bytes = key.bytes();
    let first_ok = bytes
        .next()
        .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    let rest_ok = bytes.all(|b| {
        b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b':' | b'.' | b'_' | b'-')
    });
    if first_ok && rest_ok && key.len() <= 128 {
        return Ok(());
    }
    invalid(format!(
        "{what} {:?} is not a valid key: 1 to 128 of a-z, 0-9, ':', '.', '_', '-', starting \
         with a letter or digit",
        key.chars().take(64).collect::<String>()
    ))
}

/// Checks a list of keys and returns it sorted without repeats.
fn check_keys(what: &str, keys: &[String]) -> Result<Vec<String>> {
    if keys.len() > 500 {
        return invalid(format!("at most 500 {what}s"));
    }
    for key in keys {
        check_key(what, key)?;
    }
    let mut keys = keys.to_vec();
    keys.sort_unstable();
    keys.dedup();
    Ok(keys)
}

/// Checks a description: at most 500 characters, no control characters but line breaks.
fn check_description(value: Option<&str>) -> Result<()> {
    if let Some(text) = value
        && (text.chars().count() > 500 || text.chars().any(|c| c.is_control() && c != '\n'))
    {
        return invalid("description must be at most 500 characters");
    }
    Ok(())
}

fn permission_not_found(key: &str) -> Error {
    Error::NotFound(format!(
        "no permission {:?} in this app",
        key.chars().take(64).collect::<String>()
    ))
}

fn role_not_found(key: &str) -> Error {
    Error::NotFound(format!(
        "no role {:?} in this app",
        key.chars().take(64).collect::<String>()
    ))
}

/// The roles and permissions service.
pub struct Roles<'a> {
    pub(super) auth: &'a Auth,
}

impl Roles<'_> {
    pub async fn list_permissions(
        &self,
        app: &App,
        cursor: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Permission>> {
        let mut reader = self.auth.store.read().await?;
        Ok(store::roles::list_permissions(&mut reader.conn(), &app.id, cursor, limit).await?)
    }

    pub async fn create_permission(
        &self,
        app: &App,
        new: NewPermission,
        meta: &RequestMeta,
    ) -> Result<Permission> {
        check_key("permission", &new.key)?;
        check_description(new.description.as_deref())?;
        let now = self.auth.clock.now();
        let permission = Permission {
            key: new.key,
            description: new.description,
            created_at: now,
            updated_at: now,
        };
        let (app_id, meta, made) = (app.id.clone(), meta.clone(), permission.clone());
        self.auth
            .store
            .write(move |conn| {
                Box::pin(async move {
                    store::roles::insert_permission(conn, &app_id, &made)
                        .await
                        .map_err(conflict("a permission with this key exists"))?;
                    events::record(
                        conn,
                        &app_id,
                        EventKind::PermissionCreated,
                        None,
                        &meta,
                        events::data([("key", json!(made.key))]),
                        now,
                    )
                    .await?;
                    Ok::<_, Error>(())
                })
            })
            .await?;
        Ok(permission)
    }

    pub async fn update_permission(
        &self,
        app: &App,
        key: &str,
        patch: PermissionPatch,
        meta: &RequestMeta,
    ) -> Result<Permission> {
        if let Some(description) = &patch.description {
            check_description(description.as_deref())?;
        }
        let now = self.auth.clock.now();
        let (app_id, key, meta) = (app.id.clone(), key.to_owned(), meta.clone());
        self.auth
            .store
            .write(move |conn| {
                Box::pin(async move {
                    let mut permission = store::roles::find_permission(conn, &app_id, &key)
                        .await?
                        .ok_or_else(|| permission_not_found(&key))?;
                    if let Some(description) = patch.description {
                        permission.description = description;
                    }
                    permission.updated_at = now;
                    store::roles::update_permission(conn, &app_id, &permission).await?;
                    events::record(
                        conn,
                        &app_id,
                        EventKind::PermissionUpdated,
                        None,
                        &meta,
                        events::data([("key", json!(permission.key))]),
                        now,
                    )
                    .await?;
                    Ok::<_, Error>(permission)
                })
            })
            .await
    }

    /// Deletes a permission; it leaves every role that had it.
    pub async fn delete_permission(&self, app: &App, key: &str, meta: &RequestMeta) -> Result<()> {
        let now = self.auth.clock.now();
        let (app_id, key, meta) = (app.id.clone(), key.to_owned(), meta.clone());
        self.auth
            .store
            .write(move |conn| {
                Box::pin(async move {
                    if !store::roles::delete_permission(conn, &app_id, &key).await? {
                        return Err(permission_not_found(&key));
                    }
                    events::record(
                        conn,
                        &app_id,
                        EventKind::PermissionDeleted,
                        None,
                        &meta,
                        events::data([("key", json!(key))]),
                        now,
                    )
                    .await?;
                    Ok::<_, Error>(())
                })
            })
            .await
    }

    pub async fn list_roles(
        &self,
        app: &App,
        cursor: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Role>> {
        let mut reader = self.auth.store.read().await?;
        Ok(store::roles::list_roles(&mut reader.conn(), &app.id, cursor, limit).await?)
    }

    pub async fn get_role(&self, app: &App, key: &str) -> Result<Role> {
        let mut reader = self.auth.store.read().await?;
        store::roles::find_role(&mut reader.conn(), &app.id, key)
            .await?
            .ok_or_else(|| role_not_found(key))
    }

    pub async fn create_role(&self, app: &App, new: NewRole, meta: &RequestMeta) -> Result<Role> {
        check_key("role", &new.key)?;
        check_role_name(&new.name)?;
        check_description(new.description.as_deref())?;
        let permissions = check_keys("permission", &new.permissions)?;
        let now = self.auth.clock.now();
        let role = Role {
            key: new.key,
            name: new.name.trim().to_owned(),
            description: new.description,
            permissions,
            created_at: now,
            updated_at: now,
        };
        let (app_id, meta, made) = (app.id.clone(), meta.clone(), role.clone());
        self.auth
            .store
            .write(move |conn| {
                Box::pin(async move {
                    known_permissions(conn, &app_id, &made.permissions).await?;
                    store::roles::insert_role(conn, &app_id, &made)
                        .await
                        .map_err(conflict("a role with this key exists"))?;
                    events::record(
                        conn,
                        &app_id,
                        EventKind::RoleCreated,
                        None,
                        &meta,
                        events::data([
                            ("key", json!(made.key)),
                            ("permissions", json!(made.permissions)),
                        ]),
                        now,
                    )
                    .await?;
                    Ok::<_, Error>(())
                })
            })
            .await?;
        Ok(role)
    }

    pub async fn update_role(
        &self,
        app: &App,
        key: &str,
        patch: RolePatch,
        meta: &RequestMeta,
    ) -> Result<Role> {
        if let Some(name) = &patch.name {
            check_role_name(name)?;
        }
        if let Some(description) = &patch.description {
            check_description(description.as_deref())?;
        }
        let permissions = patch
            .permissions
            .as_deref()
            .map(|p| check_keys("permission", p))
            .transpose()?;
        let now = self.auth.clock.now();
        let (app_id, key, meta) = (app.id.clone(), key.to_owned(), meta.clone());
        self.auth
            .store
            .write(move |conn| {
                Box::pin(async move {
                    let mut role = store::roles::find_role(conn, &app_id, &key)
                        .await?
                        .ok_or_else(|| role_not_found(&key))?;
                    if let Some(name) = patch.name {
                        role.name = name.trim().to_owned();
                    }
                    if let Some(description) = patch.description {
                        role.description = description;
                    }
                    if let Some(permissions) = permissions {
                        known_permissions(conn, &app_id, &permissions).await?;
                        role.permissions = permissions;
                    }
                    role.updated_at = now;
                    store::roles::update_role(conn, &app_id, &role).await?;
                    events::record(
                        conn,
                        &app_id,
                        EventKind::RoleUpdated,
                        None,
                        &meta,
                        events::data([
                            ("key", json!(role.key)),
                            ("permissions", json!(role.permissions)),
                        ]),
                        now,
                    )
                    .await?;
                    Ok::<_, Error>(role)
                })
            })
            .await
    }

    /// Deletes a role; every user holding it loses it.
    pub async fn delete_role(&self, app: &App, key: &str, meta: &RequestMeta) -> Result<()> {
        let now = self.auth.clock.now();
        let (app_id, key, meta) = (app.id.clone(), key.to_owned(), meta.clone());
        self.auth
            .store
            .write(move |conn| {
                Box::pin(async move {
                    if !store::roles::delete_role(conn, &app_id, &key).await? {
                        return Err(role_not_found(&key));
                    }
                    events::record(
                        conn,
                        &app_id,
                        EventKind::RoleDeleted,
                        None,
                        &meta,
                        events::data([("key", json!(key))]),
                        now,
                    )
                    .await?;
                    Ok::<_, Error>(())
                })
            })
            .await
    }

    /// The user's app-wide roles.
    pub async fn user_roles(&self, app: &App, user_id: &UserId) -> Result<Vec<String>> {
        let mut reader = self.auth.store.read().await?;
        let mut conn = reader.conn();
        existing_user(&mut conn, &app.id, user_id).await?;
        Ok(store::roles::user_roles(&mut conn, &app.id, user_id).await?)
    }

    /// Replaces the user's app-wide roles (each must exist); `tokens/verify` and
    /// `sessions/current/permissions` show the change at once.
    pub async fn set_user_roles(
        &self,
        app: &App,
        user_id: &UserId,
        roles: &[String],
        meta: &RequestMeta,
    ) -> Result<Vec<String>> {
        let roles = check_keys("role", roles)?;
        let now = self.auth.clock.now();
        let (app_id, user_id, meta) = (app.id.clone(), user_id.clone(), meta.clone());
        self.auth
            .store
            .write(move |conn| {
                Box::pin(async move {
                    existing_user(conn, &app_id, &user_id).await?;
                    known_roles(conn, &app_id, &roles).await?;
                    let before = store::roles::user_roles(conn, &app_id, &user_id).await?;
                    store::roles::set_user_roles(conn, &app_id, &user_id, &roles, now).await?;
                    events::record(
                        conn,
                        &app_id,
                        EventKind::UserRolesChanged,
                        Some(&user_id),
                        &meta,
                        events::data([("before", json!(before)), ("roles", json!(roles))]),
                        now,
                    )
                    .await?;
                    Ok::<_, Error>(roles)
                })
            })
            .await
    }

    /// What the user may do (roles and their permissions) acting for `org_id` (if they are a
    /// member of it) or app-wide, in one read.
    pub async fn access(
        &self,
        app: &App,
        user_id: &UserId,
        org_id: Option<&str>,
    ) -> Result<Access> {
        let mut reader = self.auth.store.read().await?;
        Ok(store::roles::user_access(&mut reader.conn(), &app.id, user_id, org_id).await?)
    }
}

/// Refuses unless every role in `keys` (checked, sorted, once each: see [`check_keys`]) exists
/// in the app.
pub(crate) async fn known_roles(
    conn: &mut store::Conn<'_>,
    app_id: &super::AppId,
    keys: &[String],
) -> Result<Vec<String>> {
    let roles = check_keys("role", keys)?;
    let found = store::roles::count_roles(conn, app_id, &roles).await?;
    if usize::try_from(found).unwrap_or(0) != roles.len() {
        return invalid("every role must exist in this app: create it first");
    }
    Ok(roles)
}

/// Refuses unless every permission in `keys` exists in the app.
async fn known_permissions(
    conn: &mut store::Conn<'_>,
    app_id: &super::AppId,
    keys: &[String],
) -> Result<()> {
    let found = store::roles::count_permissions(conn, app_id, keys).await?;
    if usize::try_from(found).unwrap_or(0) != keys.len() {
        return invalid("every permission must exist in this app: create it first");
    }
    Ok(())
}

/// A role's name: 1 to 100 characters, no control characters.
fn check_role_name(name: &str) -> Result<()> {
    if name.trim().is_empty() {
        return invalid("name must be 1 to 100 characters with no control characters");
    }
    check_name("name", Some(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_follow_the_pattern() {
        for good in [
            "invoices:read",
            "a",
            "0",
            "billing-admin",
            "x.y_z",
            &"a".repeat(128),
        ] {
            assert!(check_key("role", good).is_ok(), "{good}");
        }
        for bad in ["", "Invoices", ":read", "-x", "a b", "é", &"a".repeat(129)] {
            assert!(check_key("role", bad).is_err(), "{bad}");
        }
    }
}
