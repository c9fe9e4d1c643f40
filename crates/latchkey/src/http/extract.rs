//! Extractors: how a handler says what it needs. A handler that takes [`Signed`] cannot run for
//! a caller who is not signed in; one that takes [`ApiKeyAuth`] cannot run without the app's
//! key. Every rejection is a problem-details response.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::{StatusCode, header, request::Parts};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::AppState;
use super::client_addr::ClientAddr;
use super::error::{ApiError, problem};
use super::origin::OriginUse;
use crate::auth::throttle::{Rule, client_key};
use crate::auth::{App, Error, Principal, RequestMeta, Site};
use crate::crypto::Secret;

/// What the name of every cookie of ours starts with.
pub const COOKIE_PREFIX: &str = "latchkey_";
/// Name of the browser session cookie.
pub const SESSION_COOKIE: &str = "latchkey_session";
/// Name of the cookie that binds magic links to the browser that asked for them.
pub const LINK_COOKIE: &str = "latchkey_link";

/// The raw body, within the size limit (413 beyond it).
pub struct RawBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for RawBody {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        // Only JSON: a cross-site form can send text/plain without a preflight, never JSON.
        let json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|v| v.trim().to_ascii_lowercase())
            .is_some_and(|v| v == "application/json" || v.ends_with("+json"));
        match Bytes::from_request(req, state).await {
            Ok(bytes) if !bytes.is_empty() && !json => Err(problem(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "the body must be JSON, sent with Content-Type: application/json",
            )),
            // PostgreSQL text cannot hold NUL; no field of this API needs one.
            Ok(bytes) if bytes.windows(6).any(|w| w == b"\\u0000") => Err(problem(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "strings in the body must not contain NUL characters",
            )),
            Ok(bytes) => Ok(Self(bytes)),
            Err(e) if timed_out(&e) => Err(problem(
                StatusCode::REQUEST_TIMEOUT,
                "request_timeout",
                "the request body did not arrive in time",
            )),
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(problem(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                "the request body is larger than 64 KiB",
            )),
            Err(e) => Err(problem(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                &format!("the request body could not be read: {e}"),
            )),
        }
    }
}

/// Whether reading a body failed on its deadline ([`super::connections::BodyTimedOut`]).
pub fn timed_out(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut source = Some(error);
    while let Some(e) = source {
        if e.is::<super::connections::BodyTimedOut>() {
            return true;
        }
        source = e.source();
    }
    false
}

/// A JSON body parsed into `T`; a malformed one is a 400 that says what was wrong.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let RawBody(bytes) = RawBody::from_request(req, state).await?;
        let bytes = if bytes.is_empty() {
            Bytes::from_static(b"{}")
        } else {
            bytes
        };
        serde_json::from_slice(&bytes).map(Self).map_err(|e| {
            problem(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                &format!("the JSON body is not valid: {e}"),
            )
        })
    }
}

/// Query parameters parsed into `T`, with a problem-details rejection.
pub struct QueryParams<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for QueryParams<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(q)| Self(q))
            .map_err(|e| {
                problem(
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    &format!("the query string is not valid: {}", e.body_text()),
                )
            })
    }
}

/// `?limit=&cursor=`, checked: limit 1–200, default 50.
#[derive(Debug, Deserialize)]
pub struct Paging {
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

impl Paging {
    pub fn limit(&self) -> Result<i64, ApiError> {
        match self.limit {
            None => Ok(50),
            Some(l) if (1..=200).contains(&l) => Ok(l),
            Some(_) => {
                Err(Error::InvalidRequest("limit must be between 1 and 200".to_owned()).into())
            }
        }
    }
}

/// The app named by the `{app}` path segment; 404 if there is none.
pub struct AppCtx(pub Arc<App>);

impl FromRequestParts<AppState> for AppCtx {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Path(params) = Path::<Vec<(String, String)>>::from_request_parts(parts, state)
            .await
            .map_err(|e| problem(StatusCode::BAD_REQUEST, "invalid_request", &e.body_text()))?;
        let id = params
            .iter()
            .find(|(k, _)| k == "app")
            .map(|(_, v)| v.as_str())
            .unwrap_or_default();
        if crate::auth::AppId::parse(id).is_none() {
            return Err(problem(
                StatusCode::NOT_FOUND,
                "not_found",
                "there is no app with that id",
            ));
        }
        let apps = state.auth.apps();
        if let Some(app) = apps.cached(id) {
            return Ok(Self(app));
        }
        if apps.known(id) {
            return apps
                .get(id)
                .await
                .map(Self)
                .map_err(|e| ApiError(e).into_response());
        }
        // Looking an app up costs a read: a client that keeps naming apps this instance has
        // never found is refused before it.
        let meta = Meta::of(parts);
        let (throttle, client) = (state.auth.throttle(), client_key(&meta));
        throttle
            .check(Rule::UnknownApps, &client)
            .map_err(|e| ApiError(e).into_response())?;
        match apps.get(id).await {
            Ok(app) => Ok(Self(app)),
            Err(e) => {
                if let Error::NotFound(_) = e {
                    throttle.count(Rule::UnknownApps, &client);
                }
                Err(ApiError(e).into_response())
            }
        }
    }
}

/// Who is calling and from where, for sessions and audit events.
pub struct Meta(pub RequestMeta);

impl Meta {
    /// Where the request of `parts` came from.
    pub fn of(parts: &Parts) -> RequestMeta {
        // The address the connection settled on (behind trusted proxies, the one they name);
        // the peer itself for a router served some other way.
        let ip = match parts.extensions.get::<ClientAddr>() {
            Some(ClientAddr(ip)) => Some(ip.to_string()),
            None => parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(addr)| addr.ip().to_string()),
        };
        let user_agent = parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.chars().take(512).collect());
        RequestMeta { ip, user_agent }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Meta {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(Self::of(parts)))
    }
}

/// Where the request reached its app: on the app's own domain (marked by
/// [`super::domains::route`]) or through the shared paths.
impl<S: Send + Sync> FromRequestParts<S> for Site {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<Site>().copied().unwrap_or_default())
    }
}

/// A public page, script or document: counted against the client's `pages` rate limit, 429
/// once over it.
pub struct PageLimit;

impl FromRequestParts<AppState> for PageLimit {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        count_client(parts, state, Rule::Pages)
            .map(|()| Self)
            .map_err(|e| ApiError(e).into_response())
    }
}

/// A session refresh: counted against the client's `refresh` rate limit before anything of
/// the request is looked up, 429 once over it.
pub struct RefreshLimit;

impl FromRequestParts<AppState> for RefreshLimit {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        count_client(parts, state, Rule::Refresh)
            .map(|()| Self)
            .map_err(|e| ApiError(e).into_response())
    }
}

/// Counts the request against `rule` for its client.
fn count_client(parts: &Parts, state: &AppState, rule: Rule) -> crate::auth::Result<()> {
    state.auth.throttle().hit_client(rule, &Meta::of(parts))
}

/// The bearer credential (`Authorization: Bearer …`), if the request carries one.
pub fn bearer(headers: &axum::http::HeaderMap) -> Option<Secret> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(|token| Secret::from_presented(token.trim().to_owned()))
}

/// The session cookie's value, if the request carries one.
pub fn session_cookie(parts: &Parts) -> Option<Secret> {
    cookie(&parts.headers, SESSION_COOKIE)
}

/// The value of cookie `name`, if the request carries a non-empty one.
pub fn cookie(headers: &axum::http::HeaderMap, name: &str) -> Option<Secret> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value.to_owned())
        .filter(|v| !v.is_empty())
        .map(Secret::from_presented)
}

/// How an extractor treats the caller's credentials.
#[derive(Clone, Copy)]
struct Accept {
    /// Whether `Authorization: Bearer <access token>` identifies the caller.
    bearer: bool,
    /// Whether a cookie that no longer identifies anyone is a 401 (else it is ignored, so a
    /// browser with a stale `HttpOnly` cookie can still sign up or sign in).
    strict_cookie: bool,
}

async fn principal(
    parts: &mut Parts,
    state: &AppState,
    accept: Accept,
) -> Result<(Arc<App>, Option<Principal>), Response> {
    let AppCtx(app) = AppCtx::from_request_parts(parts, state).await?;
    if accept.bearer
        && let Some(token) = bearer(&parts.headers)
    {
        let p = state
            .auth
            .sessions()
            .from_access_token(&app, token.expose())
            .await
            .map_err(|e| ApiError(e).into_response())?;
        return Ok((app, Some(p)));
    }
    let Some(cookie) = session_cookie(parts) else {
        return Ok((app, None));
    };
    state
        .origins
        .check(&app, OriginUse::CookieChange, &parts.method, &parts.headers)
        .map_err(|e| ApiError(e).into_response())?;
    match state.auth.sessions().from_cookie(&app, &cookie).await {
        Ok(p) => Ok((app, Some(p))),
        Err(Error::Unauthorized(_)) if !accept.strict_cookie => Ok((app, None)),
        Err(e) => Err(ApiError(e).into_response()),
    }
}

/// The signed-in user (by bearer access token or session cookie); 401 otherwise.
pub struct Signed(pub Arc<App>, pub Principal);

impl FromRequestParts<AppState> for Signed {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let accept = Accept {
            bearer: true,
            strict_cookie: true,
        };
        match principal(parts, state, accept).await? {
            (app, Some(p)) => Ok(Self(app, p)),
            (_, None) => Err(ApiError(Error::Unauthorized(
                "sign in first: send the session cookie or an access token".to_owned(),
            ))
            .into_response()),
        }
    }
}

/// The signed-in user if there is one. A bearer token that is present but wrong is still a
/// 401; a stale cookie is ignored.
pub struct MaybeSigned(pub Arc<App>, pub Option<Principal>);

impl FromRequestParts<AppState> for MaybeSigned {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let accept = Accept {
            bearer: true,
            strict_cookie: false,
        };
        let (app, p) = principal(parts, state, accept).await?;
        Ok(Self(app, p))
    }
}

/// The session behind the browser's cookie only, if live. Access tokens do not count: they
/// must never be exchanged for a longer-lived session (see `sessions/refresh`).
pub struct CookieSession(pub Arc<App>, pub Option<Principal>);

impl FromRequestParts<AppState> for CookieSession {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let accept = Accept {
            bearer: false,
            strict_cookie: false,
        };
        let (app, p) = principal(parts, state, accept).await?;
        Ok(Self(app, p))
    }
}

/// Requests that start or finish a sign-in from a browser: when an `Origin` is sent it must be
/// one of the app's (or this server's own pages'), so another site cannot sign a visitor in to
/// an account of its choosing (login CSRF). Non-browser callers send no `Origin`.
pub struct SignInOrigin;

impl FromRequestParts<AppState> for SignInOrigin {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let AppCtx(app) = AppCtx::from_request_parts(parts, state).await?;
        state
            .origins
            .check(&app, OriginUse::SignIn, &parts.method, &parts.headers)
            .map(|()| Self)
            .map_err(|e| ApiError(e).into_response())
    }
}

/// Path parameters, with a problem-details rejection.
pub struct PathParams<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for PathParams<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(p)| Self(p))
            .map_err(|e| {
                problem(
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    &format!("the path is not valid: {}", e.body_text()),
                )
            })
    }
}

/// The app's backend, authenticated by an API key of this app.
pub struct ApiKeyAuth(pub Arc<App>);

impl FromRequestParts<AppState> for ApiKeyAuth {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let AppCtx(app) = AppCtx::from_request_parts(parts, state).await?;
        let Some(secret) = bearer(&parts.headers) else {
            return Err(ApiError(Error::Unauthorized(
                "send the app's API key as Authorization: Bearer <key>".to_owned(),
            ))
            .into_response());
        };
        let auth = &state.auth;
        auth.api_keys()
            .authenticate(&app.id, &secret)
            .await
            .map_err(|e| ApiError(auth.throttle().bad_key(&Meta::of(parts), e)).into_response())?;
        Ok(Self(app))
    }
}

/// The instance operator, authenticated by an admin key.
pub struct AdminAuth;

impl FromRequestParts<AppState> for AdminAuth {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(secret) = bearer(&parts.headers) else {
            return Err(ApiError(Error::Unauthorized(
                "send an admin key as Authorization: Bearer <key>".to_owned(),
            ))
            .into_response());
        };
        let auth = &state.auth;
        auth.api_keys()
            .authenticate_admin(&secret)
            .await
            .map_err(|e| ApiError(auth.throttle().bad_key(&Meta::of(parts), e)).into_response())?;
        Ok(Self)
    }
}
