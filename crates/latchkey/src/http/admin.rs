//! The admin API (`/admin/…`, the instance operator's admin key): apps and their API keys.

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{delete, get};
use serde::Deserialize;
use serde_json::{Value, json};

use super::AppState;
use super::error::ApiResult;
use super::extract::{AdminAuth, JsonBody, Meta, Page, PathParams, QueryParams};
use super::wire::{ApiKeyResponse, AppResponse, page};
use crate::auth::app::{AppPatch, NewApp};

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
}

async fn list_apps(
    State(state): State<AppState>,
    _: AdminAuth,
    QueryParams(q): QueryParams<Page>,
) -> ApiResult<Json<Value>> {
    let limit = q.limit()?;
    let apps = state.auth.list_apps(q.cursor.as_deref(), limit + 1).await?;
    Ok(Json(page(
        apps,
        limit,
        |a| a.id.clone(),
        |a| AppResponse::from(a),
    )))
}

async fn create_app(
    State(state): State<AppState>,
    _: AdminAuth,
    JsonBody(new): JsonBody<NewApp>,
) -> ApiResult<(StatusCode, Json<AppResponse>)> {
    let app = state.auth.create_app(new).await?;
    Ok((StatusCode::CREATED, Json((&app).into())))
}

async fn get_app(
    State(state): State<AppState>,
    _: AdminAuth,
    PathParams(id): PathParams<String>,
) -> ApiResult<Json<AppResponse>> {
    Ok(Json(state.auth.app(&id).await?.as_ref().into()))
}

async fn update_app(
    State(state): State<AppState>,
    _: AdminAuth,
    PathParams(id): PathParams<String>,
    JsonBody(patch): JsonBody<AppPatch>,
) -> ApiResult<Json<AppResponse>> {
    Ok(Json((&state.auth.update_app(&id, patch).await?).into()))
}

async fn delete_app(
    State(state): State<AppState>,
    _: AdminAuth,
    PathParams(id): PathParams<String>,
) -> ApiResult<StatusCode> {
    state.auth.delete_app(&id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn list_api_keys(
    State(state): State<AppState>,
    _: AdminAuth,
    PathParams(id): PathParams<String>,
) -> ApiResult<Json<Value>> {
    let keys = state.auth.list_api_keys(&id).await?;
    let items: Vec<ApiKeyResponse> = keys.iter().map(Into::into).collect();
    Ok(Json(json!({ "items": items })))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct NewKeyRequest {
    name: Option<String>,
}

/// Creates an API key; the response is the only time its secret is shown.
async fn create_api_key(
    State(state): State<AppState>,
    _: AdminAuth,
    PathParams(id): PathParams<String>,
    Meta(meta): Meta,
    JsonBody(req): JsonBody<NewKeyRequest>,
) -> ApiResult<(StatusCode, Json<ApiKeyResponse>)> {
    let created = state.auth.create_api_key(&id, req.name, &meta).await?;
    let mut body = ApiKeyResponse::from(&created.key);
    body.secret = Some(created.secret);
    Ok((StatusCode::CREATED, Json(body)))
}

async fn revoke_api_key(
    State(state): State<AppState>,
    _: AdminAuth,
    PathParams((app, id)): PathParams<(String, String)>,
    Meta(meta): Meta,
) -> ApiResult<StatusCode> {
    state.auth.revoke_api_key(&app, &id, &meta).await?;
    Ok(StatusCode::NO_CONTENT)
}
