//! Adapters for the peer servers under `bench/peers/`, run for comparison.

pub mod better_auth;
pub mod handwritten;
