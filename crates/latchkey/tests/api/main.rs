//! The server's integration suite: every scenario runs over HTTP against an in-process server
//! of its own (`latchkey_test::TestApp`, on a random port and a fresh database: SQLite, or
//! PostgreSQL when `LATCHKEY_TEST_DATABASE_URL` is set), through one harness method per
//! endpoint. Time passes by moving the server's clock. What needs a real `latchkey` process is
//! in the `process` suite.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

mod admin;
mod compat;
mod connections;
mod domains;
mod email;
mod email_tls;
mod hardening;
mod invitations;
mod mfa;
mod oauth_clients;
mod oidc;
mod openapi;
mod ops;
mod organizations;
mod pages;
mod passkeys;
mod rate_limits;
mod refusals;
mod roles;
mod server_api;
mod server_calls;
mod sessions;
