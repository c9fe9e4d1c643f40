//! Organizations on the server API (app API key): organizations, their members and the
//! members' roles, invitations, and a user's memberships.

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use serde::Deserialize;

use super::AppState;
use super::error::ApiResult;
use super::extract::{ApiKeyAuth, JsonBody, Meta, Paging, PathParams, QueryParams};
use super::openapi::Problem;
use super::wire::{List, Page};
use crate::auth::UserId;
use crate::auth::organizations::{
    InvitationView, Member, Membership, NewInvitation, NewMember, NewOrganization, Organization,
    OrganizationPatch,
};

/// The operations, for the OpenAPI description.
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    list_organizations,
    create_organization,
    get_organization,
    update_organization,
    delete_organization,
    list_members,
    add_member,
    update_member,
    remove_member,
    list_invitations,
    invite,
    withdraw_invitation,
    user_organizations
))]
pub(super) struct Api;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/apps/{app}/organizations",
            get(list_organizations).post(create_organization),
        )
        .route(
            "/apps/{app}/organizations/{org}",
            get(get_organization)
                .patch(update_organization)
                .delete(delete_organization),
        )
        .route(
            "/apps/{app}/organizations/{org}/members",
            get(list_members).post(add_member),
        )
        .route(
            "/apps/{app}/organizations/{org}/members/{user_id}",
            axum::routing::patch(update_member).delete(remove_member),
        )
        .route(
            "/apps/{app}/organizations/{org}/invitations",
            get(list_invitations).post(invite),
        )
        .route(
            "/apps/{app}/organizations/{org}/invitations/{id}",
            axum::routing::delete(withdraw_invitation),
        )
        .route(
            "/apps/{app}/users/{id}/organizations",
            get(user_organizations),
        )
}

/// `?query=&limit=&cursor=`.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct OrgQuery {
    /// Organizations whose id or name contains this (case-insensitive).
    query: Option<String>,
    /// Page size, 1 to 200 (default 50).
    limit: Option<i64>,
    /// The next_cursor of the previous page.
    cursor: Option<String>,
}

#[utoipa::path(
    get, path = "/apps/{app}/organizations", tag = "server",
    summary = "List or search the app's organizations",
    params(("app" = String, Path, description = "The app id"), OrgQuery),
    responses(
        (status = 200, description = "One page of organizations, by id", body = Page<Organization>),
        (status = 400, description = "invalid_request: a bad limit or query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "unauthorized: no API key, or not one of this app's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
async fn list_organizations(
    State(state): State<AppState>,
    ApiKeyAuth(app): ApiKeyAuth,
    QueryParams(q): QueryParams<OrgQuery>,
) -> ApiResult<Json<Page<Organization>>> {
    let paging = Paging {
        limit: q.limit,
        cursor: q.cursor,
    };
    let limit = paging.limit()?;
    let query = q.query.as_deref().filter(|s| !s.is_empty());
    let rows = state
        .auth
        .organizations()
        .list(&app, query, paging.cursor.as_deref(), limit + 1)
        .await?;
    Ok(Json(Page::of(rows, limit, |o| o.id.clone())))
}

#[utoipa::path(
    post, path = "/apps/{app}/organizations", tag = "server",
    summary = "Create an organization",
    params(("app" = String, Path, description = "The app id")),
    request_body = NewOrganization,
    responses(
        (status = 201, description = "The organization", body = Organization),
        (status = 400, description = "invalid_request: a bad id, name, domain or metadata", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "unauthorized: no API key, or not one of this app's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "conflict: an organization with this id exists", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
async fn create_organization(
    State(state): State<AppState>,
    ApiKeyAuth(app): ApiKeyAuth,
    Meta(meta): Meta,
    JsonBody(new): JsonBody<NewOrganization>,
) -> ApiResult<(StatusCode, Json<Organization>)> {
    let org = state.auth.organizations().create(&app, new, &meta).await?;
    Ok((StatusCode::CREATED, Json(org)))
}

#[utoipa::path(
    get, path = "/apps/{app}/organizations/{org}", tag = "server",
    summary = "One organization",
    params(
        ("app" = String, Path, description = "The app id"),
        ("org" = String, Path, description = "The organization's id"),
    ),
    responses(
        (status = 200, description = "The organization", body = Organization),
        (status = 401, description = "unauthorized: no API key, or not one of this app's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app or organization", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
async fn get_organization(
    State(state): State<AppState>,
    ApiKeyAuth(app): ApiKeyAuth,
    PathParams((_, org)): PathParams<(String, String)>,
) -> ApiResult<Json<Organization>> {
    Ok(Json(state.auth.organizations().get(&app, &org).await?))
}

#[utoipa::path(
    patch, path = "/apps/{app}/organizations/{org}", tag = "server",
    summary = "Change an organization",
    params(
        ("app" = String, Path, description = "The app id"),
        ("org" = String, Path, description = "The organization's id"),
    ),
    request_body = OrganizationPatch,
    responses(
        (status = 200, description = "The organization", body = Organization),
        (status = 400, description = "invalid_request: a bad name, domain or metadata", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "unauthorized: no API key, or not one of this app's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app or organization", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
async fn update_organization(
    State(state): State<AppState>,
    ApiKeyAuth(app): ApiKeyAuth,
    PathParams((_, org)): PathParams<(String, String)>,
    Meta(meta): Meta,
    JsonBody(patch): JsonBody<OrganizationPatch>,
) -> ApiResult<Json<Organization>> {
    Ok(Json(
        state
            .auth
            .organizations()
            .update(&app, &org, patch, &meta)
            .await?,
    ))
}

#[utoipa::path(
    delete, path = "/apps/{app}/organizations/{org}", tag = "server",
    summary = "Delete an organization",
    description = "Its memberships (and their roles) go with it.",
    params(
        ("app" = String, Path, description = "The app id"),
        ("org" = String, Path, description = "The organization's id"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "unauthorized: no API key, or not one of this app's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app or organization", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
async fn delete_organization(
    State(state): State<AppState>,
    ApiKeyAuth(app): ApiKeyAuth,
    PathParams((_, org)): PathParams<(String, String)>,
    Meta(meta): Meta,
) -> ApiResult<StatusCode> {
    state.auth.organizations().delete(&app, &org, &meta).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    get, path = "/apps/{app}/organizations/{org}/members", tag = "server",
    summary = "An organization's members and their roles",
    params(
        ("app" = String, Path, description = "The app id"),
        ("org" = String, Path, description = "The organization's id"),
        ("limit" = Option<i64>, Query, description = "Page size, 1 to 200 (default 50)"),
        ("cursor" = Option<String>, Query, description = "The next_cursor of the previous page"),
    ),
    responses(
        (status = 200, description = "One page of members, by user id", body = Page<Member>),
        (status = 400, description = "invalid_request: a bad limit", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "unauthorized: no API key, or not one of this app's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app or organization", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
async fn list_members(
    State(state): State<AppState>,
    ApiKeyAuth(app): ApiKeyAuth,
    PathParams((_, org)): PathParams<(String, String)>,
    QueryParams(q): QueryParams<Paging>,
) -> ApiResult<Json<Page<Member>>> {
    let limit = q.limit()?;
    let rows = state
        .auth
        .organizations()
        .members(&app, &org, q.cursor.as_deref(), limit + 1)
        .await?;
    Ok(Json(Page::of(rows, limit, |m| {
        m.user_id.as_str().to_owned()
    })))
}

#[utoipa::path(
    post, path = "/apps/{app}/organizations/{org}/members", tag = "server",
    summary = "Add a member",
    params(
        ("app" = String, Path, description = "The app id"),
        ("org" = String, Path, description = "The organization's id"),
    ),
    request_body = NewMember,
    responses(
        (status = 201, description = "The member", body = Member),
        (status = 400, description = "invalid_request: not one of the app's users, or a role that does not exist", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "unauthorized: no API key, or not one of this app's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app or organization", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "conflict: already a member", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
async fn add_member(
    State(state): State<AppState>,
    ApiKeyAuth(app): ApiKeyAuth,
    PathParams((_, org)): PathParams<(String, String)>,
    Meta(meta): Meta,
    JsonBody(new): JsonBody<NewMember>,
) -> ApiResult<(StatusCode, Json<Member>)> {
    let member = state
        .auth
        .organizations()
        .add_member(&app, &org, new, &meta)
        .await?;
    Ok((StatusCode::CREATED, Json(member)))
}

/// `{"roles": […]}`.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct MemberRoles {
    roles: Vec<String>,
}

#[utoipa::path(
    patch, path = "/apps/{app}/organizations/{org}/members/{user_id}", tag = "server",
    summary = "Change a member's roles",
    params(
        ("app" = String, Path, description = "The app id"),
        ("org" = String, Path, description = "The organization's id"),
        ("user_id" = String, Path, description = "The member's user id"),
    ),
    request_body = MemberRoles,
    responses(
        (status = 200, description = "The member", body = Member),
        (status = 400, description = "invalid_request: a role that does not exist", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "unauthorized: no API key, or not one of this app's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app, or not a member", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
async fn update_member(
    State(state): State<AppState>,
    ApiKeyAuth(app): ApiKeyAuth,
    PathParams((_, org, user_id)): PathParams<(String, String, UserId)>,
    Meta(meta): Meta,
    JsonBody(body): JsonBody<MemberRoles>,
) -> ApiResult<Json<Member>> {
    Ok(Json(
        state
            .auth
            .organizations()
            .set_member_roles(&app, &org, &user_id, &body.roles, &meta)
            .await?,
    ))
}

#[utoipa::path(
    delete, path = "/apps/{app}/organizations/{org}/members/{user_id}", tag = "server",
    summary = "Remove a member",
    params(
        ("app" = String, Path, description = "The app id"),
        ("org" = String, Path, description = "The organization's id"),
        ("user_id" = String, Path, description = "The member's user id"),
    ),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "unauthorized: no API key, or not one of this app's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app, or not a member", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
async fn remove_member(
    State(state): State<AppState>,
    ApiKeyAuth(app): ApiKeyAuth,
    PathParams((_, org, user_id)): PathParams<(String, String, UserId)>,
    Meta(meta): Meta,
) -> ApiResult<StatusCode> {
    state
        .auth
        .organizations()
        .remove_member(&app, &org, &user_id, &meta)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    get, path = "/apps/{app}/organizations/{org}/invitations", tag = "server",
    summary = "List an organization's invitations",
    params(
        ("app" = String, Path, description = "The app id"),
        ("org" = String, Path, description = "The organization's id"),
        ("limit" = Option<i64>, Query, description = "Page size, 1 to 200 (default 50)"),
        ("cursor" = Option<String>, Query, description = "The next_cursor of the previous page"),
    ),
    responses(
        (status = 200, description = "One page of invitations, newest first, each with its status", body = Page<InvitationView>),
        (status = 400, description = "invalid_request: a bad limit", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "unauthorized: no API key, or not one of this app's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app or organization", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
async fn list_invitations(
    State(state): State<AppState>,
    ApiKeyAuth(app): ApiKeyAuth,
    PathParams((_, org)): PathParams<(String, String)>,
    QueryParams(q): QueryParams<Paging>,
) -> ApiResult<Json<Page<InvitationView>>> {
    let limit = q.limit()?;
    let rows = state
        .auth
        .organizations()
        .invitations(&app, &org, q.cursor.as_deref(), limit + 1)
        .await?;
    Ok(Json(Page::of(rows, limit, |i| i.invitation.id.clone())))
}

#[utoipa::path(
    post, path = "/apps/{app}/organizations/{org}/invitations", tag = "server",
    summary = "Invite someone by email",
    description = "Emails the address a link to the invitation's page (it works once, for 7 days; the app's `invitation` template). Whoever signs in or signs up there with that address and accepts becomes a member with `roles`; the link proves the address. A new invitation of the same address replaces one not yet accepted.",
    params(
        ("app" = String, Path, description = "The app id"),
        ("org" = String, Path, description = "The organization's id"),
    ),
    request_body = NewInvitation,
    responses(
        (status = 201, description = "The invitation (its link is only in the email)", body = InvitationView),
        (status = 400, description = "invalid_request: a bad address, or a role that does not exist", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "unauthorized: no API key, or not one of this app's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app or organization", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "conflict: the user with this address is already a member", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
async fn invite(
    State(state): State<AppState>,
    ApiKeyAuth(app): ApiKeyAuth,
    PathParams((_, org)): PathParams<(String, String)>,
    Meta(meta): Meta,
    JsonBody(new): JsonBody<NewInvitation>,
) -> ApiResult<(StatusCode, Json<InvitationView>)> {
    let invitation = state
        .auth
        .organizations()
        .invite(&app, &org, new, &meta)
        .await?;
    Ok((StatusCode::CREATED, Json(invitation)))
}

#[utoipa::path(
    delete, path = "/apps/{app}/organizations/{org}/invitations/{id}", tag = "server",
    summary = "Withdraw an invitation",
    description = "Its link stops working. Withdrawing an accepted invitation leaves the membership it made.",
    params(
        ("app" = String, Path, description = "The app id"),
        ("org" = String, Path, description = "The organization's id"),
        ("id" = String, Path, description = "The invitation's id"),
    ),
    responses(
        (status = 204, description = "Withdrawn"),
        (status = 401, description = "unauthorized: no API key, or not one of this app's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app, or no such invitation in the organization", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
async fn withdraw_invitation(
    State(state): State<AppState>,
    ApiKeyAuth(app): ApiKeyAuth,
    PathParams((_, org, id)): PathParams<(String, String, String)>,
    Meta(meta): Meta,
) -> ApiResult<StatusCode> {
    state
        .auth
        .organizations()
        .withdraw(&app, &org, &id, &meta)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    get, path = "/apps/{app}/users/{id}/organizations", tag = "server",
    summary = "A user's memberships and their roles",
    params(
        ("app" = String, Path, description = "The app id"),
        ("id" = String, Path, description = "The user id"),
    ),
    responses(
        (status = 200, description = "The memberships, by organization id", body = List<Membership>),
        (status = 401, description = "unauthorized: no API key, or not one of this app's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app or user", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
async fn user_organizations(
    State(state): State<AppState>,
    ApiKeyAuth(app): ApiKeyAuth,
    PathParams((_, id)): PathParams<(String, UserId)>,
) -> ApiResult<Json<List<Membership>>> {
    Ok(Json(
        state.auth.organizations().of_user(&app, &id).await?.into(),
    ))
}
