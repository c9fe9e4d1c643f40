//! Each app's OpenID Provider over HTTP: discovery, the authorization endpoint with its consent
//! page, PAR, token, userinfo, introspection, revocation and RP-initiated logout, under
//! `/apps/{app}` (and at the root of the app's own domain). The protocol endpoints speak OAuth's
//! error form (`{"error", "error_description"}`), take forms
//! (`application/x-www-form-urlencoded`) as their RFCs say, and answer `no-store`. The browser
//! API's consent list is here too.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::AppState;
use super::error::{ApiError, ApiResult};
use super::extract::{
    AppCtx, CookieSession, Meta, PageLimit, PathParams, QueryParams, SESSION_COOKIE, Signed, bearer,
};
use super::openapi::Problem;
use super::pages::{allow_form_target, page, refusal, served_elsewhere};
use crate::auth::dpop::ProofTarget;
use crate::auth::oauth_clients::{OAuthClient, Scope, TokenAuthMethod};
use crate::auth::oidc::{
    Authorization, ClientCredentials, Consent, Introspection, Introspector, Logout, LogoutParams,
    OAuthErrorCode, ProviderMetadata, TokenParams, Tokens, oauth_error,
};
use crate::auth::throttle::Rule;
use crate::auth::{App, Error, RequestMeta, Site};
use crate::crypto::Secret;
use crate::mail::escape_html;

/// The OpenID Provider's operations, for the OpenAPI description.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        openid_configuration,
        authorization_server,
        authorize,
        consent,
        par,
        token,
        userinfo_get,
        userinfo_post,
        introspect,
        revoke,
        logout_get,
        logout_post,
        list_consents,
        revoke_consent
    ),
    components(schemas(
        OAuthErrorBody,
        TokenResponse,
        PushedResponse,
        ConsentList,
        ConsentForm,
        ClientAuthForm,
        TokenParams
    ))
)]
pub(super) struct Api;

pub fn routes() -> Router<AppState> {
    // What a client running in a browser calls answers any origin (see the origin policy);
    // the 405 answer is set before the layer, so that a preflight reaches it.
    let open = Router::new()
        .route(
            "/apps/{app}/.well-known/openid-configuration",
            get(openid_configuration),
        )
        .route(
            "/apps/{app}/.well-known/oauth-authorization-server",
            get(authorization_server),
        )
        .route("/apps/{app}/oauth/par", post(par))
        .route("/apps/{app}/oauth/token", post(token))
        .route(
            "/apps/{app}/oauth/userinfo",
            get(userinfo_get).post(userinfo_post),
        )
        .route("/apps/{app}/oauth/revoke", post(revoke))
        .method_not_allowed_fallback(super::method_not_allowed)
        .layer(super::origin::open_cors());
    Router::new()
        .merge(open)
        .route("/apps/{app}/oauth/authorize", get(authorize))
        .route("/apps/{app}/oauth/consent", post(consent))
        .route("/apps/{app}/oauth/introspect", post(introspect))
        .route(
            "/apps/{app}/oauth/logout",
            get(logout_get).post(logout_post),
        )
}

/// The browser API's part: the signed-in person's consents (CORS like the rest of it).
pub fn browser_routes() -> Router<AppState> {
    Router::new()
        .route("/apps/{app}/consents", get(list_consents))
        .route("/apps/{app}/consents/{client_id}", delete(revoke_consent))
}

/// An OAuth error answer (RFC 6749 section 5.2).
#[derive(Serialize, utoipa::ToSchema)]
pub struct OAuthErrorBody {
    /// A code of RFC 6749 or the specifications that extend it.
    error: String,
    /// A sentence saying what was wrong.
    error_description: String,
}

/// A domain refusal answered in OAuth's form.
pub struct OAuthError(Error);

impl From<Error> for OAuthError {
    fn from(e: Error) -> Self {
        Self(e)
    }
}

type OAuthResult<T> = Result<T, OAuthError>;

const NO_STORE: [(header::HeaderName, HeaderValue); 2] = [
    (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
    (header::PRAGMA, HeaderValue::from_static("no-cache")),
];

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        use OAuthErrorCode as E;
        let (status, code, description) = match self.0 {
            Error::OAuth { error, description } => {
                let status = match error {
                    E::InvalidClient | E::InvalidToken => StatusCode::UNAUTHORIZED,
                    E::InsufficientScope => StatusCode::FORBIDDEN,
                    E::ServerError => StatusCode::INTERNAL_SERVER_ERROR,
                    _ => StatusCode::BAD_REQUEST,
                };
                (status, error, description)
            }
            Error::RateLimited {
                detail,
                retry_after,
            } => {
                let mut response = (
                    StatusCode::TOO_MANY_REQUESTS,
                    NO_STORE,
                    Json(OAuthErrorBody {
                        error: E::TemporarilyUnavailable.as_str().to_owned(),
                        error_description: detail,
                    }),
                )
                    .into_response();
                if let Ok(v) = HeaderValue::from_str(&retry_after.to_string()) {
                    response.headers_mut().insert(header::RETRY_AFTER, v);
                }
                return response;
            }
            Error::Internal(cause) => {
                tracing::error!(%cause, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    E::ServerError,
                    "the server failed to handle this request; it has been logged".to_owned(),
                )
            }
            Error::Unauthorized(why) => (StatusCode::UNAUTHORIZED, E::InvalidClient, why),
            Error::Forbidden(why) => (StatusCode::FORBIDDEN, E::AccessDenied, why),
            other => (
                StatusCode::BAD_REQUEST,
                E::InvalidRequest,
                other.to_string(),
            ),
        };
        let mut response = (
            status,
            NO_STORE,
            Json(OAuthErrorBody {
                error: code.as_str().to_owned(),
                error_description: description,
            }),
        )
            .into_response();
        let challenge = match code {
            E::InvalidClient => Some("Basic realm=\"latchkey\"".to_owned()),
            E::InvalidToken | E::InsufficientScope => {
                Some(format!("Bearer error=\"{}\"", code.as_str()))
            }
            _ => None,
        };
        if let Some(v) = challenge.and_then(|c| HeaderValue::from_str(&c).ok()) {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, v);
        }
        response
    }
}

/// A request to a protocol endpoint: counted against the client network's `oauth` limit.
struct OAuthLimit;

impl axum::extract::FromRequestParts<AppState> for OAuthLimit {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        state
            .auth
            .throttle()
            .hit_client(Rule::OAuth, &Meta::of(parts))
            .map(|()| Self)
            .map_err(|e| OAuthError(e).into_response())
    }
}

/// A form body (`application/x-www-form-urlencoded`), each parameter at most once, read into
/// `T`; an OAuth `invalid_request` otherwise.
struct OAuthForm<T>(T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> axum::extract::FromRequest<S>
    for OAuthForm<T>
{
    type Rejection = Response;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        let form = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| {
                v.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            });
        let refuse = |why: &str| OAuthError(oauth_error(OAuthErrorCode::InvalidRequest, why));
        if !form {
            return Err(refuse(
                "the body must be a form: Content-Type: application/x-www-form-urlencoded",
            )
            .into_response());
        }
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let mut fields = Map::new();
        for (name, value) in url::form_urlencoded::parse(&bytes) {
            if value.contains('\0') {
                return Err(refuse("parameters must not contain NUL characters").into_response());
            }
            if fields
                .insert(name.clone().into_owned(), Value::String(value.into_owned()))
                .is_some()
            {
                return Err(
                    refuse(&format!("the parameter {name:?} is sent more than once"))
                        .into_response(),
                );
            }
        }
        serde_json::from_value(Value::Object(fields))
            .map(Self)
            .map_err(|e| refuse(&format!("the form is not valid: {e}")).into_response())
    }
}

/// A client's credentials in a form body. Its `Debug` shows no secret.
#[derive(Default, Deserialize, utoipa::ToSchema)]
struct ClientAuthForm {
    client_id: Option<String>,
    client_secret: Option<String>,
}

impl std::fmt::Debug for ClientAuthForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientAuthForm")
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret.as_ref().map(|_| "…"))
            .finish()
    }
}

/// The client's credentials: HTTP Basic (`client_secret_basic`, its parts form-encoded as
/// RFC 6749 section 2.3.1 says), or the form's (`client_secret_post`), or a client id alone
/// (`none`). Both at once is refused.
fn client_credentials(
    headers: &HeaderMap,
    form: &ClientAuthForm,
) -> OAuthResult<ClientCredentials> {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.get(..6)
                .filter(|s| s.eq_ignore_ascii_case("basic "))
                .map(|_| &v[6..])
        });
    let bad = |why: &str| OAuthError(oauth_error(OAuthErrorCode::InvalidClient, why));
    if let Some(encoded) = basic {
        if form.client_secret.is_some() {
            return Err(bad("send the client's secret one way only"));
        }
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(encoded.trim())
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .ok_or_else(|| bad("the Basic credentials are malformed"))?;
        let (id, secret) = decoded
            .split_once(':')
            .ok_or_else(|| bad("the Basic credentials are malformed"))?;
        let decode = |part: &str| -> String {
            url::form_urlencoded::parse(format!("x={part}").as_bytes())
                .next()
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default()
        };
        let (id, secret) = (decode(id), decode(secret));
        if id.chars().chain(secret.chars()).any(char::is_control) {
            return Err(bad("the Basic credentials are malformed"));
        }
        if form.client_id.as_deref().is_some_and(|c| c != id) {
            return Err(bad("client_id differs from the Basic credentials'"));
        }
        return Ok(ClientCredentials {
            client_id: Some(id),
            secret: Some(Secret::from_presented(secret)),
            method: Some(TokenAuthMethod::ClientSecretBasic),
        });
    }
    Ok(ClientCredentials {
        client_id: form.client_id.clone(),
        secret: form.client_secret.clone().map(Secret::from_presented),
        method: Some(if form.client_secret.is_some() {
            TokenAuthMethod::ClientSecretPost
        } else {
            TokenAuthMethod::None
        }),
    })
}

/// Authenticates the client and counts the request against its own limit.
async fn authenticated_client(
    state: &AppState,
    app: &App,
    headers: &HeaderMap,
    form: &ClientAuthForm,
    meta: &RequestMeta,
) -> OAuthResult<OAuthClient> {
    let credentials = client_credentials(headers, form)?;
    let client = state
        .auth
        .oidc()
        .authenticate_client(app, credentials, meta)
        .await?;
    // A public client is named, not proven: its requests count per network too, so that no one
    // using its id can spend its whole allowance.
    let subject = match client.token_endpoint_auth_method {
        TokenAuthMethod::None => format!(
            "{}/{}/{}",
            app.id,
            client.client_id,
            crate::auth::throttle::client_key(meta)
        ),
        _ => format!("{}/{}", app.id, client.client_id),
    };
    state.auth.throttle().hit(Rule::OAuthClient, &subject)?;
    Ok(client)
}

/// The URL of the endpoint at `path` as the client reached it (a DPoP proof's `htu`).
fn endpoint_url(state: &AppState, app: &App, site: Site, path: &str) -> String {
    format!("{}/{path}", state.auth.apps().base_url(app, site))
}

/// The key of the request's DPoP proof, if it carries one (checked for `method` at `path`,
/// and for `access_token` when the request presents one).
async fn dpop_key(
    state: &AppState,
    app: &App,
    site: Site,
    headers: &HeaderMap,
    method: &Method,
    path: &str,
    access_token: Option<&str>,
) -> OAuthResult<Option<String>> {
    let mut proofs = headers.get_all("dpop").iter();
    let Some(proof) = proofs.next() else {
        return Ok(None);
    };
    if proofs.next().is_some() {
        return Err(oauth_error(OAuthErrorCode::InvalidDpopProof, "send one DPoP proof").into());
    }
    let proof = proof.to_str().map_err(|_| {
        OAuthError(oauth_error(
            OAuthErrorCode::InvalidDpopProof,
            "the DPoP proof is malformed",
        ))
    })?;
    let url = endpoint_url(state, app, site, path);
    let target = ProofTarget {
        method: method.as_str(),
        url: &url,
        access_token,
    };
    Ok(Some(state.auth.dpop().verify(proof, &target).await?))
}

/// `GET /apps/{app}/.well-known/openid-configuration`.
#[utoipa::path(
    get, path = "/apps/{app}/.well-known/openid-configuration", tag = "oidc",
    summary = "OpenID Provider discovery",
    params(("app" = String, Path, description = "The app id")),
    responses(
        (status = 429, description = "rate_limited: too many requests (see Retry-After)", body = Problem, content_type = "application/problem+json"),
        (status = 200, description = "The provider's metadata (OpenID Connect Discovery 1.0)", body = ProviderMetadata),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
    ),
)]
async fn openid_configuration(
    State(state): State<AppState>,
    _: PageLimit,
    AppCtx(app): AppCtx,
) -> Response {
    metadata(&state, &app)
}

/// `GET /apps/{app}/.well-known/oauth-authorization-server`: the same document.
#[utoipa::path(
    get, path = "/apps/{app}/.well-known/oauth-authorization-server", tag = "oidc",
    summary = "OAuth authorization server metadata (RFC 8414)",
    params(("app" = String, Path, description = "The app id")),
    responses(
        (status = 429, description = "rate_limited: too many requests (see Retry-After)", body = Problem, content_type = "application/problem+json"),
        (status = 200, description = "The server's metadata", body = ProviderMetadata),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
    ),
)]
async fn authorization_server(
    State(state): State<AppState>,
    _: PageLimit,
    AppCtx(app): AppCtx,
) -> Response {
    metadata(&state, &app)
}

fn metadata(state: &AppState, app: &App) -> Response {
    let mut response = Json(state.auth.oidc().metadata(app)).into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    response
}

/// A redirect (`status`) to `location`, never cached, sending no referrer onwards.
fn redirect(status: StatusCode, location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(location) => (
            status,
            [
                (header::LOCATION, location),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
                (
                    header::REFERRER_POLICY,
                    HeaderValue::from_static("no-referrer"),
                ),
            ],
        )
            .into_response(),
        Err(_) => StatusCode::BAD_REQUEST.into_response(),
    }
}

/// `GET /apps/{app}/oauth/authorize`.
#[utoipa::path(
    get, path = "/apps/{app}/oauth/authorize", tag = "oidc",
    summary = "Authorization endpoint (code flow with PKCE)",
    description = "Answers with a redirect: to the client's redirect_uri with `code`, `state` \
        and `iss` (or `error`), to the hosted login page, which returns here after sign-in, or \
        to the app's own domain. Shows the consent page when the person has not agreed yet. A \
        request without a registered client and redirect URI gets an error page, never a \
        redirect.",
    params(
        ("app" = String, Path, description = "The app id"),
        crate::auth::oidc::AuthorizeParams,
    ),
    responses(
        (status = 429, description = "rate_limited: too many requests (see Retry-After)", body = Problem, content_type = "application/problem+json"),
        (status = 302, description = "To the client, the login page or the app's domain", headers(("Location" = String, description = "Where to go"))),
        (status = 307, description = "The app has its own domain: the same request there"),
        (status = 200, description = "The consent page", body = String, content_type = "text/html"),
        (status = 400, description = "An error page: no such client, or a redirect_uri it did not register", body = String, content_type = "text/html"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The app's origins lack this server's origin, so the hosted pages cannot work", body = String, content_type = "text/html"),
    ),
)]
async fn authorize(
    State(state): State<AppState>,
    _: PageLimit,
    CookieSession(app, principal): CookieSession,
    site: Site,
    uri: Uri,
    QueryParams(params): QueryParams<crate::auth::oidc::AuthorizeParams>,
) -> Response {
    if let Some(elsewhere) = served_elsewhere(&state, &app, site, "oauth/authorize", &uri) {
        return elsewhere;
    }
    let outcome = match state.auth.oidc().authorize(&app, params, principal).await {
        Ok(outcome) => outcome,
        Err(e) => return ApiError(e).into_response(),
    };
    match outcome {
        Authorization::Refused(why) => refusal(
            StatusCode::BAD_REQUEST,
            &app,
            "This sign-in request cannot be followed",
            &why,
        ),
        Authorization::Redirect(to) => redirect(StatusCode::FOUND, &to.url()),
        Authorization::SignIn {
            resume,
            login_hint,
            create,
        } => {
            let mut query = url::form_urlencoded::Serializer::new(String::new());
            query.append_pair("continue", &resume);
            if let Some(hint) = &login_hint {
                query.append_pair("login_hint", hint);
            }
            if create {
                query.append_pair("start", "sign-up");
            }
            redirect(
                StatusCode::FOUND,
                &format!("/apps/{}/login?{}", app.id, query.finish()),
            )
        }
        Authorization::Consent {
            client_name,
            scopes,
            ticket,
            user,
            redirect_uri,
        } => allow_form_target(
            consent_page(&app, &client_name, &scopes, &ticket, &user),
            &redirect_uri,
        ),
    }
}

/// What each scope lets a client have, in the consent page's words.
fn scope_text(scope: Scope) -> &'static str {
    match scope {
        Scope::Openid => "Know who you are (your account id)",
        Scope::Profile => "See your name",
        Scope::Email => "See your email address",
        Scope::OfflineAccess => "Stay signed in while you are away",
    }
}

/// The consent page: the client's name, what it asks for, and two buttons posting the answer.
fn consent_page(
    app: &App,
    client_name: &str,
    scopes: &[Scope],
    ticket: &str,
    user: &crate::auth::User,
) -> Response {
    let items: String = scopes
        .iter()
        .map(|s| format!("<li>{}</li>", escape_html(scope_text(*s))))
        .collect();
    let who = user
        .email
        .as_ref()
        .map(|e| e.to_string())
        .or_else(|| user.display_name.clone())
        .unwrap_or_else(|| "your account".to_owned());
    let body = format!(
        r#"<p><strong>{client}</strong> wants to use your {app} account <strong>{who}</strong>.</p>
<p>It will be able to:</p>
<ul class="list scopes">{items}</ul>
<form method="post" action="/apps/{app_id}/oauth/consent">
<input type="hidden" name="ticket" value="{ticket}">
<button type="submit" name="decision" value="allow" class="primary">Allow</button>
<button type="submit" name="decision" value="deny" class="secondary">Cancel</button>
</form>
<p class="switch">You can take this back at any time on <a href="/apps/{app_id}/account">your account page</a>.</p>"#,
        client = escape_html(client_name),
        app = escape_html(&app.name),
        who = escape_html(&who),
        app_id = escape_html(&app.id),
        ticket = escape_html(ticket),
    );
    page(
        StatusCode::OK,
        app,
        &format!("Allow {client_name}?"),
        &body,
        None,
        &[],
    )
}

/// The consent page's answer.
#[derive(Deserialize, utoipa::ToSchema)]
struct ConsentForm {
    /// The page's sealed request.
    ticket: Option<String>,
    /// `allow`, or anything else to refuse.
    decision: Option<String>,
}

/// `POST /apps/{app}/oauth/consent`: the consent page's answer.
#[utoipa::path(
    post, path = "/apps/{app}/oauth/consent", tag = "oidc",
    summary = "The consent page's answer",
    params(("app" = String, Path, description = "The app id")),
    request_body(content = ConsentForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 429, description = "rate_limited: too many requests (see Retry-After)", body = Problem, content_type = "application/problem+json"),
        (status = 303, description = "Back to the client with a code, or access_denied", headers(("Location" = String, description = "Where to go"))),
        (status = 400, description = "An error page: the page expired, or the session changed", body = String, content_type = "text/html"),
        (status = 403, description = "origin_not_allowed: posted from another site", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
    ),
)]
async fn consent(
    State(state): State<AppState>,
    _: PageLimit,
    CookieSession(app, principal): CookieSession,
    headers: HeaderMap,
    Meta(meta): Meta,
    form: Result<axum::Form<ConsentForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    if let Err(e) = state.origins.check(
        &app,
        super::origin::OriginUse::PageForm,
        &Method::POST,
        &headers,
    ) {
        return ApiError(e).into_response();
    }
    let expired = || {
        refusal(
            StatusCode::BAD_REQUEST,
            &app,
            "This page has expired",
            "Go back to the application and start again.",
        )
    };
    let Ok(axum::Form(form)) = form else {
        return expired();
    };
    let Some(ticket) = form.ticket else {
        return expired();
    };
    let allow = form.decision.as_deref() == Some("allow");
    match state
        .auth
        .oidc()
        .consent(&app, &ticket, allow, principal, &meta)
        .await
    {
        Ok(Ok(to)) => redirect(StatusCode::SEE_OTHER, &to.url()),
        Ok(Err(why)) => refusal(
            StatusCode::BAD_REQUEST,
            &app,
            "This request cannot be completed",
            &why,
        ),
        Err(e) => ApiError(e).into_response(),
    }
}

/// PAR's answer (RFC 9126).
#[derive(Serialize, utoipa::ToSchema)]
struct PushedResponse {
    request_uri: String,
    expires_in: i64,
}

/// `POST /apps/{app}/oauth/par`.
#[utoipa::path(
    post, path = "/apps/{app}/oauth/par", tag = "oidc",
    summary = "Pushed authorization request (RFC 9126)",
    description = "The authorization request's parameters (as authorize takes them) with the \
        client's authentication; answers the request_uri to send to authorize with client_id.",
    params(("app" = String, Path, description = "The app id")),
    request_body(content = crate::auth::oidc::AuthorizeParams, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 201, description = "The request_uri", body = PushedResponse),
        (status = 400, description = "The request is not valid", body = OAuthErrorBody),
        (status = 401, description = "invalid_client", body = OAuthErrorBody),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "payload_too_large", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "temporarily_unavailable: too many requests (see Retry-After)", body = OAuthErrorBody),
    ),
)]
async fn par(
    State(state): State<AppState>,
    _: OAuthLimit,
    AppCtx(app): AppCtx,
    headers: HeaderMap,
    Meta(meta): Meta,
    OAuthForm(form): OAuthForm<Map<String, Value>>,
) -> OAuthResult<Response> {
    let auth: ClientAuthForm = from_form(&form)?;
    let client = authenticated_client(&state, &app, &headers, &auth, &meta).await?;
    let mut params: crate::auth::oidc::AuthorizeParams = from_form(&form)?;
    params.client_id = params.client_id.or(auth.client_id);
    let (request_uri, expires_in) = state.auth.oidc().push(&app, &client, params).await?;
    Ok((
        StatusCode::CREATED,
        NO_STORE,
        Json(PushedResponse {
            request_uri,
            expires_in,
        }),
    )
        .into_response())
}

/// A form's parameters read as `T`.
fn from_form<T: serde::de::DeserializeOwned>(form: &Map<String, Value>) -> OAuthResult<T> {
    serde_json::from_value(Value::Object(form.clone())).map_err(|e| {
        OAuthError(oauth_error(
            OAuthErrorCode::InvalidRequest,
            format!("the form is not valid: {e}"),
        ))
    })
}

/// The token endpoint's answer.
#[derive(Serialize, utoipa::ToSchema)]
struct TokenResponse {
    /// A JWT (`typ` `at+jwt`, RFC 9068).
    access_token: String,
    /// `Bearer`, or `DPoP` when bound to the request's proof key.
    token_type: &'static str,
    expires_in: i64,
    scope: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    id_token: Option<String>,
}

impl From<Tokens> for TokenResponse {
    fn from(t: Tokens) -> Self {
        Self {
            access_token: t.access_token.expose().to_owned(),
            token_type: t.token_type,
            expires_in: t.expires_in,
            scope: t.scope,
            refresh_token: t.refresh_token.map(|s| s.expose().to_owned()),
            id_token: t.id_token.map(|s| s.expose().to_owned()),
        }
    }
}

/// `POST /apps/{app}/oauth/token`.
#[utoipa::path(
    post, path = "/apps/{app}/oauth/token", tag = "oidc",
    summary = "Token endpoint",
    description = "authorization_code (with PKCE), refresh_token (rotating) and \
        client_credentials. A valid `DPoP` header binds the tokens to its key.",
    params(("app" = String, Path, description = "The app id")),
    request_body(content = TokenParams, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "The tokens", body = TokenResponse),
        (status = 400, description = "invalid_request, invalid_grant, unauthorized_client, unsupported_grant_type, invalid_scope or invalid_dpop_proof", body = OAuthErrorBody),
        (status = 401, description = "invalid_client", body = OAuthErrorBody),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "payload_too_large", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "temporarily_unavailable: too many requests (see Retry-After)", body = OAuthErrorBody),
    ),
)]
async fn token(
    State(state): State<AppState>,
    _: OAuthLimit,
    AppCtx(app): AppCtx,
    site: Site,
    headers: HeaderMap,
    Meta(meta): Meta,
    OAuthForm(form): OAuthForm<Map<String, Value>>,
) -> OAuthResult<Response> {
    let auth: ClientAuthForm = from_form(&form)?;
    let client = authenticated_client(&state, &app, &headers, &auth, &meta).await?;
    let params: TokenParams = from_form(&form)?;
    let jkt = dpop_key(
        &state,
        &app,
        site,
        &headers,
        &Method::POST,
        "oauth/token",
        None,
    )
    .await?;
    let tokens = state
        .auth
        .oidc()
        .token(&app, &client, params, jkt, &meta)
        .await?;
    Ok((NO_STORE, Json(TokenResponse::from(tokens))).into_response())
}

/// The access token of a resource request: `Authorization: Bearer …`, or `DPoP …` with its
/// proof (whose key is returned).
async fn resource_token(
    state: &AppState,
    app: &App,
    site: Site,
    headers: &HeaderMap,
    method: &Method,
    path: &str,
) -> OAuthResult<(Secret, Option<String>)> {
    let missing = || {
        OAuthError(oauth_error(
            OAuthErrorCode::InvalidToken,
            "send an access token: Authorization: Bearer <token> (or DPoP <token>)",
        ))
    };
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(missing)?;
    let (scheme, token) = authorization.split_once(' ').ok_or_else(missing)?;
    let token = token.trim();
    if scheme.eq_ignore_ascii_case("dpop") {
        let jkt = dpop_key(state, app, site, headers, method, path, Some(token))
            .await?
            .ok_or_else(|| {
                OAuthError(oauth_error(
                    OAuthErrorCode::InvalidDpopProof,
                    "a DPoP token needs a DPoP proof",
                ))
            })?;
        return Ok((Secret::from_presented(token.to_owned()), Some(jkt)));
    }
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(missing());
    }
    Ok((bearer(headers).ok_or_else(missing)?, None))
}

/// `GET /apps/{app}/oauth/userinfo`.
#[utoipa::path(
    get, path = "/apps/{app}/oauth/userinfo", tag = "oidc",
    summary = "UserInfo endpoint",
    params(("app" = String, Path, description = "The app id")),
    security(("access_token" = [])),
    responses(
        (status = 200, description = "The claims the token's scopes allow", body = Object),
        (status = 401, description = "invalid_token, or invalid_dpop_proof (with a DPoP challenge)", body = OAuthErrorBody),
        (status = 403, description = "insufficient_scope: the token was not granted openid", body = OAuthErrorBody),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "temporarily_unavailable: too many requests (see Retry-After)", body = OAuthErrorBody),
    ),
)]
async fn userinfo_get(
    State(state): State<AppState>,
    _: OAuthLimit,
    AppCtx(app): AppCtx,
    site: Site,
    headers: HeaderMap,
) -> Response {
    userinfo(&state, &app, site, &headers, &Method::GET).await
}

/// `POST /apps/{app}/oauth/userinfo`.
#[utoipa::path(
    post, path = "/apps/{app}/oauth/userinfo", tag = "oidc",
    summary = "UserInfo endpoint (POST)",
    params(("app" = String, Path, description = "The app id")),
    security(("access_token" = [])),
    responses(
        (status = 200, description = "The claims the token's scopes allow", body = Object),
        (status = 401, description = "invalid_token, or invalid_dpop_proof (with a DPoP challenge)", body = OAuthErrorBody),
        (status = 403, description = "insufficient_scope: the token was not granted openid", body = OAuthErrorBody),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "temporarily_unavailable: too many requests (see Retry-After)", body = OAuthErrorBody),
    ),
)]
async fn userinfo_post(
    State(state): State<AppState>,
    _: OAuthLimit,
    AppCtx(app): AppCtx,
    site: Site,
    headers: HeaderMap,
) -> Response {
    userinfo(&state, &app, site, &headers, &Method::POST).await
}

async fn userinfo(
    state: &AppState,
    app: &App,
    site: Site,
    headers: &HeaderMap,
    method: &Method,
) -> Response {
    let answer = async {
        let (token, jkt) =
            resource_token(state, app, site, headers, method, "oauth/userinfo").await?;
        let claims = state
            .auth
            .oidc()
            .userinfo(app, token.expose(), jkt.as_deref())
            .await?;
        Ok::<_, OAuthError>((NO_STORE, Json(claims)).into_response())
    };
    answer.await.unwrap_or_else(resource_refusal)
}

/// A resource request's refusal: a bad DPoP proof is a 401 with a `DPoP` challenge naming the
/// algorithms taken (RFC 9449, section 7.1); the rest as OAuth answers them.
fn resource_refusal(error: OAuthError) -> Response {
    let OAuthError(Error::OAuth {
        error: OAuthErrorCode::InvalidDpopProof,
        description,
    }) = error
    else {
        return error.into_response();
    };
    let mut response = (
        StatusCode::UNAUTHORIZED,
        NO_STORE,
        Json(OAuthErrorBody {
            error: OAuthErrorCode::InvalidDpopProof.as_str().to_owned(),
            error_description: description,
        }),
    )
        .into_response();
    let challenge = format!(
        "DPoP error=\"invalid_dpop_proof\", algs=\"{}\"",
        crate::auth::dpop::ALGORITHMS.join(" ")
    );
    if let Ok(v) = HeaderValue::from_str(&challenge) {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, v);
    }
    response
}

/// Introspection and revocation's form: the token, a hint, and the client's credentials.
#[derive(Deserialize, utoipa::ToSchema)]
struct TokenOnlyForm {
    token: Option<String>,
    /// `access_token` or `refresh_token`: both are looked for whatever it says.
    #[allow(dead_code)]
    token_type_hint: Option<String>,
}

/// `POST /apps/{app}/oauth/introspect`.
#[utoipa::path(
    post, path = "/apps/{app}/oauth/introspect", tag = "oidc",
    summary = "Token introspection (RFC 7662)",
    description = "Authenticated as a client (which learns of its own tokens only) or with an \
        API key of the app (`Authorization: Bearer <api key>`).",
    params(("app" = String, Path, description = "The app id")),
    request_body(content = TokenOnlyForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "Whether the token is active, and what it is", body = Introspection),
        (status = 400, description = "invalid_request", body = OAuthErrorBody),
        (status = 401, description = "invalid_client", body = OAuthErrorBody),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "payload_too_large", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "temporarily_unavailable: too many requests (see Retry-After)", body = OAuthErrorBody),
    ),
)]
async fn introspect(
    State(state): State<AppState>,
    _: OAuthLimit,
    AppCtx(app): AppCtx,
    headers: HeaderMap,
    Meta(meta): Meta,
    OAuthForm(form): OAuthForm<Map<String, Value>>,
) -> OAuthResult<Response> {
    let caller = match bearer(&headers) {
        Some(key) => {
            let auth = &state.auth;
            auth.api_keys()
                .authenticate(&app.id, &key)
                .await
                .map_err(|e| auth.throttle().bad_key(&meta, e))?;
            Introspector::App
        }
        None => {
            let auth: ClientAuthForm = from_form(&form)?;
            let client = authenticated_client(&state, &app, &headers, &auth, &meta).await?;
            // Introspection tells who a token is for: only a client that proves itself asks.
            if client.token_endpoint_auth_method == TokenAuthMethod::None {
                return Err(OAuthError(oauth_error(
                    OAuthErrorCode::InvalidClient,
                    "introspection needs a client that authenticates (or an API key)",
                )));
            }
            Introspector::Client(Box::new(client))
        }
    };
    let token = required_token(&form)?;
    let answer = state.auth.oidc().introspect(&app, &caller, &token).await?;
    Ok((NO_STORE, Json(answer)).into_response())
}

/// The form's `token`, required.
fn required_token(form: &Map<String, Value>) -> OAuthResult<Secret> {
    let form: TokenOnlyForm = from_form(form)?;
    form.token
        .filter(|t| !t.is_empty())
        .map(Secret::from_presented)
        .ok_or_else(|| {
            OAuthError(oauth_error(
                OAuthErrorCode::InvalidRequest,
                "token is required",
            ))
        })
}

/// `POST /apps/{app}/oauth/revoke`.
#[utoipa::path(
    post, path = "/apps/{app}/oauth/revoke", tag = "oidc",
    summary = "Token revocation (RFC 7009)",
    description = "Ends the grant behind a refresh or access token of the authenticated client; \
        answers 200 alike for tokens that are unknown or already ended.",
    params(("app" = String, Path, description = "The app id")),
    request_body(content = TokenOnlyForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "Revoked (or nothing to revoke)"),
        (status = 400, description = "invalid_request", body = OAuthErrorBody),
        (status = 401, description = "invalid_client", body = OAuthErrorBody),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "payload_too_large", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "temporarily_unavailable: too many requests (see Retry-After)", body = OAuthErrorBody),
    ),
)]
async fn revoke(
    State(state): State<AppState>,
    _: OAuthLimit,
    AppCtx(app): AppCtx,
    headers: HeaderMap,
    Meta(meta): Meta,
    OAuthForm(form): OAuthForm<Map<String, Value>>,
) -> OAuthResult<Response> {
    let auth: ClientAuthForm = from_form(&form)?;
    let client = authenticated_client(&state, &app, &headers, &auth, &meta).await?;
    let token = required_token(&form)?;
    state
        .auth
        .oidc()
        .revoke(&app, &client, &token, &meta)
        .await?;
    Ok((StatusCode::OK, NO_STORE).into_response())
}

/// `GET /apps/{app}/oauth/logout`.
#[utoipa::path(
    get, path = "/apps/{app}/oauth/logout", tag = "oidc",
    summary = "RP-initiated logout",
    description = "With an id_token_hint naming the signed-in person, signs them out and returns \
        to the registered post_logout_redirect_uri (with state); otherwise asks them first.",
    params(
        ("app" = String, Path, description = "The app id"),
        LogoutParams,
    ),
    responses(
        (status = 429, description = "rate_limited: too many requests (see Retry-After)", body = Problem, content_type = "application/problem+json"),
        (status = 302, description = "Signed out: to the client's registered URI", headers(("Location" = String, description = "Where to go"))),
        (status = 200, description = "A page: signed out, or asking to confirm", body = String, content_type = "text/html"),
        (status = 400, description = "An error page: a hint that is not ours or an unregistered URI", body = String, content_type = "text/html"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
    ),
)]
async fn logout_get(
    State(state): State<AppState>,
    _: PageLimit,
    CookieSession(app, principal): CookieSession,
    Meta(meta): Meta,
    QueryParams(params): QueryParams<LogoutParams>,
) -> Response {
    logout(&state, &app, &params, principal, false, &meta).await
}

/// The logout confirmation's form: the request's parameters and `confirm`.
#[derive(Deserialize)]
struct LogoutForm {
    #[serde(flatten)]
    params: LogoutParams,
    confirm: Option<String>,
}

/// `POST /apps/{app}/oauth/logout`.
#[utoipa::path(
    post, path = "/apps/{app}/oauth/logout", tag = "oidc",
    summary = "RP-initiated logout (form post, or the confirmation)",
    params(("app" = String, Path, description = "The app id")),
    request_body(content = LogoutParams, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 429, description = "rate_limited: too many requests (see Retry-After)", body = Problem, content_type = "application/problem+json"),
        (status = 303, description = "Signed out: to the client's registered URI", headers(("Location" = String, description = "Where to go"))),
        (status = 200, description = "A page: signed out, or asking to confirm", body = String, content_type = "text/html"),
        (status = 400, description = "An error page: a hint that is not ours or an unregistered URI", body = String, content_type = "text/html"),
        (status = 403, description = "origin_not_allowed: a confirmation posted from another site", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
    ),
)]
async fn logout_post(
    State(state): State<AppState>,
    _: PageLimit,
    CookieSession(app, principal): CookieSession,
    headers: HeaderMap,
    Meta(meta): Meta,
    form: Result<axum::Form<LogoutForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let Ok(axum::Form(form)) = form else {
        return refusal(
            StatusCode::BAD_REQUEST,
            &app,
            "This sign-out request cannot be followed",
            "Its parameters are not valid.",
        );
    };
    // Only this server's pages confirm a sign-out.
    let confirmed = form.confirm.as_deref() == Some("yes")
        && state
            .origins
            .check(
                &app,
                super::origin::OriginUse::PageForm,
                &Method::POST,
                &headers,
            )
            .is_ok();
    logout(&state, &app, &form.params, principal, confirmed, &meta).await
}

async fn logout(
    state: &AppState,
    app: &App,
    params: &LogoutParams,
    principal: Option<crate::auth::Principal>,
    confirmed: bool,
    meta: &RequestMeta,
) -> Response {
    let outcome = match state
        .auth
        .oidc()
        .logout(app, params, principal, confirmed, meta)
        .await
    {
        Ok(outcome) => outcome,
        Err(e) => return ApiError(e).into_response(),
    };
    let mut response = match outcome {
        Logout::Refused(why) => {
            return refusal(
                StatusCode::BAD_REQUEST,
                app,
                "This sign-out request cannot be followed",
                &why,
            );
        }
        Logout::Confirm(to) => {
            let page = logout_confirmation(app, params);
            return match to {
                Some(to) => allow_form_target(page, &to),
                None => page,
            };
        }
        Logout::Done(Some(to)) => redirect(StatusCode::SEE_OTHER, &to),
        Logout::Done(None) => page(
            StatusCode::OK,
            app,
            "You are signed out",
            &format!("<p>You are signed out of {}.</p>", escape_html(&app.name)),
            None,
            &[],
        ),
    };
    if let Some(cookie) = state.cookie_header(app, SESSION_COOKIE, "", 0) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

/// The page asking the person whether to sign out, posting the request back with `confirm`.
fn logout_confirmation(app: &App, params: &LogoutParams) -> Response {
    let hidden: String = [
        ("id_token_hint", &params.id_token_hint),
        ("client_id", &params.client_id),
        ("post_logout_redirect_uri", &params.post_logout_redirect_uri),
        ("state", &params.state),
    ]
    .iter()
    .filter_map(|(name, value)| {
        value.as_ref().map(|v| {
            format!(
                "<input type=\"hidden\" name=\"{name}\" value=\"{}\">",
                escape_html(v)
            )
        })
    })
    .collect();
    let body = format!(
        r#"<p>Do you want to sign out of {app}?</p>
<form method="post" action="/apps/{app_id}/oauth/logout">{hidden}
<button type="submit" name="confirm" value="yes" class="primary">Sign out</button>
</form>"#,
        app = escape_html(&app.name),
        app_id = escape_html(&app.id),
    );
    page(StatusCode::OK, app, "Sign out?", &body, None, &[])
}

/// The signed-in person's consents.
#[derive(Serialize, utoipa::ToSchema)]
struct ConsentList {
    items: Vec<Consent>,
}

/// `GET /apps/{app}/consents`: the applications the person allowed.
#[utoipa::path(
    get, path = "/apps/{app}/consents", tag = "browser",
    summary = "The applications you allowed",
    params(("app" = String, Path, description = "The app id")),
    security(("session_cookie" = []), ("access_token" = [])),
    responses(
        (status = 200, description = "The consents, newest first", body = ConsentList),
        (status = 401, description = "unauthorized: not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "rate_limited: too many requests (see Retry-After)", body = Problem, content_type = "application/problem+json"),
    ),
)]
async fn list_consents(
    State(state): State<AppState>,
    Signed(app, p): Signed,
) -> ApiResult<Json<ConsentList>> {
    let items = state.auth.oidc().consents(&app, &p.user.id).await?;
    Ok(Json(ConsentList { items }))
}

/// `DELETE /apps/{app}/consents/{client_id}`: withdraw an application's access (its
/// sessions end too).
#[utoipa::path(
    delete, path = "/apps/{app}/consents/{client_id}", tag = "browser",
    summary = "Withdraw an application's access",
    params(
        ("app" = String, Path, description = "The app id"),
        ("client_id" = String, Path, description = "The OAuth client's id"),
    ),
    security(("session_cookie" = []), ("access_token" = [])),
    responses(
        (status = 204, description = "Withdrawn; the client's sessions of yours ended"),
        (status = 401, description = "unauthorized: not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "origin_not_allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app or consent", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "rate_limited: too many requests (see Retry-After)", body = Problem, content_type = "application/problem+json"),
    ),
)]
async fn revoke_consent(
    State(state): State<AppState>,
    Signed(app, p): Signed,
    PathParams((_, client_id)): PathParams<(String, String)>,
    Meta(meta): Meta,
) -> ApiResult<StatusCode> {
    state
        .auth
        .oidc()
        .revoke_consent(&app, &p.user.id, &client_id, &meta)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
