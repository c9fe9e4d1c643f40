//! Apps on their own domains (the app setting `domain`).
//!
//! A request whose `Host` is an app's domain is that app's: its paths sit at the root
//! (`/login`, `/config`, `/.well-known/jwks.json`, `/sessions/current`), and are served as
//! `/apps/{app}/…` would be. `/apps/{app}/…` itself works there too (the hosted pages and the
//! SDK use it), but no other app's paths and nothing of the instance's (admin API, metrics,
//! API docs): only the pages' assets, the SDK and the health checks, which a load balancer may
//! ask for under any host. Cookies set there are scoped to the whole host. Any other `Host`
//! (this instance's own, an address) is served as it always is.
//!
//! Which domain is whose is read from the store as a whole at most once every few seconds
//! ([`crate::auth::apps::Apps::by_domain`]), so a flood of made-up hosts costs no store reads.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::error::problem;
use crate::auth::{AppId, Site};

/// Paths of the instance served under any host: what the hosted pages load, and the health
/// checks.
const SHARED_PATHS: [&str; 3] = ["/health", "/ready", "/favicon.ico"];
const SHARED_PREFIXES: [&str; 2] = ["/assets/", "/sdk/"];

/// The middleware: routes a request on an app's domain to that app's paths.
pub async fn route(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    // This instance's own host, the common case, costs one comparison.
    let Some(host) = raw_host(&req).filter(|h| !h.eq_ignore_ascii_case(state.origins.own_host()))
    else {
        return next.run(req).await;
    };
    let host = normalize(host);
    let Some(app) = state.auth.apps().by_domain(&host).await else {
        return next.run(req).await;
    };
    let path = req.uri().path();
    let rewritten = match path {
        "/" => {
            // The domain's front door is the sign-in page.
            return (
                StatusCode::TEMPORARY_REDIRECT,
                [(header::LOCATION, HeaderValue::from_static("/login"))],
            )
                .into_response();
        }
        _ if SHARED_PATHS.contains(&path)
            || SHARED_PREFIXES.iter().any(|p| path.starts_with(p)) =>
        {
            None
        }
        _ => match path.strip_prefix("/apps/") {
            Some(rest) if rest.split('/').next() == Some(app.as_str()) => None,
            Some(_) => {
                return problem(
                    StatusCode::NOT_FOUND,
                    "not_found",
                    "this host serves one app only",
                );
            }
            None => Some(format!("/apps/{app}{path}")),
        },
    };
    if let Some(path) = rewritten {
        let query = req
            .uri()
            .query()
            .map(|q| format!("?{q}"))
            .unwrap_or_default();
        let Ok(uri) = Uri::try_from(format!("{path}{query}")) else {
            return problem(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "the URL is not valid",
            );
        };
        *req.uri_mut() = uri;
    }
    req.extensions_mut().insert(Site::Own);
    let mut response = next.run(req).await;
    scope_cookies(&mut response, &app, &host);
    response
}

/// The host the request names: its URI's authority (absolute form), else its `Host` header.
fn raw_host(req: &Request) -> Option<&str> {
    match req.uri().authority() {
        Some(authority) => Some(authority.as_str()),
        None => req.headers().get(header::HOST)?.to_str().ok(),
    }
}

/// `raw`, a request's host, as an app's domain would name it: lower-case, without a trailing dot
/// or a default port.
fn normalize(raw: &str) -> String {
    let raw = raw.to_ascii_lowercase();
    let (name, port) = match raw.rsplit_once(':') {
        Some((name, port)) if !name.contains(']') || name.ends_with(']') => (name, Some(port)),
        _ => (raw.as_str(), None),
    };
    let name = name.strip_suffix('.').unwrap_or(name);
    match port {
        None | Some("80" | "443") => name.to_owned(),
        Some(port) => format!("{name}:{port}"),
    }
}

/// The app's cookies as its own domain serves them: its paths are the whole host there, and
/// the cookies are `Secure` whenever the domain is served over https.
fn scope_cookies(response: &mut Response, app: &AppId, host: &str) {
    let scoped = format!("; Path=/apps/{app};");
    let secure = crate::auth::apps::domain_scheme(host) == "https";
    let cookies: Vec<HeaderValue> = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| {
            let cookie = v.to_str().ok()?;
            let mut cookie = cookie.replacen(&scoped, "; Path=/;", 1);
            if secure && !cookie.contains("; Secure") {
                cookie.push_str("; Secure");
            }
            HeaderValue::from_str(&cookie).ok()
        })
        .collect();
    if cookies.is_empty() {
        return;
    }
    let headers = response.headers_mut();
    headers.remove(header::SET_COOKIE);
    for cookie in cookies {
        headers.append(header::SET_COOKIE, cookie);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_named_as_domains_are() {
        let host_of = |h: &str| {
            let req = Request::builder()
                .uri("/login")
                .header(header::HOST, h)
                .body(axum::body::Body::empty())
                .unwrap_or_else(|e| panic!("{e}"));
            raw_host(&req).map(normalize)
        };
        assert_eq!(
            host_of("Login.Example.COM").as_deref(),
            Some("login.example.com")
        );
        assert_eq!(
            host_of("login.example.com.").as_deref(),
            Some("login.example.com")
        );
        assert_eq!(
            host_of("login.example.com:443").as_deref(),
            Some("login.example.com")
        );
        assert_eq!(
            host_of("login.example.com:80").as_deref(),
            Some("login.example.com")
        );
        assert_eq!(
            host_of("acme.localhost:8080").as_deref(),
            Some("acme.localhost:8080")
        );
        assert_eq!(host_of("[::1]:8080").as_deref(), Some("[::1]:8080"));
        assert_eq!(host_of("[::1]").as_deref(), Some("[::1]"));
    }

    #[test]
    fn cookies_are_scoped_to_the_whole_domain() {
        let mut response = StatusCode::OK.into_response();
        for cookie in [
            "lk_session=abc; Path=/apps/acme; Max-Age=60; HttpOnly; SameSite=Lax",
            "lk_link=def; Path=/apps/acme; Max-Age=600; HttpOnly; SameSite=Lax",
        ] {
            response
                .headers_mut()
                .append(header::SET_COOKIE, HeaderValue::from_static(cookie));
        }
        let app = AppId::from("acme".to_owned());
        scope_cookies(&mut response, &app, "login.example.com");
        let cookies: Vec<_> = response
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(
            cookies,
            [
                "lk_session=abc; Path=/; Max-Age=60; HttpOnly; SameSite=Lax; Secure",
                "lk_link=def; Path=/; Max-Age=600; HttpOnly; SameSite=Lax; Secure",
            ]
        );
    }
}
