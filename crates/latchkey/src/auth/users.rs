//! Users: the user entity, the fields people and backends may set, the one sign-up rule every
//! way of creating an account goes through, and the server API's user management.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::error::{Error, Result, conflict, invalid};
use super::events::{self, EventKind};
use super::ids::{AppId, UserId};
use super::sign_in::SignInMethod;
use super::store::{self, Conn};
use super::{App, Auth, RequestMeta};
use crate::clock::Timestamp;

/// What a write that would duplicate an address says.
const EMAIL_TAKEN: &str = "a user with that email already exists";
/// Largest `metadata` object, serialized.
const MAX_METADATA_BYTES: usize = 16 * 1024;

/// One person of one app: as stored, and as the API shows it (API.md's User object).
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct User {
    pub id: UserId,
    #[serde(skip)]
    pub app_id: AppId,
    pub email: Option<EmailAddress>,
    pub email_verified: bool,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub display_name: Option<String>,
    pub metadata: Map<String, Value>,
    pub disabled: bool,
    #[serde(with = "crate::clock::rfc3339_serde")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[serde(with = "crate::clock::rfc3339_serde")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
    #[serde(with = "crate::clock::rfc3339_serde_option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub last_sign_in_at: Option<Timestamp>,
}

impl User {
    /// Whether the user's address is `email` (compared case-insensitively, as the store does).
    pub fn has_email(&self, email: &EmailAddress) -> bool {
        self.email.as_ref().is_some_and(|e| e.same_as(email))
    }
}

/// An email address, trimmed and checked for shape (and for what the mailer accepts as a
/// recipient, so every stored address can get a code). Addresses compare case-insensitively.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, format = Email)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(raw: &str) -> Result<Self> {
        let email = raw.trim();
        let bad = || {
            Error::InvalidRequest(format!(
                "{email:?} is not an email address: use the form name@example.com"
            ))
        };
        let (local, domain) = email.rsplit_once('@').ok_or_else(bad)?;
        let ok = !local.is_empty()
            && local.len() <= 64
            && email.len() <= 254
            && !email.chars().any(|c| c.is_whitespace() || c.is_control())
            && !local.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        if ok && email.parse::<lettre::Address>().is_ok() && email.is_ascii() {
            Ok(Self(email.to_owned()))
        } else {
            Err(bad())
        }
    }

    /// A stored address, already checked when it was saved.
    pub(crate) fn from_stored(email: String) -> Self {
        Self(email)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The lower-cased address: what uniqueness and lookups compare.
    pub fn lowercase(&self) -> String {
        self.0.to_lowercase()
    }

    /// The mailbox this address delivers to, as per-address limits count it: the local part
    /// lower-cased, quotes removed and a `+tag` dropped, and at gmail.com and googlemail.com
    /// (one domain) dots ignored; the domain lower-cased. `A.b+x@Gmail.com`, `"ab"@gmail.com`
    /// and `ab@googlemail.com` are one mailbox.
    pub fn mailbox(&self) -> String {
        let (local, domain) = self.0.rsplit_once('@').unwrap_or(("", &self.0));
        let domain = domain.to_ascii_lowercase();
        let mut local = local.replace('"', "").to_ascii_lowercase();
        if let Some(plus) = local.find('+') {
            local.truncate(plus);
        }
        let domain = if matches!(domain.as_str(), "gmail.com" | "googlemail.com") {
            local.retain(|c| c != '.');
            // One mailbox under either name.
            "gmail.com".to_owned()
        } else {
            domain
        };
        format!("{local}@{domain}")
    }

    /// Whether both name the same address (case-insensitively).
    pub fn same_as(&self, other: &Self) -> bool {
        self.0.eq_ignore_ascii_case(&other.0)
    }
}

impl TryFrom<String> for EmailAddress {
    type Error = String;

    fn try_from(raw: String) -> std::result::Result<Self, String> {
        Self::parse(&raw).map_err(|e| e.to_string())
    }
}

impl From<EmailAddress> for String {
    fn from(email: EmailAddress) -> Self {
        email.0
    }
}

impl std::fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A name field (given, family, display): at most 100 characters, no control characters.
pub(crate) fn check_name(field: &str, value: Option<&str>) -> Result<()> {
    if let Some(v) = value
        && (v.chars().count() > 100 || v.chars().any(char::is_control))
    {
        return invalid(format!(
            "{field} must be at most 100 characters with no control characters"
        ));
    }
    Ok(())
}

fn check_metadata(metadata: &Map<String, Value>) -> Result<()> {
    if serde_json::to_string(metadata).map_or(0, |s| s.len()) > MAX_METADATA_BYTES {
        return invalid("metadata must serialize to at most 16 KiB of JSON");
    }
    Ok(())
}

/// How an account comes to be: decides whether its address counts as proven, whether the app's
/// sign-up setting applies, and which event records it.
#[derive(Clone, Copy, Debug)]
pub(crate) enum SignUp {
    /// A person signing up with a passkey: the address, if any, is not proven yet.
    Passkey,
    /// A person signing up by an email code or link: the address is proven by it.
    Email(SignInMethod),
    /// The app's backend creating a user: it vouches for the address or not.
    Backend { email_verified: bool },
}

/// Whether a sign-up is a passkey's, once `how` is taken apart.
enum HowKind {
    Passkey,
    Other,
}

/// The fields a new account starts with.
#[derive(Debug, Default)]
pub(crate) struct Profile {
    pub email: Option<EmailAddress>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub display_name: Option<String>,
    pub metadata: Map<String, Value>,
}

impl Profile {
    fn check(&self) -> Result<()> {
        check_name("given_name", self.given_name.as_deref())?;
        check_name("family_name", self.family_name.as_deref())?;
        check_name("display_name", self.display_name.as_deref())?;
        check_metadata(&self.metadata)
    }
}

/// The one sign-up rule, inside the caller's transaction: checks the profile, refuses a
/// self-service sign-up the app does not allow, inserts the user (an address already taken is a
/// conflict), and records `user.signed_up` or `user.created`.
pub(crate) async fn create_account(
    conn: &mut Conn<'_>,
    app: &App,
    id: UserId,
    profile: Profile,
    how: SignUp,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<User> {
    profile.check()?;
    let how_kind = match how {
        SignUp::Passkey => HowKind::Passkey,
        _ => HowKind::Other,
    };
    let (email_verified, kind, method) = match how {
        SignUp::Passkey => (false, EventKind::UserSignedUp, Some(SignInMethod::Passkey)),
        SignUp::Email(method) => (true, EventKind::UserSignedUp, Some(method)),
        SignUp::Backend { email_verified } => (email_verified, EventKind::UserCreated, None),
    };
    if method.is_some() && !app.sign_up_allowed {
        return Err(Error::Forbidden(
            "sign-up is disabled for this app".to_owned(),
        ));
    }
    // Also for a passkey registration begun before the app switched to email-first sign-up.
    if matches!(how_kind, HowKind::Passkey) && app.sign_up_email_first {
        return Err(Error::InvalidRequest(
            "this app signs people up with an email code first: request one with purpose \
             sign_up, sign in with it, then add a passkey"
                .to_owned(),
        ));
    }
    let user = User {
        id,
        app_id: app.id.clone(),
        email: profile.email,
        email_verified,
        given_name: profile.given_name,
        family_name: profile.family_name,
        display_name: profile.display_name,
        metadata: profile.metadata,
        disabled: false,
        created_at: now,
        updated_at: now,
        last_sign_in_at: None,
    };
    let taken = match how {
        SignUp::Backend { .. } => EMAIL_TAKEN,
        _ => "an account with that email was created meanwhile: sign in instead",
    };
    store::users::insert_user(conn, &user)
        .await
        .map_err(conflict(taken))?;
    let data = match method {
        Some(method) => events::data([("method", json!(method))]),
        None => Map::new(),
    };
    events::record(conn, &app.id, kind, Some(&user.id), meta, data, now).await?;
    Ok(user)
}

/// `POST /apps/{app}/users`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    pub email: String,
    #[serde(default)]
    pub email_verified: bool,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub display_name: Option<String>,
    #[serde(default)]
    pub metadata: Map<String, Value>,
}

/// Changes to a user. From the user themselves (`PATCH /me`) only the names and metadata; from
/// the backend (`PATCH /users/{id}`) also email, its verification and `disabled`.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    pub email: Option<String>,
    pub email_verified: Option<bool>,
    #[serde(default, deserialize_with = "super::nullable")]
    pub given_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "super::nullable")]
    pub family_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "super::nullable")]
    pub display_name: Option<Option<String>>,
    pub metadata: Option<Map<String, Value>>,
    pub disabled: Option<bool>,
}

impl UserPatch {
    /// Whether the patch touches something only a backend may change.
    pub fn has_privileged_fields(&self) -> bool {
        self.email.is_some() || self.email_verified.is_some() || self.disabled.is_some()
    }
}

/// Which users a listing wants.
#[derive(Debug, Default)]
pub struct UserFilter {
    /// Exactly this address (case-insensitively).
    pub email: Option<String>,
    /// A substring of the address or the names, case-insensitively.
    pub query: Option<String>,
    /// The id of the last user of the previous page.
    pub cursor: Option<String>,
}

/// User management: the server API's and the signed-in user's own.
pub struct Users<'a> {
    pub(super) auth: &'a Auth,
}

impl Users<'_> {
    #[tracing::instrument(level = "debug", skip_all, fields(app = %app.id))]
    pub async fn create(&self, app: &App, new: NewUser, meta: &RequestMeta) -> Result<User> {
        let profile = Profile {
            email: Some(EmailAddress::parse(&new.email)?),
            given_name: new.given_name,
            family_name: new.family_name,
            display_name: new.display_name,
            metadata: new.metadata,
        };
        let now = self.auth.clock.now();
        let how = SignUp::Backend {
            email_verified: new.email_verified,
        };
        let (app, meta) = (app.clone(), meta.clone());
        self.auth
            .store
            .write(move |tx| {
                Box::pin(async move {
                    let id = UserId::generate();
                    create_account(tx, &app, id, profile, how, &meta, now).await
                })
            })
            .await
    }

    pub async fn get(&self, app: &App, id: &UserId) -> Result<User> {
        let mut reader = self.auth.store.read().await?;
        existing_user(&mut reader.conn(), &app.id, id).await
    }

    pub async fn list(&self, app: &App, filter: &UserFilter, limit: i64) -> Result<Vec<User>> {
        let mut reader = self.auth.store.read().await?;
        Ok(store::users::list_users(&mut reader.conn(), &app.id, filter, limit).await?)
    }

    #[tracing::instrument(level = "debug", skip_all, fields(app = %app.id))]
    pub async fn update(
        &self,
        app: &App,
        id: &UserId,
        patch: UserPatch,
        meta: &RequestMeta,
    ) -> Result<User> {
        let now = self.auth.clock.now();
        let (app_id, id, meta) = (app.id.clone(), id.clone(), meta.clone());
        self.auth
            .store
            .write(move |tx| Box::pin(update_user(tx, app_id, id, patch, meta, now)))
            .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(app = %app.id))]
    pub async fn delete(&self, app: &App, id: &UserId, meta: &RequestMeta) -> Result<()> {
        let now = self.auth.clock.now();
        let (app_id, id, meta) = (app.id.clone(), id.clone(), meta.clone());
        self.auth
            .store
            .write(move |tx| {
                Box::pin(async move {
                    if !store::users::delete_user(tx, &app_id, &id).await? {
                        return Err(not_found(&id));
                    }
                    let kind = EventKind::UserDeleted;
                    events::record(tx, &app_id, kind, Some(&id), &meta, Map::new(), now).await?;
                    Ok(())
                })
            })
            .await
    }
}

/// Applies `patch` to the user, inside a write: the row locked first, then read, so that the
/// write cannot undo a concurrent change.
async fn update_user(
    tx: &mut Conn<'_>,
    app_id: AppId,
    id: UserId,
    patch: UserPatch,
    meta: RequestMeta,
    now: Timestamp,
) -> Result<User> {
    store::users::lock_user(tx, &app_id, &id).await?;
    let mut user = store::users::find_user(tx, &app_id, &id)
        .await?
        .ok_or_else(|| not_found(&id))?;
    let mut changed = Vec::new();
    if let Some(email) = patch.email {
        let email = EmailAddress::parse(&email)?;
        if !user.has_email(&email) {
            // A new address is unproven until the backend says otherwise.
            user.email_verified = false;
        }
        user.email = Some(email);
        changed.push("email");
    }
    if let Some(v) = patch.email_verified {
        user.email_verified = v;
        changed.push("email_verified");
    }
    for (field, value, slot) in [
        ("given_name", patch.given_name, &mut user.given_name),
        ("family_name", patch.family_name, &mut user.family_name),
        ("display_name", patch.display_name, &mut user.display_name),
    ] {
        if let Some(value) = value {
            check_name(field, value.as_deref())?;
            *slot = value;
            changed.push(field);
        }
    }
    if let Some(metadata) = patch.metadata {
        check_metadata(&metadata)?;
        user.metadata = metadata;
        changed.push("metadata");
    }
    if let Some(disabled) = patch.disabled {
        user.disabled = disabled;
        changed.push("disabled");
    }
    user.updated_at = now;
    store::users::update_user(tx, &user)
        .await
        .map_err(conflict(EMAIL_TAKEN))?;
    events::record(
        tx,
        &app_id,
        EventKind::UserUpdated,
        Some(&user.id),
        &meta,
        events::data([("fields", json!(changed))]),
        now,
    )
    .await?;
    Ok(user)
}

/// The app's user `id`, read on `conn`; 404 when there is none.
pub(crate) async fn existing_user(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    id: &UserId,
) -> Result<User> {
    store::users::find_user(conn, app_id, id)
        .await?
        .ok_or_else(|| not_found(id))
}

fn not_found(id: &UserId) -> Error {
    Error::NotFound(format!("there is no user {:?}", id.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_of_one_mailbox_count_as_one() {
        let mailbox = |raw: &str| EmailAddress::parse(raw).expect(raw).mailbox();
        for alias in [
            "ann@example.com",
            "Ann@Example.COM",
            "ann+news@example.com",
            "\"ann\"@example.com",
        ] {
            assert_eq!(mailbox(alias), "ann@example.com", "{alias}");
        }
        for alias in ["a.n.n@gmail.com", "A.nn+x@GMail.com", "ann@gmail.com"] {
            assert_eq!(mailbox(alias), "ann@gmail.com", "{alias}");
        }
        assert_eq!(mailbox("a.nn@googlemail.com"), "ann@gmail.com");
        // Dots count everywhere else.
        assert_ne!(mailbox("a.nn@example.com"), mailbox("ann@example.com"));
    }

    #[test]
    fn emails() {
        assert_eq!(
            EmailAddress::parse(" Jo@Example.com ")
                .ok()
                .map(String::from),
            Some("Jo@Example.com".to_owned())
        );
        for bad in [
            "",
            "jo",
            "jo@",
            "@example.com",
            "jo@example",
            "jo @example.com",
            "jo@exa..mple.com",
            "a@b@c.com",
        ] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad}");
        }
        let a = EmailAddress::parse("Jo@Example.com").ok();
        let b = EmailAddress::parse("jo@example.COM").ok();
        assert!(a.zip(b).is_some_and(|(a, b)| a.same_as(&b)));
    }
}
