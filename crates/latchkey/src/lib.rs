//! Latchkey: a self-hosted, passkey-first authentication server.
//!
//! The crate is both the `latchkey` binary and a library, so that integration tests and the
//! benchmark can start a real server in-process or as a child process. Layers run one way:
//! [`http`] parses and authenticates, [`auth`] holds every rule and owns its storage.

pub mod auth;
pub mod clock;
pub mod config;
pub mod crypto;
pub mod http;
pub mod mail;
pub mod server;
