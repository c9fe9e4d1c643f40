//! The outcomes a domain operation can end in, besides success.
//!
//! Each variant names what happened, not how HTTP shows it; `http::error` maps them to problem
//! details with the stable codes of the API contract.

use super::store::StoreError;

/// A domain failure. The `String`s are the human-readable `detail`: they say what to fix and
/// never carry a secret.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Malformed or missing input.
    #[error("{0}")]
    InvalidRequest(String),
    /// No credentials, or credentials that do not identify anyone.
    #[error("{0}")]
    Unauthorized(String),
    /// Identified, but not allowed.
    #[error("{0}")]
    Forbidden(String),
    /// A cookie-authenticated change without an allowed `Origin` (CSRF defence).
    #[error("{0}")]
    OriginNotAllowed(String),
    #[error("{0}")]
    NotFound(String),
    /// The change would collide with existing state (an email already taken).
    #[error("{0}")]
    Conflict(String),
    /// A ceremony, code or token that expired or was already used.
    #[error("{0}")]
    ChallengeExpired(String),
    /// A WebAuthn response that failed verification.
    #[error("{0}")]
    InvalidCredential(String),
    /// A passkey assertion that did not verify, answered alike whatever the reason (a bad
    /// signature, or an answer to the decoy an unknown address is offered): only the audit log
    /// sees `reason`.
    #[error("the passkey assertion could not be verified")]
    AssertionRefused { reason: String },
    /// A WebAuthn response for a credential this app does not know (deleted, or never
    /// registered): browsers can be told to forget it (WebAuthn Signal API).
    #[error("{detail}")]
    UnknownCredential {
        detail: String,
        credential_id: String,
    },
    /// A wrong one-time code.
    #[error("{detail}")]
    InvalidCode {
        detail: String,
        /// Wrong codes the code (or the sign-in waiting for it) still takes, where it counts.
        attempts_left: Option<i64>,
    },
    /// The operation needs the session's user to have proved themselves within the last few
    /// minutes (a passkey, or a second factor through `sessions/current/reauthenticate`).
    #[error("{0}")]
    ReauthenticationRequired(String),
    /// A magic link opened in another browser than the one that asked for it.
    #[error("{0}")]
    LinkOtherBrowser(String),
    #[error("{detail}")]
    RateLimited { detail: String, retry_after: u64 },
    /// A refusal of the OpenID Provider's protocol, in its own terms (RFC 6749 section 5.2 and
    /// the specifications that add codes): the OAuth endpoints answer it as
    /// `{"error", "error_description"}`.
    #[error("{description}")]
    OAuth {
        error: super::oidc::OAuthErrorCode,
        description: String,
    },
    /// Our fault: logged with its cause, shown to the caller only as a generic 500.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// What the audit log records of this refusal: its message, or, where the answer hides it,
    /// the real reason.
    pub fn audit_reason(&self) -> String {
        match self {
            Self::AssertionRefused { reason } => reason.clone(),
            other => other.to_string(),
        }
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict => Self::Conflict("that resource already exists".to_owned()),
            other => Self::Internal(format!("database: {other}")),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Maps a failed write, naming a unique-constraint conflict in the caller's words
/// (`.map_err(conflict("a user with that email already exists"))`).
pub(crate) fn conflict(detail: impl Into<String>) -> impl FnOnce(StoreError) -> Error {
    move |e| match e {
        StoreError::Conflict => Error::Conflict(detail.into()),
        other => other.into(),
    }
}

/// Shorthand for `Err(Error::InvalidRequest(..))`.
pub fn invalid<T>(detail: impl Into<String>) -> Result<T> {
    Err(Error::InvalidRequest(detail.into()))
}
