//! The hosted pages: the login page, the account page, and what they share (one page shell with
//! a strict Content-Security-Policy, the per-app theme, and the static assets embedded in the
//! binary). Pages are plain HTML; their behaviour is in `/assets/*.js`, which talk to the
//! browser API through the SDK (`/sdk/latchkey.js`). No inline script, no third-party origin.

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use super::AppState;
use super::error::problem;
use super::extract::{AppCtx, PageLimit, PathParams, QueryParams};
use super::openapi::Problem;
use crate::auth::organizations::InvitationStatus;
use crate::auth::{App, Site};
use crate::mail::escape_html;

/// The hosted pages, for the OpenAPI description.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(login_page, account_page, invitation_page, theme, asset, favicon),
    components(schemas(LoginCompat))
)]
pub(super) struct Api;

/// The static assets of the pages, embedded at compile time: (name, content type, body).
const ASSETS: [(&str, &str, &str); 5] = [
    (
        "latchkey.css",
        "text/css; charset=utf-8",
        include_str!("../../../../web/latchkey.css"),
    ),
    (
        "login.js",
        "text/javascript; charset=utf-8",
        include_str!("../../../../web/login.js"),
    ),
    (
        "invitation.js",
        "text/javascript; charset=utf-8",
        include_str!("../../../../web/invitation.js"),
    ),
    (
        "account.js",
        "text/javascript; charset=utf-8",
        include_str!("../../../../web/account.js"),
    ),
    (
        "docs.js",
        "text/javascript; charset=utf-8",
        include_str!("../../../../web/docs.js"),
    ),
];

/// Where the pages may load from and send to: this server only (logos from any https origin).
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' https:; \
    connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/apps/{app}/login", get(login_page))
        .route("/apps/{app}/account", get(account_page))
        .route("/apps/{app}/invitation", get(invitation_page))
        .route("/apps/{app}/theme.css", get(theme))
        .route("/assets/{name}", get(asset))
        .route("/favicon.ico", get(favicon))
}

/// Browsers ask for it on every page; there is none.
#[utoipa::path(
    get, path = "/favicon.ico", tag = "pages",
    summary = "No favicon",
    responses(
        (status = 429, description = "rate_limited: too many requests (see Retry-After)", body = Problem, content_type = "application/problem+json"),
        (status = 204, description = "There is none"),
    ),
)]
async fn favicon(_: PageLimit) -> StatusCode {
    StatusCode::NO_CONTENT
}

/// A complete page: the shell, the app's branding, `body`, and the security headers.
pub(super) fn page(
    status: StatusCode,
    app: &App,
    title: &str,
    body: &str,
    script: Option<&str>,
    data: &[(&str, &str)],
) -> Response {
    let logo = app.logo_url.as_deref().map_or_else(String::new, |url| {
        format!("<img class=\"logo\" src=\"{}\" alt=\"\">", escape_html(url))
    });
    let script = script.map_or_else(String::new, |s| {
        format!("<script type=\"module\" src=\"/assets/{s}\"></script>")
    });
    let data: String = data
        .iter()
        .map(|(k, v)| format!(" data-{k}=\"{}\"", escape_html(v)))
        .collect();
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{full_title}</title>\
         <link rel=\"stylesheet\" href=\"/assets/latchkey.css\">\
         <link rel=\"stylesheet\" href=\"/apps/{app_id}/theme.css\">{script}</head>\
         <body data-app=\"{app_id}\"{data}><main class=\"card\"><header>{logo}\
         <h1 id=\"title\">{title}</h1></header>{body}</main></body></html>",
        title = escape_html(title),
        full_title = escape_html(&if title.contains(&app.name) {
            title.to_owned()
        } else {
            format!("{title} · {}", app.name)
        }),
        app_id = escape_html(&app.id),
    );
    let mut response = (status, Html(html)).into_response();
    secure_headers(&mut response);
    response
}

/// A page of the instance itself, not of an app (the API docs): the same shell and security
/// headers as [`page`], without an app's branding.
pub(super) fn plain_page(
    status: StatusCode,
    title: &str,
    body: &str,
    script: Option<&str>,
) -> Response {
    let script = script.map_or_else(String::new, |s| {
        format!("<script type=\"module\" src=\"/assets/{s}\"></script>")
    });
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title>\
         <link rel=\"stylesheet\" href=\"/assets/latchkey.css\">{script}</head>\
         <body><main class=\"card\"><header><h1 id=\"title\">{title}</h1></header>{body}</main>\
         </body></html>",
        title = escape_html(title),
    );
    let mut response = (status, Html(html)).into_response();
    secure_headers(&mut response);
    response
}

/// Lets `page`'s forms lead to `target`'s origin too: a form whose answer redirects to another
/// site (back to an OAuth client) is checked against `form-action` at every hop.
pub(super) fn allow_form_target(mut page: Response, target: &str) -> Response {
    let Some(origin) = url::Url::parse(target)
        .ok()
        .filter(crate::auth::apps::plain_host)
        .map(|u| u.origin().ascii_serialization())
        .filter(|o| o != "null")
    else {
        return page;
    };
    let csp = CSP.replace(
        "form-action 'self'",
        &format!("form-action 'self' {origin}"),
    );
    if let Ok(value) = HeaderValue::from_str(&csp) {
        page.headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, value);
    }
    page
}

fn secure_headers(response: &mut Response) {
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        // Origin only, never a path: a magic link's token stays out of every Referer. (Not
        // `no-referrer`: it makes browsers send `Origin: null` on the pages' own forms.)
        HeaderValue::from_static("strict-origin"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

/// The page for an operator's misconfiguration or a bad link, instead of a page that cannot work.
pub(super) fn refusal(status: StatusCode, app: &App, title: &str, text: &str) -> Response {
    page(
        status,
        app,
        title,
        &format!(
            "<p class=\"message error\" role=\"alert\">{}</p>",
            escape_html(text)
        ),
        None,
        &[],
    )
}

/// Where a hosted page cannot be served as asked: an app with its own domain has its pages
/// there (a redirect to the same `page` and query on it); otherwise the pages run on this
/// server's origin, which WebAuthn and the origin policy need among the app's origins.
pub(super) fn served_elsewhere(
    state: &AppState,
    app: &App,
    site: Site,
    page: &str,
    uri: &Uri,
) -> Option<Response> {
    if site == Site::Own {
        return None;
    }
    if let Some(origin) = app.domain_origin() {
        let query = uri.query().map(|q| format!("?{q}")).unwrap_or_default();
        let location = HeaderValue::from_str(&format!("{origin}/{page}{query}")).ok()?;
        return Some(
            (
                StatusCode::TEMPORARY_REDIRECT,
                [(header::LOCATION, location)],
            )
                .into_response(),
        );
    }
    let own = state.origins.own();
    (!state.origins.hosts_pages(app)).then(|| {
        refusal(
            StatusCode::CONFLICT,
            app,
            "This sign-in page is not set up",
            &format!(
                "The app's operator must add {own} to the app's origins (and use an rp_id that \
                 covers it) for the hosted pages to work."
            ),
        )
    })
}

#[derive(Deserialize)]
struct LoginQuery {
    redirect_uri: Option<String>,
    /// Return to `redirect_uri` in another service's form instead of with an `auth_token`.
    compat: Option<LoginCompat>,
    /// Where to go once signed in: an authorization request of the app's OpenID Provider
    /// waiting for the sign-in (this server's path, nothing else).
    #[serde(rename = "continue")]
    continue_to: Option<String>,
    /// An email address to start with.
    login_hint: Option<String>,
    /// `sign-up`: start on account creation.
    start: Option<String>,
}

/// Whether `path` is where the login page may send people once signed in: an authorization
/// request of `app`'s OpenID Provider on this server, or the page of one of its invitations
/// (on this server or the app's own domain). A path and query, no scheme or host.
fn is_continue_path(app: &App, path: &str) -> bool {
    [
        format!("/apps/{}/oauth/authorize?", app.id),
        format!("/apps/{}/invitation?", app.id),
        "/invitation?".to_owned(),
    ]
    .iter()
    .any(|prefix| {
        path.strip_prefix(prefix.as_str())
            .is_some_and(|query| !query.contains(['#', '\\']))
    })
}

/// The form in which the login page returns to `redirect_uri` for a flow begun through a
/// compatibility API.
#[derive(Clone, Copy, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
enum LoginCompat {
    /// PasskeyMe's callback: `?token=`, PasskeyMe's callback token, which its `verify-token`
    /// and `user` read (the sign-in ends at `/compat/passkeyme/oauth/complete`, which trades
    /// the auth token for it).
    Passkeyme,
}

/// `GET /apps/{app}/login`: passkey autofill, a passkey button, the email-code fallback and
/// sign-up. After sign-in it returns to `redirect_uri` (only one of the app's) with
/// `?auth_token=…`.
#[utoipa::path(
    get, path = "/apps/{app}/login", tag = "pages",
    summary = "The hosted login page",
    params(
        ("app" = String, Path, description = "The app id"),
        ("redirect_uri" = Option<String>, Query, description = "One of the app's redirect URIs; receives `?auth_token=…` after sign-in"),
        ("compat" = Option<LoginCompat>, Query, description = "`passkeyme`: return to redirect_uri through /compat/passkeyme/oauth/complete, which adds `?token=`, as PasskeyMe's callback expects"),
        ("continue" = Option<String>, Query, description = "Where to return after sign-in: an authorization request of the app's OpenID Provider (`/apps/{app}/oauth/authorize?…`) or an invitation's page (`/apps/{app}/invitation?…`)"),
        ("login_hint" = Option<String>, Query, description = "An email address to start with"),
        ("start" = Option<String>, Query, description = "`sign-up`: start on account creation"),
    ),
    responses(
        (status = 429, description = "rate_limited: too many requests (see Retry-After)", body = Problem, content_type = "application/problem+json"),
        (status = 200, description = "The hosted login page", body = String, content_type = "text/html"),
        (status = 400, description = "redirect_uri is not one of the app's, or continue is not an authorization request of the app", body = String, content_type = "text/html"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
        (status = 307, description = "The app has its own domain: the same page there"),
        (status = 409, description = "The app's origins lack this server's origin, so the hosted pages cannot work", body = String, content_type = "text/html"),
    ),
)]
async fn login_page(
    State(state): State<AppState>,
    _: PageLimit,
    AppCtx(app): AppCtx,
    site: Site,
    uri: Uri,
    QueryParams(q): QueryParams<LoginQuery>,
) -> Response {
    if let Some(elsewhere) = served_elsewhere(&state, &app, site, "login", &uri) {
        return elsewhere;
    }
    let redirect = q.redirect_uri.unwrap_or_default();
    if !redirect.is_empty() && !app.allows_redirect_uri(&redirect) {
        return refusal(
            StatusCode::BAD_REQUEST,
            &app,
            "This link cannot sign you in",
            "It asks to send you somewhere this app does not allow after sign-in. Go back to the \
             app and start again from there.",
        );
    }
    let resume = q.continue_to.unwrap_or_default();
    if !resume.is_empty() && !is_continue_path(&app, &resume) {
        return refusal(
            StatusCode::BAD_REQUEST,
            &app,
            "This link cannot sign you in",
            "It asks to send you somewhere this app does not allow after sign-in. Go back to the \
             app and start again from there.",
        );
    }
    let login_hint = q
        .login_hint
        .filter(|h| h.len() <= 320 && !h.chars().any(char::is_control))
        .unwrap_or_default();
    let start = if q.start.as_deref() == Some("sign-up") && app.sign_up_allowed {
        "sign-up"
    } else {
        ""
    };
    let title = format!("Sign in to {}", app.name);
    let sign_up = if app.sign_up_allowed {
        "<p class=\"switch\">New here? <button id=\"show-sign-up\" type=\"button\" class=\"link\">Create an account</button></p>"
    } else {
        ""
    };
    // An app that signs people up by email code first offers only that: the passkey comes once
    // the code has signed them in.
    let sign_up_form = if app.sign_up_email_first {
        r#"<form id="sign-up-form" data-email-first novalidate>
<label for="sign-up-email">Email</label>
<input id="sign-up-email" name="email" type="email" autocomplete="email" spellcheck="false" autocapitalize="none">
<button type="submit" class="primary">Email me a code to create my account</button>
</form>"#
    } else {
        r#"<form id="sign-up-form" novalidate>
<label for="sign-up-email">Email</label>
<input id="sign-up-email" name="email" type="email" autocomplete="email" spellcheck="false" autocapitalize="none">
<label for="sign-up-name">Your name <span class="optional">(optional)</span></label>
<input id="sign-up-name" name="name" autocomplete="name">
<button type="submit" class="primary">Create account with a passkey</button>
<button id="sign-up-code" type="button" class="secondary">Use an email code instead</button>
</form>"#
    };
    let body = format!(
        r#"<div id="message" class="message" role="alert" aria-live="assertive" hidden></div>
<section id="step-start">
<form id="start-form" novalidate>
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username webauthn" spellcheck="false" autocapitalize="none">
<button id="passkey-button" type="button" class="primary">Sign in with a passkey</button>
<button id="code-button" type="submit" class="secondary">Email me a sign-in code</button>
</form>
{sign_up}
</section>
<section id="step-sign-up" hidden>
{sign_up_form}
<p class="switch"><button id="show-sign-in" type="button" class="link">I already have an account</button></p>
</section>
<section id="step-code" hidden>
<p>We sent a 6-digit code to <strong id="code-email"></strong>. It works for 10 minutes.</p>
<form id="code-form" novalidate>
<label for="code">Code</label>
<input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="6">
<button type="submit" class="primary">Continue</button>
</form>
<p class="switch"><button id="code-back" type="button" class="link">Use a different email</button></p>
</section>
<section id="step-mfa" hidden>
<h2>One more step</h2>
<form id="totp-form" novalidate>
<label for="totp-code">Code from your authenticator app</label>
<input id="totp-code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="6" spellcheck="false">
<button type="submit" class="primary">Continue</button>
</form>
<form id="backup-form" novalidate hidden>
<label for="backup-code">Backup code</label>
<input id="backup-code" name="backup_code" autocomplete="off" spellcheck="false" autocapitalize="none">
<button type="submit" class="primary">Continue</button>
</form>
<p id="mfa-enroll-text" hidden>This app asks for a second way to prove it is you. Create a passkey on this device to finish signing in.</p>
<button id="mfa-new-passkey" type="button" class="primary" hidden>Create a passkey</button>
<button id="mfa-passkey" type="button" class="secondary" hidden>Use a passkey instead</button>
<p class="switch"><button id="use-backup" type="button" class="link" hidden>Use a backup code</button><button id="use-totp" type="button" class="link" hidden>Use your authenticator app</button></p>
<p class="switch"><button id="mfa-back" type="button" class="link">Start over</button></p>
</section>
<section id="step-offer-passkey" hidden>
<h2>Sign in faster next time</h2>
<p>Create a passkey on this device: no code to wait for, nothing to type.</p>
<button id="create-passkey" type="button" class="primary">Create a passkey</button>
<button id="skip-passkey" type="button" class="secondary">Not now</button>
</section>
<section id="step-done" hidden>
<p id="done-text"></p>
<p><a href="/apps/{app_id}/account">Manage your passkeys and sessions</a></p>
</section>
<noscript><p class="message error">Passkeys need JavaScript. Turn it on to sign in.</p></noscript>"#,
        app_id = escape_html(&app.id),
    );
    // A PasskeyMe flow ends where the auth token is traded for PasskeyMe's callback token.
    let complete = match q.compat {
        Some(LoginCompat::Passkeyme) if !redirect.is_empty() => {
            super::compat::passkeyme::complete_url(&state, &app, &redirect)
        }
        _ => String::new(),
    };
    page(
        StatusCode::OK,
        &app,
        &title,
        &body,
        Some("login.js"),
        &[
            ("redirect-uri", &redirect),
            ("complete", &complete),
            ("continue", &resume),
            ("login-hint", &login_hint),
            ("start", start),
            // The code step also waits for the link to be confirmed on another device.
            (
                "cross-device-links",
                if app.cross_device_links { "on" } else { "off" },
            ),
        ],
    )
}

/// `GET /apps/{app}/account`: the signed-in user's passkeys and sessions.
#[utoipa::path(
    get, path = "/apps/{app}/account", tag = "pages",
    summary = "The hosted account page",
    params(
        ("app" = String, Path, description = "The app id"),
    ),
    responses(
        (status = 429, description = "rate_limited: too many requests (see Retry-After)", body = Problem, content_type = "application/problem+json"),
        (status = 200, description = "The account page", body = String, content_type = "text/html"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
        (status = 307, description = "The app has its own domain: the same page there"),
        (status = 409, description = "The app's origins lack this server's origin", body = String, content_type = "text/html"),
    ),
)]
async fn account_page(
    State(state): State<AppState>,
    _: PageLimit,
    AppCtx(app): AppCtx,
    site: Site,
    uri: Uri,
) -> Response {
    if let Some(elsewhere) = served_elsewhere(&state, &app, site, "account", &uri) {
        return elsewhere;
    }
    let body = format!(
        r#"<div id="message" class="message" role="alert" aria-live="assertive" hidden></div>
<p id="who"></p>
<section aria-labelledby="passkeys-title">
<h2 id="passkeys-title">Passkeys</h2>
<ul id="passkeys" class="list"></ul>
<button id="add-passkey" type="button" class="primary">Add a passkey</button>
</section>
<section id="mfa-section" aria-labelledby="mfa-title" hidden>
<h2 id="mfa-title">Two-step sign-in</h2>
<p class="meta">An authenticator app gives a code to type after an email code or link.</p>
<ul id="factors" class="list"></ul>
<p id="backup-status" class="meta"></p>
<button id="add-totp" type="button" class="primary">Add an authenticator app</button>
<div id="totp-enroll" hidden>
<p>Scan this QR code with your authenticator app (or type the key below into it), then enter the code it shows.</p>
<p><img id="totp-qr" alt="QR code to add this account to an authenticator app" width="200" height="200"></p>
<p>Key: <code id="totp-secret"></code></p>
<form id="totp-verify-form" novalidate>
<label for="totp-verify-code">Code from the app</label>
<input id="totp-verify-code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="6" spellcheck="false">
<button type="submit" class="primary">Turn on</button>
<button id="totp-cancel" type="button" class="secondary">Cancel</button>
</form>
</div>
<div id="backup-box" hidden>
<p><strong>Your backup codes.</strong> Each works once, in place of a code from the app. Save them somewhere safe: they are shown only now.</p>
<ol id="backup-codes" class="codes"></ol>
</div>
<button id="new-backup-codes" type="button" class="secondary" hidden>Make new backup codes</button>
</section>
<section id="reauth" aria-labelledby="reauth-title" hidden>
<h2 id="reauth-title">Confirm it is you</h2>
<p>This change needs a recent sign-in.</p>
<button id="reauth-passkey" type="button" class="primary">Confirm with a passkey</button>
<form id="reauth-form" novalidate>
<label for="reauth-code">Or a code from your authenticator app</label>
<input id="reauth-code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="6" spellcheck="false">
<button type="submit" class="secondary">Confirm</button>
</form>
<p class="switch"><button id="reauth-cancel" type="button" class="link">Cancel</button></p>
</section>
<section aria-labelledby="sessions-title">
<h2 id="sessions-title">Where you are signed in</h2>
<ul id="sessions" class="list"></ul>
</section>
<section id="organizations-section" aria-labelledby="organizations-title" hidden>
<h2 id="organizations-title">Organizations</h2>
<ul id="organizations" class="list"></ul>
</section>
<section id="consents-section" aria-labelledby="consents-title" hidden>
<h2 id="consents-title">Applications you allowed</h2>
<ul id="consents" class="list"></ul>
</section>
<p><button id="sign-out" type="button" class="secondary">Sign out</button></p>
<noscript><p class="message error">This page needs JavaScript.</p></noscript>
<p hidden><a id="login-link" href="/apps/{app_id}/login">Sign in</a></p>"#,
        app_id = escape_html(&app.id),
    );
    page(
        StatusCode::OK,
        &app,
        "Your account",
        &body,
        Some("account.js"),
        &[("mfa", app.mfa.as_str())],
    )
}

#[derive(Deserialize)]
struct InvitationQuery {
    token: Option<String>,
}

/// `GET /apps/{app}/invitation?token=…`: the page an invitation's email links to. It says which
/// organization invites which address; the person signs in or signs up with it (the login page
/// brings them back) and accepts.
#[utoipa::path(
    get, path = "/apps/{app}/invitation", tag = "pages",
    summary = "The hosted page of an invitation to an organization",
    params(
        ("app" = String, Path, description = "The app id"),
        ("token" = Option<String>, Query, description = "The invitation link's token"),
    ),
    responses(
        (status = 429, description = "rate_limited: too many requests (see Retry-After)", body = Problem, content_type = "application/problem+json"),
        (status = 200, description = "The invitation page", body = String, content_type = "text/html"),
        (status = 404, description = "not_found: no such app (a problem); or a page saying the invitation does not exist, was withdrawn, used or has expired", content(
            (Problem = "application/problem+json"),
            (String = "text/html"),
        )),
        (status = 307, description = "The app has its own domain: the same page there"),
        (status = 409, description = "The app's origins lack this server's origin", body = String, content_type = "text/html"),
    ),
)]
async fn invitation_page(
    State(state): State<AppState>,
    _: PageLimit,
    AppCtx(app): AppCtx,
    site: Site,
    uri: Uri,
    QueryParams(q): QueryParams<InvitationQuery>,
) -> Response {
    if let Some(elsewhere) = served_elsewhere(&state, &app, site, "invitation", &uri) {
        return elsewhere;
    }
    let token = q.token.unwrap_or_default();
    let preview = match state.auth.organizations().preview(&app, &token).await {
        Ok(preview) => preview,
        Err(e) => return super::error::ApiError::from(e).into_response(),
    };
    let unusable = |text: &str| {
        refusal(
            StatusCode::NOT_FOUND,
            &app,
            "This invitation cannot be used",
            text,
        )
    };
    let preview = match preview {
        None => {
            return unusable(
                "The invitation does not exist or was withdrawn. Ask whoever invited you to send \
                 a new one.",
            );
        }
        Some(p) if p.status == InvitationStatus::Accepted => {
            return unusable("This invitation was already accepted.");
        }
        Some(p) if p.status == InvitationStatus::Expired => {
            return unusable(
                "This invitation has expired. Ask whoever invited you to send a new one.",
            );
        }
        Some(p) => p,
    };
    let body = format!(
        r#"<div id="message" class="message" role="alert" aria-live="assertive" hidden></div>
<p>You are invited to join <strong>{org}</strong> on {app_name}.</p>
<p>The invitation is for <strong>{email}</strong>.</p>
<section id="step-signed-out" hidden>
<p>Sign in or create an account with this address to accept it.</p>
<button id="sign-in" type="button" class="primary">Sign in</button>
<button id="sign-up" type="button" class="secondary">Create an account</button>
</section>
<section id="step-accept" hidden>
<p>You are signed in as <strong id="who"></strong>.</p>
<button id="accept" type="button" class="primary">Join {org}</button>
</section>
<section id="step-other" hidden>
<p>You are signed in as <strong id="other-who"></strong>, not as the invited address.</p>
<button id="switch-account" type="button" class="secondary">Sign out to use the invited address</button>
</section>
<section id="step-done" hidden>
<p id="done-text"></p>
<p><a href="account">Go to your account</a></p>
</section>
<noscript><p class="message error">This page needs JavaScript.</p></noscript>"#,
        org = escape_html(&preview.org_name),
        app_name = escape_html(&app.name),
        email = escape_html(&preview.email),
    );
    page(
        StatusCode::OK,
        &app,
        &format!("Join {}", preview.org_name),
        &body,
        Some("invitation.js"),
        &[("email", &preview.email), ("org-name", &preview.org_name)],
    )
}

/// `GET /apps/{app}/theme.css`: the app's accent colour as a CSS variable.
#[utoipa::path(
    get, path = "/apps/{app}/theme.css", tag = "pages",
    summary = "The app's theme stylesheet",
    params(
        ("app" = String, Path, description = "The app id"),
    ),
    responses(
        (status = 429, description = "rate_limited: too many requests (see Retry-After)", body = Problem, content_type = "application/problem+json"),
        (status = 200, description = "The app's accent colour as a CSS variable", body = String, content_type = "text/css"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
    ),
)]
async fn theme(_: PageLimit, AppCtx(app): AppCtx) -> Response {
    // Validated as #rrggbb when saved, so it is safe inside CSS.
    let accent = app.accent_color.as_deref().unwrap_or("#3550e0");
    let mut response = (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        format!(":root {{ --accent: {accent}; }}\n"),
    )
        .into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=60"),
    );
    response
}

/// `GET /assets/{name}`: the pages' scripts and stylesheet.
#[utoipa::path(
    get, path = "/assets/{name}", tag = "pages",
    summary = "The hosted pages' scripts and stylesheet",
    params(
        ("name" = String, Path, description = "latchkey.css, login.js, account.js or docs.js"),
    ),
    responses(
        (status = 429, description = "rate_limited: too many requests (see Retry-After)", body = Problem, content_type = "application/problem+json"),
        (status = 200, description = "The asset", body = String, content_type = "text/javascript"),
        (status = 404, description = "not_found: no such asset", body = Problem, content_type = "application/problem+json"),
    ),
)]
async fn asset(_: PageLimit, PathParams(name): PathParams<String>) -> Response {
    match ASSETS.iter().find(|(n, ..)| *n == name) {
        Some((_, content_type, body)) => {
            let mut response = ([(header::CONTENT_TYPE, *content_type)], *body).into_response();
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=300"),
            );
            response.headers_mut().insert(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            );
            response
        }
        None => problem(StatusCode::NOT_FOUND, "not_found", "there is no such asset"),
    }
}
