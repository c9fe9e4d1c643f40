//! Shared rate-limit counts: how many requests each instance let through, per limit key and
//! time slot, so that every instance's limiter sees the others' traffic.
//!
//! Each instance adds what it counted since its last sync and reads back the totals of the keys
//! it is looking at (the limiter's policy and slot arithmetic are the domain's). A row is kept
//! until its slot no longer counts in any window (`expires_at`).

use super::Result;
use super::db::{Conn, Param, Row, params};

/// Rows one statement adds or reads at most.
pub const CHUNK: usize = 32;

/// One slot's count to add.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Added {
    pub key: String,
    pub slot: i64,
    pub count: i64,
    pub expires_at: i64,
}

/// One slot's total across instances.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Total {
    pub key: String,
    pub slot: i64,
    pub count: i64,
}

const ADD_ONE: &str = "insert into rate_counts (key, slot, count, expires_at) \
     values ($1, $2, $3, $4) \
     on conflict (key, slot) do update set count = rate_counts.count + excluded.count";

/// The statement adding [`CHUNK`] rows at once, written out once.
fn add_chunk_sql() -> &'static str {
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SQL.get_or_init(|| {
        let rows: Vec<String> = (0..CHUNK)
            .map(|i| {
                let n = i * 4;
                format!("(${}, ${}, ${}, ${})", n + 1, n + 2, n + 3, n + 4)
            })
            .collect();
        format!(
            "insert into rate_counts (key, slot, count, expires_at) values {} \
             on conflict (key, slot) do update set count = rate_counts.count + excluded.count",
            rows.join(", ")
        )
    })
}

/// The statement reading the live slots of [`CHUNK`] keys, written out once.
fn totals_chunk_sql() -> &'static str {
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SQL.get_or_init(|| {
        let keys: Vec<String> = (0..CHUNK).map(|i| format!("${}", i + 2)).collect();
        format!(
            "select key, slot, count from rate_counts where expires_at > $1 and key in ({})",
            keys.join(", ")
        )
    })
}

fn total(row: &Row<'_>) -> Result<Total> {
    Ok(Total {
        key: row.get("key")?,
        slot: row.get("slot")?,
        count: row.get("count")?,
    })
}

/// Adds `added` to the shared counts. Each (key, slot) appears at most once in `added`.
pub async fn add(conn: &mut Conn<'_>, added: &[Added]) -> Result<()> {
    let mut chunks = added.chunks_exact(CHUNK);
    for chunk in &mut chunks {
        let params: Vec<Param<'_>> = chunk
            .iter()
            .flat_map(|a| {
                [
                    Param::from(a.key.as_str()),
                    Param::from(a.slot),
                    Param::from(a.count),
                    Param::from(a.expires_at),
                ]
            })
            .collect();
        conn.execute(add_chunk_sql(), &params).await?;
    }
    for a in chunks.remainder() {
        conn.execute(ADD_ONE, params![&a.key, a.slot, a.count, a.expires_at])
            .await?;
    }
    Ok(())
}

/// The counts of every slot of `keys` that still counts at `now`.
pub async fn totals(conn: &mut Conn<'_>, keys: &[String], now: i64) -> Result<Vec<Total>> {
    let mut out = Vec::new();
    for chunk in keys.chunks(CHUNK) {
        let mut params = vec![Param::from(now)];
        // A short chunk repeats its last key: one statement text for every chunk.
        params.extend((0..CHUNK).map(|i| Param::from(chunk[i.min(chunk.len() - 1)].as_str())));
        out.extend(conn.all(totals_chunk_sql(), &params, total).await?);
    }
    Ok(out)
}

/// The counts of every slot that still counts at `now`, at most `limit` of them (the newest
/// first): what an instance starts from.
pub async fn all_totals(conn: &mut Conn<'_>, now: i64, limit: i64) -> Result<Vec<Total>> {
    conn.all(
        "select key, slot, count from rate_counts where expires_at > $1 \
         order by expires_at desc limit $2",
        params![now, limit],
        total,
    )
    .await
}

/// Forgets slots that no longer count in any window.
pub async fn delete_stale(conn: &mut Conn<'_>, now: i64) -> Result<()> {
    conn.execute(
        "delete from rate_counts where expires_at <= $1",
        params![now],
    )
    .await?;
    Ok(())
}
