//! The compatibility APIs (API.md "Compatibility with hosted passkey services"): the documented
//! server-side calls of Passlock, PasskeyMe and PlainKey, answered with their paths, field names
//! and shapes, so a backend written against one of them moves here by changing its base URL.
//!
//! Every route maps onto a native domain operation (token verification, API-key checks, user
//! reads and updates) and authenticates exactly as the service it imitates; none holds a rule
//! of its own. Their `tenancyId`, `app_id` and project id are the Latchkey app id; their API
//! keys and client secrets are Latchkey API keys.

pub(super) mod passkeyme;
pub(super) mod passlock;
pub(super) mod plainkey;

use axum::Router;
use axum::http::HeaderMap;

use super::AppState;
use crate::crypto::Secret;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(passlock::routes())
        .merge(passkeyme::routes())
        .merge(plainkey::routes())
}

/// The credential of `Authorization: Bearer <credential>`, if sent and not empty.
fn bearer(headers: &HeaderMap) -> Option<Secret> {
    super::extract::bearer(headers).filter(|s| !s.is_empty())
}
