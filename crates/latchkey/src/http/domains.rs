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

use std::borrow::Cow;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::error::problem;
use super::extract::COOKIE_PREFIX;
use crate::auth::{AppId, Site};

/// Paths of the instance served under any host: what the hosted pages load, and the health
/// checks.
const SHARED_PATHS: [&str; 3] = ["/health", "/ready", "/favicon.ico"];
const SHARED_PREFIXES: [&str; 2] = ["/assets/", "/sdk/"];

/// What the cookies of an app on an https domain are named with: `__Host-` makes browsers
/// refuse one that a sibling subdomain sets (with `Domain=` or another path), so nobody can
/// plant a session or a link binding there.
const HOST_PREFIX: &str = "__Host-";

/// The middleware: routes a request on an app's domain to that app's paths.
pub async fn route(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let Some(raw) = raw_host(&req) else {
        return next.run(req).await;
    };
    let path = req.uri().path();
    // This instance's own host, the common case, costs one comparison; the shared paths (a
    // load balancer's health checks name any host) none at all.
    if raw.eq_ignore_ascii_case(state.origins.own_host())
        || SHARED_PATHS.contains(&path)
        || SHARED_PREFIXES.iter().any(|p| path.starts_with(p))
    {
        return next.run(req).await;
    }
    if let Some(authority) = req.uri().authority()
        && req
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .is_some_and(|h| !h.eq_ignore_ascii_case(authority.as_str()))
    {
        return problem(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "the request names two different hosts",
        );
    }
    let host = normalize(raw);
    let Some(app) = state.auth.apps().by_domain(&host).await else {
        return next.run(req).await;
    };
    let https = crate::auth::apps::domain_scheme(&host) == "https";
    let rewritten = match path {
        "/" => {
            // The domain's front door is the sign-in page.
            return (
                StatusCode::TEMPORARY_REDIRECT,
                [(header::LOCATION, HeaderValue::from_static("/login"))],
            )
                .into_response();
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
    if https {
        unprefix_cookies(req.headers_mut());
    }
    req.extensions_mut().insert(Site::Own);
    let mut response = next.run(req).await;
    scope_cookies(&mut response, &app, https);
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
/// or a default port (borrowed when it already is).
fn normalize(raw: &str) -> Cow<'_, str> {
    // The port follows the last colon, unless that colon is inside an IPv6 literal.
    let (name, port) = match raw.rsplit_once(':') {
        Some((name, port)) if !port.contains(']') => (name, Some(port)),
        _ => (raw, None),
    };
    let dotless = name.strip_suffix('.').unwrap_or(name);
    let default_port = matches!(port, Some("80" | "443"));
    if dotless.len() == name.len() && !default_port && !raw.bytes().any(|b| b.is_ascii_uppercase())
    {
        return Cow::Borrowed(raw);
    }
    let name = dotless.to_ascii_lowercase();
    Cow::Owned(match port {
        Some(port) if !default_port => format!("{name}:{port}"),
        _ => name,
    })
}

/// The app's cookies among those the browser sent, under the names handlers read: those with
/// the `__Host-` prefix, unprefixed. Cookies of ours without it were not set by this host (a
/// sibling subdomain can set them) and are dropped.
fn unprefix_cookies(headers: &mut HeaderMap) {
    let pairs: Vec<String> = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .map(str::trim)
        .filter(|pair| !pair.is_empty())
        .filter_map(|pair| match pair.strip_prefix(HOST_PREFIX) {
            Some(ours) if ours.starts_with(COOKIE_PREFIX) => Some(ours.to_owned()),
            _ if pair.starts_with(COOKIE_PREFIX) => None,
            _ => Some(pair.to_owned()),
        })
        .collect();
    headers.remove(header::COOKIE);
    if let Ok(value) = HeaderValue::from_str(&pairs.join("; "))
        && !pairs.is_empty()
    {
        headers.insert(header::COOKIE, value);
    }
}

/// The app's cookies as its own domain serves them: its paths are the whole host there, and
/// over https they are `Secure` and named with the `__Host-` prefix.
fn scope_cookies(response: &mut Response, app: &AppId, https: bool) {
    let scoped = format!("; Path=/apps/{app};");
    let cookies: Vec<HeaderValue> = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| {
            let cookie = v.to_str().ok()?;
            let mut cookie = cookie.replacen(&scoped, "; Path=/;", 1);
            if https {
                cookie.insert_str(0, HOST_PREFIX);
                if !cookie.contains("; Secure") {
                    cookie.push_str("; Secure");
                }
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
            raw_host(&req).map(|h| normalize(h).into_owned())
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
        assert_eq!(host_of("[::1]:443").as_deref(), Some("[::1]"));
    }

    #[test]
    fn only_cookies_this_host_set_reach_the_app() {
        let mut headers = HeaderMap::new();
        headers.append(
            header::COOKIE,
            HeaderValue::from_static(
                "latchkey_session=planted; __Host-latchkey_session=ours; theme=dark",
            ),
        );
        headers.append(
            header::COOKIE,
            HeaderValue::from_static("__Host-latchkey_link=bound; latchkey_link=planted"),
        );
        unprefix_cookies(&mut headers);
        assert_eq!(
            headers.get(header::COOKIE).and_then(|v| v.to_str().ok()),
            Some("latchkey_session=ours; theme=dark; latchkey_link=bound")
        );
        let mut planted_only = HeaderMap::new();
        planted_only.insert(
            header::COOKIE,
            HeaderValue::from_static("latchkey_session=x"),
        );
        unprefix_cookies(&mut planted_only);
        assert!(planted_only.get(header::COOKIE).is_none());
    }

    #[test]
    fn cookies_are_scoped_to_the_whole_domain() {
        let mut response = StatusCode::OK.into_response();
        for cookie in [
            "latchkey_session=abc; Path=/apps/acme; Max-Age=60; HttpOnly; SameSite=Lax",
            "latchkey_link=def; Path=/apps/acme; Max-Age=600; HttpOnly; SameSite=Lax",
        ] {
            response
                .headers_mut()
                .append(header::SET_COOKIE, HeaderValue::from_static(cookie));
        }
        let app = AppId::from("acme".to_owned());
        scope_cookies(&mut response, &app, true);
        let cookies: Vec<_> = response
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(
            cookies,
            [
                "__Host-latchkey_session=abc; Path=/; Max-Age=60; HttpOnly; SameSite=Lax; Secure",
                "__Host-latchkey_link=def; Path=/; Max-Age=600; HttpOnly; SameSite=Lax; Secure",
            ]
        );
    }
}
