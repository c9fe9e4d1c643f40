//! Multi-factor rows: second factors (TOTP), backup codes, and sign-ins waiting for a second
//! factor.

use super::db::{Conn, Row, params};
use super::{Result, to_json};
use crate::auth::mfa::{Challenge, Factor};
use crate::auth::sign_in::amr_from_json;
use crate::auth::{AppId, UserId};

macro_rules! factor_columns {
    () => {
        "id, app_id, user_id, kind, name, secret, created_at, verified_at, last_used_at, \
         last_step"
    };
}

fn factor_from_row(row: &Row<'_>) -> Result<Option<Factor>> {
    // A kind this version does not know (written by a newer one) is left out.
    let Ok(kind) = row.get::<String>("kind")?.parse() else {
        return Ok(None);
    };
    Ok(Some(Factor {
        id: row.get("id")?,
        app_id: AppId::from(row.get::<String>("app_id")?),
        user_id: UserId::from(row.get::<String>("user_id")?),
        kind,
        name: row.get("name")?,
        sealed_secret: row.get("secret")?,
        created_at: row.get("created_at")?,
        verified_at: row.get("verified_at")?,
        last_used_at: row.get("last_used_at")?,
        last_step: row.get("last_step")?,
    }))
}

pub async fn insert_factor(conn: &mut Conn<'_>, f: &Factor) -> Result<()> {
    const SQL: &str = concat!(
        "insert into mfa_factors (",
        factor_columns!(),
        ") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    );
    conn.execute(
        SQL,
        params![
            &f.id,
            f.app_id.as_str(),
            f.user_id.as_str(),
            f.kind.as_str(),
            &f.name,
            &f.sealed_secret,
            f.created_at,
            f.verified_at,
            f.last_used_at,
            f.last_step,
        ],
    )
    .await?;
    Ok(())
}

/// The user's factors, active and pending, oldest first.
pub async fn user_factors(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    user_id: &UserId,
) -> Result<Vec<Factor>> {
    const SQL: &str = concat!(
        "select ",
        factor_columns!(),
        " from mfa_factors where app_id = $1 and user_id = $2 order by created_at, id"
    );
    let rows = conn
        .all(
            SQL,
            params![app_id.as_str(), user_id.as_str()],
            factor_from_row,
        )
        .await?;
    Ok(rows.into_iter().flatten().collect())
}

/// What the policy step needs of a user: how many active factors and unused backup codes they
/// have, and how many passkeys; one read.
pub async fn summary(conn: &mut Conn<'_>, app_id: &AppId, user_id: &UserId) -> Result<Summary> {
    conn.optional(
        "select \
         (select count(*) from mfa_factors where app_id = $1 and user_id = $2 \
          and verified_at is not null) as factors, \
         (select count(*) from backup_codes where app_id = $1 and user_id = $2 \
          and used_at is null) as codes, \
         (select count(*) from passkeys where app_id = $1 and user_id = $2) as passkeys",
        params![app_id.as_str(), user_id.as_str()],
        |row| {
            Ok(Summary {
                factors: row.get("factors")?,
                backup_codes: row.get("codes")?,
                passkeys: row.get("passkeys")?,
            })
        },
    )
    .await
    .map(Option::unwrap_or_default)
}

/// A user's second factors, counted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub factors: i64,
    pub backup_codes: i64,
    pub passkeys: i64,
}

/// Marks a pending factor active, with the step of the code that proved it; true if it was
/// pending.
pub async fn activate_factor(conn: &mut Conn<'_>, id: &str, step: i64, now: i64) -> Result<bool> {
    let n = conn
        .execute(
            "update mfa_factors set verified_at = $2, last_used_at = $2, last_step = $3 \
             where id = $1 and verified_at is null",
            params![id, now, step],
        )
        .await?;
    Ok(n == 1)
}

/// Records a code accepted for `step`: true for exactly one caller per step, and never for a
/// step at or before the last one accepted (a code works once).
pub async fn use_step(conn: &mut Conn<'_>, id: &str, step: i64, now: i64) -> Result<bool> {
    let n = conn
        .execute(
            "update mfa_factors set last_step = $2, last_used_at = $3 \
             where id = $1 and verified_at is not null and (last_step is null or last_step < $2)",
            params![id, step, now],
        )
        .await?;
    Ok(n == 1)
}

/// Deletes one of the user's factors; true if it existed.
pub async fn delete_factor(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    user_id: &UserId,
    id: &str,
) -> Result<bool> {
    let n = conn
        .execute(
            "delete from mfa_factors where app_id = $1 and user_id = $2 and id = $3",
            params![app_id.as_str(), user_id.as_str(), id],
        )
        .await?;
    Ok(n == 1)
}

/// Deletes every factor and backup code of the user; returns how many factors there were.
pub async fn delete_user_factors(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    user_id: &UserId,
) -> Result<u64> {
    let n = conn
        .execute(
            "delete from mfa_factors where app_id = $1 and user_id = $2",
            params![app_id.as_str(), user_id.as_str()],
        )
        .await?;
    delete_backup_codes(conn, app_id, user_id).await?;
    Ok(n)
}

/// Deletes the user's pending factors.
pub async fn delete_pending(conn: &mut Conn<'_>, app_id: &AppId, user_id: &UserId) -> Result<()> {
    conn.execute(
        "delete from mfa_factors where app_id = $1 and user_id = $2 and verified_at is null",
        params![app_id.as_str(), user_id.as_str()],
    )
    .await?;
    Ok(())
}

/// Replaces the user's backup codes with `hashes`.
pub async fn replace_backup_codes(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    user_id: &UserId,
    hashes: &[Vec<u8>],
    now: i64,
) -> Result<()> {
    delete_backup_codes(conn, app_id, user_id).await?;
    for hash in hashes {
        conn.execute(
            "insert into backup_codes (app_id, user_id, code_hash, created_at) \
             values ($1, $2, $3, $4)",
            params![app_id.as_str(), user_id.as_str(), hash, now],
        )
        .await?;
    }
    Ok(())
}

pub async fn delete_backup_codes(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    user_id: &UserId,
) -> Result<()> {
    conn.execute(
        "delete from backup_codes where app_id = $1 and user_id = $2",
        params![app_id.as_str(), user_id.as_str()],
    )
    .await?;
    Ok(())
}

/// Uses one backup code: true for exactly one caller, if it is the user's and unused.
pub async fn take_backup_code(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    user_id: &UserId,
    hash: &[u8],
    now: i64,
) -> Result<bool> {
    let n = conn
        .execute(
            "update backup_codes set used_at = $4 \
             where app_id = $1 and user_id = $2 and code_hash = $3 and used_at is null",
            params![app_id.as_str(), user_id.as_str(), hash, now],
        )
        .await?;
    Ok(n == 1)
}

/// Whether `hash` is one of the user's unused backup codes.
pub async fn has_backup_code(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    user_id: &UserId,
    hash: &[u8],
) -> Result<bool> {
    let found = conn
        .optional(
            "select count(*) as n from backup_codes \
             where app_id = $1 and user_id = $2 and code_hash = $3 and used_at is null",
            params![app_id.as_str(), user_id.as_str(), hash],
            |row| row.get::<i64>("n"),
        )
        .await?;
    Ok(found.unwrap_or(0) > 0)
}

macro_rules! challenge_columns {
    () => {
        "id, app_id, user_id, method, amr, attempts, created_at, expires_at, used_at"
    };
}

fn challenge_from_row(row: &Row<'_>) -> Result<Option<Challenge>> {
    let Ok(method) = row.get::<String>("method")?.parse() else {
        return Ok(None);
    };
    Ok(Some(Challenge {
        id: row.get("id")?,
        app_id: AppId::from(row.get::<String>("app_id")?),
        user_id: UserId::from(row.get::<String>("user_id")?),
        method,
        amr: amr_from_json(&row.get::<String>("amr")?),
        attempts: row.get("attempts")?,
        created_at: row.get("created_at")?,
        expires_at: row.get("expires_at")?,
        used_at: row.get("used_at")?,
    }))
}

pub async fn insert_challenge(conn: &mut Conn<'_>, c: &Challenge, token_hash: &[u8]) -> Result<()> {
    const SQL: &str = concat!(
        "insert into mfa_challenges (token_hash, ",
        challenge_columns!(),
        ") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    );
    conn.execute(
        SQL,
        params![
            token_hash,
            &c.id,
            c.app_id.as_str(),
            c.user_id.as_str(),
            c.method.as_str(),
            &to_json(&c.amr),
            c.attempts,
            c.created_at,
            c.expires_at,
            c.used_at,
        ],
    )
    .await?;
    Ok(())
}

pub async fn find_challenge_by_token(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    token_hash: &[u8],
) -> Result<Option<Challenge>> {
    const SQL: &str = concat!(
        "select ",
        challenge_columns!(),
        " from mfa_challenges where app_id = $1 and token_hash = $2"
    );
    let found = conn
        .optional(
            SQL,
            params![app_id.as_str(), token_hash],
            challenge_from_row,
        )
        .await?;
    Ok(found.flatten())
}

pub async fn find_challenge(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    id: &str,
) -> Result<Option<Challenge>> {
    const SQL: &str = concat!(
        "select ",
        challenge_columns!(),
        " from mfa_challenges where app_id = $1 and id = $2"
    );
    let found = conn
        .optional(SQL, params![app_id.as_str(), id], challenge_from_row)
        .await?;
    Ok(found.flatten())
}

/// Counts a wrong code; returns the attempts now recorded.
pub async fn count_attempt(conn: &mut Conn<'_>, id: &str) -> Result<i64> {
    conn.execute(
        "update mfa_challenges set attempts = attempts + 1 where id = $1",
        params![id],
    )
    .await?;
    let attempts = conn
        .optional(
            "select attempts from mfa_challenges where id = $1",
            params![id],
            |row| row.get::<i64>("attempts"),
        )
        .await?;
    Ok(attempts.unwrap_or(i64::MAX))
}

/// Redeems the challenge: true for exactly one caller, while it is live and not killed by
/// `max_attempts` wrong codes.
pub async fn take_challenge(
    conn: &mut Conn<'_>,
    id: &str,
    now: i64,
    max_attempts: i64,
) -> Result<bool> {
    let n = conn
        .execute(
            "update mfa_challenges set used_at = $2 where id = $1 and used_at is null \
             and expires_at > $2 and attempts < $3",
            params![id, now, max_attempts],
        )
        .await?;
    Ok(n == 1)
}

/// Deletes challenges that ended before `before`, and factors left pending since then.
pub async fn sweep(conn: &mut Conn<'_>, before: i64) -> Result<()> {
    conn.execute(
        "delete from mfa_challenges where expires_at < $1",
        params![before],
    )
    .await?;
    conn.execute(
        "delete from mfa_factors where verified_at is null and created_at < $1",
        params![before],
    )
    .await?;
    Ok(())
}
