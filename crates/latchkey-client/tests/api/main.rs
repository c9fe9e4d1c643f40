//! The client against a real Latchkey server: offline verification, the server API and the axum
//! extractor.
#![allow(clippy::unwrap_used)]

mod example;
#[cfg(feature = "axum")]
mod extractor;
mod helpers;
mod server_api;
mod verify;
