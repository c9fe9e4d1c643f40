//! OAuth clients of an app's OpenID Provider: which applications may ask for tokens by
//! redirect, where they may be sent back, and how they prove who they are.
//!
//! A confidential client has a secret: a random 256-bit value with a readable prefix
//! (`lk_cs_`), shown once when made or rotated and stored only as its SHA-256, as API keys are.
//! A public client (a single-page or native app) has none and must use PKCE. Settings are
//! checked whole when saved, so the protocol endpoints never meet an inconsistent client.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::apps::{SigningAlg, check_redirect_uri};
use super::error::{Error, Result, invalid};
use super::events::{self, EventKind};
use super::ids::{AppId, new_id};
use super::sessions::RevokeReason;
use super::store;
use super::{Auth, RequestMeta};
use crate::clock::Timestamp;
use crate::crypto::{Secret, SecretKind};

/// At most this many redirect URIs (of each kind) per client.
const MAX_REDIRECT_URIS: usize = 20;

string_enum! {
    /// Whether a client can keep a secret.
    pub enum ClientType {
        /// A server-side application: authenticates with its secret.
        Confidential = "confidential",
        /// A browser or native application: no secret, PKCE instead.
        Public = "public",
    }
}

string_enum! {
    /// The OAuth grants a client may use at the token endpoint.
    pub enum GrantType {
        AuthorizationCode = "authorization_code",
        RefreshToken = "refresh_token",
        /// Tokens for the client itself (`sub` is the client id); confidential clients only.
        ClientCredentials = "client_credentials",
    }
}

string_enum! {
    /// How a client authenticates at the token endpoint.
    pub enum TokenAuthMethod {
        /// The secret in HTTP Basic authentication.
        ClientSecretBasic = "client_secret_basic",
        /// The secret in the form body.
        ClientSecretPost = "client_secret_post",
        /// No secret: a public client, which proves itself with PKCE.
        None = "none",
    }
}

string_enum! {
    /// The scopes a client may be granted.
    pub enum Scope {
        /// An OpenID Connect sign-in: an id_token.
        Openid = "openid",
        /// The user's names.
        Profile = "profile",
        /// The user's email address and whether it is verified.
        Email = "email",
        /// A refresh token, to keep access while the user is away.
        OfflineAccess = "offline_access",
    }
}

/// Scopes written as OAuth writes them (space-separated), keeping the ones this version knows.
pub(crate) fn scopes_from_text(text: &str) -> Vec<Scope> {
    let mut scopes = Vec::new();
    for scope in text.split(' ').filter_map(|s| s.parse::<Scope>().ok()) {
        if !scopes.contains(&scope) {
            scopes.push(scope);
        }
    }
    scopes
}

/// Scopes as OAuth writes them: space-separated.
pub(crate) fn scopes_to_text(scopes: &[Scope]) -> String {
    scopes
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// One OAuth client, as stored and as the admin API shows it (never its secret).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct OAuthClient {
    pub client_id: String,
    pub app_id: AppId,
    pub name: String,
    #[serde(rename = "type")]
    pub client_type: ClientType,
    /// Where authorization responses may go: compared as whole strings.
    pub redirect_uris: Vec<String>,
    /// Where RP-initiated logout may send the browser afterwards.
    pub post_logout_redirect_uris: Vec<String>,
    pub grant_types: Vec<GrantType>,
    pub scopes: Vec<Scope>,
    /// Sign-ins through this client ask for no consent (a first-party client).
    pub skip_consent: bool,
    pub token_endpoint_auth_method: TokenAuthMethod,
    /// What the client's id_tokens are signed with, when not the app's algorithm (some
    /// relying parties take nothing but RS256).
    pub id_token_signed_response_alg: Option<SigningAlg>,
    /// The first characters of the current secret, to tell secrets apart (confidential only).
    pub secret_prefix: Option<String>,
    #[serde(with = "crate::clock::rfc3339_serde")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[serde(with = "crate::clock::rfc3339_serde")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
}

impl OAuthClient {
    /// Checks the whole client: its name, URIs, and that its type, grants and authentication
    /// method fit together.
    fn validate(&self) -> Result<()> {
        if self.name.trim().is_empty()
            || self.name.chars().count() > 100
            || self.name.chars().any(char::is_control)
        {
            return invalid("name must be 1 to 100 characters with no control characters");
        }
        for (field, uris) in [
            ("redirect_uris", &self.redirect_uris),
            ("post_logout_redirect_uris", &self.post_logout_redirect_uris),
        ] {
            if uris.len() > MAX_REDIRECT_URIS {
                return invalid(format!("{field} may list at most {MAX_REDIRECT_URIS} URIs"));
            }
            if has_duplicates(uris) {
                return invalid(format!("{field} lists a URI twice"));
            }
            for uri in uris {
                check_redirect_uri(uri)?;
            }
        }
        if self.grant_types.is_empty() {
            return invalid("grant_types must name at least one grant");
        }
        if has_duplicates(&self.grant_types) || has_duplicates(&self.scopes) {
            return invalid("grant_types and scopes must name each value once");
        }
        let grants = |g| self.grant_types.contains(&g);
        if grants(GrantType::AuthorizationCode) && self.redirect_uris.is_empty() {
            return invalid("redirect_uris must list at least one URI for authorization_code");
        }
        if grants(GrantType::RefreshToken) && !grants(GrantType::AuthorizationCode) {
            return invalid("refresh_token is granted only with authorization_code");
        }
        match self.client_type {
            ClientType::Public => {
                if self.token_endpoint_auth_method != TokenAuthMethod::None {
                    return invalid(
                        "a public client has no secret: its token_endpoint_auth_method is none",
                    );
                }
                if grants(GrantType::ClientCredentials) {
                    return invalid("client_credentials is for confidential clients only");
                }
            }
            ClientType::Confidential => {
                if self.token_endpoint_auth_method == TokenAuthMethod::None {
                    return invalid(
                        "a confidential client authenticates: client_secret_basic or \
                         client_secret_post",
                    );
                }
            }
        }
        Ok(())
    }

    /// This client with the settings `changes` names replaced (a JSON merge patch).
    fn merged(&self, changes: &ClientPatch) -> Result<Self> {
        super::merge_patch(self, changes)
    }
}

/// Whether a value stands twice in `values`.
fn has_duplicates<T: PartialEq>(values: &[T]) -> bool {
    values
        .iter()
        .enumerate()
        .any(|(i, v)| values[..i].contains(v))
}

/// `POST /admin/apps/{app}/oauth-clients`: the type, and the settings of [`ClientPatch`] to start
/// from instead of the defaults, of which `name` is required (and `redirect_uris` for the
/// default grants).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewClient {
    pub name: String,
    #[serde(rename = "type")]
    pub client_type: ClientType,
    #[serde(default, deserialize_with = "super::present")]
    #[schema(nullable = false)]
    pub redirect_uris: Option<Vec<String>>,
    #[serde(default, deserialize_with = "super::present")]
    #[schema(nullable = false)]
    pub post_logout_redirect_uris: Option<Vec<String>>,
    /// Default: `authorization_code` and `refresh_token`.
    #[serde(default, deserialize_with = "super::present")]
    #[schema(nullable = false)]
    pub grant_types: Option<Vec<GrantType>>,
    /// Default: every scope.
    #[serde(default, deserialize_with = "super::present")]
    #[schema(nullable = false)]
    pub scopes: Option<Vec<Scope>>,
    #[serde(default, deserialize_with = "super::present")]
    #[schema(nullable = false)]
    pub skip_consent: Option<bool>,
    /// Default: `client_secret_basic` for a confidential client, `none` for a public one.
    #[serde(default, deserialize_with = "super::present")]
    #[schema(nullable = false)]
    pub token_endpoint_auth_method: Option<TokenAuthMethod>,
    /// Default: the app's signing algorithm.
    #[serde(default)]
    pub id_token_signed_response_alg: Option<SigningAlg>,
}

/// `PATCH /admin/apps/{app}/oauth-clients/{client_id}`: every field optional; the id and the
/// type never change.
#[derive(Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClientPatch {
    #[serde(
        default,
        deserialize_with = "super::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(nullable = false)]
    pub name: Option<String>,
    #[serde(
        default,
        deserialize_with = "super::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(nullable = false)]
    pub redirect_uris: Option<Vec<String>>,
    #[serde(
        default,
        deserialize_with = "super::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(nullable = false)]
    pub post_logout_redirect_uris: Option<Vec<String>>,
    #[serde(
        default,
        deserialize_with = "super::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(nullable = false)]
    pub grant_types: Option<Vec<GrantType>>,
    #[serde(
        default,
        deserialize_with = "super::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(nullable = false)]
    pub scopes: Option<Vec<Scope>>,
    #[serde(
        default,
        deserialize_with = "super::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(nullable = false)]
    pub skip_consent: Option<bool>,
    #[serde(
        default,
        deserialize_with = "super::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(nullable = false)]
    pub token_endpoint_auth_method: Option<TokenAuthMethod>,
    /// `null`: the app's signing algorithm.
    #[serde(
        default,
        deserialize_with = "super::nullable",
        skip_serializing_if = "Option::is_none"
    )]
    pub id_token_signed_response_alg: Option<Option<SigningAlg>>,
}

/// A client and, when one was just made, its secret, which is never shown again.
#[derive(Debug)]
pub struct ClientWithSecret {
    pub client: OAuthClient,
    pub secret: Option<Secret>,
}

/// The stored prefix of a secret: the kind's prefix and 4 secret characters.
fn secret_prefix(secret: &Secret) -> String {
    secret
        .expose()
        .chars()
        .take(SecretKind::ClientSecret.prefix().len() + 4)
        .collect()
}

/// OAuth clients: the admin API's operations.
pub struct OAuthClients<'a> {
    pub(super) auth: &'a Auth,
}

impl OAuthClients<'_> {
    /// Makes a client of `app_id`; a confidential one gets its secret.
    #[tracing::instrument(level = "debug", skip_all, fields(app = %app_id))]
    pub async fn create(
        &self,
        app_id: &str,
        new: NewClient,
        meta: &RequestMeta,
    ) -> Result<ClientWithSecret> {
        let app = self.auth.apps().get(app_id).await?;
        let now = self.auth.clock.now();
        let confidential = new.client_type == ClientType::Confidential;
        let secret = confidential.then(|| Secret::new(SecretKind::ClientSecret));
        let client = OAuthClient {
            client_id: new_id(),
            app_id: app.id.clone(),
            name: new.name,
            client_type: new.client_type,
            redirect_uris: new.redirect_uris.unwrap_or_default(),
            post_logout_redirect_uris: new.post_logout_redirect_uris.unwrap_or_default(),
            grant_types: new
                .grant_types
                .unwrap_or_else(|| vec![GrantType::AuthorizationCode, GrantType::RefreshToken]),
            scopes: new.scopes.unwrap_or_else(|| Scope::ALL.to_vec()),
            skip_consent: new.skip_consent.unwrap_or(false),
            token_endpoint_auth_method: new.token_endpoint_auth_method.unwrap_or(if confidential {
                TokenAuthMethod::ClientSecretBasic
            } else {
                TokenAuthMethod::None
            }),
            id_token_signed_response_alg: new.id_token_signed_response_alg,
            secret_prefix: secret.as_ref().map(secret_prefix),
            created_at: now,
            updated_at: now,
        };
        client.validate()?;
        self.prepare_key(&app, &client).await?;
        let (hash, meta) = (secret.as_ref().map(Secret::hash), meta.clone());
        let client = self
            .auth
            .store
            .write(move |tx| {
                Box::pin(async move {
                    store::oauth_clients::insert_client(tx, &client, hash.as_deref()).await?;
                    record(tx, &client, EventKind::OAuthClientCreated, &meta, now).await?;
                    Ok::<_, Error>(client)
                })
            })
            .await?;
        Ok(ClientWithSecret { client, secret })
    }

    /// Makes sure the app has a signing key of the algorithm the client's id_tokens want, ahead
    /// of its first sign-in (so that every instance's JWKS has it by then).
    async fn prepare_key(&self, app: &super::App, client: &OAuthClient) -> Result<()> {
        if let Some(alg) = client.id_token_signed_response_alg {
            self.auth.tokens().keys_with(app, Some(alg)).await?;
        }
        Ok(())
    }

    /// The app's clients ordered by id, after `cursor`, at most `limit`.
    pub async fn list(
        &self,
        app_id: &str,
        cursor: Option<&str>,
        limit: i64,
    ) -> Result<Vec<OAuthClient>> {
        let app = self.auth.apps().get(app_id).await?;
        let mut reader = self.auth.store.read().await?;
        Ok(store::oauth_clients::list_clients(&mut reader.conn(), &app.id, cursor, limit).await?)
    }

    /// One client of the app; `NotFound` if the app has none with that id.
    pub async fn get(&self, app_id: &str, client_id: &str) -> Result<OAuthClient> {
        let app = self.auth.apps().get(app_id).await?;
        let mut reader = self.auth.store.read().await?;
        find(&mut reader.conn(), &app.id, client_id).await
    }

    /// Changes the client's settings.
    #[tracing::instrument(level = "debug", skip_all, fields(app = %app_id))]
    pub async fn update(
        &self,
        app_id: &str,
        client_id: &str,
        patch: ClientPatch,
        meta: &RequestMeta,
    ) -> Result<OAuthClient> {
        let app = self.auth.apps().get(app_id).await?;
        let now = self.auth.clock.now();
        let (app_id, client_id, meta) = (app.id.clone(), client_id.to_owned(), meta.clone());
        // The audit event names the settings the change touched.
        let changed: Vec<String> = match serde_json::to_value(&patch) {
            Ok(Value::Object(fields)) => fields.keys().cloned().collect(),
            _ => Vec::new(),
        };
        let client = self
            .auth
            .store
            .write(move |tx| {
                Box::pin(async move {
                    let old = find(tx, &app_id, &client_id).await?;
                    let mut client = old.merged(&patch)?;
                    client.updated_at = now;
                    client.validate()?;
                    store::oauth_clients::update_client(tx, &client).await?;
                    let kind = EventKind::OAuthClientUpdated;
                    record_with(tx, &client, kind, &meta, now, &changed).await?;
                    Ok::<_, Error>(client)
                })
            })
            .await?;
        self.prepare_key(&app, &client).await?;
        Ok(client)
    }

    /// Deletes the client.
    #[tracing::instrument(level = "debug", skip_all, fields(app = %app_id))]
    pub async fn delete(&self, app_id: &str, client_id: &str, meta: &RequestMeta) -> Result<()> {
        let app = self.auth.apps().get(app_id).await?;
        let now = self.auth.clock.now();
        let (app_id, client_id, meta) = (app.id.clone(), client_id.to_owned(), meta.clone());
        self.auth
            .store
            .write(move |tx| {
                Box::pin(async move {
                    let client = find(tx, &app_id, &client_id).await?;
                    store::oauth_clients::delete_client(tx, &app_id, &client_id).await?;
                    // Its tokens stop working: its grants end, its codes and consents go.
                    store::oauth::delete_client_consents(tx, &app_id, &client_id).await?;
                    let reason = RevokeReason::ClientDeleted;
                    let ended = store::oauth::revoke_client_sessions(
                        tx, &app_id, &client_id, None, now, reason,
                    )
                    .await?;
                    for (session_id, user_id) in &ended {
                        reason
                            .record(tx, &app_id, user_id, session_id, &meta, now)
                            .await?;
                    }
                    record(tx, &client, EventKind::OAuthClientDeleted, &meta, now).await?;
                    Ok(())
                })
            })
            .await
    }

    /// Gives a confidential client a new secret; the old one stops working at once.
    #[tracing::instrument(level = "debug", skip_all, fields(app = %app_id))]
    pub async fn rotate_secret(
        &self,
        app_id: &str,
        client_id: &str,
        meta: &RequestMeta,
    ) -> Result<ClientWithSecret> {
        let app = self.auth.apps().get(app_id).await?;
        let now = self.auth.clock.now();
        let secret = Secret::new(SecretKind::ClientSecret);
        let (hash, prefix) = (secret.hash(), secret_prefix(&secret));
        let (app_id, client_id, meta) = (app.id.clone(), client_id.to_owned(), meta.clone());
        let client = self
            .auth
            .store
            .write(move |tx| {
                Box::pin(async move {
                    let mut client = find(tx, &app_id, &client_id).await?;
                    if client.client_type != ClientType::Confidential {
                        return invalid("a public client has no secret to rotate");
                    }
                    client.secret_prefix = Some(prefix);
                    client.updated_at = now;
                    store::oauth_clients::set_secret(tx, &client, &hash).await?;
                    let kind = EventKind::OAuthClientSecretRotated;
                    record(tx, &client, kind, &meta, now).await?;
                    Ok(client)
                })
            })
            .await?;
        Ok(ClientWithSecret {
            client,
            secret: Some(secret),
        })
    }
}

/// The app's client `client_id`; `NotFound` if it has none.
async fn find(conn: &mut store::Conn<'_>, app_id: &AppId, client_id: &str) -> Result<OAuthClient> {
    store::oauth_clients::find_client(conn, app_id, client_id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("there is no OAuth client {client_id:?}")))
}

/// Records `kind` for `client` in the audit log.
async fn record(
    tx: &mut store::Conn<'_>,
    client: &OAuthClient,
    kind: EventKind,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<()> {
    record_with(tx, client, kind, meta, now, &[]).await
}

/// [`record`], naming the settings a change touched when there are any.
async fn record_with(
    tx: &mut store::Conn<'_>,
    client: &OAuthClient,
    kind: EventKind,
    meta: &RequestMeta,
    now: Timestamp,
    changed: &[String],
) -> Result<()> {
    let mut data: Map<String, Value> = events::data([
        ("client_id", json!(client.client_id)),
        ("name", json!(client.name)),
    ]);
    if !changed.is_empty() {
        data.insert("changed".to_owned(), json!(changed));
    }
    events::record(tx, &client.app_id, kind, None, meta, data, now).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(client_type: ClientType) -> OAuthClient {
        OAuthClient {
            client_id: "c1".into(),
            app_id: AppId::from("shop".to_owned()),
            name: "Shop web".into(),
            client_type,
            redirect_uris: vec!["https://shop.example/cb".into()],
            post_logout_redirect_uris: Vec::new(),
            grant_types: vec![GrantType::AuthorizationCode, GrantType::RefreshToken],
            scopes: Scope::ALL.to_vec(),
            skip_consent: false,
            token_endpoint_auth_method: match client_type {
                ClientType::Confidential => TokenAuthMethod::ClientSecretBasic,
                ClientType::Public => TokenAuthMethod::None,
            },
            id_token_signed_response_alg: None,
            secret_prefix: None,
            created_at: 1,
            updated_at: 1,
        }
    }

    #[test]
    fn types_grants_and_methods_fit_together() {
        assert!(client(ClientType::Confidential).validate().is_ok());
        assert!(client(ClientType::Public).validate().is_ok());
        let mut bad = client(ClientType::Public);
        bad.token_endpoint_auth_method = TokenAuthMethod::ClientSecretPost;
        assert!(
            bad.validate().is_err(),
            "a public client with a secret method"
        );
        let mut bad = client(ClientType::Public);
        bad.grant_types.push(GrantType::ClientCredentials);
        assert!(
            bad.validate().is_err(),
            "client_credentials for a public client"
        );
        let mut bad = client(ClientType::Confidential);
        bad.token_endpoint_auth_method = TokenAuthMethod::None;
        assert!(
            bad.validate().is_err(),
            "a confidential client without a method"
        );
        let mut bad = client(ClientType::Confidential);
        bad.redirect_uris.clear();
        assert!(
            bad.validate().is_err(),
            "a code client without redirect URIs"
        );
        let mut machine = client(ClientType::Confidential);
        machine.redirect_uris.clear();
        machine.grant_types = vec![GrantType::ClientCredentials];
        assert!(
            machine.validate().is_ok(),
            "a machine client needs no redirect URI"
        );
        machine.grant_types = vec![GrantType::RefreshToken];
        assert!(machine.validate().is_err(), "refresh_token alone");
        let mut bad = client(ClientType::Confidential);
        bad.post_logout_redirect_uris = vec!["http://shop.example/bye".into()];
        assert!(bad.validate().is_err(), "plain http off loopback");
    }
}
