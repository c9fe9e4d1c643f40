//! PasskeyMe-style API, base `PUBLIC_URL/compat/passkeyme`: the app's public configuration, the
//! OAuth redirect, and checking an access token. PasskeyMe's calls carry no API key (the token
//! is the credential, the `app_id` is public), so neither do these: each is exactly as strong
//! as the native access-token check it ends in.

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use serde_json::Value;

use super::super::AppState;
use super::super::error::ApiResult;
use super::super::extract::{Meta, PageLimit, PathParams, QueryParams};
use super::super::openapi::Problem;
use super::super::wire::AppConfig;
use crate::auth::throttle::Rule;
use crate::auth::tokens::TokenUse;
use crate::auth::{App, AppId, Error, Site, User};
use crate::crypto::{Secret, SecretKind, from_b64url};

/// The PasskeyMe-style operations, for the OpenAPI description.
#[derive(utoipa::OpenApi)]
#[openapi(paths(get_config, authorize, complete, verify_token, get_user))]
pub(in crate::http) struct Api;

/// PasskeyMe's token check: `{"valid": true, "user"}` or `{"valid": false, "user": null, "error"}`.
#[derive(serde::Serialize, utoipa::ToSchema)]
struct PasskeyMeVerification {
    valid: bool,
    user: Option<User>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/compat/passkeyme/api/config", get(get_config))
        .route(
            "/compat/passkeyme/oauth/{provider}/authorize",
            get(authorize),
        )
        .route("/compat/passkeyme/oauth/complete", get(complete))
        .route("/compat/passkeyme/api/auth/verify-token", get(verify_token))
        .route("/compat/passkeyme/api/user", get(get_user))
}

/// The app named by a required `app_id` parameter; 404 if there is none.
async fn app_param(state: &AppState, app_id: Option<&str>) -> ApiResult<Arc<App>> {
    let Some(id) = app_id.filter(|id| !id.is_empty()) else {
        return Err(Error::InvalidRequest("app_id is required".to_owned()).into());
    };
    Ok(state.auth.apps().get(id).await?)
}

/// A required query parameter.
fn required<'a>(name: &str, value: Option<&'a str>) -> ApiResult<&'a str> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| Error::InvalidRequest(format!("{name} is required")).into())
}

#[derive(Deserialize)]
struct ConfigQuery {
    app_id: Option<String>,
}

/// `GET /api/config?app_id=`: what a login page needs to know, as the native
/// `GET /apps/{app}/config` tells it. Public.
#[utoipa::path(
    get, path = "/compat/passkeyme/api/config", tag = "compat",
    summary = "PasskeyMe: the app's configuration",
    params(
        ("app_id" = String, Query, description = "The Latchkey app id"),
    ),
    responses(
        (status = 429, description = "rate_limited: too many requests (see Retry-After)", body = Problem, content_type = "application/problem+json"),
        (status = 200, description = "The app's public configuration", body = AppConfig),
        (status = 400, description = "invalid_request: app_id is missing", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
    ),
)]
async fn get_config(
    State(state): State<AppState>,
    _: PageLimit,
    QueryParams(q): QueryParams<ConfigQuery>,
) -> ApiResult<Json<AppConfig>> {
    let app = app_param(&state, q.app_id.as_deref()).await?;
    Ok(Json(AppConfig::new(&app, state.auth.tokens().issuer(&app))))
}

/// The app `app_id` and `redirect_uri`, which must be one of its redirect URIs: refused here,
/// before any redirect (RFC 6749 §4.1.2.1).
async fn app_and_redirect<'q>(
    state: &AppState,
    app_id: Option<&str>,
    redirect_uri: Option<&'q str>,
) -> ApiResult<(Arc<App>, &'q str)> {
    let app = app_param(state, app_id).await?;
    let redirect_uri = required("redirect_uri", redirect_uri)?;
    if !app.allows_redirect_uri(redirect_uri) {
        return Err(Error::InvalidRequest(format!(
            "redirect_uri {redirect_uri:?} is not one of app {:?}'s redirect URIs",
            app.id.as_str()
        ))
        .into());
    }
    Ok((app, redirect_uri))
}

#[derive(Deserialize)]
struct AuthorizeQuery {
    app_id: Option<String>,
    redirect_uri: Option<String>,
}

/// `GET /oauth/{provider}/authorize?app_id=&redirect_uri=`: sends the browser to the provider
/// when the app has it configured. No app has social providers yet, so every request goes to
/// the app's hosted login page, which returns to `redirect_uri` after sign-in through
/// [`complete`]. A `redirect_uri` outside the app's list is refused here, before any redirect.
#[utoipa::path(
    get, path = "/compat/passkeyme/oauth/{provider}/authorize", tag = "compat",
    summary = "PasskeyMe: start a sign-in (redirect)",
    params(
        ("provider" = String, Path, description = "A provider name such as google or github"),
        ("app_id" = String, Query, description = "The Latchkey app id"),
        ("redirect_uri" = String, Query, description = "One of the app's redirect URIs"),
    ),
    responses(
        (status = 429, description = "rate_limited: too many requests (see Retry-After)", body = Problem, content_type = "application/problem+json"),
        (status = 302, description = "To the provider when configured, otherwise to the hosted login page", headers(("Location" = String, description = "Where to go"))),
        (status = 400, description = "invalid_request: bad provider, missing app_id, or a redirect_uri outside the app's list", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
    ),
)]
async fn authorize(
    State(state): State<AppState>,
    _: PageLimit,
    PathParams(provider): PathParams<String>,
    QueryParams(q): QueryParams<AuthorizeQuery>,
) -> ApiResult<Response> {
    if provider.is_empty()
        || provider.len() > 32
        || !provider
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
    {
        return Err(Error::InvalidRequest(format!(
            "{provider:?} is not a provider name such as google or github"
        ))
        .into());
    }
    let (app, redirect_uri) =
        app_and_redirect(&state, q.app_id.as_deref(), q.redirect_uri.as_deref()).await?;
    // The login page returns PasskeyMe's way, through `complete`: the callback gets
    // `?token=`, which `verify-token` and `user` below accept.
    let query: String = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("redirect_uri", redirect_uri)
        .append_pair("compat", "passkeyme")
        .finish();
    // The hosted login page runs on the app's own domain when it has one.
    let location = format!(
        "{}/login?{query}",
        state.auth.apps().base_url(&app, Site::Own)
    );
    let location = HeaderValue::from_str(&location)
        .map_err(|_| Error::InvalidRequest("redirect_uri is not a valid URL".to_owned()))?;
    Ok((StatusCode::FOUND, [(header::LOCATION, location)]).into_response())
}

/// Where the hosted login page sends the browser at the end of a PasskeyMe flow for `app`
/// returning to `redirect_uri` ([`complete`]; the page adds the `auth_token`).
pub(in crate::http) fn complete_url(state: &AppState, app: &App, redirect_uri: &str) -> String {
    let query: String = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("app_id", app.id.as_str())
        .append_pair("redirect_uri", redirect_uri)
        .finish();
    format!(
        "{}/compat/passkeyme/oauth/complete?{query}",
        state.auth.public_url()
    )
}

#[derive(Deserialize)]
struct CompleteQuery {
    app_id: Option<String>,
    redirect_uri: Option<String>,
    auth_token: Option<String>,
}

/// `GET /oauth/complete?app_id=&redirect_uri=&auth_token=`: where the hosted login page sends
/// the browser after a sign-in begun at `authorize`. Redeems the `auth_token` once and returns
/// to `redirect_uri` (only one of the app's) with `?token=`: PasskeyMe's callback token, a
/// narrow token of the session that its `verify-token` and `user` accept and nothing else
/// does, so one leaked from a URL cannot act for the user.
#[utoipa::path(
    get, path = "/compat/passkeyme/oauth/complete", tag = "compat",
    summary = "PasskeyMe: finish a sign-in begun at authorize (redirect)",
    params(
        ("app_id" = String, Query, description = "The Latchkey app id"),
        ("redirect_uri" = String, Query, description = "One of the app's redirect URIs"),
        ("auth_token" = String, Query, description = "The sign-in's auth_token (single use)"),
    ),
    responses(
        (status = 429, description = "rate_limited: too many requests (see Retry-After)", body = Problem, content_type = "application/problem+json"),
        (status = 302, description = "To redirect_uri with ?token=", headers(("Location" = String, description = "Where to go"))),
        (status = 400, description = "invalid_request: a missing parameter, a redirect_uri outside the app's list, or an auth_token that is unknown, used or expired", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
    ),
)]
async fn complete(
    State(state): State<AppState>,
    _: PageLimit,
    QueryParams(q): QueryParams<CompleteQuery>,
) -> ApiResult<Response> {
    let (app, redirect_uri) =
        app_and_redirect(&state, q.app_id.as_deref(), q.redirect_uri.as_deref()).await?;
    let auth_token =
        Secret::from_presented(required("auth_token", q.auth_token.as_deref())?.to_owned());
    let token = state
        .auth
        .compat()
        .passkeyme_token(&app, &auth_token)
        .await?
        .map_err(|why| Error::InvalidRequest(format!("the sign-in cannot be completed: {why}")))?;
    let mut target = url::Url::parse(redirect_uri)
        .map_err(|_| Error::InvalidRequest("redirect_uri is not a valid URL".to_owned()))?;
    target
        .query_pairs_mut()
        .append_pair("token", token.expose());
    let location = HeaderValue::from_str(target.as_str())
        .map_err(|_| Error::InvalidRequest("redirect_uri is not a valid URL".to_owned()))?;
    let mut response = (StatusCode::FOUND, [(header::LOCATION, location)]).into_response();
    // The token is in the Location: nothing may keep this answer.
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response.headers_mut().insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    Ok(response)
}

#[derive(Deserialize)]
struct VerifyQuery {
    token: Option<String>,
    app_id: Option<String>,
}

/// `GET /api/auth/verify-token?token=&app_id=`: checks an access token of the app with the
/// native `tokens/verify` (signature, expiry, live session, enabled user) →
/// `{"valid": true, "user": User}` or `{"valid": false, "user": null, "error"}`. An `auth_token`
/// is refused without being spent: it is for the server API.
#[utoipa::path(
    get, path = "/compat/passkeyme/api/auth/verify-token", tag = "compat",
    summary = "PasskeyMe: verify an access token",
    params(
        ("token" = String, Query, description = "An access token"),
        ("app_id" = String, Query, description = "The Latchkey app id"),
    ),
    responses(
        (status = 429, description = "rate_limited: too many requests (see Retry-After)", body = Problem, content_type = "application/problem+json"),
        (status = 200, description = "valid: true with the user, or valid: false with error", body = PasskeyMeVerification),
        (status = 400, description = "invalid_request: token or app_id is missing", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
    ),
)]
async fn verify_token(
    State(state): State<AppState>,
    Meta(meta): Meta,
    QueryParams(q): QueryParams<VerifyQuery>,
) -> ApiResult<Json<PasskeyMeVerification>> {
    state.auth.throttle().hit_client(Rule::Tokens, &meta)?;
    let token = required("token", q.token.as_deref())?;
    let app = app_param(&state, q.app_id.as_deref()).await?;
    let outcome = if SecretKind::AuthToken.is_kind_of(token) {
        Err("an auth_token is not accepted here: send the access token".to_owned())
    } else {
        let token = Secret::from_presented(token.to_owned());
        let use_ = Some(TokenUse::Passkeyme);
        state
            .auth
            .sessions()
            .verify_access_token_for(&app, &token, use_)
            .await?
    };
    Ok(Json(match outcome {
        Ok(v) => PasskeyMeVerification {
            valid: true,
            user: Some(v.user),
            error: None,
        },
        Err(error) => PasskeyMeVerification {
            valid: false,
            user: None,
            error: Some(error),
        },
    }))
}

#[derive(Deserialize)]
struct UserQuery {
    token: Option<String>,
}

/// The `aud` claim of a JWT, read without checking anything: only to choose which app's keys
/// verify the token.
fn unverified_audience(token: &str) -> Option<String> {
    let payload = token.split('.').nth(1)?;
    let claims: Value = serde_json::from_slice(&from_b64url(payload)?).ok()?;
    match &claims["aud"] {
        Value::String(aud) => Some(aud.clone()),
        Value::Array(auds) if auds.len() == 1 => auds[0].as_str().map(str::to_owned),
        _ => None,
    }
}

/// `GET /api/user?token=`: the user behind an access token. The token names its app in `aud`;
/// that app's keys then verify it fully (signature, issuer, audience, expiry, live session).
/// Every failure is the same 401.
#[utoipa::path(
    get, path = "/compat/passkeyme/api/user", tag = "compat",
    summary = "PasskeyMe: the user behind an access token",
    params(
        ("token" = String, Query, description = "An access token; its audience names the app"),
    ),
    responses(
        (status = 429, description = "rate_limited: too many requests (see Retry-After)", body = Problem, content_type = "application/problem+json"),
        (status = 200, description = "The user behind the token", body = User),
        (status = 400, description = "invalid_request: token is missing", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "unauthorized: the access token is not valid", body = Problem, content_type = "application/problem+json"),
    ),
)]
async fn get_user(
    State(state): State<AppState>,
    Meta(meta): Meta,
    QueryParams(q): QueryParams<UserQuery>,
) -> ApiResult<Json<User>> {
    state.auth.throttle().hit_client(Rule::Tokens, &meta)?;
    let token = required("token", q.token.as_deref())?;
    let unauthorized = || Error::Unauthorized("the access token is not valid".to_owned());
    let app_id = unverified_audience(token)
        .filter(|aud| AppId::parse(aud).is_some())
        .ok_or_else(unauthorized)?;
    let app = state.auth.apps().get(&app_id).await.map_err(|e| match e {
        Error::NotFound(_) => unauthorized(),
        other => other,
    })?;
    let use_ = Some(TokenUse::Passkeyme);
    let principal = state
        .auth
        .sessions()
        .from_token_for(&app, token, use_)
        .await?;
    Ok(Json(principal.user))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::crypto::b64url;

    #[test]
    fn audience_is_read_from_the_payload() {
        let jwt = |claims: Value| format!("e30.{}.sig", b64url(claims.to_string().as_bytes()));
        assert_eq!(
            unverified_audience(&jwt(json!({"aud": "acme"}))).as_deref(),
            Some("acme")
        );
        assert_eq!(
            unverified_audience(&jwt(json!({"aud": ["acme"]}))).as_deref(),
            Some("acme")
        );
        assert_eq!(unverified_audience(&jwt(json!({"aud": ["a", "b"]}))), None);
        assert_eq!(unverified_audience("not-a-jwt"), None);
    }
}
