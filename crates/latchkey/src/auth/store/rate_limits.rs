//! Sliding-window request throttling, kept in the store so limits hold across instances.
//!
//! Each counted request is a row in `rate_events`. A check first updates the key's row in
//! `rate_keys`, which serializes concurrent checks of that key on PostgreSQL (row lock) and
//! SQLite (write lock), then counts the key's recent events. Policy (which keys, which limits)
//! is the caller's.

use super::Result;
use super::db::{Conn, params};

/// One limit: at most `max` events per `window` seconds.
#[derive(Clone, Copy, Debug)]
pub struct Limit {
    pub max: i64,
    pub window: i64,
}

/// Checks `limits` for `key` and, if none is exceeded, counts this request. Returns the seconds
/// until a request would be allowed when one is exceeded.
pub async fn hit(
    conn: &mut Conn<'_>,
    key: &str,
    limits: &[Limit],
    now: i64,
) -> Result<Option<i64>> {
    conn.execute(
        "insert into rate_keys (key, touched_at) values ($1, $2) on conflict (key) do nothing",
        params![key, now],
    )
    .await?;
    conn.execute(
        "update rate_keys set touched_at = $2 where key = $1",
        params![key, now],
    )
    .await?;
    let mut wait: Option<i64> = None;
    for limit in limits {
        // The `max`-th most recent event inside the window decides when a slot frees up.
        let at = conn
            .optional(
                "select at from rate_events where key = $1 and at > $2 \
                 order by at desc limit 1 offset $3",
                params![key, now - limit.window, limit.max - 1],
                |row| row.get::<i64>("at"),
            )
            .await?;
        if let Some(at) = at {
            let retry = (at + limit.window - now).max(1);
            wait = Some(wait.map_or(retry, |w| w.max(retry)));
        }
    }
    if wait.is_none() {
        conn.execute(
            "insert into rate_events (key, at) values ($1, $2)",
            params![key, now],
        )
        .await?;
    }
    Ok(wait)
}

/// Forgets events older than `before` and keys untouched since then.
pub async fn delete_stale(conn: &mut Conn<'_>, before: i64) -> Result<()> {
    conn.execute("delete from rate_events where at < $1", params![before])
        .await?;
    conn.execute(
        "delete from rate_keys where touched_at < $1",
        params![before],
    )
    .await?;
    Ok(())
}
