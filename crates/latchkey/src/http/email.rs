//! Email sign-in on the browser API: `otp/email` sends a code and a link, `POST /sessions`
//! redeems either, and `/login/magic` is the page a magic link opens.
//!
//! The page never signs in on `GET` (mail scanners follow links): it shows a button that posts
//! the token back. Opened in another browser than the one that asked, it says so and offers the
//! code form instead, which works anywhere.

use axum::Json;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::AppState;
use super::browser::sign_in_response;
use super::error::{ApiError, ApiResult};
use super::extract::{
    AppCtx, JsonBody, LINK_COOKIE, MaybeSigned, Meta, PageLimit, SESSION_COOKIE, SignInOrigin,
    cookie,
};
use super::openapi::Problem;
use super::origin::OriginUse;
use super::wire::{CodeSent, SecondFactorRequired, SignInResponse};
use crate::auth::email::{CODE_TTL, EmailCodeRequest, LinkStatus};
use crate::auth::sign_in::SecondFactor;
use crate::auth::{App, Error, Principal, RequestMeta, SignInOutcome, Site};
use crate::crypto::Secret;
use crate::mail::escape_html;

/// The email sign-in operations, for the OpenAPI description.
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    request_code,
    link_status,
    create_session,
    magic_page,
    magic_submit,
    approve_submit,
    code_submit,
    second_factor_submit
))]
pub(super) struct Api;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/apps/{app}/otp/email", post(request_code))
        .route("/apps/{app}/sessions", post(create_session))
        .route(
            "/apps/{app}/login/magic",
            get(magic_page).post(magic_submit),
        )
        .route("/apps/{app}/login/code", post(code_submit))
        .route("/apps/{app}/login/mfa", post(second_factor_submit))
        .route("/apps/{app}/login/magic/approve", post(approve_submit))
        .route("/apps/{app}/otp/email/status", post(link_status))
}

/// Sends one email with a code and a magic link; 202 whether or not the address has an account.
#[utoipa::path(
    post, path = "/apps/{app}/otp/email", tag = "email",
    summary = "Email a sign-in code and magic link",
    description = "`purpose` is `sign_in`, `sign_up` or `verify_email`. The code lives 10 minutes; a new request replaces the previous code.",
    params(
        ("app" = String, Path, description = "The app id"),
    ),
    request_body = EmailCodeRequest,
    responses(
        (status = 202, description = "Sent (the same answer whether or not the email has an account); sets the link-binding cookie", body = CodeSent),
        (status = 400, description = "invalid_request: malformed or missing input", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "origin_not_allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "payload_too_large: the body is over 64 KiB", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "rate_limited: too many requests (see Retry-After)", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("session_cookie" = []), ("access_token" = [])),
)]
async fn request_code(
    State(state): State<AppState>,
    _: SignInOrigin,
    MaybeSigned(app, principal): MaybeSigned,
    Meta(meta): Meta,
    site: Site,
    JsonBody(req): JsonBody<EmailCodeRequest>,
) -> ApiResult<Response> {
    let requested = state
        .auth
        .email()
        .request(&app, site, principal.as_ref(), req, &meta)
        .await?;
    let mut response = (
        StatusCode::ACCEPTED,
        Json(CodeSent {
            expires_in: CODE_TTL,
        }),
    )
        .into_response();
    if let Some(v) = state.cookie_header(&app, LINK_COOKIE, requested.binding.expose(), CODE_TTL) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(response)
}

/// `{"method": "email_otp", "email", "code"}` or `{"method": "magic_link", "token"}`; the
/// second step of a sign-in held back for a second factor: `{"method": "totp", "mfa_token",
/// "code"}` or `{"method": "backup_code", "mfa_token", "code"}`.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)]
enum NewSession {
    EmailOtp { email: String, code: String },
    MagicLink { token: String },
    Totp { mfa_token: String, code: String },
    BackupCode { mfa_token: String, code: String },
}

/// Signs in with an email code or a magic-link token (201).
#[utoipa::path(
    post, path = "/apps/{app}/sessions", tag = "email",
    summary = "Sign in with an email code or a magic-link token, or finish with a second factor",
    description = "A first factor may answer 200 `{\"mfa_required\": true, \"mfa_token\", \"factors\"}` (no session, no cookie) when the app's MFA policy asks for a second; `totp` or `backup_code` with that `mfa_token` finishes the sign-in.",
    params(
        ("app" = String, Path, description = "The app id"),
    ),
    request_body = NewSession,
    responses(
        (status = 201, description = "Signed in: the sign-in result; sets the session cookie", body = SignInResponse),
        (status = 200, description = "The first factor held and the app asks for a second: no session yet", body = SecondFactorRequired),
        (status = 400, description = "invalid_request, or challenge_expired: the code, link or mfa_token expired or was used", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "invalid_code: wrong code (five wrong attempts kill it, or the mfa_token)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "origin_not_allowed, or link_other_browser: a magic link presented without its browser's cookie", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "payload_too_large: the body is over 64 KiB", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "rate_limited: too many requests (see Retry-After)", body = Problem, content_type = "application/problem+json"),
    ),
    security(()),
)]
async fn create_session(
    State(state): State<AppState>,
    _: SignInOrigin,
    MaybeSigned(app, requester): MaybeSigned,
    Meta(meta): Meta,
    headers: HeaderMap,
    JsonBody(req): JsonBody<NewSession>,
) -> ApiResult<Response> {
    let email = state.auth.email();
    let outcome = match req {
        NewSession::EmailOtp {
            email: address,
            code,
        } => {
            email
                .sign_in_with_code(&app, &address, &code, requester.as_ref(), &meta)
                .await?
        }
        NewSession::Totp { mfa_token, code } => {
            second_step(&state, &app, &mfa_token, SecondFactor::Totp, &code, &meta).await?
        }
        NewSession::BackupCode { mfa_token, code } => {
            second_step(
                &state,
                &app,
                &mfa_token,
                SecondFactor::BackupCode,
                &code,
                &meta,
            )
            .await?
        }
        NewSession::MagicLink { token } => {
            let binding = cookie(&headers, LINK_COOKIE);
            email
                .sign_in_with_link(
                    &app,
                    &Secret::from_presented(token),
                    binding.as_ref(),
                    requester.as_ref(),
                    &meta,
                )
                .await?
        }
    };
    Ok(sign_in_response(
        &state,
        &app,
        StatusCode::CREATED,
        &outcome,
    ))
}

/// The second step of a sign-in held back for a second factor.
async fn second_step(
    state: &AppState,
    app: &App,
    mfa_token: &str,
    factor: SecondFactor,
    code: &str,
    meta: &RequestMeta,
) -> crate::auth::Result<SignInOutcome> {
    state
        .auth
        .mfa()
        .complete(
            app,
            &Secret::from_presented(mfa_token.to_owned()),
            factor,
            code,
            meta,
        )
        .await
}

/// A page of the magic-link flow, in the hosted pages' shell (no script at all).
fn page(status: StatusCode, app: &App, title: &str, body: &str) -> Response {
    super::pages::page(status, app, title, body, None, &[])
}

/// The form that redeems the code from the email of the link `token`, in whichever browser
/// this is.
fn code_form(app: &App, token: &str) -> String {
    format!(
        "<form method=\"post\" action=\"/apps/{app_id}/login/code\">\
         <input type=\"hidden\" name=\"token\" value=\"{token}\">\
         <label for=\"code\">6-digit code from the email</label> \
         <input id=\"code\" name=\"code\" inputmode=\"numeric\" autocomplete=\"one-time-code\" \
         pattern=\"[0-9]{{6}}\" maxlength=\"6\" required autofocus> \
         <button type=\"submit\">Sign in</button></form>",
        app_id = escape_html(&app.id),
        token = escape_html(token),
    )
}

/// The other-device page's button that lets the device that asked sign in.
fn approve_form(app: &App, token: &str) -> String {
    format!(
        "<p>Or, if you asked for it yourself, just now, on another device, sign in there:</p>\
         <form method=\"post\" action=\"/apps/{app_id}/login/magic/approve\">\
         <input type=\"hidden\" name=\"token\" value=\"{token}\">\
         <button type=\"submit\" class=\"secondary\">Sign in on the device where I asked\
         </button></form>\
         <p class=\"hint\">Only if you asked: whoever asked gets into your account.</p>",
        app_id = escape_html(&app.id),
        token = escape_html(token),
    )
}

#[derive(Deserialize)]
struct LinkQuery {
    token: Option<String>,
}

/// `GET /apps/{app}/login/magic?token=…`: confirms before signing in.
#[utoipa::path(
    get, path = "/apps/{app}/login/magic", tag = "email",
    summary = "The page a magic link opens",
    params(
        ("app" = String, Path, description = "The app id"),
        ("token" = Option<String>, Query, description = "The magic-link token"),
    ),
    responses(
        (status = 429, description = "rate_limited: too many requests (see Retry-After)", body = Problem, content_type = "application/problem+json"),
        (status = 200, description = "A page with a button that posts the token back (never signs in on GET)", body = String, content_type = "text/html"),
        (status = 400, description = "The link expired or was used", body = String, content_type = "text/html"),
        (status = 403, description = "The link was opened in another browser; the page offers the code form", body = String, content_type = "text/html"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
    ),
    security(()),
)]
async fn magic_page(
    State(state): State<AppState>,
    _: PageLimit,
    AppCtx(app): AppCtx,
    headers: HeaderMap,
    Query(q): Query<LinkQuery>,
) -> Response {
    let token = q.token.unwrap_or_default();
    let binding = cookie(&headers, LINK_COOKIE);
    match state
        .auth
        .email()
        .check_link(
            &app,
            &Secret::from_presented(token.clone()),
            binding.as_ref(),
        )
        .await
    {
        Ok(_) => page(
            StatusCode::OK,
            &app,
            &format!("Sign in to {}", app.name),
            &format!(
                "<form method=\"post\" action=\"/apps/{}/login/magic\">\
                 <input type=\"hidden\" name=\"token\" value=\"{}\">\
                 <button type=\"submit\" autofocus>Continue signing in</button></form>",
                escape_html(&app.id),
                escape_html(&token),
            ),
        ),
        Err(e) => link_error(&app, &token, e),
    }
}

/// The page for a link that cannot be used here.
fn link_error(app: &App, token: &str, e: Error) -> Response {
    match e {
        Error::LinkOtherBrowser(_) => page(
            StatusCode::FORBIDDEN,
            app,
            "Open this link where you asked for it",
            &format!(
                "<p>For your safety, this sign-in link works only in the browser where you asked \
                 for it. You can enter the 6-digit code from the same email here instead.</p>{}{}",
                code_form(app, token),
                if app.cross_device_links {
                    approve_form(app, token)
                } else {
                    String::new()
                }
            ),
        ),
        Error::ChallengeExpired(_) => page(
            StatusCode::BAD_REQUEST,
            app,
            "This link has expired",
            "<p>This sign-in link has expired or was already used. Ask for a new one where you \
             signed in.</p>",
        ),
        other => ApiError(other).into_response(),
    }
}

/// The page after a sign-in from a link or the code form: the session cookie is set.
fn signed_in_page(state: &AppState, app: &App, outcome: &SignInOutcome) -> Response {
    let back = app.origins.first().map(String::as_str).unwrap_or("/");
    let sign_in = match outcome {
        SignInOutcome::SignedIn(sign_in) => sign_in,
        SignInOutcome::SecondFactorRequired(pending) => {
            return second_factor_page(
                StatusCode::OK,
                app,
                pending.mfa_token.expose(),
                &pending.factors,
                None,
            );
        }
    };
    let mut response = page(
        StatusCode::OK,
        app,
        "You are signed in",
        &format!(
            "<p>You are signed in to {} as {}.</p><p><a href=\"{}\">Continue to {}</a></p>",
            escape_html(&app.name),
            escape_html(sign_in.user.email.as_ref().map_or("", |e| e.as_str())),
            escape_html(back),
            escape_html(&app.name),
        ),
    );
    if let Some(cookie) = &sign_in.cookie
        && let Some(cookie) =
            state.cookie_header(app, SESSION_COOKIE, cookie.expose(), app.refresh_token_ttl)
    {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

/// The second step of a sign-in the link began, with no script: a form for a code from the
/// authenticator app or a backup code (`error`: why the last one was refused). A passkey, or
/// a passkey to make, needs the sign-in page's script: the page says so.
fn second_factor_page(
    status: StatusCode,
    app: &App,
    mfa_token: &str,
    factors: &[SecondFactor],
    error: Option<&str>,
) -> Response {
    let login = format!("/apps/{}/login", escape_html(app.id.as_str()));
    let codes =
        factors.contains(&SecondFactor::Totp) || factors.contains(&SecondFactor::BackupCode);
    let error = error.map_or_else(String::new, |e| {
        format!(
            "<p class=\"message error\" role=\"alert\">{}</p>",
            escape_html(e)
        )
    });
    let body = if codes {
        format!(
            "{error}<p>{} asks for a second step: enter the code your authenticator app shows, \
             or one of your backup codes.</p>\
             <form method=\"post\" action=\"/apps/{}/login/mfa\">\
             <input type=\"hidden\" name=\"mfa_token\" value=\"{}\">\
             <label for=\"mfa-code\">Code</label>\
             <input id=\"mfa-code\" name=\"code\" autocomplete=\"one-time-code\" \
             spellcheck=\"false\" autocapitalize=\"none\" required>\
             <button type=\"submit\" class=\"primary\">Continue</button></form>",
            escape_html(&app.name),
            escape_html(app.id.as_str()),
            escape_html(mfa_token),
        )
    } else {
        format!(
            "{error}<p>{} asks for a second step that this page cannot take: sign in on \
             <a href=\"{login}\">the sign-in page</a> with your passkey (or create one there \
             after an email code).</p>",
            escape_html(&app.name),
        )
    };
    let mut response = page(status, app, "One more step", &body);
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[derive(Deserialize, utoipa::ToSchema)]
struct SecondFactorForm {
    mfa_token: String,
    code: String,
}

/// `POST /apps/{app}/login/mfa`: the second-step form of the magic-link pages. Six digits are
/// a code from the authenticator app; anything else is read as a backup code.
#[utoipa::path(
    post, path = "/apps/{app}/login/mfa", tag = "email",
    summary = "Finish a sign-in a magic link began with a second factor (the page's form)",
    params(
        ("app" = String, Path, description = "The app id"),
    ),
    request_body(content = SecondFactorForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "Signed in: a page; sets the session cookie", body = String, content_type = "text/html"),
        (status = 400, description = "The sign-in is over (expired or used): a page", body = String, content_type = "text/html"),
        (status = 401, description = "Wrong code: the form again", body = String, content_type = "text/html"),
        (status = 403, description = "Sent from another site", body = String, content_type = "text/html"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "rate_limited: too many requests (see Retry-After)", body = Problem, content_type = "application/problem+json"),
    ),
    security(()),
)]
async fn second_factor_submit(
    State(state): State<AppState>,
    AppCtx(app): AppCtx,
    Meta(meta): Meta,
    headers: HeaderMap,
    form: Result<axum::Form<SecondFactorForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let form = match page_form(&state, &app, &headers, form) {
        Ok(form) => form,
        Err(refused) => return *refused,
    };
    let code: String = form.code.chars().filter(|c| !c.is_whitespace()).collect();
    let factor = if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) {
        SecondFactor::Totp
    } else {
        SecondFactor::BackupCode
    };
    let codes = [SecondFactor::Totp, SecondFactor::BackupCode];
    match second_step(&state, &app, &form.mfa_token, factor, &code, &meta).await {
        Ok(outcome) => signed_in_page(&state, &app, &outcome),
        Err(Error::InvalidCode {
            detail,
            attempts_left,
        }) if attempts_left != Some(0) => second_factor_page(
            StatusCode::UNAUTHORIZED,
            &app,
            &form.mfa_token,
            &codes,
            Some(&detail),
        ),
        Err(Error::InvalidRequest(detail)) => second_factor_page(
            StatusCode::BAD_REQUEST,
            &app,
            &form.mfa_token,
            &codes,
            Some(&detail),
        ),
        Err(Error::RateLimited { detail, .. }) => second_factor_page(
            StatusCode::TOO_MANY_REQUESTS,
            &app,
            &form.mfa_token,
            &codes,
            Some(&detail),
        ),
        Err(e @ (Error::InvalidCode { .. } | Error::ChallengeExpired(_))) => page(
            StatusCode::BAD_REQUEST,
            &app,
            "This sign-in is over",
            &format!(
                "<p>{}</p><p><a href=\"/apps/{}/login\">Sign in again</a></p>",
                escape_html(&e.to_string()),
                escape_html(app.id.as_str()),
            ),
        ),
        Err(e) => super::error::ApiError(e).into_response(),
    }
}

/// Login CSRF defence for the page's forms (see the origin policy): they must be posted from
/// this server's own pages (or the app's), so another site cannot sign a visitor into someone
/// else's account.
fn form_origin_refusal(state: &AppState, app: &App, headers: &HeaderMap) -> Option<Response> {
    state
        .origins
        .check(app, OriginUse::PageForm, &Method::POST, headers)
        .err()
        .map(|_| {
            page(
                StatusCode::FORBIDDEN,
                app,
                "This form was sent from another site",
                "<p>Sign-in forms work only from this site's own pages. Open the link from your \
                 email again.</p>",
            )
        })
}

/// A page form's fields, once it came from this server's or the app's pages (login CSRF) and
/// parsed; otherwise the page that says why.
fn page_form<T>(
    state: &AppState,
    app: &App,
    headers: &HeaderMap,
    form: Result<axum::Form<T>, axum::extract::rejection::FormRejection>,
) -> Result<T, Box<Response>> {
    if let Some(refused) = form_origin_refusal(state, app, headers) {
        return Err(Box::new(refused));
    }
    form.map(|axum::Form(form)| form)
        .map_err(|_| Box::new(link_error(app, "", Error::ChallengeExpired(String::new()))))
}

/// Who is signed in in the browser posting a page's form (its session cookie), if anyone: a
/// verify_email link or code only works there.
async fn form_requester(state: &AppState, app: &App, headers: &HeaderMap) -> Option<Principal> {
    let cookie = cookie(headers, SESSION_COOKIE)?;
    state.auth.sessions().from_cookie(app, &cookie).await.ok()
}

#[derive(Deserialize, utoipa::ToSchema)]
struct MagicForm {
    token: String,
}

/// `POST /apps/{app}/login/magic`: the page's button.
#[utoipa::path(
    post, path = "/apps/{app}/login/magic", tag = "email",
    summary = "Redeem a magic link (the page's button)",
    params(
        ("app" = String, Path, description = "The app id"),
    ),
    request_body(content = MagicForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "Signed in: a page; sets the session cookie", body = String, content_type = "text/html"),
        (status = 400, description = "The link expired or was used", body = String, content_type = "text/html"),
        (status = 403, description = "Sent from another site, or the link belongs to another browser", body = String, content_type = "text/html"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "rate_limited: too many requests (see Retry-After)", body = Problem, content_type = "application/problem+json"),
    ),
    security(()),
)]
async fn magic_submit(
    State(state): State<AppState>,
    AppCtx(app): AppCtx,
    Meta(meta): Meta,
    headers: HeaderMap,
    form: Result<axum::Form<MagicForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let form = match page_form(&state, &app, &headers, form) {
        Ok(form) => form,
        Err(refused) => return *refused,
    };
    let binding = cookie(&headers, LINK_COOKIE);
    let requester = form_requester(&state, &app, &headers).await;
    match state
        .auth
        .email()
        .sign_in_with_link(
            &app,
            &Secret::from_presented(form.token.clone()),
            binding.as_ref(),
            requester.as_ref(),
            &meta,
        )
        .await
    {
        Ok(outcome) => signed_in_page(&state, &app, &outcome),
        Err(e) => link_error(&app, &form.token, e),
    }
}

/// `POST /apps/{app}/login/magic/approve`: the other-device page's button. The browser that
/// asked signs in at its next `otp/email/status`.
#[utoipa::path(
    post, path = "/apps/{app}/login/magic/approve", tag = "email",
    summary = "Confirm a magic link from another device (the other-browser page)",
    description = "For a sign-in or sign-up link opened in another browser than the one that asked: the browser that asked then signs in when it next checks `otp/email/status`. Recorded as `email.link_approved`.",
    params(
        ("app" = String, Path, description = "The app id"),
    ),
    request_body(content = MagicForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "Confirmed: a page saying to go back to the other device", body = String, content_type = "text/html"),
        (status = 400, description = "The link expired, was used, or cannot be confirmed elsewhere", body = String, content_type = "text/html"),
        (status = 403, description = "Sent from another site", body = String, content_type = "text/html"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "rate_limited: too many requests (see Retry-After)", body = Problem, content_type = "application/problem+json"),
    ),
    security(()),
)]
async fn approve_submit(
    State(state): State<AppState>,
    AppCtx(app): AppCtx,
    Meta(meta): Meta,
    headers: HeaderMap,
    form: Result<axum::Form<MagicForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let form = match page_form(&state, &app, &headers, form) {
        Ok(form) => form,
        Err(refused) => return *refused,
    };
    let token = Secret::from_presented(form.token.clone());
    match state.auth.email().approve_link(&app, &token, &meta).await {
        Ok(()) => page(
            StatusCode::OK,
            &app,
            "Go back to your other device",
            &format!(
                "<p>The device where you asked is signing in to {} now. You can close this \
                 page.</p>",
                escape_html(&app.name)
            ),
        ),
        Err(e) => link_error(&app, &form.token, e),
    }
}

/// `{}`: a check of the link-binding cookie's request has nothing else to say.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct StatusRequest {}

/// Where this browser's latest email request stands.
#[derive(serde::Serialize, utoipa::ToSchema)]
struct LinkStatusResponse {
    /// `pending`: neither used nor confirmed yet; `over`: used, replaced, expired, or never made
    /// from this browser.
    status: &'static str,
}

/// `POST /apps/{app}/otp/email/status`: polled by the browser that asked for an email while it
/// waits; answers with the sign-in result once the link was confirmed on another device.
#[utoipa::path(
    post, path = "/apps/{app}/otp/email/status", tag = "email",
    summary = "Check whether the emailed link was confirmed on another device",
    description = "From the browser that asked for the email (its link-binding cookie). `{\"status\": \"pending\"}` until the link is confirmed elsewhere (`login/magic/approve`), then the sign-in result, once; `{\"status\": \"over\"}` when the request was used, replaced or expired. Poll every few seconds; the code stays the fallback.",
    params(
        ("app" = String, Path, description = "The app id"),
    ),
    request_body = StatusRequest,
    responses(
        (status = 200, description = "Still pending, or over", body = LinkStatusResponse),
        (status = 201, description = "Confirmed on another device: the sign-in result; sets the session cookie", body = SignInResponse),
        (status = 400, description = "invalid_request: malformed input, or no email was asked for from this browser", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "origin_not_allowed: not from one of the app's origins", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "payload_too_large: the body is over 64 KiB", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "rate_limited: too many requests (see Retry-After)", body = Problem, content_type = "application/problem+json"),
    ),
    security(()),
)]
async fn link_status(
    State(state): State<AppState>,
    _: SignInOrigin,
    AppCtx(app): AppCtx,
    Meta(meta): Meta,
    headers: HeaderMap,
    JsonBody(StatusRequest {}): JsonBody<StatusRequest>,
) -> ApiResult<Response> {
    let binding = cookie(&headers, LINK_COOKIE).ok_or_else(|| {
        Error::InvalidRequest(
            "this browser asked for no email: send the link-binding cookie otp/email set"
                .to_owned(),
        )
    })?;
    let status = |status| Json(LinkStatusResponse { status }).into_response();
    Ok(
        match state
            .auth
            .email()
            .link_status(&app, &binding, None, &meta)
            .await?
        {
            LinkStatus::Pending => status("pending"),
            LinkStatus::Over => status("over"),
            LinkStatus::SignedIn(outcome) => {
                sign_in_response(&state, &app, StatusCode::CREATED, &outcome)
            }
        },
    )
}

#[derive(Deserialize, utoipa::ToSchema)]
struct CodeForm {
    token: String,
    code: String,
}

/// `POST /apps/{app}/login/code`: the code form of the "other browser" page.
#[utoipa::path(
    post, path = "/apps/{app}/login/code", tag = "email",
    summary = "Redeem the code of a magic link's email (the other-browser form)",
    params(
        ("app" = String, Path, description = "The app id"),
    ),
    request_body(content = CodeForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "Signed in: a page; sets the session cookie", body = String, content_type = "text/html"),
        (status = 400, description = "The code expired or was used", body = String, content_type = "text/html"),
        (status = 401, description = "Wrong code: the form again", body = String, content_type = "text/html"),
        (status = 403, description = "Sent from another site", body = String, content_type = "text/html"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "rate_limited: too many requests (see Retry-After)", body = Problem, content_type = "application/problem+json"),
    ),
    security(()),
)]
async fn code_submit(
    State(state): State<AppState>,
    AppCtx(app): AppCtx,
    Meta(meta): Meta,
    headers: HeaderMap,
    form: Result<axum::Form<CodeForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let form = match page_form(&state, &app, &headers, form) {
        Ok(form) => form,
        Err(refused) => return *refused,
    };
    let requester = form_requester(&state, &app, &headers).await;
    match state
        .auth
        .email()
        .sign_in_with_link_code(
            &app,
            &Secret::from_presented(form.token.clone()),
            &form.code,
            requester.as_ref(),
            &meta,
        )
        .await
    {
        Ok(outcome) => signed_in_page(&state, &app, &outcome),
        Err(Error::InvalidCode { detail, .. } | Error::InvalidRequest(detail)) => page(
            StatusCode::UNAUTHORIZED,
            &app,
            "That code is not right",
            &format!(
                "<p>{}</p>{}",
                escape_html(&detail),
                code_form(&app, &form.token)
            ),
        ),
        Err(e) => link_error(&app, &form.token, e),
    }
}
