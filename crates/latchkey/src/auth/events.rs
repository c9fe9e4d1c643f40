//! Audit events: what happened, to whom, from where. Written in the same transaction as the
//! change they describe, so the log never claims something that was rolled back.

use serde_json::{Map, Value};

use super::error::Result;
use super::ids::{AppId, UserId, new_id};
use super::store::{self, Conn};
use super::{Auth, RequestMeta};
use crate::clock::Timestamp;

string_enum! {
    /// Every kind of audit event, with its stable wire name.
    pub enum EventKind {
        UserSignedUp = "user.signed_up",
        SignInSucceeded = "sign_in.succeeded",
        SignInFailed = "sign_in.failed",
        PasskeyAdded = "passkey.added",
        PasskeyRenamed = "passkey.renamed",
        PasskeyRemoved = "passkey.removed",
        SessionRevoked = "session.revoked",
        SignedOut = "session.signed_out",
        RefreshReuseDetected = "session.refresh_reuse_detected",
        /// A refresh token presented again within the reuse grace, answered with the tokens of
        /// its rotation (two tabs at once, or a thief quicker than 10 seconds).
        RefreshRepeated = "session.refresh_repeated",
        UserCreated = "user.created",
        UserUpdated = "user.updated",
        UserDeleted = "user.deleted",
        ApiKeyCreated = "api_key.created",
        ApiKeyRevoked = "api_key.revoked",
        EmailSent = "email.sent",
        EmailDeliveryFailed = "email.delivery_failed",
        /// A magic link opened on another device than the one that asked was confirmed there:
        /// the asking device may now sign in.
        EmailLinkApproved = "email.link_approved",
        EmailVerified = "user.email_verified",
        TakeoverProtection = "account.takeover_protection",
        AccountRecovered = "account.recovered",
        ServerTokenIssued = "server_token.issued",
        OAuthClientCreated = "oauth_client.created",
        OAuthClientUpdated = "oauth_client.updated",
        OAuthClientDeleted = "oauth_client.deleted",
        OAuthClientSecretRotated = "oauth_client.secret_rotated",
        /// A person allowed an OAuth client the scopes it asked for.
        OAuthConsentGranted = "oauth.consent_granted",
        /// A person withdrew a client's access (its grants of them ended too).
        OAuthConsentRevoked = "oauth.consent_revoked",
        /// An OAuth client exchanged a code: a grant's session began.
        OAuthGrantCreated = "oauth.grant_created",
        /// A code was presented a second time: the grant its first exchange made is revoked.
        OAuthCodeReuseDetected = "oauth.code_reuse_detected",
        /// A user began enrolling a second factor (pending until a first code proves it).
        MfaEnrollmentStarted = "mfa.enrollment_started",
        /// A second factor became active.
        MfaFactorAdded = "mfa.factor_added",
        /// A second factor was removed, by its user or an operator.
        MfaFactorRemoved = "mfa.factor_removed",
        /// A new set of backup codes replaced the old one.
        MfaBackupCodesGenerated = "mfa.backup_codes_generated",
        /// A sign-in's first factor held and the app's policy asked for a second.
        MfaChallengeIssued = "mfa.challenge_issued",
        /// A second factor completed a sign-in.
        MfaSucceeded = "mfa.succeeded",
        /// A wrong second-factor code.
        MfaFailed = "mfa.failed",
        /// A signed-in user proved themselves again (`auth_time` moved forward).
        SessionReauthenticated = "session.reauthenticated",
        PermissionCreated = "permission.created",
        PermissionUpdated = "permission.updated",
        /// A permission was deleted (and left every role that had it).
        PermissionDeleted = "permission.deleted",
        RoleCreated = "role.created",
        /// A role's name, description or permission list changed.
        RoleUpdated = "role.updated",
        /// A role was deleted (and every user holding it lost it).
        RoleDeleted = "role.deleted",
        /// A user's app-wide roles were replaced.
        UserRolesChanged = "user.roles_changed",
        OrganizationCreated = "organization.created",
        OrganizationUpdated = "organization.updated",
        /// An organization was deleted, with its memberships.
        OrganizationDeleted = "organization.deleted",
        OrganizationMemberAdded = "organization.member_added",
        /// A member's organization roles were replaced.
        OrganizationMemberUpdated = "organization.member_updated",
        OrganizationMemberRemoved = "organization.member_removed",
        /// A session's active organization changed (`org_id` null: it left it).
        SessionOrganizationChanged = "session.organization_changed",
        /// An invitation to join an organization was made and its email queued.
        InvitationCreated = "invitation.created",
        /// The invited person accepted: they are a member.
        InvitationAccepted = "invitation.accepted",
        /// An invitation was withdrawn before it was accepted.
        InvitationWithdrawn = "invitation.withdrawn",
    }
}

/// One audit event.
#[derive(Clone, Debug)]
pub struct Event {
    pub id: String,
    pub app_id: AppId,
    /// The event type: an [`EventKind`]'s name. Kept as text when read back, so that a type
    /// this version does not know (written by a newer one) still lists.
    pub kind: String,
    pub user_id: Option<UserId>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub data: Map<String, Value>,
    pub created_at: Timestamp,
}

impl Event {
    /// A new event of `kind` about `user_id`, from the request `meta` describes.
    pub fn new(
        app_id: &AppId,
        kind: EventKind,
        user_id: Option<&UserId>,
        meta: &RequestMeta,
        data: Map<String, Value>,
        now: Timestamp,
    ) -> Self {
        Self {
            id: new_id(),
            app_id: app_id.clone(),
            kind: kind.as_str().to_owned(),
            user_id: user_id.cloned(),
            ip: meta.ip.clone(),
            user_agent: meta.user_agent.clone(),
            data,
            created_at: now,
        }
    }
}

/// Builds the `data` object of an event from key/value pairs.
pub fn data<const N: usize>(pairs: [(&str, Value); N]) -> Map<String, Value> {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

/// Appends an event on `conn` (normally inside the transaction making the change).
pub(crate) async fn record(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    kind: EventKind,
    user_id: Option<&UserId>,
    meta: &RequestMeta,
    data: Map<String, Value>,
    now: Timestamp,
) -> store::Result<()> {
    store::events::insert_event(conn, &Event::new(app_id, kind, user_id, meta, data, now)).await
}

/// Which events a listing wants.
#[derive(Debug, Default)]
pub struct EventFilter {
    pub user_id: Option<UserId>,
    pub kind: Option<EventKind>,
    /// The id of the last event of the previous page.
    pub cursor: Option<String>,
}

/// The audit log, as the server API reads it.
pub struct Events<'a> {
    pub(super) auth: &'a Auth,
}

impl Events<'_> {
    /// A page of the app's events, newest first.
    pub async fn list(&self, app: &AppId, filter: &EventFilter, limit: i64) -> Result<Vec<Event>> {
        let mut reader = self.auth.store.read().await?;
        Ok(store::events::list_events(&mut reader.conn(), app, filter, limit).await?)
    }
}
