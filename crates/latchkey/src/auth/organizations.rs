//! Organizations: an app's customers, each with members who hold organization roles.
//!
//! An organization has a slug id (`[a-z0-9][a-z0-9-]{0,62}`), a name, the email domains it
//! owns and the app's metadata. A member is one of the app's users, with roles of the app's
//! role set. Nothing of one app's organizations is reachable through another's paths.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::apps::Site;
use super::error::{Error, Result, conflict, invalid};
use super::events::{self, EventKind};
use super::jobs::{self, EmailJob, Job};
use super::roles::known_roles;
use super::sessions::Principal;
use super::sign_in::{NextTokens, SignIn};
use super::store;
use super::users::{check_name, existing_user};
use super::{App, Auth, EmailAddress, RequestMeta, UserId};
use crate::clock::Timestamp;
use crate::crypto::{Secret, SecretKind};

/// How long an invitation's link works: a week.
pub const INVITATION_TTL: i64 = 7 * 86_400;

/// How long an expired invitation is still listed before the sweeper deletes it.
pub const INVITATION_RETENTION: i64 = 30 * 86_400;

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

string_enum! {
    /// Where an invitation stands.
    pub enum InvitationStatus {
        /// Its link works.
        Pending = "pending",
        Accepted = "accepted",
        /// Its week is over, unaccepted.
        Expired = "expired",
    }
}

/// An invitation to join an organization, as stored and shown (its link is only in the email).
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Invitation {
    pub id: String,
    pub org_id: String,
    /// The invited address: whoever accepts must be signed in with it.
    pub email: String,
    /// The organization roles the member gets.
    pub roles: Vec<String>,
    #[serde(with = "crate::clock::rfc3339_serde")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[serde(with = "crate::clock::rfc3339_serde")]
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: Timestamp,
    #[serde(with = "crate::clock::rfc3339_serde_option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub accepted_at: Option<Timestamp>,
    pub accepted_by: Option<UserId>,
}

impl Invitation {
    pub fn status(&self, now: Timestamp) -> InvitationStatus {
        if self.accepted_at.is_some() {
            InvitationStatus::Accepted
        } else if self.expires_at <= now {
            InvitationStatus::Expired
        } else {
            InvitationStatus::Pending
        }
    }
}

/// An invitation with where it stands, as the server API shows it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct InvitationView {
    #[serde(flatten)]
    pub invitation: Invitation,
    pub status: InvitationStatus,
}

/// What the page of an invitation's link shows before it is accepted.
#[derive(Clone, Debug)]
pub struct InvitationPreview {
    pub org_name: String,
    pub email: String,
    pub status: InvitationStatus,
}

/// `POST /apps/{app}/organizations/{org}/invitations`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewInvitation {
    pub email: String,
    /// Organization roles from the app's role set.
    #[serde(default)]
    pub roles: Vec<String>,
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

/// Deletes invitations expired longer than [`INVITATION_RETENTION`]; the sweeper calls it.
pub(super) async fn sweep(conn: &mut store::Conn<'_>, now: Timestamp) -> store::Result<()> {
    store::invitations::delete_expired(conn, now - INVITATION_RETENTION).await?;
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

    /// Switches the signed-in session's active organization to `org_id` (the user must be a
    /// member of it; `None` leaves it): the session goes on with new tokens that carry it (the
    /// old refresh tokens are spent).
    pub async fn switch(
        &self,
        app: &App,
        p: Principal,
        org_id: Option<String>,
        meta: &RequestMeta,
    ) -> Result<SignIn> {
        if p.session.grant.is_some() {
            return Err(Error::Forbidden(
                "an OAuth client's session cannot change organization".to_owned(),
            ));
        }
        let meta = meta.clone();
        let outcome = self
            .auth
            .sign_ins()
            .run(app, move |conn, tx| {
                Box::pin(async move {
                    let Principal { user, mut session } = p;
                    let app_id = tx.app().id.clone();
                    if let Some(org_id) = &org_id {
                        // One answer for "no such organization" and "not a member": nothing
                        // of an organization shows to someone outside it.
                        if store::organizations::find_member(conn, &app_id, org_id, &user.id)
                            .await?
                            .is_none()
                        {
                            return Err(Error::Forbidden(
                                "you are not a member of this organization".to_owned(),
                            ));
                        }
                    }
                    if !store::sessions::set_organization(conn, &session.id, org_id.as_deref())
                        .await?
                    {
                        return Err(Error::Unauthorized(
                            "this session has ended, or its membership just did".to_owned(),
                        ));
                    }
                    session.org_id = org_id;
                    events::record(
                        conn,
                        &app_id,
                        EventKind::SessionOrganizationChanged,
                        Some(&user.id),
                        &meta,
                        events::data([
                            ("session_id", json!(session.id)),
                            ("org_id", json!(session.org_id)),
                        ]),
                        tx.now,
                    )
                    .await?;
                    store::sessions::rotate_session_refresh_tokens(conn, &session.id, tx.now)
                        .await?;
                    tx.continue_session(conn, session, Some(user), NextTokens::fresh())
                        .await
                })
            })
            .await?;
        outcome.continued("an organization switch")
    }

    /// The organization's invitations, newest first, with where each stands.
    pub async fn invitations(
        &self,
        app: &App,
        org_id: &str,
        cursor: Option<&str>,
        limit: i64,
    ) -> Result<Vec<InvitationView>> {
        let mut reader = self.auth.store.read().await?;
        let mut conn = reader.conn();
        if store::organizations::find(&mut conn, &app.id, org_id)
            .await?
            .is_none()
        {
            return Err(org_not_found());
        }
        let now = self.auth.clock.now();
        let rows = store::invitations::list(&mut conn, &app.id, org_id, cursor, limit).await?;
        Ok(rows
            .into_iter()
            .map(|invitation| InvitationView {
                status: invitation.status(now),
                invitation,
            })
            .collect())
    }

    /// Invites `email` to the organization with organization roles: an email (through the job
    /// outbox, the app's `invitation` template) with a single-use link that works for a week.
    /// A new invitation of the same address replaces one not yet accepted.
    pub async fn invite(
        &self,
        app: &App,
        org_id: &str,
        new: NewInvitation,
        meta: &RequestMeta,
    ) -> Result<InvitationView> {
        let email = EmailAddress::parse(&new.email)?;
        let now = self.auth.clock.now();
        let token = Secret::new(SecretKind::Invitation);
        let link = format!(
            "{}/invitation?token={}",
            self.auth.apps().base_url(app, Site::Own),
            token.expose()
        );
        let master_key = std::sync::Arc::clone(&self.auth.master_key);
        let (app, org_id, meta) = (app.clone(), org_id.to_owned(), meta.clone());
        let invitation = self
            .auth
            .store
            .write(move |conn| {
                Box::pin(async move {
                    let app_id = app.id.clone();
                    let org = store::organizations::find(conn, &app_id, &org_id)
                        .await?
                        .ok_or_else(org_not_found)?;
                    let roles = known_roles(conn, &app_id, &new.roles).await?;
                    if let Some(user) =
                        store::users::find_user_by_email(conn, &app_id, &email).await?
                        && store::organizations::find_member(conn, &app_id, &org_id, &user.id)
                            .await?
                            .is_some()
                    {
                        return Err(Error::Conflict(
                            "the user with this address is already a member".to_owned(),
                        ));
                    }
                    store::invitations::delete_open(conn, &app_id, &org_id, email.as_str()).await?;
                    let invitation = Invitation {
                        id: super::ids::new_id(),
                        org_id,
                        email: email.as_str().to_owned(),
                        roles,
                        created_at: now,
                        expires_at: now + INVITATION_TTL,
                        accepted_at: None,
                        accepted_by: None,
                    };
                    store::invitations::insert(conn, &app_id, &invitation, &token.hash()).await?;
                    let message = crate::mail::render_invitation(
                        &app.email_templates,
                        &app.name,
                        email.as_str(),
                        &org.name,
                        &link,
                        INVITATION_TTL / 86_400,
                    );
                    let job = Job::Email(EmailJob {
                        app_id: app_id.clone(),
                        user_id: None,
                        purpose: super::email::EmailPurpose::Invitation,
                        message,
                        meta: meta.clone(),
                    });
                    jobs::enqueue(conn, &master_key, &job, now, Some(invitation.expires_at))
                        .await?;
                    events::record(
                        conn,
                        &app_id,
                        EventKind::InvitationCreated,
                        None,
                        &meta,
                        events::data([
                            ("org_id", json!(invitation.org_id)),
                            ("invitation_id", json!(invitation.id)),
                            ("roles", json!(invitation.roles)),
                        ]),
                        now,
                    )
                    .await?;
                    Ok::<_, Error>(invitation)
                })
            })
            .await?;
        self.auth.jobs.notify();
        Ok(InvitationView {
            status: invitation.status(now),
            invitation,
        })
    }

    /// Withdraws an invitation (accepted or not: an accepted one leaves its membership).
    pub async fn withdraw(
        &self,
        app: &App,
        org_id: &str,
        id: &str,
        meta: &RequestMeta,
    ) -> Result<()> {
        let now = self.auth.clock.now();
        let (app_id, org_id, id, meta) = (
            app.id.clone(),
            org_id.to_owned(),
            id.to_owned(),
            meta.clone(),
        );
        self.auth
            .store
            .write(move |conn| {
                Box::pin(async move {
                    if !store::invitations::delete(conn, &app_id, &org_id, &id).await? {
                        return Err(Error::NotFound(
                            "no such invitation in this organization".to_owned(),
                        ));
                    }
                    events::record(
                        conn,
                        &app_id,
                        EventKind::InvitationWithdrawn,
                        None,
                        &meta,
                        events::data([("org_id", json!(org_id)), ("invitation_id", json!(id))]),
                        now,
                    )
                    .await?;
                    Ok::<_, Error>(())
                })
            })
            .await
    }

    /// What the link of `token` invites to, for its page; `None` if no invitation of the app
    /// has it (or it was withdrawn, or its organization deleted).
    pub async fn preview(&self, app: &App, token: &str) -> Result<Option<InvitationPreview>> {
        if !SecretKind::Invitation.is_kind_of(token) {
            return Ok(None);
        }
        let hash = Secret::from_presented(token.to_owned()).hash();
        let mut reader = self.auth.store.read().await?;
        let found = store::invitations::find_by_token(&mut reader.conn(), &app.id, &hash).await?;
        let now = self.auth.clock.now();
        Ok(found.map(|(invitation, org_name)| InvitationPreview {
            org_name,
            status: invitation.status(now),
            email: invitation.email,
        }))
    }

    /// Accepts the invitation of the link `token` for the signed-in user, who must be signed in
    /// with the invited address: they become a member with the invited roles (added to theirs
    /// if they already were one). The link proves the address of an account made since it was
    /// sent (its holder made it, as the invitation page has them do); an older account whose
    /// address was never proven must prove it by email first, or a link forwarded to whoever
    /// planted that account would hand it the address (account pre-hijacking).
    pub async fn accept(
        &self,
        app: &App,
        p: &Principal,
        token: &str,
        meta: &RequestMeta,
    ) -> Result<Membership> {
        self.auth
            .throttle()
            .hit_client(super::throttle::Rule::CodeAttempts, meta)?;
        let unusable = || {
            Error::NotFound(
                "this invitation does not exist, was withdrawn, was already used or has expired"
                    .to_owned(),
            )
        };
        if !SecretKind::Invitation.is_kind_of(token) {
            return Err(unusable());
        }
        let hash = Secret::from_presented(token.to_owned()).hash();
        let now = self.auth.clock.now();
        let (app, user_id, meta) = (app.clone(), p.user.id.clone(), meta.clone());
        self.auth
            .store
            .write(move |conn| {
                Box::pin(async move {
                    let app_id = app.id.clone();
                    // The user as they are now, held for the rest of the unit: an address
                    // changed meanwhile is not the one the invitation is for.
                    store::users::lock_user(conn, &app_id, &user_id).await?;
                    let user = existing_user(conn, &app_id, &user_id).await?;
                    let (invitation, org_name) =
                        store::invitations::find_by_token(conn, &app_id, &hash)
                            .await?
                            .ok_or_else(unusable)?;
                    if invitation.status(now) != InvitationStatus::Pending {
                        return Err(unusable());
                    }
                    let invited = user
                        .email
                        .as_ref()
                        .is_some_and(|e| e.lowercase() == invitation.email.to_lowercase());
                    if !invited {
                        return Err(Error::Forbidden(format!(
                            "this invitation is for {}: sign in with that address to accept it",
                            invitation.email
                        )));
                    }
                    if !user.email_verified && user.created_at < invitation.created_at {
                        return Err(Error::Forbidden(
                            "this account has not proven its email address: verify it with an \
                             email code, then accept the invitation"
                                .to_owned(),
                        ));
                    }
                    if !store::invitations::accept(conn, &invitation.id, &user.id, now).await? {
                        return Err(unusable());
                    }
                    // The link came to the address, and the account was made by its holder.
                    let user =
                        super::email::mark_verified(conn, &app, user, &meta, now, false).await?;
                    // Roles deleted since the invitation are left out.
                    let mut roles = Vec::new();
                    for key in &invitation.roles {
                        if store::roles::find_role(conn, &app_id, key).await?.is_some() {
                            roles.push(key.clone());
                        }
                    }
                    let org_id = invitation.org_id.clone();
                    let member =
                        match store::organizations::find_member(conn, &app_id, &org_id, &user.id)
                            .await?
                        {
                            Some(mut member) => {
                                member.roles.extend(roles);
                                member.roles.sort_unstable();
                                member.roles.dedup();
                                store::organizations::set_member_roles(
                                    conn,
                                    &app_id,
                                    &org_id,
                                    &user.id,
                                    &member.roles,
                                )
                                .await?;
                                member
                            }
                            None => {
                                let member = Member {
                                    user_id: user.id.clone(),
                                    roles,
                                    created_at: now,
                                };
                                store::organizations::insert_member(
                                    conn, &app_id, &org_id, &member,
                                )
                                .await?;
                                events::record(
                                    conn,
                                    &app_id,
                                    EventKind::OrganizationMemberAdded,
                                    Some(&user.id),
                                    &meta,
                                    events::data([
                                        ("org_id", json!(org_id)),
                                        ("roles", json!(member.roles)),
                                    ]),
                                    now,
                                )
                                .await?;
                                member
                            }
                        };
                    events::record(
                        conn,
                        &app_id,
                        EventKind::InvitationAccepted,
                        Some(&user.id),
                        &meta,
                        events::data([
                            ("org_id", json!(org_id)),
                            ("invitation_id", json!(invitation.id)),
                            ("roles", json!(member.roles)),
                        ]),
                        now,
                    )
                    .await?;
                    Ok::<_, Error>(Membership {
                        org_id,
                        name: org_name,
                        roles: member.roles,
                        created_at: member.created_at,
                    })
                })
            })
            .await
    }
}
