//! Everything that can go wrong talking to Latchkey or checking one of its tokens.
//!
//! One [`Error`] for the whole crate, so `?` works everywhere; a refused access token is
//! [`Error::InvalidToken`] holding a [`TokenError`] that says why, and an error the server answered
//! with is [`Error::Api`] holding its RFC 9457 [`Problem`]. Nothing here ever carries a token,
//! key or secret, so errors are safe to log.

use std::time::Duration;

use serde::Deserialize;

/// The result of every fallible call in this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server refused the request and said why (API.md "Conventions": problem details).
    #[error("latchkey answered {}: {} ({})", .0.status, .0.detail, .0.code)]
    Api(Problem),
    /// The server answered with an error that is not problem details (a proxy's error page, say).
    #[error("latchkey answered {status} without problem details")]
    UnexpectedResponse {
        /// The HTTP status.
        status: u16,
        /// The start of the body, for diagnosis.
        body: String,
    },
    /// An access token failed offline verification.
    #[error("the access token is not valid: {0}")]
    InvalidToken(#[from] TokenError),
    /// The request did not complete: connection refused, timeout, TLS, …
    #[error("could not reach latchkey: {0}")]
    Http(#[from] reqwest::Error),
    /// A successful response whose body is not what the API promises (a version mismatch).
    #[error("latchkey's response to {what} could not be read: {source}")]
    Decode {
        /// Which call it was.
        what: &'static str,
        /// What did not match.
        source: serde_json::Error,
    },
    /// The client was configured with something unusable (a base URL that is not a URL).
    #[error("invalid configuration: {0}")]
    Config(String),
}

impl Error {
    /// The HTTP status, for errors the server answered with.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Api(p) => Some(p.status),
            Self::UnexpectedResponse { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The problem's stable machine-readable `code` (`not_found`, `conflict`, …).
    pub fn code(&self) -> Option<&str> {
        match self {
            Self::Api(p) => Some(&p.code),
            _ => None,
        }
    }

    /// Whether the server said the thing asked for does not exist (404).
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// Whether the server refused the change as a conflict (409: e.g. the email is taken).
    pub fn is_conflict(&self) -> bool {
        self.status() == Some(409)
    }
}

/// An RFC 9457 problem-details response from Latchkey.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Problem {
    /// The HTTP status.
    #[serde(default)]
    pub status: u16,
    /// Stable, machine-readable: `invalid_request`, `unauthorized`, `not_found`, `conflict`,
    /// `rate_limited`, … (API.md lists them).
    pub code: String,
    /// A short summary of the kind of problem.
    #[serde(default)]
    pub title: String,
    /// A sentence saying what was wrong with this request.
    #[serde(default)]
    pub detail: String,
    /// From `Retry-After` on 429 responses: when asking again may succeed.
    #[serde(skip)]
    pub retry_after: Option<Duration>,
}

/// Why an access token was refused. The variants are for logs and metrics; tell the caller
/// only that the token is not valid.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TokenError {
    /// Not a JWT at all, or its header is unreadable.
    #[error("malformed")]
    Malformed,
    /// The header names an algorithm Latchkey never signs with (`none`, any `HS*`, …).
    #[error("algorithm {0} is not accepted")]
    UnsupportedAlgorithm(String),
    /// The header names no `kid`, or one the app's JWKS does not hold even after a refresh.
    #[error("signed by an unknown key")]
    UnknownKey,
    /// The header's `alg` is not the algorithm of the key it names.
    #[error("the algorithm does not match the key")]
    AlgorithmMismatch,
    /// The signature does not verify.
    #[error("bad signature")]
    InvalidSignature,
    /// Issued by someone else (another Latchkey instance, or another public URL).
    #[error("wrong issuer")]
    WrongIssuer,
    /// Issued for another app.
    #[error("wrong audience")]
    WrongAudience,
    /// Past its `exp` (beyond the leeway).
    #[error("expired")]
    Expired,
    /// A claim is missing or of the wrong type.
    #[error("claims unreadable")]
    InvalidClaims,
}
