//! The OpenAPI 3.1 description of every route (`GET /openapi.json`) and a page to read it
//! (`GET /docs`). Each handler carries its own `#[utoipa::path]`; each surface module gathers
//! them in one `#[derive(OpenApi)]` struct, and [`document`] merges those here. The page is the
//! hosted pages' shell plus `/assets/docs.js`, which renders the document in the browser: no
//! third-party script, no build step, nothing downloaded.

use std::sync::OnceLock;

use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

use super::AppState;
use super::extract::PageLimit;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi_json))
        .route("/docs", get(docs))
}

/// The document's frame: info, tags, security schemes and the two routes of this module.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Latchkey",
        description = "Self-hosted, passkey-first authentication server. One instance serves many \
            apps (tenants); `{app}` in a path is the app id. Bodies are JSON with snake_case \
            fields, except WebAuthn objects, which use the standard WebAuthn JSON forms. Errors \
            are RFC 9457 problem details (`application/problem+json`) with a stable `code`."
    ),
    paths(openapi_json, docs),
    modifiers(&SecuritySchemes),
    tags(
        (name = "browser", description = "Browser API: called from the app's web pages (CORS for \
            the app's origins, with credentials). The caller is identified by the session cookie \
            or `Authorization: Bearer <access_token>`."),
        (name = "email", description = "Email codes and magic links on the browser API."),
        (name = "mfa", description = "Multi-factor authentication on the browser API: the \
            signed-in user's second factors (authenticator apps), backup codes and \
            re-authentication."),
        (name = "pages", description = "The hosted login and account pages and their assets."),
        (name = "server", description = "Server API: called from the app's backend with an app \
            API key (`Authorization: Bearer <api key>`). No CORS."),
        (name = "admin", description = "Admin API: the instance operator, with an admin key."),
        (name = "standards", description = "Operations and standards endpoints: health, \
            readiness, metrics, JWKS, this description, the browser SDK."),
        (name = "oidc", description = "Each app's OAuth 2.1 authorization server and OpenID \
            Provider (issuer: the app's base URL). The protocol endpoints take forms and answer \
            errors in OAuth's form (`{\"error\", \"error_description\"}`)."),
        (name = "compat", description = "Compatibility with hosted passkey services (Passlock, \
            PasskeyMe, PlainKey), mapped onto the same users and tokens."),
    )
)]
struct Frame;

/// The security schemes the operations name.
struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let bearer = |description: &str, format: Option<&str>| {
            let mut http = HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .description(Some(description));
            if let Some(format) = format {
                http = http.bearer_format(format);
            }
            SecurityScheme::Http(http.build())
        };
        components.add_security_scheme(
            "session_cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                super::extract::SESSION_COOKIE,
                "The HttpOnly session cookie every sign-in sets. A state-changing request that \
                 relies on it must carry an allowed `Origin`.",
            ))),
        );
        components.add_security_scheme(
            "access_token",
            bearer("An access token (JWT) from a sign-in result.", Some("JWT")),
        );
        components.add_security_scheme(
            "api_key",
            bearer("A secret API key of the app in the path.", None),
        );
        components.add_security_scheme("admin_key", bearer("An instance admin key.", None));
        components.add_security_scheme(
            "metrics_token",
            bearer("LATCHKEY_METRICS_TOKEN, when it is set.", None),
        );
        components.add_security_scheme(
            "server_token",
            bearer(
                "A PlainKey-style server access token from `POST /compat/plainkey/server/access-token`, \
                 sent with `x-project-id`.",
                None,
            ),
        );
    }
}

/// The whole description: the frame merged with every surface's operations.
pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = Frame::openapi();
    doc.info.version = env!("CARGO_PKG_VERSION").to_owned();
    for part in [
        super::browser::Api::openapi(),
        super::email::Api::openapi(),
        super::mfa::Api::openapi(),
        super::pages::Api::openapi(),
        super::server_api::Api::openapi(),
        super::roles::Api::openapi(),
        super::organizations::Api::openapi(),
        super::admin::Api::openapi(),
        super::ops::Api::openapi(),
        super::assets::Api::openapi(),
        super::oidc::Api::openapi(),
        super::compat::passlock::Api::openapi(),
        super::compat::passkeyme::Api::openapi(),
        super::compat::plainkey::Api::openapi(),
    ] {
        doc.merge(part);
    }
    add_common_responses(&mut doc);
    doc
}

/// The answers every operation can give whatever its handler does, added where an operation
/// does not name them itself: 400 for control characters in the URL (`refuse_nul`), and, for
/// an operation with a JSON body, 408 when the body does not arrive in time (the connection
/// layer's body timeout).
fn add_common_responses(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    let problem = |description: &str| {
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/problem+json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("Problem")))
                    .build(),
            )
            .build()
    };
    for (path, item) in &mut doc.paths.paths {
        // Naming an app this instance has never found is limited per client (`unknown_apps`).
        let names_app = path.contains("{app}");
        for op in [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ]
        .into_iter()
        .flatten()
        {
            let responses = &mut op.responses.responses;
            let url_refused = problem("invalid_request: control characters in the URL");
            match responses.entry("400".to_owned()) {
                std::collections::btree_map::Entry::Vacant(entry) => {
                    entry.insert(url_refused.into());
                }
                // A page's own 400 is HTML; the URL check before it answers problem+json.
                std::collections::btree_map::Entry::Occupied(mut entry) => {
                    if let utoipa::openapi::RefOr::T(response) = entry.get_mut()
                        && !response.content.contains_key("application/problem+json")
                        && let Some(problem_json) =
                            url_refused.content.get("application/problem+json")
                    {
                        response
                            .content
                            .insert("application/problem+json".to_owned(), problem_json.clone());
                    }
                }
            }
            // A key that does not work is counted against its client (`bad_keys`): past the
            // limit, every keyed call from that client waits.
            // The security schemes the operation names, in any of its alternatives.
            let schemes: Vec<String> = op
                .security
                .iter()
                .flatten()
                .filter_map(|requirement| serde_json::to_value(requirement).ok())
                .filter_map(|r| r.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>()))
                .flatten()
                .collect();
            let names = |wanted: &[&str]| schemes.iter().any(|s| wanted.contains(&s.as_str()));
            let keyed = names(&["api_key", "admin_key", "server_token", "metrics_token"]);
            // A route that takes an access token takes it even where it is optional: a bad one
            // is refused, not ignored.
            let bearer = names(&["access_token"]);
            if bearer {
                responses.entry("401".to_owned()).or_insert_with(|| {
                    problem("unauthorized: the access token is not valid").into()
                });
            }
            if keyed || names_app {
                responses.entry("429".to_owned()).or_insert_with(|| {
                    problem("rate_limited: too many requests from this client (see Retry-After)")
                        .into()
                });
            }
            let json_body = op
                .request_body
                .as_ref()
                .is_some_and(|body| body.content.keys().any(|c| c.contains("json")));
            if json_body {
                responses.entry("408".to_owned()).or_insert_with(|| {
                    problem("request_timeout: the body did not arrive within the body timeout")
                        .into()
                });
            }
        }
    }
}

/// The document, serialized once.
fn document_json() -> &'static str {
    static JSON: OnceLock<String> = OnceLock::new();
    JSON.get_or_init(|| serde_json::to_string(&document()).unwrap_or_else(|_| "{}".to_owned()))
}

/// The OpenAPI 3.1 description of this server's HTTP API.
#[utoipa::path(
    get, path = "/openapi.json", tag = "standards",
    responses(
        (status = 200, description = "The OpenAPI document", content_type = "application/json", body = Object),
        (status = 429, description = "rate_limited: too many requests (see Retry-After)", body = Problem, content_type = "application/problem+json"),
    ),
)]
async fn openapi_json(_: PageLimit) -> Response {
    let mut response = (
        [(header::CONTENT_TYPE, "application/json")],
        document_json(),
    )
        .into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    response
}

/// A page to read the API description, rendered in the browser from `/openapi.json`.
#[utoipa::path(
    get, path = "/docs", tag = "standards",
    responses(
        (status = 200, description = "An HTML page", content_type = "text/html", body = String),
        (status = 429, description = "rate_limited: too many requests (see Retry-After)", body = Problem, content_type = "application/problem+json"),
    ),
)]
async fn docs(_: PageLimit) -> Response {
    super::pages::plain_page(
        StatusCode::OK,
        "Latchkey API",
        "<p id=\"intro\">Loading the API description from \
         <a href=\"/openapi.json\">/openapi.json</a>…</p>\
         <nav id=\"toc\" aria-label=\"Sections\"></nav><div id=\"api\"></div>\
         <noscript><p>This page needs JavaScript; the description itself is \
         <a href=\"/openapi.json\">/openapi.json</a>.</p></noscript>",
        Some("docs.js"),
    )
}

// ----- Shapes that only the description needs: bodies the server does not build or parse as
// one type of its own (the WebAuthn JSON the library reads and writes, OAuth errors of the
// compatibility routes).

pub use super::error::Problem;

/// An RFC 6749 §5.2 OAuth error body.
#[derive(Serialize, ToSchema)]
pub struct OAuthError {
    #[schema(example = "invalid_client")]
    pub error: String,
    pub error_description: String,
}

/// `{"publicKey": PublicKeyCredentialCreationOptionsJSON}` for `navigator.credentials.create()`
/// (or `…RequestOptionsJSON` for `get()`), as `PublicKeyCredential.parse…OptionsFromJSON()`
/// consumes it.
#[derive(Serialize, ToSchema)]
pub struct CredentialOptions {
    #[serde(rename = "publicKey")]
    pub public_key: Map<String, Value>,
}

/// The `PublicKeyCredential` JSON from `navigator.credentials.create()` or `.get()`
/// (`credential.toJSON()`: `id`, `rawId`, `type`, `response`, `clientExtensionResults`, …,
/// base64url without padding); registration also takes an optional `name` for the passkey.
#[derive(Serialize, ToSchema)]
pub struct PublicKeyCredentialJson {
    pub id: String,
    #[serde(rename = "rawId")]
    pub raw_id: String,
    /// `public-key`.
    #[serde(rename = "type")]
    pub kind: String,
    /// `AuthenticatorAttestationResponseJSON` or `AuthenticatorAssertionResponseJSON`.
    pub response: Map<String, Value>,
    #[serde(rename = "clientExtensionResults")]
    pub client_extension_results: Option<Map<String, Value>>,
    #[serde(rename = "authenticatorAttachment")]
    pub authenticator_attachment: Option<String>,
    /// Registration only: a name for the new passkey.
    pub name: Option<String>,
}
