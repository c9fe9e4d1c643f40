//! PlainKey-style server REST API, base `PUBLIC_URL/compat/plainkey`: a backend trades its
//! project id (the app id) and client secret (an API key of that app) for a 60-minute server
//! access token, then verifies authentication tokens with it, sending
//! `Authorization: Bearer <access token>` and `x-project-id: <app id>`.
//!
//! The token endpoint is a client-credentials exchange (RFC 6749 §4.4), so its failures use the
//! OAuth error form (§5.2); a refused access token on `verify` answers PlainKey's documented
//! failure shape `{"valid": false, "error"}`, with 401.

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::{HeaderValue, StatusCode, header, request::Parts};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde::Deserialize;

use super::super::AppState;
use super::super::error::{ApiError, ApiResult};
use super::super::extract::{JsonBody, Meta};
use super::super::openapi::{OAuthError, Problem};
use super::bearer;
use crate::auth::throttle::Rule;
use crate::auth::{App, Error};
use crate::crypto::{Secret, SecretKind};

/// The PlainKey-style operations, for the OpenAPI description.
#[derive(utoipa::OpenApi)]
#[openapi(paths(issue_access_token, verify_authentication_token))]
pub(in crate::http) struct Api;

/// The form of `server/access-token` (`application/x-www-form-urlencoded`).
#[derive(serde::Serialize, utoipa::ToSchema)]
struct ClientCredentialsForm {
    /// The Latchkey app id.
    client_id: String,
    /// An API key of that app.
    client_secret: String,
}

/// `{"access_token", "token_type": "Bearer", "expires_in": 3600}`.
#[derive(serde::Serialize, utoipa::ToSchema)]
struct ServerAccessToken {
    access_token: String,
    token_type: String,
    expires_in: i64,
}

/// `{"valid": true, "userId"}` or `{"valid": false, "error"}`.
#[derive(serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
struct PlainKeyVerification {
    valid: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

impl PlainKeyVerification {
    fn refused(error: &str) -> Self {
        Self {
            valid: false,
            user_id: None,
            error: Some(error.to_owned()),
        }
    }
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/compat/plainkey/server/access-token",
            post(issue_access_token),
        )
        .route(
            "/compat/plainkey/server/authentication-token/verify",
            post(verify_authentication_token),
        )
}

/// An RFC 6749 §5.2 error response.
fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    let body = OAuthError {
        error: error.to_owned(),
        error_description: description.to_owned(),
    };
    let mut res = (status, Json(body)).into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// `client_id` and `client_secret` from an `application/x-www-form-urlencoded` body.
struct ClientCredentials {
    client_id: String,
    client_secret: String,
}

impl<S: Send + Sync> FromRequest<S> for ClientCredentials {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let invalid = |d: &str| oauth_error(StatusCode::BAD_REQUEST, "invalid_request", d);
        let form = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| {
                v.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            });
        if !form {
            return Err(invalid(
                "send client_id and client_secret as application/x-www-form-urlencoded",
            ));
        }
        let body = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                oauth_error(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "invalid_request",
                    "the request body is larger than 64 KiB",
                )
            } else {
                invalid("the request body could not be read")
            }
        })?;
        let (mut id, mut secret) = (None, None);
        for (name, value) in url::form_urlencoded::parse(&body) {
            let slot = match name.as_ref() {
                "client_id" => &mut id,
                "client_secret" => &mut secret,
                _ => continue,
            };
            // RFC 6749 §3.2: parameters must not be repeated.
            if slot.replace(value.into_owned()).is_some() {
                return Err(invalid(&format!("{name} is repeated")));
            }
        }
        match (id, secret) {
            (Some(client_id), Some(client_secret))
                if !client_id.is_empty() && !client_secret.is_empty() =>
            {
                Ok(Self {
                    client_id,
                    client_secret,
                })
            }
            _ => Err(invalid("client_id and client_secret are required")),
        }
    }
}

/// `POST /server/access-token`: the client secret must be an active API key of the app named
/// by `client_id` (the native API-key check) → `{"access_token", "token_type": "Bearer",
/// "expires_in": 3600}`. Any other secret: 401 `invalid_client`.
#[utoipa::path(
    post, path = "/compat/plainkey/server/access-token", tag = "compat",
    summary = "PlainKey: trade a client secret for a server access token",
    request_body(content = ClientCredentialsForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 429, description = "rate_limited: too many requests (see Retry-After)", body = Problem, content_type = "application/problem+json"),
        (status = 200, description = "A 60-minute server access token", body = ServerAccessToken),
        (status = 400, description = "invalid_request: not a form, or client_id/client_secret missing or repeated", body = OAuthError),
        (status = 401, description = "invalid_client: the secret is not an active API key of that app", body = OAuthError),
        (status = 413, description = "invalid_request: the body is over 64 KiB", body = OAuthError),
    ),
)]
async fn issue_access_token(
    State(state): State<AppState>,
    Meta(meta): Meta,
    creds: ClientCredentials,
) -> Response {
    let secret = Secret::from_presented(creds.client_secret);
    let throttle = state.auth.throttle();
    let issued = match throttle.hit_client(Rule::Tokens, &meta) {
        Ok(()) => state
            .auth
            .compat()
            .issue_server_token(&creds.client_id, &secret)
            .await
            .map_err(|e| throttle.bad_key(&meta, e)),
        Err(e) => Err(e),
    };
    match issued {
        Ok(t) => {
            let mut res = Json(ServerAccessToken {
                access_token: t.token.expose().to_owned(),
                token_type: "Bearer".to_owned(),
                expires_in: t.expires_in,
            })
            .into_response();
            // RFC 6749 §5.1: a response holding a token is never cached.
            res.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            res
        }
        Err(Error::Unauthorized(why)) => {
            oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", &why)
        }
        Err(e) => ApiError(e).into_response(),
    }
}

/// The app's backend, authenticated by a live server access token of the app named by
/// `x-project-id`; otherwise 401 `{"valid": false, "error"}`.
struct ServerTokenAuth(Arc<App>);

impl FromRequestParts<AppState> for ServerTokenAuth {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let refuse = |error: &str| {
            let mut res = (
                StatusCode::UNAUTHORIZED,
                Json(PlainKeyVerification::refused(error)),
            )
                .into_response();
            res.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            res
        };
        let project = parts
            .headers
            .get("x-project-id")
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|v| !v.is_empty());
        let (Some(token), Some(project)) = (bearer(&parts.headers), project) else {
            return Err(refuse(
                "send the access token as Authorization: Bearer <token> and the project id as \
                 x-project-id",
            ));
        };
        let auth = &state.auth;
        match auth
            .compat()
            .authenticate_server_token(project, &token)
            .await
            .map_err(|e| auth.throttle().bad_key(&Meta::of(parts), e))
        {
            Ok(app) => Ok(Self(app)),
            Err(Error::Unauthorized(why)) => Err(refuse(&why)),
            Err(e) => Err(ApiError(e).into_response()),
        }
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = PlainKeyVerifyRequest)]
struct VerifyRequest {
    token: String,
}

/// `POST /server/authentication-token/verify` `{"token"}`: redeems the authentication token
/// (the sign-in's `auth_token`) with the native `tokens/verify` → `{"valid": true, "userId"}`
/// or `{"valid": false, "error"}`.
#[utoipa::path(
    post, path = "/compat/plainkey/server/authentication-token/verify", tag = "compat",
    summary = "PlainKey: verify an authentication token",
    params(
        ("x-project-id" = String, Header, description = "The Latchkey app id"),
    ),
    request_body = VerifyRequest,
    responses(
        (status = 200, description = "valid: true with userId, or valid: false with error", body = PlainKeyVerification),
        (status = 400, description = "invalid_request: malformed or missing input", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No, bad or expired server access token, or a wrong x-project-id", body = PlainKeyVerification),
        (status = 413, description = "payload_too_large: the body is over 64 KiB", body = Problem, content_type = "application/problem+json"),
    ),
    security(("server_token" = [])),
)]
async fn verify_authentication_token(
    State(state): State<AppState>,
    ServerTokenAuth(app): ServerTokenAuth,
    JsonBody(req): JsonBody<VerifyRequest>,
) -> ApiResult<Json<PlainKeyVerification>> {
    let token = Secret::from_presented(req.token.trim().to_owned());
    // PlainKey's verify redeems its single-use authentication token and nothing else: an access
    // token (which the native tokens/verify also takes) is refused here.
    if !SecretKind::AuthToken.is_kind_of(token.expose()) {
        return Ok(Json(PlainKeyVerification::refused(
            "this is not an authentication token: send the auth_token of a sign-in",
        )));
    }
    Ok(Json(
        match state.auth.sessions().verify_token(&app, &token).await? {
            Ok(v) => PlainKeyVerification {
                valid: true,
                user_id: Some(v.user.id.to_string()),
                error: None,
            },
            Err(error) => PlainKeyVerification::refused(&error),
        },
    ))
}
