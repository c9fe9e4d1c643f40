//! Organizations: an app's customers, each with members who hold organization roles.
//!
//! An organization has a slug id (`[a-z0-9][a-z0-9-]{0,62}`), a name, the email domains it
//! owns and the app's metadata. A member is one of the app's users, with roles of the app's
//! role set. Nothing of one app's organizations is reachable through another's paths.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::error::{Error, Result, conflict, invalid};
use super::events::{self, EventKind};
use super::roles::known_roles;
use super::store;
use super::users::{check_name, existing_user};
use super::{App, Auth, RequestMeta, UserId};
use crate::clock::Timestamp;

/// An organization, as stored and shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Organization {
    pub id: String,
    pub name: String,
    /// Email domains the organization owns (lower case).
    pub domains: Vec<String>,
    pub metadata: Map<String, Value>,
    #[serde(with = "crate::clock::rfc3339_serde")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[serde(with = "crate::clock::rfc3339_serde")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
}

/// A member of an organization and their organization roles.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Member {
    pub user_id: UserId,
    pub roles: Vec<String>,
    #[serde(with = "crate::clock::rfc3339_serde")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
}

/// One of a user's memberships.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Membership {
    pub org_id: String,
    /// The organization's name.
    pub name: String,
    pub roles: Vec<String>,
    #[serde(with = "crate::clock::rfc3339_serde")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
}

/// `POST /apps/{app}/organizations`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOrganization {
    /// A slug; made from random characters when left out.
    pub id: Option<String>,
    pub name: String,
    #[serde(default)]
    pub domains: Vec<String>,
    #[serde(default)]
    pub metadata: Map<String, Value>,
}

/// `PATCH /apps/{app}/organizations/{org}`: what is sent changes.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganizationPatch {
    #[serde(default, deserialize_with = "super::present")]
    #[schema(nullable = false)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "super::present")]
    #[schema(nullable = false)]
    pub domains: Option<Vec<String>>,
    #[serde(default, deserialize_with = "super::present")]
    #[schema(nullable = false)]
    pub metadata: Option<Map<String, Value>>,
}

/// `POST /apps/{app}/organizations/{org}/members`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMember {
    pub user_id: UserId,
    #[serde(default)]
    pub roles: Vec<String>,
}

/// Checks an organization id: `[a-z0-9][a-z0-9-]{0,62}`.
fn check_id(id: &str) -> Result<()> {
    let mut bytes = id.bytes();
    let first = bytes
        .next()
        .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    let rest = bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if first && rest && id.len() <= 63 {
        return Ok(());
    }
    invalid("id must be 1 to 63 of a-z, 0-9 and '-', starting with a letter or digit")
}

fn check_org_name(name: &str) -> Result<()> {
    if name.trim().is_empty() {
        return invalid("name must be 1 to 100 characters with no control characters");
    }
    check_name("name", Some(name))
}

/// Checks and lower-cases email domains: at most 50, each a host name.
fn check_domains(domains: &[String]) -> Result<Vec<String>> {
    if domains.len() > 50 {
        return invalid("at most 50 domains");
    }
    let mut out: Vec<String> = Vec::with_capacity(domains.len());
    for domain in domains {
        let d = domain.trim().to_lowercase();
        let ok = !d.is_empty()
            && d.len() <= 253
            && d.contains('.')
            && d.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            });
        if !ok {
            return invalid(format!(
                "domains: {:?} is not an email domain (like example.com)",
                domain.chars().take(64).collect::<String>()
            ));
        }
        if !out.contains(&d) {
            out.push(d);
        }
    }
    Ok(out)
}

fn check_metadata(metadata: &Map<String, Value>) -> Result<()> {
    if serde_json::to_string(metadata).map_or(0, |s| s.len()) > 16 * 1024 {
        return invalid("metadata must serialize to at most 16 KiB of JSON");
    }
    Ok(())
}

fn org_not_found() -> Error {
    Error::NotFound("no such organization in this app".to_owned())
}

fn member_not_found() -> Error {
    Error::NotFound("that user is not a member of this organization".to_owned())
}

/// The organizations service.
pub struct Organizations<'a> {
    pub(super) auth: &'a Auth,
}

impl Organizations<'_> {
    pub async fn list(
        &self,
        app: &App,
        query: Option<&str>,
        cursor: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Organization>> {
        if query.is_some_and(|q| q.chars().count() > 200) {
            return invalid("query must be at most 200 characters");
        }
        let mut reader = self.auth.store.read().await?;
        Ok(store::organizations::list(&mut reader.conn(), &app.id, query, cursor, limit).await?)
    }

    pub async fn get(&self, app: &App, id: &str) -> Result<Organization> {
        let mut reader = self.auth.store.read().await?;
        store::organizations::find(&mut reader.conn(), &app.id, id)
            .await?
            .ok_or_else(org_not_found)
    }

    pub async fn create(
        &self,
        app: &App,
        new: NewOrganization,
        meta: &RequestMeta,
    ) -> Result<Organization> {
        let id = match new.id {
            Some(id) => {
                check_id(&id)?;
                id
            }
            None => format!(
                "org-{}",
                crate::crypto::b64url(&crate::crypto::random_bytes::<6>())
                    .to_lowercase()
                    .replace('_', "0")
            ),
        };
        check_org_name(&new.name)?;
        let domains = check_domains(&new.domains)?;
        check_metadata(&new.metadata)?;
        let now = self.auth.clock.now();
        let org = Organization {
            id,
            name: new.name.trim().to_owned(),
            domains,
            metadata: new.metadata,
            created_at: now,
            updated_at: now,
        };
        let (app_id, meta, made) = (app.id.clone(), meta.clone(), org.clone());
        self.auth
            .store
            .write(move |conn| {
                Box::pin(async move {
                    store::organizations::insert(conn, &app_id, &made)
                        .await
                        .map_err(conflict("an organization with this id exists"))?;
                    events::record(
                        conn,
                        &app_id,
                        EventKind::OrganizationCreated,
                        None,
                        &meta,
                        events::data([("org_id", json!(made.id))]),
                        now,
                    )
                    .await?;
                    Ok::<_, Error>(())
                })
            })
            .await?;
        Ok(org)
    }

    pub async fn update(
        &self,
        app: &App,
        id: &str,
        patch: OrganizationPatch,
        meta: &RequestMeta,
    ) -> Result<Organization> {
        if let Some(name) = &patch.name {
            check_org_name(name)?;
        }
        let domains = patch.domains.as_deref().map(check_domains).transpose()?;
        if let Some(metadata) = &patch.metadata {
            check_metadata(metadata)?;
        }
        let now = self.auth.clock.now();
        let (app_id, id, meta) = (app.id.clone(), id.to_owned(), meta.clone());
        self.auth
            .store
            .write(move |conn| {
                Box::pin(async move {
                    let mut org = store::organizations::find(conn, &app_id, &id)
                        .await?
                        .ok_or_else(org_not_found)?;
                    if let Some(name) = patch.name {
                        org.name = name.trim().to_owned();
                    }
                    if let Some(domains) = domains {
                        org.domains = domains;
                    }
                    if let Some(metadata) = patch.metadata {
                        org.metadata = metadata;
                    }
                    org.updated_at = now;
                    store::organizations::update(conn, &app_id, &org).await?;
                    events::record(
                        conn,
                        &app_id,
                        EventKind::OrganizationUpdated,
                        None,
                        &meta,
                        events::data([("org_id", json!(org.id))]),
                        now,
                    )
                    .await?;
                    Ok::<_, Error>(org)
                })
            })
            .await
    }

    /// Deletes an organization with its memberships.
    pub async fn delete(&self, app: &App, id: &str, meta: &RequestMeta) -> Result<()> {
        let now = self.auth.clock.now();
        let (app_id, id, meta) = (app.id.clone(), id.to_owned(), meta.clone());
        self.auth
            .store
            .write(move |conn| {
                Box::pin(async move {
                    if !store::organizations::delete(conn, &app_id, &id).await? {
                        return Err(org_not_found());
                    }
                    events::record(
                        conn,
                        &app_id,
                        EventKind::OrganizationDeleted,
                        None,
                        &meta,
                        events::data([("org_id", json!(id))]),
                        now,
                    )
                    .await?;
                    Ok::<_, Error>(())
                })
            })
            .await
    }

    /// The organization's members with their roles.
    pub async fn members(
        &self,
        app: &App,
        org_id: &str,
        cursor: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Member>> {
        let mut reader = self.auth.store.read().await?;
        let mut conn = reader.conn();
        if store::organizations::find(&mut conn, &app.id, org_id)
            .await?
            .is_none()
        {
            return Err(org_not_found());
        }
        Ok(store::organizations::members(&mut conn, &app.id, org_id, cursor, limit).await?)
    }

    /// Adds one of the app's users to the organization with organization roles.
    pub async fn add_member(
        &self,
        app: &App,
        org_id: &str,
        new: NewMember,
        meta: &RequestMeta,
    ) -> Result<Member> {
        let now = self.auth.clock.now();
        let (app_id, org_id, meta) = (app.id.clone(), org_id.to_owned(), meta.clone());
        self.auth
            .store
            .write(move |conn| {
                Box::pin(async move {
                    if store::organizations::find(conn, &app_id, &org_id)
                        .await?
                        .is_none()
                    {
                        return Err(org_not_found());
                    }
                    if store::users::find_user(conn, &app_id, &new.user_id)
                        .await?
                        .is_none()
                    {
                        return invalid("user_id must be one of this app's users");
                    }
                    let member = Member {
                        user_id: new.user_id,
                        roles: known_roles(conn, &app_id, &new.roles).await?,
                        created_at: now,
                    };
                    store::organizations::insert_member(conn, &app_id, &org_id, &member)
                        .await
                        .map_err(conflict("that user is already a member"))?;
                    events::record(
                        conn,
                        &app_id,
                        EventKind::OrganizationMemberAdded,
                        Some(&member.user_id),
                        &meta,
                        events::data([("org_id", json!(org_id)), ("roles", json!(member.roles))]),
                        now,
                    )
                    .await?;
                    Ok::<_, Error>(member)
                })
            })
            .await
    }

    /// Replaces a member's organization roles.
    pub async fn set_member_roles(
        &self,
        app: &App,
        org_id: &str,
        user_id: &UserId,
        roles: &[String],
        meta: &RequestMeta,
    ) -> Result<Member> {
        let now = self.auth.clock.now();
        let (app_id, org_id, user_id, roles, meta) = (
            app.id.clone(),
            org_id.to_owned(),
            user_id.clone(),
            roles.to_vec(),
            meta.clone(),
        );
        self.auth
            .store
            .write(move |conn| {
                Box::pin(async move {
                    let mut member =
                        store::organizations::find_member(conn, &app_id, &org_id, &user_id)
                            .await?
                            .ok_or_else(member_not_found)?;
                    member.roles = known_roles(conn, &app_id, &roles).await?;
                    store::organizations::set_member_roles(
                        conn,
                        &app_id,
                        &org_id,
                        &user_id,
                        &member.roles,
                    )
                    .await?;
                    events::record(
                        conn,
                        &app_id,
                        EventKind::OrganizationMemberUpdated,
                        Some(&user_id),
                        &meta,
                        events::data([("org_id", json!(org_id)), ("roles", json!(member.roles))]),
                        now,
                    )
                    .await?;
                    Ok::<_, Error>(member)
                })
            })
            .await
    }

    pub async fn remove_member(
        &self,
        app: &App,
        org_id: &str,
        user_id: &UserId,
        meta: &RequestMeta,
    ) -> Result<()> {
        let now = self.auth.clock.now();
        let (app_id, org_id, user_id, meta) = (
            app.id.clone(),
            org_id.to_owned(),
            user_id.clone(),
            meta.clone(),
        );
        self.auth
            .store
            .write(move |conn| {
                Box::pin(async move {
                    if !store::organizations::delete_member(conn, &app_id, &org_id, &user_id)
                        .await?
                    {
                        return Err(member_not_found());
                    }
                    events::record(
                        conn,
                        &app_id,
                        EventKind::OrganizationMemberRemoved,
                        Some(&user_id),
                        &meta,
                        events::data([("org_id", json!(org_id))]),
                        now,
                    )
                    .await?;
                    Ok::<_, Error>(())
                })
            })
            .await
    }

    /// The user's memberships with their roles; 404 for an unknown user.
    pub async fn of_user(&self, app: &App, user_id: &UserId) -> Result<Vec<Membership>> {
        let mut reader = self.auth.store.read().await?;
        let mut conn = reader.conn();
        existing_user(&mut conn, &app.id, user_id).await?;
        Ok(store::organizations::user_memberships(&mut conn, &app.id, user_id).await?)
    }
}
