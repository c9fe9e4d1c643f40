//! Users: validation of the fields people and backends may set, and the server API's user
//! management.

use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::error::{Error, Result, conflict, invalid};
use super::{Auth, RequestMeta, commit, event, new_id};
use crate::auth::store::{self, apps::App, users::User};

/// What a write that would duplicate an address says.
const EMAIL_TAKEN: &str = "a user with that email already exists";
/// Largest `metadata` object, serialized.
const MAX_METADATA_BYTES: usize = 16 * 1024;

/// An email address, trimmed and checked for shape. Comparison elsewhere is case-insensitive.
pub fn parse_email(raw: &str) -> Result<String> {
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
    // And what the mailer will accept as a recipient, so every stored address can get a code.
    if ok && email.parse::<lettre::Address>().is_ok() && email.is_ascii() {
        Ok(email.to_owned())
    } else {
        Err(bad())
    }
}

fn check_name(field: &str, value: &Option<String>) -> Result<()> {
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
    #[serde(default, deserialize_with = "nullable")]
    pub given_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub family_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub display_name: Option<Option<String>>,
    pub metadata: Option<Map<String, Value>>,
    pub disabled: Option<bool>,
}

/// Tells "absent" (`None`) from "null" (`Some(None)`).
fn nullable<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

impl UserPatch {
    /// Whether the patch touches something only a backend may change.
    pub fn has_privileged_fields(&self) -> bool {
        self.email.is_some() || self.email_verified.is_some() || self.disabled.is_some()
    }
}

impl Auth {
    pub async fn create_user(&self, app: &App, new: NewUser, meta: &RequestMeta) -> Result<User> {
        let email = parse_email(&new.email)?;
        check_name("given_name", &new.given_name)?;
        check_name("family_name", &new.family_name)?;
        check_name("display_name", &new.display_name)?;
        check_metadata(&new.metadata)?;
        let now = self.clock.now();
        let user = User {
            id: new_id(),
            app_id: app.id.clone(),
            email: Some(email),
            email_verified: new.email_verified,
            given_name: new.given_name,
            family_name: new.family_name,
            display_name: new.display_name,
            metadata: new.metadata,
            disabled: false,
            created_at: now,
            updated_at: now,
            last_sign_in_at: None,
        };
        let mut tx = self.store.begin().await?;
        store::users::insert_user(&mut tx, &user)
            .await
            .map_err(conflict(EMAIL_TAKEN))?;
        event::record(
            &mut tx,
            &app.id,
            event::Kind::UserCreated,
            Some(&user.id),
            meta,
            Map::new(),
            now,
        )
        .await?;
        commit(tx).await?;
        Ok(user)
    }

    pub async fn get_user(&self, app: &App, id: &str) -> Result<User> {
        let mut conn = self.store.conn().await?;
        store::users::find_user(&mut conn, &app.id, id)
            .await?
            .ok_or_else(|| Error::NotFound(format!("there is no user {id:?}")))
    }

    pub async fn list_users(
        &self,
        app: &App,
        email: Option<&str>,
        query: Option<&str>,
        cursor: Option<&str>,
        limit: i64,
    ) -> Result<Vec<User>> {
        let mut conn = self.store.conn().await?;
        Ok(store::users::list_users(&mut conn, &app.id, email, query, cursor, limit).await?)
    }

    pub async fn update_user(
        &self,
        app: &App,
        id: &str,
        patch: UserPatch,
        meta: &RequestMeta,
    ) -> Result<User> {
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        // Lock first, then read: the write below must not undo a concurrent change.
        store::users::lock_user(&mut tx, &app.id, id).await?;
        let mut user = store::users::find_user(&mut tx, &app.id, id)
            .await?
            .ok_or_else(|| Error::NotFound(format!("there is no user {id:?}")))?;
        let mut changed = Vec::new();
        if let Some(email) = patch.email {
            let email = parse_email(&email)?;
            if user.email.as_deref().map(str::to_lowercase) != Some(email.to_lowercase()) {
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
                check_name(field, &value)?;
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
        store::users::update_user(&mut tx, &user)
            .await
            .map_err(conflict(EMAIL_TAKEN))?;
        event::record(
            &mut tx,
            &app.id,
            event::Kind::UserUpdated,
            Some(&user.id),
            meta,
            event::data([("fields", json!(changed))]),
            now,
        )
        .await?;
        commit(tx).await?;
        Ok(user)
    }

    pub async fn delete_user(&self, app: &App, id: &str, meta: &RequestMeta) -> Result<()> {
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        if !store::users::delete_user(&mut tx, &app.id, id).await? {
            return Err(Error::NotFound(format!("there is no user {id:?}")));
        }
        event::record(
            &mut tx,
            &app.id,
            event::Kind::UserDeleted,
            Some(id),
            meta,
            Map::new(),
            now,
        )
        .await?;
        commit(tx).await
    }

    pub async fn list_events(
        &self,
        app: &App,
        user_id: Option<&str>,
        kind: Option<&str>,
        cursor: Option<&str>,
        limit: i64,
    ) -> Result<Vec<store::events::Event>> {
        let mut conn = self.store.conn().await?;
        Ok(store::events::list_events(&mut conn, &app.id, user_id, kind, cursor, limit).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(
            parse_email(" Jo@Example.com ").ok().as_deref(),
            Some("Jo@Example.com")
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
            assert!(parse_email(bad).is_err(), "{bad}");
        }
    }
}
