//! The OpenID Provider's rows: authorization codes (by their SHA-256), consents, and the
//! sessions grants make.

use super::db::{Conn, Row, params};
use super::{Result, to_json};
use crate::auth::oauth_clients::{Scope, scopes_from_text, scopes_to_text};
use crate::auth::sessions::RevokeReason;
use crate::auth::sign_in::amr_from_json;
use crate::auth::{Amr, AppId, Session, SessionId, UserId};

/// An authorization code's row.
#[derive(Clone, Debug)]
pub struct CodeRow {
    pub app_id: AppId,
    pub client_id: String,
    pub user_id: UserId,
    pub redirect_uri: String,
    pub scopes: Vec<Scope>,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    pub auth_time: i64,
    pub amr: Vec<Amr>,
    pub dpop_jkt: Option<String>,
    /// The browser session's active organization, for the grant session.
    pub org_id: Option<String>,
    pub created_at: i64,
    pub expires_at: i64,
}

macro_rules! code_columns {
    () => {
        "app_id, client_id, user_id, redirect_uri, scope, nonce, code_challenge, auth_time, amr, \
         dpop_jkt, org_id, created_at, expires_at"
    };
}

fn code_from_row(row: &Row<'_>) -> Result<CodeRow> {
    Ok(CodeRow {
        app_id: AppId::from(row.get::<String>("app_id")?),
        client_id: row.get("client_id")?,
        user_id: UserId::from(row.get::<String>("user_id")?),
        redirect_uri: row.get("redirect_uri")?,
        scopes: scopes_from_text(&row.get::<String>("scope")?),
        nonce: row.get("nonce")?,
        code_challenge: row.get("code_challenge")?,
        auth_time: row.get("auth_time")?,
        amr: amr_from_json(&row.get::<String>("amr")?),
        dpop_jkt: row.get("dpop_jkt")?,
        org_id: row.get("org_id")?,
        created_at: row.get("created_at")?,
        expires_at: row.get("expires_at")?,
    })
}

pub async fn insert_code(conn: &mut Conn<'_>, hash: &[u8], code: &CodeRow) -> Result<()> {
    const SQL: &str = concat!(
        "insert into oauth_codes (code_hash, ",
        code_columns!(),
        ") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
    );
    let (scope, amr) = (scopes_to_text(&code.scopes), to_json(&code.amr));
    conn.execute(
        SQL,
        params![
            hash,
            code.app_id.as_str(),
            &code.client_id,
            code.user_id.as_str(),
            &code.redirect_uri,
            &scope,
            &code.nonce,
            &code.code_challenge,
            code.auth_time,
            &amr,
            &code.dpop_jkt,
            &code.org_id,
            code.created_at,
            code.expires_at,
        ],
    )
    .await?;
    Ok(())
}

/// Marks the code used, for exactly one caller, and returns it (expired or not: the caller
/// decides); `None` if the app has no such code or it was used before.
pub async fn take_code(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    hash: &[u8],
    now: i64,
) -> Result<Option<CodeRow>> {
    const SQL: &str = concat!(
        "update oauth_codes set used_at = $3 where code_hash = $1 and app_id = $2 \
         and used_at is null returning ",
        code_columns!()
    );
    conn.optional(SQL, params![hash, app_id.as_str(), now], code_from_row)
        .await
}

/// A used code's client and the session its exchange made, if the app has such a code.
pub async fn find_used_code(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    hash: &[u8],
) -> Result<Option<(String, Option<SessionId>)>> {
    conn.optional(
        "select client_id, grant_session_id from oauth_codes \
         where code_hash = $1 and app_id = $2 and used_at is not null",
        params![hash, app_id.as_str()],
        |row| {
            Ok((
                row.get("client_id")?,
                row.get::<Option<String>>("grant_session_id")?
                    .map(SessionId::from),
            ))
        },
    )
    .await
}

/// Records the session a code's exchange made (revoked if the code comes again).
pub async fn set_code_grant(
    conn: &mut Conn<'_>,
    hash: &[u8],
    session_id: &SessionId,
) -> Result<()> {
    conn.execute(
        "update oauth_codes set grant_session_id = $2 where code_hash = $1",
        params![hash, session_id.as_str()],
    )
    .await?;
    Ok(())
}

/// Deletes codes that expired before `before` (kept a while after, so that a late second
/// exchange still finds the first and revokes its grant).
pub async fn delete_expired_codes(conn: &mut Conn<'_>, before: i64) -> Result<u64> {
    conn.execute(
        "delete from oauth_codes where expires_at < $1",
        params![before],
    )
    .await
}

/// The scopes the user granted the client, if any.
pub async fn find_consent(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    user_id: &UserId,
    client_id: &str,
) -> Result<Option<Vec<Scope>>> {
    conn.optional(
        "select scope from oauth_consents where app_id = $1 and user_id = $2 and client_id = $3",
        params![app_id.as_str(), user_id.as_str(), client_id],
        |row| Ok(scopes_from_text(&row.get::<String>("scope")?)),
    )
    .await
}

/// Records the scopes the user granted the client (replacing what was granted before).
pub async fn save_consent(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    user_id: &UserId,
    client_id: &str,
    scopes: &[Scope],
    now: i64,
) -> Result<()> {
    let scope = scopes_to_text(scopes);
    conn.execute(
        "insert into oauth_consents (app_id, user_id, client_id, scope, created_at, updated_at) \
         values ($1, $2, $3, $4, $5, $5) on conflict (app_id, user_id, client_id) \
         do update set scope = excluded.scope, updated_at = excluded.updated_at",
        params![app_id.as_str(), user_id.as_str(), client_id, &scope, now],
    )
    .await?;
    Ok(())
}

/// A consent as the user's account page lists it.
#[derive(Clone, Debug)]
pub struct ConsentRow {
    pub client_id: String,
    pub client_name: String,
    pub scopes: Vec<Scope>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// The user's consents to clients that still exist, newest first.
pub async fn list_consents(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    user_id: &UserId,
) -> Result<Vec<ConsentRow>> {
    conn.all(
        "select c.client_id, o.name, c.scope, c.created_at, c.updated_at from oauth_consents c \
         join oauth_clients o on o.client_id = c.client_id and o.app_id = c.app_id \
         where c.app_id = $1 and c.user_id = $2 order by c.updated_at desc, c.client_id",
        params![app_id.as_str(), user_id.as_str()],
        |row| {
            Ok(ConsentRow {
                client_id: row.get("client_id")?,
                client_name: row.get("name")?,
                scopes: scopes_from_text(&row.get::<String>("scope")?),
                created_at: row.get("created_at")?,
                updated_at: row.get("updated_at")?,
            })
        },
    )
    .await
}

/// Deletes the user's consent to the client; false if there was none.
pub async fn delete_consent(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    user_id: &UserId,
    client_id: &str,
) -> Result<bool> {
    Ok(conn
        .execute(
            "delete from oauth_consents where app_id = $1 and user_id = $2 and client_id = $3",
            params![app_id.as_str(), user_id.as_str(), client_id],
        )
        .await?
        == 1)
}

/// Deletes every consent to the client (the client is being deleted).
pub async fn delete_client_consents(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    client_id: &str,
) -> Result<()> {
    for sql in [
        "delete from oauth_consents where app_id = $1 and client_id = $2",
        "delete from oauth_codes where app_id = $1 and client_id = $2",
    ] {
        conn.execute(sql, params![app_id.as_str(), client_id])
            .await?;
    }
    Ok(())
}

/// Live grants one user may hold for one client; a new one past it revokes the oldest (so that
/// a client repeating silent requests cannot pile sessions up).
pub const MAX_GRANTS_PER_CLIENT: i64 = 20;

/// Revokes the user's live grants of the client past the newest `MAX_GRANTS_PER_CLIENT - 1`,
/// making room for the one being written. Parameters as [`insert_grant`] binds them.
static GRANT_CAP: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "update sessions set revoked_at = $7, revoke_reason = 'session_limit' \
         where revoked_at is null and id in \
         (select id from sessions where app_id = $2 and client_id = $10 and user_id = $3 \
         and revoked_at is null and expires_at > $7 order by created_at desc, id desc \
         limit 1000000 offset {})",
        MAX_GRANTS_PER_CLIENT - 1
    )
});

/// Writes a grant's session (`session.grant` set), its first refresh token when it has one,
/// after revoking the user's oldest grants of the client past [`MAX_GRANTS_PER_CLIENT`].
pub async fn insert_grant(
    conn: &mut Conn<'_>,
    session: &Session,
    cookie_hash: &[u8],
    refresh_token_hash: Option<&[u8]>,
) -> Result<()> {
    let grant = session.grant.as_ref();
    let (amr, scope) = (
        to_json(&session.amr),
        grant.map(|g| scopes_to_text(&g.scopes)),
    );
    // $2 app, $3 user, $7 now and $10 client, as the cap's statement reads them.
    let params = params![
        session.id.as_str(),
        session.app_id.as_str(),
        session.user_id.as_str(),
        &amr,
        &session.ip,
        &session.user_agent,
        session.created_at,
        session.expires_at,
        cookie_hash,
        grant.map(|g| g.client_id.as_str()),
        &scope,
        session.auth_time,
        refresh_token_hash,
        grant.and_then(|g| g.dpop_jkt.as_deref()),
        &session.org_id,
    ];
    conn.execute(GRANT_CAP.as_str(), params).await?;
    conn.execute(
        "insert into sessions (id, app_id, user_id, amr, ip, user_agent, created_at, \
         last_seen_at, expires_at, revoked_at, cookie_hash, client_id, scope, auth_time, \
         dpop_jkt, org_id) values ($1, $2, $3, $4, $5, $6, $7, $7, $8, null, $9, $10, $11, $12, \
         $14, $15)",
        params,
    )
    .await?;
    if refresh_token_hash.is_some() {
        conn.execute(
            "insert into refresh_tokens (token_hash, session_id, created_at) values ($13, $1, $7)",
            params,
        )
        .await?;
    }
    Ok(())
}

/// Revokes the live sessions of the client's grants (of one user, or all); returns each
/// session's id and user.
pub async fn revoke_client_sessions(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    client_id: &str,
    user_id: Option<&UserId>,
    now: i64,
    reason: RevokeReason,
) -> Result<Vec<(SessionId, UserId)>> {
    conn.all(
        "update sessions set revoked_at = $4, revoke_reason = $5 \
         where app_id = $1 and client_id = $2 and ($3 is null or user_id = $3) \
         and revoked_at is null returning id, user_id",
        params![
            app_id.as_str(),
            client_id,
            user_id.map(UserId::as_str),
            now,
            reason.as_str()
        ],
        |row| {
            Ok((
                SessionId::from(row.get::<String>("id")?),
                UserId::from(row.get::<String>("user_id")?),
            ))
        },
    )
    .await
}

/// The SHA-256 of the client's secret (`None` for a public client, or none at all).
pub async fn client_secret_hash(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    client_id: &str,
) -> Result<Option<Vec<u8>>> {
    Ok(conn
        .optional(
            "select secret_hash from oauth_clients where app_id = $1 and client_id = $2",
            params![app_id.as_str(), client_id],
            |row| row.get::<Option<Vec<u8>>>("secret_hash"),
        )
        .await?
        .flatten())
}

/// Whether the refresh token is its session's current one (not yet rotated).
pub async fn refresh_token_session(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    hash: &[u8],
) -> Result<Option<(SessionId, bool)>> {
    conn.optional(
        "select r.session_id, r.rotated_at from refresh_tokens r \
         join sessions s on s.id = r.session_id and s.app_id = $1 where r.token_hash = $2",
        params![app_id.as_str(), hash],
        |row| {
            Ok((
                SessionId::from(row.get::<String>("session_id")?),
                row.get::<Option<i64>>("rotated_at")?.is_none(),
            ))
        },
    )
    .await
}

/// Records a DPoP proof's `jti` (by its hash) until `expires_at`; false if it was seen already
/// (a replay).
pub async fn record_dpop_proof(
    conn: &mut Conn<'_>,
    jti_hash: &[u8],
    expires_at: i64,
    now: i64,
) -> Result<bool> {
    // A stale row of an expired proof is replaced rather than counted.
    conn.execute(
        "delete from dpop_proofs where jti_hash = $1 and expires_at < $2",
        params![jti_hash, now],
    )
    .await?;
    let inserted = conn
        .execute(
            "insert into dpop_proofs (jti_hash, expires_at) values ($1, $2) \
             on conflict (jti_hash) do nothing",
            params![jti_hash, expires_at],
        )
        .await?;
    Ok(inserted == 1)
}

/// Deletes the record of DPoP proofs that can no longer be accepted.
pub async fn delete_expired_dpop_proofs(conn: &mut Conn<'_>, now: i64) -> Result<u64> {
    conn.execute(
        "delete from dpop_proofs where expires_at < $1",
        params![now],
    )
    .await
}
