//! The server's process suite: what only a real `latchkey` process shows. A process killed with
//! SIGKILL and started again, SIGTERM draining the request in flight, several instances on one
//! database (finishing each other's ceremonies, racing, starting together), the CLI, the
//! configuration contract (`latchkey.toml`, `LATCHKEY_*`, `--config`, `--dev`, a start refused
//! for a bad CA file), and the Prometheus metrics, whose recorder is process-wide and so would
//! count every in-process server of a test binary together.
//!
//! It is a test target of its own, apart from the in-process `api` suite: these tests start the
//! binary (`CARGO_BIN_EXE_latchkey`, which only this crate's tests can name), are slower, and
//! share no in-process server with anything. The processes are driven through the same
//! `latchkey_test::TestApp` as every other suite ([`TestApp::attach`]), on the same databases:
//! SQLite, or PostgreSQL when `LATCHKEY_TEST_DATABASE_URL` is set.
//!
//! [`TestApp::attach`]: latchkey_test::TestApp::attach

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

mod cli;
mod config;
mod helpers;
mod instances;
mod lifecycle;
mod metrics;
