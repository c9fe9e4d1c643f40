//! WebAuthn ceremonies in flight: the server half of a challenge, between options and verify.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Conn, Result};

/// The kind of ceremony a challenge was issued for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CeremonyKind {
    /// Creating a passkey (sign-up, or adding one to a signed-in user).
    Register,
    /// A discoverable (username-less) sign-in.
    Authenticate,
    /// A sign-in restricted to one user's credentials (`allowCredentials`).
    AuthenticateAllow,
}

impl CeremonyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Register => "register",
            Self::Authenticate => "authenticate",
            Self::AuthenticateAllow => "authenticate_allow",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        match text {
            "register" => Some(Self::Register),
            "authenticate" => Some(Self::Authenticate),
            "authenticate_allow" => Some(Self::AuthenticateAllow),
            _ => None,
        }
    }
}

/// A stored ceremony.
#[derive(Clone, Debug)]
pub struct Ceremony {
    pub challenge: String,
    pub app_id: String,
    pub kind: CeremonyKind,
    pub user_id: Option<String>,
    pub session_id: Option<String>,
    pub email: Option<String>,
    pub display_name: Option<String>,
    pub state: Vec<u8>,
    pub expires_at: i64,
}

fn from_row(row: &AnyRow) -> Result<Option<Ceremony>> {
    let kind: String = row.try_get("kind")?;
    let Some(kind) = CeremonyKind::parse(&kind) else {
        return Ok(None);
    };
    Ok(Some(Ceremony {
        challenge: row.try_get("challenge")?,
        app_id: row.try_get("app_id")?,
        kind,
        user_id: row.try_get("user_id")?,
        session_id: row.try_get("session_id")?,
        email: row.try_get("email")?,
        display_name: row.try_get("display_name")?,
        state: row.try_get("state")?,
        expires_at: row.try_get("expires_at")?,
    }))
}

pub async fn insert_ceremony(conn: &mut Conn, c: &Ceremony) -> Result<()> {
    sqlx::query(
        "insert into ceremonies (challenge, app_id, kind, user_id, session_id, email, \
         display_name, state, expires_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&c.challenge)
    .bind(&c.app_id)
    .bind(c.kind.as_str())
    .bind(&c.user_id)
    .bind(&c.session_id)
    .bind(&c.email)
    .bind(&c.display_name)
    .bind(&c.state)
    .bind(c.expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// The app's ceremony for `challenge`, whatever its expiry.
pub async fn find_ceremony(
    conn: &mut Conn,
    app_id: &str,
    challenge: &str,
) -> Result<Option<Ceremony>> {
    let row = sqlx::query(
        "select challenge, app_id, kind, user_id, session_id, email, display_name, state, \
         expires_at from ceremonies where app_id = $1 and challenge = $2",
    )
    .bind(app_id)
    .bind(challenge)
    .fetch_optional(conn)
    .await?;
    Ok(row.as_ref().map(from_row).transpose()?.flatten())
}

/// Consumes the ceremony: true for exactly one caller, which makes challenges single use even
/// when two verifications race.
pub async fn take_ceremony(conn: &mut Conn, app_id: &str, challenge: &str) -> Result<bool> {
    let done = sqlx::query("delete from ceremonies where app_id = $1 and challenge = $2")
        .bind(app_id)
        .bind(challenge)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Removes ceremonies that expired before `now`; returns how many.
pub async fn delete_expired(conn: &mut Conn, now: i64) -> Result<u64> {
    let done = sqlx::query("delete from ceremonies where expires_at < $1")
        .bind(now)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}
