//! Integration tests: every scenario runs against a real `latchkey` process over HTTP, on
//! SQLite, or on PostgreSQL when `LATCHKEY_TEST_DATABASE_URL` is set.

#![allow(clippy::unwrap_used)]

mod compat;
mod email;
mod email_tls;
mod hardening;
mod helpers;
mod openapi;
mod ops;
mod pages;
mod passkeys;
mod refusals;
mod server_api;
mod sessions;

/// The SMTP sink, shared by every suite.
use latchkey_test::smtp;
