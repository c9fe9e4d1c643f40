//! Security notices: the email a user gets when a way into their account is added or removed
//! (a passkey, a second factor), so that a change they did not make does not go unseen.
//!
//! A notice is a job of the outbox, enqueued in the transaction of the change it reports: it
//! exists exactly when the change commits. The caller wakes the worker after the commit.

use super::email::EmailPurpose;
use super::error::Result;
use super::jobs::{self, EmailJob, Job};
use super::store::Conn;
use super::{App, RequestMeta, User};
use crate::clock::{Timestamp, rfc3339};
use crate::crypto::MasterKey;

/// A notice is worth sending for a day; after that the worker gives up on it.
const NOTICE_TTL: i64 = 86_400;

string_enum! {
    /// What changed in an account's ways in.
    pub enum Change {
        PasskeyAdded = "passkey_added",
        PasskeyRemoved = "passkey_removed",
        FactorAdded = "factor_added",
        FactorRemoved = "factor_removed",
        BackupCodesGenerated = "backup_codes_generated",
    }
}

impl Change {
    /// The sentence the email says it with.
    fn sentence(self) -> &'static str {
        match self {
            Self::PasskeyAdded => "A passkey was added to your account",
            Self::PasskeyRemoved => "A passkey was removed from your account",
            Self::FactorAdded => {
                "An authenticator app was added to your account as a second factor"
            }
            Self::FactorRemoved => "An authenticator app was removed from your account",
            Self::BackupCodesGenerated => {
                "New backup codes were made for your account (the old ones no longer work)"
            }
        }
    }
}

/// Enqueues the notice of `change` to `user`, on `conn` (the change's own transaction), if the
/// user has a verified address; returns whether one was enqueued (then wake the worker after
/// the commit).
pub(crate) async fn enqueue(
    conn: &mut Conn<'_>,
    master_key: &MasterKey,
    app: &App,
    user: &User,
    change: Change,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<bool> {
    let Some(email) = user.email.as_ref().filter(|_| user.email_verified) else {
        return Ok(false);
    };
    let when = format!(
        "{} UTC",
        rfc3339(now).replace('T', " ").trim_end_matches('Z')
    );
    let message = crate::mail::render_notice(
        &app.email_templates,
        &app.name,
        email.as_str(),
        change.sentence(),
        &when,
    );
    let job = Job::Email(EmailJob {
        app_id: app.id.clone(),
        user_id: Some(user.id.clone()),
        purpose: EmailPurpose::SecurityNotice,
        message,
        meta: meta.clone(),
    });
    jobs::enqueue(conn, master_key, &job, now, Some(now + NOTICE_TTL)).await?;
    tracing::debug!(app = %app.id, change = change.as_str(), "security notice enqueued");
    Ok(true)
}
