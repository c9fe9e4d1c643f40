//! Passlock-style REST API, base `PUBLIC_URL/compat/passlock`: the token exchange that turns a
//! single-use `auth_token` into a principal, and reading and updating a user. Every call carries
//! an API key of the tenancy (the app) as `Authorization: Bearer`, checked by [`ApiKeyAuth`]
//! exactly as on the native server API; a key of one app gets 401 on every other.

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use serde::{Deserialize, Serialize};

use super::super::AppState;
use super::super::error::ApiResult;
use super::super::extract::{ApiKeyAuth, JsonBody, Meta, PathParams};
use super::super::openapi::Problem;
use crate::auth::compat::ExchangedToken;
use crate::auth::users::UserPatch;
use crate::auth::{Amr, Error, User, UserId};
use crate::crypto::Secret;

/// The Passlock-style operations, for the OpenAPI description.
#[derive(utoipa::OpenApi)]
#[openapi(paths(exchange_token, get_user, update_user))]
pub(in crate::http) struct Api;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/compat/passlock/{app}/token/{token}", get(exchange_token))
        .route(
            "/compat/passlock/{app}/user/{sub}",
            get(get_user).patch(update_user),
        )
}

/// Passlock's principal: the claims of one passkey (or email) authentication.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
struct PrincipalResponse {
    iss: String,
    aud: String,
    sub: String,
    iat: i64,
    nbf: i64,
    exp: i64,
    jti: String,
    token: String,
    user_verified: bool,
    auth_type: String,
    auth_id: String,
    given_name: Option<String>,
    family_name: Option<String>,
    email: Option<String>,
    email_verified: bool,
}

/// Passlock's user record.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
struct PasslockUser {
    sub: String,
    email: Option<String>,
    given_name: Option<String>,
    family_name: Option<String>,
    email_verified: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
struct UserEnvelope {
    user: PasslockUser,
}

impl From<&User> for UserEnvelope {
    fn from(u: &User) -> Self {
        Self {
            user: PasslockUser {
                sub: u.id.to_string(),
                email: u.email.as_ref().map(ToString::to_string),
                given_name: u.given_name.clone(),
                family_name: u.family_name.clone(),
                email_verified: u.email_verified,
            },
        }
    }
}

/// Passlock's `authType` for a session's `amr`: how the user first proved themselves.
fn auth_type(amr: &[Amr]) -> &'static str {
    match amr.first() {
        Some(Amr::Passkey) => "passkey",
        Some(Amr::Otp | Amr::MagicLink) => "email",
        Some(other) => other.as_str(),
        None => "unknown",
    }
}

/// `GET /{tenancyId}/token/{token}`: redeems the `auth_token` once (the native
/// `tokens/verify`) and describes that authentication. A used, expired or unknown token is 401.
#[utoipa::path(
    get, path = "/compat/passlock/{app}/token/{token}", tag = "compat",
    summary = "Passlock: exchange an auth_token for a principal",
    params(
        ("app" = String, Path, description = "The tenancy id (the Latchkey app id)"),
        ("token" = String, Path, description = "The single-use auth_token of a sign-in"),
    ),
    responses(
        (status = 200, description = "The principal of that authentication", body = PrincipalResponse),
        (status = 401, description = "unauthorized: bad API key, or the token is used, expired or unknown", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
async fn exchange_token(
    State(state): State<AppState>,
    ApiKeyAuth(app): ApiKeyAuth,
    PathParams((_, token)): PathParams<(String, String)>,
) -> ApiResult<Json<PrincipalResponse>> {
    let token = token.trim();
    let ExchangedToken {
        verified,
        issued_at,
        expires_at,
        auth_id,
    } = state
        .auth
        .compat()
        .exchange_auth_token(&app, &Secret::from_presented(token.to_owned()))
        .await?
        .map_err(Error::Unauthorized)?;
    let user = verified.user;
    Ok(Json(PrincipalResponse {
        iss: state.auth.tokens().issuer(&app),
        aud: app.id.to_string(),
        sub: user.id.to_string(),
        iat: issued_at,
        nbf: issued_at,
        exp: expires_at,
        // Passlock names the token by itself: its `jti` is the token.
        jti: token.to_owned(),
        token: token.to_owned(),
        user_verified: verified.amr.contains(&Amr::Mfa),
        auth_type: auth_type(&verified.amr).to_owned(),
        auth_id,
        given_name: user.given_name,
        family_name: user.family_name,
        email: user.email.map(String::from),
        email_verified: user.email_verified,
    }))
}

/// `GET /{tenancyId}/user/{sub}`: the user, as the native `GET /users/{id}` finds it.
#[utoipa::path(
    get, path = "/compat/passlock/{app}/user/{sub}", tag = "compat",
    summary = "Passlock: get a user",
    params(
        ("app" = String, Path, description = "The tenancy id (the Latchkey app id)"),
        ("sub" = String, Path, description = "The user id"),
    ),
    responses(
        (status = 200, description = "The user", body = UserEnvelope),
        (status = 401, description = "unauthorized: no API key, or not one of this app's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app or user", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
async fn get_user(
    State(state): State<AppState>,
    ApiKeyAuth(app): ApiKeyAuth,
    PathParams((_, sub)): PathParams<(String, UserId)>,
) -> ApiResult<Json<UserEnvelope>> {
    Ok(Json((&state.auth.users().get(&app, &sub).await?).into()))
}

/// The fields Passlock lets a backend change. `email` is named only to refuse it.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct PasslockUserPatch {
    #[serde(default, deserialize_with = "crate::auth::nullable")]
    given_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::auth::nullable")]
    family_name: Option<Option<String>>,
    email_verified: Option<bool>,
    /// Refused: the email cannot change here.
    email: Option<serde_json::Value>,
}

/// `PATCH /{tenancyId}/user/{sub}`: `givenName`, `familyName`, `emailVerified`, through the
/// native user update. The email cannot change here (it is the passkey's user name on the
/// person's devices): 400, as Passlock documents the restriction without an error shape.
#[utoipa::path(
    patch, path = "/compat/passlock/{app}/user/{sub}", tag = "compat",
    summary = "Passlock: update a user",
    params(
        ("app" = String, Path, description = "The tenancy id (the Latchkey app id)"),
        ("sub" = String, Path, description = "The user id"),
    ),
    request_body = PasslockUserPatch,
    responses(
        (status = 200, description = "The updated user", body = UserEnvelope),
        (status = 400, description = "invalid_request: bad input, or an attempt to change email", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "unauthorized: no API key, or not one of this app's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app or user", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "payload_too_large: the body is over 64 KiB", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
async fn update_user(
    State(state): State<AppState>,
    ApiKeyAuth(app): ApiKeyAuth,
    PathParams((_, sub)): PathParams<(String, UserId)>,
    Meta(meta): Meta,
    JsonBody(patch): JsonBody<PasslockUserPatch>,
) -> ApiResult<Json<UserEnvelope>> {
    if patch.email.is_some() {
        return Err(Error::InvalidRequest(
            "email cannot be changed here: it is also the passkey's user name on the person's \
             devices"
                .to_owned(),
        )
        .into());
    }
    let native = UserPatch {
        given_name: patch.given_name,
        family_name: patch.family_name,
        email_verified: patch.email_verified,
        ..UserPatch::default()
    };
    let user = state.auth.users().update(&app, &sub, native, &meta).await?;
    Ok(Json((&user).into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auth_types() {
        assert_eq!(auth_type(&[Amr::Passkey, Amr::Mfa]), "passkey");
        assert_eq!(auth_type(&[Amr::Otp]), "email");
        assert_eq!(auth_type(&[Amr::MagicLink]), "email");
    }
}
