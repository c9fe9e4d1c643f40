//! The test harness every Latchkey suite shares (the server's, the client crate's, the load
//! generator's), in the shape of zero-to-production's `spawn_app()`: [`TestApp::spawn`] gives a
//! test its own in-process server on a random port, its own database (SQLite, or PostgreSQL
//! when `LATCHKEY_TEST_DATABASE_URL` is set), a clock it can move, an app with an API key, and
//! one method per endpoint.
//!
//! - [`db`]: the database of one test, made fresh and dropped afterwards.
//! - [`server`]: the in-process server, on a runtime and a thread of its own.
//! - [`TestApp`] (`app`, `endpoints`): the server as a test talks to it, its views (another app,
//!   another caller, another instance), the WebAuthn ceremonies, and the movable clock.
//! - [`helpers`]: reading answers (problem details, cookies, JWTs).
//! - [`smtp`]: a real SMTP server that records what it is sent.
//!
//! What needs a real `latchkey` process (signals, several instances, the CLI, the configuration
//! contract, the process-wide metrics) stays in the server crate's `process` suite, which drives
//! those processes through [`TestApp::attach`]. This crate uses only the library's public
//! start-up surface: `latchkey::server`, `latchkey::config::Config`, `latchkey::clock::Clock`.

mod app;
pub mod db;
mod endpoints;
pub mod helpers;
pub mod server;
pub mod smtp;

pub use app::{ADMIN_KEY, ORIGIN, PUBLIC_URL, REDIRECT_URI, SignedUp, TestApp};
pub use db::TestDb;
pub use helpers::{assert_json, assert_problem, jwt, session_cookie};
