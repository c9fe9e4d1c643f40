//! Apps (tenants): their relying-party identity, origins, redirect URIs and settings; creating,
//! validating, changing and looking them up.
//!
//! An app's relying-party identity is checked when it is saved (every origin must sit under the
//! RP ID, as WebAuthn requires), so ceremonies never meet an inconsistent app. Settings are
//! listed once, in [`App`]: creating applies [`NewApp`] over the defaults and changing applies
//! [`AppPatch`] over the stored app, both as JSON merge patches (RFC 7396), then the whole app is
//! validated.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::Auth;
use super::error::{Error, Result, conflict, invalid};
use super::ids::AppId;
use super::sign_in::SignInMethod;
use super::store;
use crate::clock::Timestamp;

/// How long a looked-up app is trusted before it is read again; bounds how long another instance
/// can act on settings an admin just changed.
const APP_CACHE_TTL: Duration = Duration::from_secs(5);

pub const DEFAULT_ACCESS_TOKEN_TTL: i64 = 15 * 60;
pub const DEFAULT_REFRESH_TOKEN_TTL: i64 = 30 * 24 * 3600;

string_enum! {
    /// Whether the app asks authenticators to verify the user (PIN or biometric).
    pub enum UserVerification {
        /// Asked for; a passkey that does not verify still signs in (`amr` without `mfa`).
        Preferred = "preferred",
        /// Every ceremony must verify the user.
        Required = "required",
    }
}

string_enum! {
    /// The algorithm of the app's access-token signing key.
    pub enum SigningAlg {
        Es256 = "ES256",
        EdDsa = "EdDSA",
        Rs256 = "RS256",
    }
}

/// One app and its settings: as stored, as cached, and as the admin API shows it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct App {
    pub id: AppId,
    pub name: String,
    pub rp_id: String,
    pub rp_name: String,
    /// The web origins allowed to run ceremonies and make cookie-authenticated changes.
    pub origins: Vec<String>,
    /// Where the hosted login page may send people back with an `auth_token`.
    pub redirect_uris: Vec<String>,
    pub access_token_ttl: i64,
    pub refresh_token_ttl: i64,
    pub user_verification: UserVerification,
    pub sign_up_allowed: bool,
    pub signing_alg: SigningAlg,
    /// Magic links work only in the browser that asked for them.
    pub magic_link_binding: bool,
    /// A `sign_in` email to an unknown address sends a sign-up email instead (if sign-up is on).
    pub unknown_email_sign_up: bool,
    /// New accounts come only from an email code (a passkey is added once signed in), so that
    /// sign-up answers the same for every address.
    pub sign_up_email_first: bool,
    /// A magic link opened on another device may be confirmed there for the device that asked
    /// (off by default: whoever asked gets in, so it suits apps whose people expect it).
    pub cross_device_links: bool,
    /// The app's OpenID Provider takes authorization requests only as pushed ones (PAR,
    /// RFC 9126), so that none travels through the browser unauthenticated.
    pub require_par: bool,
    /// Multi-factor policy: `off`, `optional` (users may enroll; enrolled users' sign-ins that
    /// are not phishing-resistant add a second factor) or `required`.
    pub mfa: crate::auth::mfa::MfaPolicy,
    /// Per-purpose overrides of the email templates: `{"sign_in": {"subject", "text", "html"}}`.
    pub email_templates: Map<String, Value>,
    /// Logo shown on the hosted pages (an https URL).
    pub logo_url: Option<String>,
    /// Accent colour of the hosted pages (`#rrggbb`).
    pub accent_color: Option<String>,
    /// The app's own host (`login.example.com`, with a `:port` only if not the default): its
    /// hosted pages, configuration and issuer are served there, at the root, over https (http
    /// for a name under `localhost`). On the RP ID; unique among apps.
    pub domain: Option<String>,
    #[serde(with = "crate::clock::rfc3339_serde")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[serde(with = "crate::clock::rfc3339_serde")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
}

impl App {
    /// An app with every setting at its default (the names and the RP empty, to be set).
    fn with_defaults(id: AppId, now: Timestamp) -> Self {
        Self {
            id,
            name: String::new(),
            rp_name: String::new(),
            rp_id: String::new(),
            origins: Vec::new(),
            redirect_uris: Vec::new(),
            access_token_ttl: DEFAULT_ACCESS_TOKEN_TTL,
            refresh_token_ttl: DEFAULT_REFRESH_TOKEN_TTL,
            user_verification: UserVerification::Preferred,
            sign_up_allowed: true,
            signing_alg: SigningAlg::Es256,
            magic_link_binding: true,
            unknown_email_sign_up: true,
            sign_up_email_first: false,
            cross_device_links: false,
            require_par: false,
            mfa: crate::auth::mfa::MfaPolicy::Optional,
            email_templates: Map::new(),
            logo_url: None,
            accent_color: None,
            domain: None,
            created_at: now,
            updated_at: now,
        }
    }

    /// This app with the settings `changes` names replaced: a JSON merge patch (RFC 7396) of
    /// the serialized `changes` (absent fields skipped, `null` clearing an optional one).
    fn merged(&self, changes: &AppPatch) -> Result<Self> {
        super::merge_patch(self, changes)
    }

    /// Whether `uri` is exactly one of the app's redirect URIs: the only places an
    /// `auth_token` is ever sent (RFC 6749 §3.1.2.3: compared as strings, no patterns).
    pub fn allows_redirect_uri(&self, uri: &str) -> bool {
        self.redirect_uris.iter().any(|u| u == uri)
    }

    /// Whether `origin` is one of the app's web origins: those it lists, and its own domain's.
    pub fn has_origin(&self, origin: &str) -> bool {
        self.origins.iter().any(|o| o == origin)
            || self.domain_origin().is_some_and(|d| d == origin)
    }

    /// The app's web origins for WebAuthn: those it lists, and its own domain's.
    pub fn web_origins(&self) -> Vec<String> {
        let mut origins = self.origins.clone();
        if let Some(own) = self.domain_origin()
            && !origins.contains(&own)
        {
            origins.push(own);
        }
        origins
    }

    /// The origin of the app's own domain, if it has one: `https://{domain}`, or
    /// `http://{domain}` for a name under `localhost` (which browsers keep on this machine).
    pub fn domain_origin(&self) -> Option<String> {
        let domain = self.domain.as_deref()?;
        Some(format!("{}://{domain}", domain_scheme(domain)))
    }

    /// The ways of signing in the app offers, for its public configuration.
    pub fn sign_in_methods(&self) -> Vec<SignInMethod> {
        SignInMethod::ALL.to_vec()
    }

    /// Checks the whole app: ids, names, the RP ID and its origins, redirect URIs, lifetimes,
    /// templates and branding.
    fn validate(&self) -> Result<()> {
        // Names go into email headers and pages: no control characters (a CR/LF would break a
        // header).
        for (field, value) in [("name", &self.name), ("rp_name", &self.rp_name)] {
            if value.trim().is_empty()
                || value.chars().count() > 100
                || value.chars().any(char::is_control)
            {
                return invalid(format!(
                    "{field} must be 1 to 100 characters with no control characters"
                ));
            }
        }
        let rp_id = &self.rp_id;
        if rp_id.is_empty()
            || rp_id.len() > 253
            || rp_id != &rp_id.to_ascii_lowercase()
            || !rp_id
                .split('.')
                .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        {
            return invalid(
                "rp_id must be a lower-case domain name such as example.com or localhost",
            );
        }
        if self.origins.is_empty() {
            return invalid("origins must list at least one web origin, e.g. https://example.com");
        }
        for origin in &self.origins {
            check_origin(origin, rp_id)?;
        }
        for uri in &self.redirect_uris {
            check_redirect_uri(uri)?;
        }
        if !(60..=86_400).contains(&self.access_token_ttl) {
            return invalid("access_token_ttl must be between 60 and 86400 seconds");
        }
        if !(300..=31_536_000).contains(&self.refresh_token_ttl) {
            return invalid("refresh_token_ttl must be between 300 and 31536000 seconds");
        }
        crate::mail::validate_templates(&self.email_templates).map_err(Error::InvalidRequest)?;
        if let Some(logo) = &self.logo_url {
            let ok =
                url::Url::parse(logo).is_ok_and(|u| u.scheme() == "https") && logo.len() <= 2048;
            if !ok {
                return invalid("logo_url must be an https URL");
            }
        }
        if let Some(domain) = &self.domain {
            check_domain(domain, rp_id)?;
        }
        if let Some(color) = &self.accent_color {
            let ok = color.len() == 7
                && color.starts_with('#')
                && color[1..].bytes().all(|b| b.is_ascii_hexdigit());
            if !ok {
                return invalid("accent_color must be a colour in the form #rrggbb");
            }
        }
        Ok(())
    }
}

/// Whether `host` is `localhost` or a name under it: this machine (RFC 6761), which browsers
/// treat as a secure context even over http.
fn is_local_name(host: &str) -> bool {
    host == "localhost" || host.ends_with(".localhost")
}

/// The scheme an app's own domain is served with: https, or http for a name under `localhost`.
pub fn domain_scheme(domain: &str) -> &'static str {
    if is_local_name(domain_host(domain)) {
        "http"
    } else {
        "https"
    }
}

/// Whether `host` is the RP ID or a name under it (WebAuthn: the RP ID must be the origin's
/// host or a registrable suffix of it).
fn on_rp_id(host: &str, rp_id: &str) -> bool {
    host.strip_suffix(rp_id)
        .is_some_and(|rest| rest.is_empty() || rest.ends_with('.'))
}

/// The app's own host: a lower-case domain name on the RP ID, with a port only if it is not a
/// default one (browsers leave those out of `Host`, so a request could never match it).
fn check_domain(domain: &str, rp_id: &str) -> Result<()> {
    let (host, port) = match domain.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (domain, None),
    };
    let name_ok = !host.is_empty()
        && domain.len() <= 253
        && host.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
        // An IP address is no domain (and no RP ID).
        && !host.split('.').all(|l| l.bytes().all(|b| b.is_ascii_digit()));
    if !name_ok {
        return invalid(format!(
            "domain {domain:?} must be a lower-case host name such as login.example.com, with \
             an optional :port"
        ));
    }
    if let Some(port) = port {
        // Browsers share cookies between the ports of one host: a domain is a whole host,
        // served on the default port (behind the proxy), except on this machine.
        if !is_local_name(host) {
            return invalid(format!(
                "domain {domain:?} names a port: only a name under localhost may have one; serve \
                 the domain on the default port"
            ));
        }
        let port_ok = port
            .parse::<u16>()
            .is_ok_and(|p| p != 0 && p != 80 && p != 443 && port == p.to_string());
        if !port_ok {
            return invalid(format!(
                "domain {domain:?} has a bad port: give one from 1 to 65535, and none for the \
                 default ports 80 and 443"
            ));
        }
    }
    if !on_rp_id(host, rp_id) {
        return invalid(format!(
            "domain {domain:?} is not on rp_id {rp_id:?}: it must be the RP ID or a subdomain of \
             it, for passkeys to work there"
        ));
    }
    Ok(())
}

/// A web origin the app may list: `scheme://host[:port]`, https (http only for localhost), on
/// the RP ID (WebAuthn: the RP ID must be the origin's host or a registrable suffix of it).
fn check_origin(origin: &str, rp_id: &str) -> Result<()> {
    let url = url::Url::parse(origin)
        .map_err(|_| Error::InvalidRequest(format!("origin {origin:?} is not a URL")))?;
    if url.origin().ascii_serialization() != origin {
        return invalid(format!(
            "origin {origin:?} must be scheme://host[:port] with no path or trailing slash"
        ));
    }
    let host = url.host_str().unwrap_or_default();
    if url.scheme() != "https" && !(url.scheme() == "http" && is_local_name(host)) {
        return invalid(format!(
            "origin {origin:?} must use https (http is allowed only for localhost)"
        ));
    }
    if !on_rp_id(host, rp_id) {
        return invalid(format!(
            "origin {origin:?} is not on rp_id {rp_id:?}: its host must be the RP ID or a subdomain of it"
        ));
    }
    Ok(())
}

/// A URI that may receive a token by redirect: https without a fragment, or plain http only to
/// this machine (OAuth 2.1 §8.4.2, loopback redirects).
pub fn check_redirect_uri(uri: &str) -> Result<()> {
    let ok = url::Url::parse(uri)
        .map(|u| {
            let loopback = matches!(u.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
            (u.scheme() == "https" || (u.scheme() == "http" && loopback))
                && u.fragment().is_none()
                && plain_host(&u)
        })
        .unwrap_or(false);
    if ok {
        Ok(())
    } else {
        invalid(format!(
            "redirect_uri {uri:?} must be an https URL without a fragment (http only for localhost)"
        ))
    }
}

/// Whether `url` names its host plainly: an IP address, or a name of letters, digits, dots and
/// hyphens (the URL parser lets characters such as `*`, `;` or `'` through, which no real host
/// has and which must never reach a header such as a Content-Security-Policy).
pub(crate) fn plain_host(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(name)) => {
            !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
        }
        Some(url::Host::Ipv4(_) | url::Host::Ipv6(_)) => true,
        None => false,
    }
}

/// `POST /admin/apps`: the id, and the settings of [`AppPatch`] to start from instead of the
/// defaults, of which `name`, `rp_id` and `origins` are required.
#[derive(Debug, Serialize)]
pub struct NewApp {
    pub id: String,
    #[serde(flatten)]
    pub settings: AppPatch,
}

impl NewApp {
    /// An app with every setting but the required ones at its default.
    pub fn new(id: String, name: String, rp_id: String, origins: Vec<String>) -> Self {
        Self {
            id,
            settings: AppPatch {
                name: Some(name),
                rp_id: Some(rp_id),
                origins: Some(origins),
                ..AppPatch::default()
            },
        }
    }
}

impl<'de> Deserialize<'de> for NewApp {
    /// `id` beside the fields of [`AppPatch`], which refuses any other (serde's `flatten`
    /// cannot refuse unknown fields).
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        use serde::de::Error as _;
        let UniqueFields(mut fields) = UniqueFields::deserialize(d)?;
        let id = match fields.remove("id") {
            Some(Value::String(id)) => id,
            Some(_) => return Err(D::Error::custom("id must be a string")),
            None => return Err(D::Error::missing_field("id")),
        };
        let settings: AppPatch =
            serde_json::from_value(Value::Object(fields)).map_err(D::Error::custom)?;
        for (field, given) in [
            ("name", settings.name.is_some()),
            ("rp_id", settings.rp_id.is_some()),
            ("origins", settings.origins.is_some()),
        ] {
            if !given {
                return Err(D::Error::missing_field(field));
            }
        }
        Ok(Self { id, settings })
    }
}

/// A JSON object whose members each appear once (serde's maps keep the last of a repeated one).
struct UniqueFields(Map<String, Value>);

impl<'de> Deserialize<'de> for UniqueFields {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = UniqueFields;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut access: A,
            ) -> std::result::Result<UniqueFields, A::Error> {
                let mut fields = Map::new();
                while let Some((name, value)) = access.next_entry::<String, Value>()? {
                    if fields.contains_key(&name) {
                        return Err(serde::de::Error::custom(format!(
                            "duplicate field `{name}`"
                        )));
                    }
                    fields.insert(name, value);
                }
                Ok(UniqueFields(fields))
            }
        }
        d.deserialize_map(Visitor)
    }
}

/// The schema of [`NewApp`]: [`AppPatch`]'s fields and `id`, with the required ones marked.
impl utoipa::PartialSchema for NewApp {
    /// [`AppPatch`]'s object (which admits no other property) with `id` added, and `id`,
    /// `name`, `rp_id` and `origins` required.
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::RefOr;
        use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
        let RefOr::T(Schema::Object(mut object)) = <AppPatch as utoipa::PartialSchema>::schema()
        else {
            return RefOr::T(Schema::default());
        };
        object.properties.insert(
            "id".to_owned(),
            ObjectBuilder::new()
                .schema_type(Type::String)
                .description(Some("The app id: [a-z0-9][a-z0-9-]{1,62}"))
                .into(),
        );
        object.required = ["id", "name", "rp_id", "origins"]
            .map(str::to_owned)
            .to_vec();
        object.description = Some(
            "The app's id and settings; any setting left out takes its default (rp_name: the \
             name)."
                .to_owned(),
        );
        RefOr::T(Schema::Object(object))
    }
}

impl utoipa::ToSchema for NewApp {
    fn schemas(
        schemas: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        schemas.push((
            "AppPatch".to_owned(),
            <AppPatch as utoipa::PartialSchema>::schema(),
        ));
        <AppPatch as utoipa::ToSchema>::schemas(schemas);
    }
}

/// `PATCH /admin/apps/{app}`: every field optional; the id never changes.
#[derive(Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppPatch {
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
    pub rp_id: Option<String>,
    #[serde(
        default,
        deserialize_with = "super::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(nullable = false)]
    pub rp_name: Option<String>,
    #[serde(
        default,
        deserialize_with = "super::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(nullable = false)]
    pub origins: Option<Vec<String>>,
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
    pub access_token_ttl: Option<i64>,
    #[serde(
        default,
        deserialize_with = "super::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(nullable = false)]
    pub refresh_token_ttl: Option<i64>,
    #[serde(
        default,
        deserialize_with = "super::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(nullable = false)]
    pub user_verification: Option<UserVerification>,
    #[serde(
        default,
        deserialize_with = "super::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(nullable = false)]
    pub sign_up_allowed: Option<bool>,
    #[serde(
        default,
        deserialize_with = "super::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(nullable = false)]
    pub signing_alg: Option<SigningAlg>,
    #[serde(
        default,
        deserialize_with = "super::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(nullable = false)]
    pub magic_link_binding: Option<bool>,
    #[serde(
        default,
        deserialize_with = "super::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(nullable = false)]
    pub unknown_email_sign_up: Option<bool>,
    #[serde(
        default,
        deserialize_with = "super::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(nullable = false)]
    pub sign_up_email_first: Option<bool>,
    #[serde(
        default,
        deserialize_with = "super::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(nullable = false)]
    pub cross_device_links: Option<bool>,
    #[serde(
        default,
        deserialize_with = "super::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(nullable = false)]
    pub require_par: Option<bool>,
    #[serde(
        default,
        deserialize_with = "super::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(nullable = false)]
    pub mfa: Option<crate::auth::mfa::MfaPolicy>,
    #[serde(
        default,
        deserialize_with = "super::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(nullable = false)]
    pub email_templates: Option<Map<String, Value>>,
    /// `null` removes the logo.
    #[serde(
        default,
        deserialize_with = "super::nullable",
        skip_serializing_if = "Option::is_none"
    )]
    pub logo_url: Option<Option<String>>,
    /// `null` restores the default colour.
    #[serde(
        default,
        deserialize_with = "super::nullable",
        skip_serializing_if = "Option::is_none"
    )]
    pub accent_color: Option<Option<String>>,
    /// The app's own host (e.g. `login.example.com`); `null` removes it.
    #[serde(
        default,
        deserialize_with = "super::nullable",
        skip_serializing_if = "Option::is_none"
    )]
    pub domain: Option<Option<String>>,
}

/// Recently read apps, so the hot path does not read the app row on every request.
#[derive(Default)]
pub(crate) struct AppCache(RwLock<HashMap<AppId, (Arc<App>, Instant)>>);

impl AppCache {
    fn get(&self, id: &str) -> Option<Arc<App>> {
        let map = self.0.read().unwrap_or_else(|e| e.into_inner());
        map.get(id)
            .filter(|(_, at)| at.elapsed() < APP_CACHE_TTL)
            .map(|(app, _)| app.clone())
    }

    /// Whether `id` was found to exist since this instance started (and not deleted here),
    /// however long ago.
    fn known(&self, id: &str) -> bool {
        let map = self.0.read().unwrap_or_else(|e| e.into_inner());
        map.contains_key(id)
    }

    fn put(&self, app: Arc<App>) {
        let mut map = self.0.write().unwrap_or_else(|e| e.into_inner());
        map.insert(app.id.clone(), (app, Instant::now()));
    }

    fn forget(&self, id: &AppId) {
        let mut map = self.0.write().unwrap_or_else(|e| e.into_inner());
        map.remove(id);
    }
}

/// Where a request reached its app.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Site {
    /// Through the instance's `PUBLIC_URL`, under `/apps/{app}`.
    #[default]
    Shared,
    /// On the app's own domain, at its root.
    Own,
}

/// Which app each domain is.
type Domains = Arc<HashMap<String, AppId>>;

/// Every app's own domain, read whole from the store at most once per [`APP_CACHE_TTL`], so
/// that a request naming a host no app has (anyone may send any `Host`) never costs a store read
/// of its own.
#[derive(Default)]
pub(crate) struct DomainMap {
    /// The domains read last: when, and in which generation.
    read: RwLock<Option<DomainsRead>>,
    /// Moved on by every change of an app here: a read that began before it is stale.
    generation: std::sync::atomic::AtomicU64,
    /// Held by the one request that reads them again.
    reload: tokio::sync::Mutex<()>,
}

struct DomainsRead {
    domains: Domains,
    at: Instant,
    generation: u64,
}

impl DomainMap {
    /// The domains read last, and whether they are still fresh.
    fn last(&self) -> Option<(Domains, bool)> {
        let read = self.read.read().unwrap_or_else(|e| e.into_inner());
        read.as_ref().map(|r| (r.domains.clone(), self.is_fresh(r)))
    }

    /// `host`'s app if the domains read last are fresh (`None` if they are not): what most
    /// requests cost, a lookup under a read lock.
    fn fresh_lookup(&self, host: &str) -> Option<Option<AppId>> {
        let read = self.read.read().unwrap_or_else(|e| e.into_inner());
        read.as_ref()
            .filter(|r| self.is_fresh(r))
            .map(|r| r.domains.get(host).cloned())
    }

    fn is_fresh(&self, read: &DomainsRead) -> bool {
        read.at.elapsed() < APP_CACHE_TTL
            && read.generation == self.generation.load(std::sync::atomic::Ordering::Acquire)
    }

    fn generation(&self) -> u64 {
        self.generation.load(std::sync::atomic::Ordering::Acquire)
    }

    /// Keeps `domains`, read from the store from `generation` on.
    fn put(&self, domains: Domains, generation: u64) {
        let mut read = self.read.write().unwrap_or_else(|e| e.into_inner());
        *read = Some(DomainsRead {
            domains,
            at: Instant::now(),
            generation,
        });
    }

    /// Makes the next lookup read the domains again.
    fn expire(&self) {
        self.generation
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    }
}

/// Apps: the admin API's and the CLI's operations, and the lookup every request makes.
pub struct Apps<'a> {
    pub(super) auth: &'a Auth,
}

impl Apps<'_> {
    /// The app `id` if the cache holds it fresh: what a request costs nothing to find.
    pub fn cached(&self, id: &str) -> Option<Arc<App>> {
        self.auth.apps.get(id)
    }

    /// Whether this instance has found `id` to exist before: its lookup is no guess.
    pub fn known(&self, id: &str) -> bool {
        self.auth.apps.known(id)
    }

    /// The app whose own domain is `host` (lower-case, with a port only if not a default one),
    /// if any.
    pub async fn by_domain(&self, host: &str) -> Option<AppId> {
        let domains = &self.auth.domains;
        if let Some(found) = domains.fresh_lookup(host) {
            return found;
        }
        let last = domains.last();
        let _reloading = match (domains.reload.try_lock(), &last) {
            (Ok(guard), _) => guard,
            // Another request is reading them: what was read last serves meanwhile.
            (Err(_), Some((map, _))) => return map.get(host).cloned(),
            // Nothing read yet: wait for that read.
            (Err(_), None) => {
                let guard = domains.reload.lock().await;
                if let Some((map, true)) = domains.last() {
                    return map.get(host).cloned();
                }
                guard
            }
        };
        let generation = domains.generation();
        let read = async {
            let mut reader = self.auth.store.read().await?;
            Ok::<_, Error>(store::apps::domains(&mut reader.conn()).await?)
        };
        let map = match read.await {
            Ok(rows) => Arc::new(rows.into_iter().collect::<HashMap<_, _>>()),
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the apps' domains; using those read last");
                last.map(|(map, _)| map).unwrap_or_default()
            }
        };
        domains.put(map.clone(), generation);
        map.get(host).cloned()
    }

    /// The base URL of the app's paths as `site` serves them: `PUBLIC_URL/apps/{app}`, or the
    /// origin of the app's own domain (for [`Site::Own`], when it has one).
    pub fn base_url(&self, app: &App, site: Site) -> String {
        match (site, app.domain_origin()) {
            (Site::Own, Some(origin)) => origin,
            _ => format!("{}/apps/{}", self.auth.public_url, app.id),
        }
    }

    /// The app `id`, from the cache when fresh; `NotFound` if there is none (or `id` could not
    /// be an app id).
    pub async fn get(&self, id: &str) -> Result<Arc<App>> {
        if let Some(app) = self.auth.apps.get(id) {
            return Ok(app);
        }
        let not_found = || Error::NotFound(format!("there is no app {id:?}"));
        let id = AppId::parse(id).ok_or_else(not_found)?;
        let mut reader = self.auth.store.read().await?;
        let app = store::apps::find_app(&mut reader.conn(), &id)
            .await?
            .ok_or_else(not_found)?;
        let app = Arc::new(app);
        self.auth.apps.put(app.clone());
        Ok(app)
    }

    #[tracing::instrument(level = "debug", skip_all, fields(app = tracing::field::Empty))]
    pub async fn create(&self, new: NewApp) -> Result<App> {
        let id = AppId::parse(&new.id)
            .ok_or_else(|| Error::InvalidRequest("id must match [a-z0-9][a-z0-9-]{1,62}".into()))?;
        tracing::Span::current().record("app", id.as_str());
        let now = self.auth.clock.now();
        let mut settings = new.settings;
        // The relying party is named after the app unless it is named on its own.
        if settings.rp_name.is_none() {
            settings.rp_name.clone_from(&settings.name);
        }
        let app = App::with_defaults(id, now).merged(&settings)?;
        check(&app, self.own_host().as_deref())?;
        let app = self
            .auth
            .store
            .write(move |tx| {
                Box::pin(async move {
                    domain_free(tx, &app).await?;
                    let taken = conflict(if app.domain.is_some() {
                        format!(
                            "app {:?} already exists, or its domain is another app's",
                            app.id.as_str()
                        )
                    } else {
                        format!("app {:?} already exists", app.id.as_str())
                    });
                    store::apps::insert_app(tx, &app).await.map_err(taken)?;
                    Ok::<_, Error>(app)
                })
            })
            .await?;
        self.auth.domains.expire();
        Ok(app)
    }

    #[tracing::instrument(level = "debug", skip_all, fields(app = tracing::field::Empty))]
    pub async fn update(&self, id: &str, patch: AppPatch) -> Result<App> {
        let not_found = || Error::NotFound(format!("there is no app {id:?}"));
        let id = AppId::parse(id).ok_or_else(not_found)?;
        tracing::Span::current().record("app", id.as_str());
        let now = self.auth.clock.now();
        let key = id.clone();
        let missing = not_found();
        let own_host = self.own_host();
        let app = self
            .auth
            .store
            .write(move |tx| {
                Box::pin(async move {
                    let old = store::apps::find_app(tx, &key).await?.ok_or(missing)?;
                    let mut app = old.merged(&patch)?;
                    app.updated_at = now;
                    check(&app, own_host.as_deref())?;
                    domain_free(tx, &app).await?;
                    let taken = conflict("that domain is another app's");
                    store::apps::update_app(tx, &app).await.map_err(taken)?;
                    if app.signing_alg != old.signing_alg {
                        // Tokens already issued stay verifiable: the retired key stays in the
                        // JWKS.
                        store::signing_keys::retire_active(tx, &key, now).await?;
                    }
                    Ok::<_, Error>(app)
                })
            })
            .await?;
        self.forget(&id);
        Ok(app)
    }

    #[tracing::instrument(level = "debug", skip_all, fields(app = tracing::field::Empty))]
    pub async fn delete(&self, id: &str) -> Result<()> {
        let not_found = || Error::NotFound(format!("there is no app {id:?}"));
        let id = AppId::parse(id).ok_or_else(not_found)?;
        tracing::Span::current().record("app", id.as_str());
        let key = id.clone();
        let missing = not_found();
        self.auth
            .store
            .write(move |tx| {
                Box::pin(async move {
                    if store::apps::delete_app(tx, &key).await? {
                        Ok(())
                    } else {
                        Err(missing)
                    }
                })
            })
            .await?;
        self.forget(&id);
        // Its keys went with it: none may work on an app re-created under the same id.
        self.auth.api_keys.forget_app(&id);
        Ok(())
    }

    /// Apps ordered by id, after `cursor`, at most `limit`.
    pub async fn list(&self, cursor: Option<&str>, limit: i64) -> Result<Vec<App>> {
        let mut reader = self.auth.store.read().await?;
        Ok(store::apps::list_apps(&mut reader.conn(), cursor, limit).await?)
    }

    /// Drops what this instance cached of the app: its settings, its signing keys and the
    /// domains.
    fn forget(&self, id: &AppId) {
        self.auth.apps.forget(id);
        self.auth.keys.forget(id);
        self.auth.domains.expire();
    }

    /// This instance's own host name (`PUBLIC_URL`'s).
    fn own_host(&self) -> Option<String> {
        url::Url::parse(&self.auth.public_url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
    }
}

/// The host name of a domain, without its port: what browsers scope cookies to.
fn domain_host(domain: &str) -> &str {
    domain.split(':').next().unwrap_or_default()
}

/// Checks the whole app ([`App::validate`]), and that its domain is not on `own_host`, this
/// instance's host name.
fn check(app: &App, own_host: Option<&str>) -> Result<()> {
    app.validate()?;
    if app
        .domain
        .as_deref()
        .map(domain_host)
        .is_some_and(|h| Some(h) == own_host)
    {
        return invalid(
            "domain must not be this instance's own host (PUBLIC_URL): every app is served there \
             already",
        );
    }
    Ok(())
}

/// Refuses a domain on a host another app's domain is on (whatever the ports: browsers share
/// cookies between them).
async fn domain_free(tx: &mut store::Conn<'_>, app: &App) -> Result<()> {
    let Some(domain) = &app.domain else {
        return Ok(());
    };
    let taken = store::apps::domains(tx)
        .await?
        .into_iter()
        .any(|(other, owner)| owner != app.id && domain_host(&other) == domain_host(domain));
    if taken {
        return Err(Error::Conflict(format!(
            "domain {domain:?} is on a host another app's domain is on"
        )));
    }
    Ok(())
}

/// An app for unit tests: `id` on rp_id `example.com` with origin `https://example.com`, every
/// other setting at its default.
#[cfg(test)]
pub(crate) fn test_app(id: &str) -> App {
    let new = NewApp::new(
        id.to_owned(),
        format!("App {id}"),
        "example.com".into(),
        vec!["https://example.com".into()],
    );
    let id = AppId::parse(&new.id).unwrap_or_else(|| panic!("{id:?} is not an app id"));
    let mut settings = new.settings;
    settings.rp_name.clone_from(&settings.name);
    App::with_defaults(id, 1)
        .merged(&settings)
        .unwrap_or_else(|e| panic!("{e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app() -> App {
        test_app("shop")
    }

    #[test]
    fn new_apps_need_a_name_an_rp_and_origins_and_nothing_unknown() {
        let parse = |v: Value| serde_json::from_value::<NewApp>(v).map(|n| n.settings);
        let ok = parse(
            serde_json::json!({"id": "a1", "name": "A", "rp_id": "a.example",
            "origins": ["https://a.example"], "signing_alg": "EdDSA"}),
        );
        assert_eq!(ok.ok().and_then(|s| s.signing_alg), Some(SigningAlg::EdDsa));
        for bad in [
            serde_json::json!({"name": "A", "rp_id": "a.example", "origins": []}),
            serde_json::json!({"id": 5, "name": "A", "rp_id": "a.example", "origins": []}),
            serde_json::json!({"id": "a1", "rp_id": "a.example", "origins": []}),
            serde_json::json!({"id": "a1", "name": "A", "rp_id": "a.example", "origins": [],
                "colour": "red"}),
        ] {
            assert!(parse(bad.clone()).is_err(), "{bad}");
        }
        for bad in [
            r#"{"id": "a1", "id": "a2", "name": "A", "rp_id": "a.example", "origins": []}"#,
            r#"{"id": "a1", "name": "A", "name": "B", "rp_id": "a.example", "origins": []}"#,
            "[]",
        ] {
            assert!(serde_json::from_str::<NewApp>(bad).is_err(), "{bad}");
        }
        let with_created_at = serde_json::json!({"id": "a1", "name": "A", "rp_id": "a.example",
            "origins": [], "created_at": "2026-01-01T00:00:00Z"});
        assert!(
            parse(with_created_at).is_err(),
            "created_at is not a setting"
        );
        let mut named = app();
        named.rp_name = String::new();
        assert!(named.validate().is_err(), "an empty rp_name is refused");
    }

    #[test]
    fn patches_merge_over_the_stored_app() {
        let mut base = app();
        base.logo_url = Some("https://example.com/logo.png".into());
        let patch = AppPatch {
            name: Some("Shop Inc".into()),
            signing_alg: Some(SigningAlg::EdDsa),
            logo_url: Some(None),
            ..AppPatch::default()
        };
        let merged = base.merged(&patch).expect("merges");
        assert_eq!(merged.name, "Shop Inc");
        assert_eq!(merged.signing_alg, SigningAlg::EdDsa);
        assert_eq!(merged.logo_url, None);
        assert_eq!(merged.rp_name, base.rp_name);
        assert_eq!(merged.created_at, 1);
        assert!(merged.validate().is_ok());
    }

    #[test]
    fn redirect_uris_are_https_or_loopback() {
        for good in [
            "https://example.com/cb",
            "http://localhost:3000/cb",
            "http://127.0.0.1/cb",
        ] {
            assert!(check_redirect_uri(good).is_ok(), "{good}");
        }
        for bad in [
            "http://example.com/cb",
            "https://example.com/cb#x",
            "javascript:alert(1)",
            "/relative",
        ] {
            assert!(check_redirect_uri(bad).is_err(), "{bad}");
        }
        let mut app = app();
        app.redirect_uris = vec!["https://example.com/cb".into()];
        assert!(app.allows_redirect_uri("https://example.com/cb"));
        assert!(!app.allows_redirect_uri("https://example.com/cb/"));
    }
}
