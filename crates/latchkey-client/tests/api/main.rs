//! The client against a real Latchkey server (an in-process one per test, from the shared
//! `latchkey-test` harness): offline verification, the server API, the axum extractor, and the
//! integration guide's example backend.
#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

#[cfg(feature = "axum")]
mod example;
#[cfg(feature = "axum")]
mod extractor;
mod helpers;
mod server_api;
mod verify;
