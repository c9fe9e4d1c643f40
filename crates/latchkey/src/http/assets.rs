//! Static assets compiled into the binary: the browser SDK (`sdk/js/`), an ES module that app
//! pages import straight from the server, and its TypeScript declarations.
//!
//! App pages live on other origins, and a module script is always fetched in CORS mode, so
//! these public files answer every origin (`Access-Control-Allow-Origin: *`, no credentials).

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::AppState;
use super::extract::PageLimit;
use super::openapi::Problem;

/// The SDK files, for the OpenAPI description.
#[derive(utoipa::OpenApi)]
#[openapi(paths(sdk_js, sdk_dts))]
pub(super) struct Api;

/// The SDK's source, served as it is in the repository (no build step).
const SDK_JS: &str = include_str!("../../../../sdk/js/latchkey.js");
/// The SDK's TypeScript declarations.
const SDK_DTS: &str = include_str!("../../../../sdk/js/latchkey.d.ts");

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/sdk/latchkey.js", get(sdk_js))
        .route("/sdk/latchkey.d.ts", get(sdk_dts))
}

/// `GET /sdk/latchkey.js`: the browser SDK.
#[utoipa::path(
    get, path = "/sdk/latchkey.js", tag = "standards",
    summary = "The browser SDK",
    responses(
        (status = 429, description = "rate_limited: too many requests (see Retry-After)", body = Problem, content_type = "application/problem+json"),
        (status = 200, description = "The browser SDK, an ES module", body = String, content_type = "text/javascript"),
    ),
)]
async fn sdk_js(_: PageLimit) -> Response {
    asset(SDK_JS, "text/javascript; charset=utf-8")
}

/// `GET /sdk/latchkey.d.ts`: the SDK's declarations, for editors and `tsc`.
#[utoipa::path(
    get, path = "/sdk/latchkey.d.ts", tag = "standards",
    summary = "The browser SDK's TypeScript declarations",
    responses(
        (status = 429, description = "rate_limited: too many requests (see Retry-After)", body = Problem, content_type = "application/problem+json"),
        (status = 200, description = "TypeScript declarations of the SDK", body = String, content_type = "application/typescript"),
    ),
)]
async fn sdk_dts(_: PageLimit) -> Response {
    asset(SDK_DTS, "application/typescript; charset=utf-8")
}

/// A public text asset that any origin may load, cacheable for five minutes (a new release is
/// picked up soon after).
fn asset(body: &'static str, content_type: &'static str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    headers.insert(
        HeaderName::from_static("cross-origin-resource-policy"),
        HeaderValue::from_static("cross-origin"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}
