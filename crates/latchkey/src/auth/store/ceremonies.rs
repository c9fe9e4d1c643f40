//! WebAuthn ceremonies in flight: the server half of a challenge, between options and verify.

use super::Result;
use super::db::{Conn, Row, params};
use crate::auth::passkeys::ceremony::{Ceremony, CeremonyKind};
use crate::auth::{AppId, EmailAddress, SessionId, UserId};

fn from_row(row: &Row<'_>) -> Result<Option<Ceremony>> {
    let Ok(kind) = row.get::<String>("kind")?.parse::<CeremonyKind>() else {
        return Ok(None);
    };
    Ok(Some(Ceremony {
        challenge: row.get("challenge")?,
        app_id: AppId::from(row.get::<String>("app_id")?),
        kind,
        user_id: row.get::<Option<String>>("user_id")?.map(UserId::from),
        session_id: row
            .get::<Option<String>>("session_id")?
            .map(SessionId::from),
        email: row
            .get::<Option<String>>("email")?
            .map(EmailAddress::from_stored),
        display_name: row.get("display_name")?,
        mfa_challenge: row.get("mfa_challenge")?,
        state: row.get("state")?,
        expires_at: row.get("expires_at")?,
    }))
}

pub async fn insert_ceremony(conn: &mut Conn<'_>, c: &Ceremony) -> Result<()> {
    conn.execute(
        "insert into ceremonies (challenge, app_id, kind, user_id, session_id, email, \
         display_name, state, expires_at, mfa_challenge) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        params![
            &c.challenge,
            c.app_id.as_str(),
            c.kind.as_str(),
            c.user_id.as_ref().map(UserId::as_str),
            c.session_id.as_ref().map(SessionId::as_str),
            c.email.as_ref().map(EmailAddress::as_str),
            &c.display_name,
            &c.state,
            c.expires_at,
            &c.mfa_challenge,
        ],
    )
    .await?;
    Ok(())
}

/// The app's ceremony for `challenge`, whatever its expiry.
pub async fn find_ceremony(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    challenge: &str,
) -> Result<Option<Ceremony>> {
    let found = conn
        .optional(
            "select challenge, app_id, kind, user_id, session_id, email, display_name, state, \
             expires_at, mfa_challenge from ceremonies where app_id = $1 and challenge = $2",
            params![app_id.as_str(), challenge],
            from_row,
        )
        .await?;
    Ok(found.flatten())
}

/// Consumes the ceremony: true for exactly one caller, which makes challenges single use even
/// when two verifications race.
pub async fn take_ceremony(conn: &mut Conn<'_>, app_id: &AppId, challenge: &str) -> Result<bool> {
    let taken = conn
        .execute(
            "delete from ceremonies where app_id = $1 and challenge = $2",
            params![app_id.as_str(), challenge],
        )
        .await?;
    Ok(taken == 1)
}

/// Removes ceremonies that expired before `now`; returns how many.
pub async fn delete_expired(conn: &mut Conn<'_>, now: i64) -> Result<u64> {
    conn.execute("delete from ceremonies where expires_at < $1", params![now])
        .await
}
