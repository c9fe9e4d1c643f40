//! The HTTP layer: axum routers, one module per API surface, sharing extractors and the
//! problem-details mapping. Handlers parse, authenticate (by extractor), call one domain
//! operation and shape the response; they hold no business rules.

mod admin;
mod assets;
mod browser;
pub mod client_addr;
mod compat;
pub mod connections;
mod domains;
mod email;
pub mod error;
pub mod extract;
mod mfa;
mod oidc;
mod openapi;
mod ops;
mod organizations;
pub mod origin;
mod pages;
mod roles;
mod server_api;
pub mod wire;

use std::sync::{Arc, OnceLock};
use std::time::Instant;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;

use crate::auth::{App, Auth};
use crate::config::Config;
use error::problem;
use origin::OriginPolicy;

/// Largest request body accepted (413 beyond).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub auth: Arc<Auth>,
    pub config: Arc<Config>,
    pub metrics: PrometheusHandle,
    /// Which origins may do what (CSRF, login CSRF, CORS); parsed once from `PUBLIC_URL`.
    pub origins: OriginPolicy,
}

impl AppState {
    /// The state of a server for `auth` configured by `config`.
    pub fn new(auth: Arc<Auth>, config: Arc<Config>) -> Self {
        Self {
            origins: OriginPolicy::new(&config.public_url),
            auth,
            config,
            metrics: metrics_handle(),
        }
    }

    /// A `Set-Cookie` value for cookie `name` of `app`: scoped to the app's paths, `HttpOnly`,
    /// `SameSite=Lax`, and `Secure` whenever `PUBLIC_URL` is https.
    pub fn cookie_header(
        &self,
        app: &App,
        name: &str,
        value: &str,
        max_age: i64,
    ) -> Option<HeaderValue> {
        let secure = if self.config.is_https() {
            "; Secure"
        } else {
            ""
        };
        HeaderValue::from_str(&format!(
            "{name}={value}; Path=/apps/{}; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}",
            app.id
        ))
        .ok()
    }
}

/// The process-wide Prometheus recorder (metrics are global by nature).
pub fn metrics_handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets(&[
                    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
                ])
                .map(PrometheusBuilder::build_recorder)
                .unwrap_or_else(|_| PrometheusBuilder::new().build_recorder());
            let handle = recorder.handle();
            // A second server in the same process keeps the first recorder.
            let _ = metrics::set_global_recorder(recorder);
            handle
        })
        .clone()
}

/// The whole application as one router, ready to serve.
pub fn router(state: AppState) -> Router {
    // The browser API answers the app's origins (CORS); nothing else answers another origin.
    // Its 405 answer is set before the layer, so that a preflight for a method the route lacks
    // (OPTIONS) reaches the CORS layer too.
    let browser = Router::new()
        .merge(browser::routes())
        .merge(email::routes())
        .merge(mfa::routes())
        .merge(oidc::browser_routes())
        .method_not_allowed_fallback(method_not_allowed)
        .layer(state.origins.cors(state.auth.clone()));
    let api = Router::new()
        .merge(browser)
        .merge(pages::routes())
        .merge(server_api::routes())
        .merge(roles::routes())
        .merge(organizations::routes())
        .merge(oidc::routes())
        .merge(compat::routes())
        .merge(admin::routes())
        .merge(ops::routes())
        .merge(assets::routes())
        .merge(openapi::routes())
        .layer(middleware::from_fn(track))
        .layer(middleware::from_fn(refuse_nul))
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(not_found);
    let api = api
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(CatchPanicLayer::custom(|_| {
            tracing::error!("a request handler panicked");
            problem(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal_error",
                "the server failed to handle this request; it has been logged",
            )
        }))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            // Never the query (it may carry tokens), and no secret path segment either.
            let path = redact_path(req.uri().path());
            tracing::info_span!(
                "request",
                method = %req.method(),
                %path,
                route = tracing::field::Empty,
                app = tracing::field::Empty,
            )
        }))
        .with_state(state.clone());
    // Apps on their own domains: the path is rewritten before the router above routes it.
    Router::new()
        .fallback_service(api)
        .layer(middleware::from_fn_with_state(state, domains::route))
}

/// The path with every segment that holds one of our secrets (they all start `lk_`, e.g. an
/// `auth_token` in the Passlock-style route) replaced, fit for a log line.
fn redact_path(path: &str) -> String {
    path.split('/')
        .map(|segment| {
            if segment.starts_with("lk_") {
                "[secret]"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Counts requests and their latency per route, for `/metrics`, and names the request's span by
/// its operation (the route template) and app: never a secret, which only ever sits in bodies,
/// headers, queries or a redacted path segment.
async fn track(req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = req.method().to_string();
    let app = req
        .uri()
        .path()
        .strip_prefix("/apps/")
        .and_then(|rest| rest.split('/').next())
        .filter(|id| crate::auth::AppId::parse(id).is_some())
        .unwrap_or_default()
        .to_owned();
    let span = tracing::Span::current();
    span.record("route", route.as_str());
    span.record("app", app.as_str());
    let started = Instant::now();
    let response = next.run(req).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!("latchkey_http_requests_total", "method" => method.clone(), "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!("latchkey_http_request_duration_seconds", "method" => method, "route" => route)
        .record(started.elapsed().as_secs_f64());
    response
}

/// Refuses a NUL or other control character anywhere in the path or query: no id or field of
/// this API contains one, and PostgreSQL text cannot hold NUL.
async fn refuse_nul(req: Request, next: Next) -> Response {
    let uri = req.uri();
    let raw = format!("{}?{}", uri.path(), uri.query().unwrap_or_default());
    let lower = raw.to_ascii_lowercase();
    let encoded_control = (0u8..0x20)
        .chain(std::iter::once(0x7f))
        .any(|c| lower.contains(&format!("%{c:02x}")));
    if encoded_control || raw.chars().any(char::is_control) {
        return problem(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "the URL must not contain control characters",
        );
    }
    next.run(req).await
}

async fn not_found() -> Response {
    problem(
        StatusCode::NOT_FOUND,
        "not_found",
        "there is no such endpoint",
    )
}

pub(super) async fn method_not_allowed() -> Response {
    problem(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this endpoint does not accept that method",
    )
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::redact_path;

    #[test]
    fn secrets_in_paths_are_redacted() {
        assert_eq!(
            redact_path("/compat/passlock/shop/token/lk_at_abc"),
            "/compat/passlock/shop/token/[secret]"
        );
        assert_eq!(redact_path("/apps/shop/users/u1"), "/apps/shop/users/u1");
    }
}
