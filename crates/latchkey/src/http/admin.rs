//! The admin API (`/admin/…`, the instance operator's admin key): apps and their API keys.

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::routing::{delete, get, post};
use serde::Deserialize;

use super::AppState;
use super::error::ApiResult;
use super::extract::{AdminAuth, JsonBody, Meta, Paging, PathParams, QueryParams};
use super::openapi::Problem;
use super::wire::{ClientWithSecretResponse, CreatedKeyResponse, List, Page};
use crate::auth::App;
use crate::auth::api_keys::ApiKey;
use crate::auth::apps::{AppPatch, NewApp};
use crate::auth::oauth_clients::{ClientPatch, NewClient, OAuthClient};
use crate::auth::tokens::Jwks;

/// The admin API's operations, for the OpenAPI description.
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    list_apps,
    create_app,
    get_app,
    update_app,
    delete_app,
    list_api_keys,
    create_api_key,
    revoke_api_key,
    rotate_signing_key,
    list_oauth_clients,
    create_oauth_client,
    get_oauth_client,
    update_oauth_client,
    delete_oauth_client,
    rotate_oauth_client_secret
))]
pub(super) struct Api;

/// `Cache-Control: no-store`, for answers that hold a secret shown once.
type NoStore = [(HeaderName, HeaderValue); 1];
const NO_STORE: NoStore = [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/apps", get(list_apps).post(create_app))
        .route(
            "/admin/apps/{app}",
            get(get_app).patch(update_app).delete(delete_app),
        )
        .route(
            "/admin/apps/{app}/api-keys",
            get(list_api_keys).post(create_api_key),
        )
        .route("/admin/apps/{app}/api-keys/{id}", delete(revoke_api_key))
        .route(
            "/admin/apps/{app}/signing-keys/rotate",
            post(rotate_signing_key),
        )
        .route(
            "/admin/apps/{app}/oauth-clients",
            get(list_oauth_clients).post(create_oauth_client),
        )
        .route(
            "/admin/apps/{app}/oauth-clients/{client_id}",
            get(get_oauth_client)
                .patch(update_oauth_client)
                .delete(delete_oauth_client),
        )
        .route(
            "/admin/apps/{app}/oauth-clients/{client_id}/secret",
            post(rotate_oauth_client_secret),
        )
}

#[utoipa::path(
    get, path = "/admin/apps", tag = "admin",
    summary = "List apps",
    params(
        ("limit" = Option<i64>, Query, description = "Page size, 1 to 200 (default 50)"),
        ("cursor" = Option<String>, Query, description = "The next_cursor of the previous page"),
    ),
    responses(
        (status = 200, description = "A page of apps", body = Page<App>),
        (status = 400, description = "invalid_request: malformed or missing input", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "unauthorized: no or bad admin key", body = Problem, content_type = "application/problem+json"),
    ),
    security(("admin_key" = [])),
)]
async fn list_apps(
    State(state): State<AppState>,
    _: AdminAuth,
    QueryParams(q): QueryParams<Paging>,
) -> ApiResult<Json<Page<App>>> {
    let limit = q.limit()?;
    let apps = state
        .auth
        .apps()
        .list(q.cursor.as_deref(), limit + 1)
        .await?;
    Ok(Json(Page::of(apps, limit, |a| a.id.to_string())))
}

#[utoipa::path(
    post, path = "/admin/apps", tag = "admin",
    summary = "Create an app",
    request_body = NewApp,
    responses(
        (status = 201, description = "The new app", body = App),
        (status = 400, description = "invalid_request: malformed or missing input", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "unauthorized: no or bad admin key", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "conflict: the app id is taken", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "payload_too_large: the body is over 64 KiB", body = Problem, content_type = "application/problem+json"),
    ),
    security(("admin_key" = [])),
)]
async fn create_app(
    State(state): State<AppState>,
    _: AdminAuth,
    JsonBody(new): JsonBody<NewApp>,
) -> ApiResult<(StatusCode, Json<App>)> {
    let app = state.auth.apps().create(new).await?;
    Ok((StatusCode::CREATED, Json(app)))
}

#[utoipa::path(
    get, path = "/admin/apps/{app}", tag = "admin",
    summary = "Get an app",
    params(
        ("app" = String, Path, description = "The app id"),
    ),
    responses(
        (status = 200, description = "The app", body = App),
        (status = 401, description = "unauthorized: no or bad admin key", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
    ),
    security(("admin_key" = [])),
)]
async fn get_app(
    State(state): State<AppState>,
    _: AdminAuth,
    PathParams(id): PathParams<String>,
) -> ApiResult<Json<App>> {
    Ok(Json(App::clone(&*state.auth.apps().get(&id).await?)))
}

#[utoipa::path(
    patch, path = "/admin/apps/{app}", tag = "admin",
    summary = "Change an app's settings",
    params(
        ("app" = String, Path, description = "The app id"),
    ),
    request_body = AppPatch,
    responses(
        (status = 200, description = "The updated app", body = App),
        (status = 400, description = "invalid_request: malformed or missing input", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "unauthorized: no or bad admin key", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "payload_too_large: the body is over 64 KiB", body = Problem, content_type = "application/problem+json"),
    ),
    security(("admin_key" = [])),
)]
async fn update_app(
    State(state): State<AppState>,
    _: AdminAuth,
    PathParams(id): PathParams<String>,
    JsonBody(patch): JsonBody<AppPatch>,
) -> ApiResult<Json<App>> {
    Ok(Json(state.auth.apps().update(&id, patch).await?))
}

#[utoipa::path(
    delete, path = "/admin/apps/{app}", tag = "admin",
    summary = "Delete an app",
    params(
        ("app" = String, Path, description = "The app id"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "unauthorized: no or bad admin key", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
    ),
    security(("admin_key" = [])),
)]
async fn delete_app(
    State(state): State<AppState>,
    _: AdminAuth,
    PathParams(id): PathParams<String>,
) -> ApiResult<StatusCode> {
    state.auth.apps().delete(&id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    get, path = "/admin/apps/{app}/api-keys", tag = "admin",
    summary = "List an app's API keys",
    params(
        ("app" = String, Path, description = "The app id"),
    ),
    responses(
        (status = 200, description = "The app's API keys (never a secret)", body = List<ApiKey>),
        (status = 401, description = "unauthorized: no or bad admin key", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
    ),
    security(("admin_key" = [])),
)]
async fn list_api_keys(
    State(state): State<AppState>,
    _: AdminAuth,
    PathParams(id): PathParams<String>,
) -> ApiResult<Json<List<ApiKey>>> {
    let keys = state.auth.api_keys().list(&id).await?;
    Ok(Json(keys.into()))
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct NewKeyRequest {
    name: Option<String>,
}

/// Creates an API key; the response is the only time its secret is shown.
#[utoipa::path(
    post, path = "/admin/apps/{app}/api-keys", tag = "admin",
    summary = "Create an API key",
    params(
        ("app" = String, Path, description = "The app id"),
    ),
    request_body = NewKeyRequest,
    responses(
        (status = 201, description = "The new key with its secret, shown only this once", body = CreatedKeyResponse),
        (status = 400, description = "invalid_request: malformed or missing input", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "unauthorized: no or bad admin key", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "payload_too_large: the body is over 64 KiB", body = Problem, content_type = "application/problem+json"),
    ),
    security(("admin_key" = [])),
)]
async fn create_api_key(
    State(state): State<AppState>,
    _: AdminAuth,
    PathParams(id): PathParams<String>,
    Meta(meta): Meta,
    JsonBody(req): JsonBody<NewKeyRequest>,
) -> ApiResult<(StatusCode, NoStore, Json<CreatedKeyResponse>)> {
    let created = state.auth.api_keys().create(&id, req.name, &meta).await?;
    Ok((StatusCode::CREATED, NO_STORE, Json((&created).into())))
}

#[utoipa::path(
    delete, path = "/admin/apps/{app}/api-keys/{id}", tag = "admin",
    summary = "Revoke an API key",
    params(
        ("app" = String, Path, description = "The app id"),
        ("id" = String, Path, description = "The API key id"),
    ),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, description = "unauthorized: no or bad admin key", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app or key", body = Problem, content_type = "application/problem+json"),
    ),
    security(("admin_key" = [])),
)]
async fn revoke_api_key(
    State(state): State<AppState>,
    _: AdminAuth,
    PathParams((app, id)): PathParams<(String, String)>,
    Meta(meta): Meta,
) -> ApiResult<StatusCode> {
    state.auth.api_keys().revoke(&app, &id, &meta).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Replaces the app's token signing key now (keys are also replaced every 90 days on their
/// own). The previous key stays in the JWKS, and tokens it signed stay valid, until they expire.
#[utoipa::path(
    post, path = "/admin/apps/{app}/signing-keys/rotate", tag = "admin",
    summary = "Rotate the app's signing key",
    params(
        ("app" = String, Path, description = "The app id"),
    ),
    responses(
        (status = 200, description = "The app's JWKS after the rotation, the new key first", body = Jwks),
        (status = 401, description = "unauthorized: no or bad admin key", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
    ),
    security(("admin_key" = [])),
)]
async fn rotate_signing_key(
    State(state): State<AppState>,
    _: AdminAuth,
    PathParams(id): PathParams<String>,
) -> ApiResult<Json<Jwks>> {
    let app = state.auth.apps().get(&id).await?;
    Ok(Json(state.auth.tokens().rotate(&app).await?))
}

#[utoipa::path(
    get, path = "/admin/apps/{app}/oauth-clients", tag = "admin",
    summary = "List an app's OAuth clients",
    params(
        ("app" = String, Path, description = "The app id"),
        ("limit" = Option<i64>, Query, description = "Page size, 1 to 200 (default 50)"),
        ("cursor" = Option<String>, Query, description = "The next_cursor of the previous page"),
    ),
    responses(
        (status = 200, description = "A page of the app's OAuth clients (never a secret)", body = Page<OAuthClient>),
        (status = 400, description = "invalid_request: malformed or missing input", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "unauthorized: no or bad admin key", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
    ),
    security(("admin_key" = [])),
)]
async fn list_oauth_clients(
    State(state): State<AppState>,
    _: AdminAuth,
    PathParams(app): PathParams<String>,
    QueryParams(q): QueryParams<Paging>,
) -> ApiResult<Json<Page<OAuthClient>>> {
    let limit = q.limit()?;
    let clients = state
        .auth
        .oauth_clients()
        .list(&app, q.cursor.as_deref(), limit + 1)
        .await?;
    Ok(Json(Page::of(clients, limit, |c| c.client_id.clone())))
}

/// Makes an OAuth client; a confidential one's secret is in this response only.
#[utoipa::path(
    post, path = "/admin/apps/{app}/oauth-clients", tag = "admin",
    summary = "Create an OAuth client",
    params(
        ("app" = String, Path, description = "The app id"),
    ),
    request_body = NewClient,
    responses(
        (status = 201, description = "The new client, with client_secret (confidential clients only) shown only this once", body = ClientWithSecretResponse),
        (status = 400, description = "invalid_request: malformed or missing input, or settings that do not fit together", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "unauthorized: no or bad admin key", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "payload_too_large: the body is over 64 KiB", body = Problem, content_type = "application/problem+json"),
    ),
    security(("admin_key" = [])),
)]
async fn create_oauth_client(
    State(state): State<AppState>,
    _: AdminAuth,
    PathParams(app): PathParams<String>,
    Meta(meta): Meta,
    JsonBody(new): JsonBody<NewClient>,
) -> ApiResult<(StatusCode, NoStore, Json<ClientWithSecretResponse>)> {
    let created = state.auth.oauth_clients().create(&app, new, &meta).await?;
    Ok((StatusCode::CREATED, NO_STORE, Json((&created).into())))
}

#[utoipa::path(
    get, path = "/admin/apps/{app}/oauth-clients/{client_id}", tag = "admin",
    summary = "Get an OAuth client",
    params(
        ("app" = String, Path, description = "The app id"),
        ("client_id" = String, Path, description = "The client id"),
    ),
    responses(
        (status = 200, description = "The client (never its secret)", body = OAuthClient),
        (status = 401, description = "unauthorized: no or bad admin key", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app or client", body = Problem, content_type = "application/problem+json"),
    ),
    security(("admin_key" = [])),
)]
async fn get_oauth_client(
    State(state): State<AppState>,
    _: AdminAuth,
    PathParams((app, client_id)): PathParams<(String, String)>,
) -> ApiResult<Json<OAuthClient>> {
    Ok(Json(
        state.auth.oauth_clients().get(&app, &client_id).await?,
    ))
}

#[utoipa::path(
    patch, path = "/admin/apps/{app}/oauth-clients/{client_id}", tag = "admin",
    summary = "Change an OAuth client's settings",
    params(
        ("app" = String, Path, description = "The app id"),
        ("client_id" = String, Path, description = "The client id"),
    ),
    request_body = ClientPatch,
    responses(
        (status = 200, description = "The updated client", body = OAuthClient),
        (status = 400, description = "invalid_request: malformed or missing input, or settings that do not fit together", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "unauthorized: no or bad admin key", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app or client", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "payload_too_large: the body is over 64 KiB", body = Problem, content_type = "application/problem+json"),
    ),
    security(("admin_key" = [])),
)]
async fn update_oauth_client(
    State(state): State<AppState>,
    _: AdminAuth,
    PathParams((app, client_id)): PathParams<(String, String)>,
    Meta(meta): Meta,
    JsonBody(patch): JsonBody<ClientPatch>,
) -> ApiResult<Json<OAuthClient>> {
    let client = state
        .auth
        .oauth_clients()
        .update(&app, &client_id, patch, &meta)
        .await?;
    Ok(Json(client))
}

#[utoipa::path(
    delete, path = "/admin/apps/{app}/oauth-clients/{client_id}", tag = "admin",
    summary = "Delete an OAuth client",
    params(
        ("app" = String, Path, description = "The app id"),
        ("client_id" = String, Path, description = "The client id"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "unauthorized: no or bad admin key", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app or client", body = Problem, content_type = "application/problem+json"),
    ),
    security(("admin_key" = [])),
)]
async fn delete_oauth_client(
    State(state): State<AppState>,
    _: AdminAuth,
    PathParams((app, client_id)): PathParams<(String, String)>,
    Meta(meta): Meta,
) -> ApiResult<StatusCode> {
    state
        .auth
        .oauth_clients()
        .delete(&app, &client_id, &meta)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Gives a confidential client a new secret, in this response only; the old one stops working
/// at once.
#[utoipa::path(
    post, path = "/admin/apps/{app}/oauth-clients/{client_id}/secret", tag = "admin",
    summary = "Rotate an OAuth client's secret",
    params(
        ("app" = String, Path, description = "The app id"),
        ("client_id" = String, Path, description = "The client id"),
    ),
    responses(
        (status = 200, description = "The client with its new client_secret, shown only this once", body = ClientWithSecretResponse),
        (status = 400, description = "invalid_request: a public client has no secret", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "unauthorized: no or bad admin key", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app or client", body = Problem, content_type = "application/problem+json"),
    ),
    security(("admin_key" = [])),
)]
async fn rotate_oauth_client_secret(
    State(state): State<AppState>,
    _: AdminAuth,
    PathParams((app, client_id)): PathParams<(String, String)>,
    Meta(meta): Meta,
) -> ApiResult<(NoStore, Json<ClientWithSecretResponse>)> {
    let rotated = state
        .auth
        .oauth_clients()
        .rotate_secret(&app, &client_id, &meta)
        .await?;
    Ok((NO_STORE, Json((&rotated).into())))
}
