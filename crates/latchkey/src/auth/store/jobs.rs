//! The job outbox's rows: insert (on the caller's connection, so inside the caller's
//! transaction), claim under a lease, and the three ends of a claim (done, retry later, failed
//! for good), plus lease release at shutdown and retention.
//!
//! Payloads arrive here sealed and leave sealed: this module never sees a job's content, and
//! holds no policy (how long a lease, how far to back off, when to give up): callers pass the
//! times. Every write that ends a claim is fenced by the claim's holder *and* attempt number, so
//! a worker that lost its lease (it stalled past it and another worker claimed the job) changes
//! nothing.

use super::Result;
use super::db::{Conn, Param, params};

/// A job as enqueued.
#[derive(Clone, Debug)]
pub struct NewJob<'a> {
    pub id: &'a str,
    pub app_id: Option<&'a str>,
    pub kind: &'a str,
    /// The sealed payload.
    pub payload: &'a [u8],
    /// Not claimed before this time.
    pub run_at: i64,
    /// No attempt starts after this time.
    pub expires_at: Option<i64>,
    pub created_at: i64,
}

/// A job as a claim returns it.
#[derive(Clone, Debug)]
pub struct ClaimedJob {
    pub id: String,
    pub kind: String,
    /// The sealed payload.
    pub payload: Vec<u8>,
    /// Claims so far, this one included: with the holder, the fence of every later write.
    pub attempts: i64,
    pub expires_at: Option<i64>,
    /// Why the previous attempt failed, if one did.
    pub last_error: Option<String>,
}

/// A job's row, as tests inspect it.
#[cfg(test)]
#[derive(Clone, Debug)]
pub struct JobRow {
    pub id: String,
    pub app_id: Option<String>,
    pub kind: String,
    pub payload: Vec<u8>,
    pub attempts: i64,
    pub run_at: i64,
    pub locked_until: Option<i64>,
    pub locked_by: Option<String>,
    pub expires_at: Option<i64>,
    pub last_error: Option<String>,
    pub failed_at: Option<i64>,
    pub created_at: i64,
}

/// The claim of one attempt: who holds it and which attempt it is.
#[derive(Clone, Copy, Debug)]
pub struct Lease<'a> {
    pub holder: &'a str,
    pub attempts: i64,
}

/// Adds a job on `conn`: inside the caller's transaction, it exists only if that commits.
pub async fn insert_job(conn: &mut Conn<'_>, job: &NewJob<'_>) -> Result<()> {
    conn.execute(
        "insert into jobs (id, app_id, kind, payload, attempts, run_at, locked_until, locked_by, \
         expires_at, last_error, failed_at, created_at) \
         values ($1, $2, $3, $4, 0, $5, null, null, $6, null, null, $7)",
        params![
            job.id,
            job.app_id,
            job.kind,
            job.payload,
            job.run_at,
            job.expires_at,
            job.created_at,
        ],
    )
    .await?;
    Ok(())
}

/// Whether a job of `kinds` is due at `now` and not leased: a read, so that an idle poll does
/// not queue for the write lock.
pub async fn any_due(conn: &mut Conn<'_>, kinds: &[&str], now: i64) -> Result<bool> {
    if kinds.is_empty() {
        return Ok(false);
    }
    let sql = format!(
        "select id from jobs where {} limit 1",
        claimable(kinds.len(), 2)
    );
    let mut params = vec![Param::from(now)];
    params.extend(kinds.iter().map(|kind| Param::from(*kind)));
    let due = conn
        .optional(&sql, &params, |row| row.get::<String>("id"))
        .await?;
    Ok(due.is_some())
}

/// The condition of a claimable job, with `now` in `$1` and the `count` kinds from `$first` on.
fn claimable(count: usize, first: usize) -> String {
    let kinds = (first..first + count)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "failed_at is null and run_at <= $1 and (locked_until is null or locked_until <= $1) \
         and kind in ({kinds})"
    )
}

/// Claims up to `limit` jobs of `kinds` that are due at `now` and not leased, oldest due first:
/// each gets a lease held by `holder` until `lease_until` and one more attempt counted.
///
/// On PostgreSQL, concurrent claimers skip each other's locked rows (`for update skip locked`)
/// rather than queue behind them; the outer `where` checks claimability again on the row it
/// updates, so no row is ever claimed twice whatever plan the subquery gets. On SQLite the one
/// statement holds the database's write lock throughout, which serializes claimers, even ones in
/// other processes.
pub async fn claim_jobs(
    conn: &mut Conn<'_>,
    kinds: &[&str],
    holder: &str,
    now: i64,
    lease_until: i64,
    limit: i64,
) -> Result<Vec<ClaimedJob>> {
    if kinds.is_empty() || limit <= 0 {
        return Ok(Vec::new());
    }
    let claimable = claimable(kinds.len(), 5);
    // `materialized`: the subquery runs once, so it locks (and limits) one set of rows.
    let (due, skip_locked) = if conn.is_postgres() {
        ("due as materialized", " for update skip locked")
    } else {
        ("due as", "")
    };
    let sql = format!(
        "with {due} (select id from jobs where {claimable} \
         order by run_at, id limit $4{skip_locked}) \
         update jobs set locked_until = $2, locked_by = $3, attempts = attempts + 1 \
         where id in (select id from due) and {claimable} \
         returning id, kind, payload, attempts, expires_at, last_error"
    );
    let mut params = vec![
        Param::from(now),
        Param::from(lease_until),
        Param::from(holder),
        Param::from(limit),
    ];
    params.extend(kinds.iter().map(|kind| Param::from(*kind)));
    let mut claimed = conn
        .all(&sql, &params, |row| {
            Ok(ClaimedJob {
                id: row.get("id")?,
                kind: row.get("kind")?,
                payload: row.get("payload")?,
                attempts: row.get("attempts")?,
                expires_at: row.get("expires_at")?,
                last_error: row.get("last_error")?,
            })
        })
        .await?;
    // `returning` has no order: hand them out oldest first (ids are time-ordered).
    claimed.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(claimed)
}

/// Deletes a job whose attempt succeeded; false if `lease` no longer holds it.
pub async fn delete_job(conn: &mut Conn<'_>, id: &str, lease: Lease<'_>) -> Result<bool> {
    let deleted = conn
        .execute(
            "delete from jobs where id = $1 and locked_by = $2 and attempts = $3",
            params![id, lease.holder, lease.attempts],
        )
        .await?;
    Ok(deleted == 1)
}

/// Releases a job whose attempt failed, to be claimed again from `run_at`; false if `lease` no
/// longer holds it.
pub async fn update_job_retry(
    conn: &mut Conn<'_>,
    id: &str,
    lease: Lease<'_>,
    run_at: i64,
    error: &str,
) -> Result<bool> {
    let updated = conn
        .execute(
            "update jobs set run_at = $4, last_error = $5, locked_until = null, locked_by = null \
             where id = $1 and locked_by = $2 and attempts = $3",
            params![id, lease.holder, lease.attempts, run_at, error],
        )
        .await?;
    Ok(updated == 1)
}

/// Marks a job failed for good (kept for inspection until [`delete_failed`]); false if `lease`
/// no longer holds it.
pub async fn update_job_failed(
    conn: &mut Conn<'_>,
    id: &str,
    lease: Lease<'_>,
    now: i64,
    error: &str,
) -> Result<bool> {
    let updated = conn
        .execute(
            "update jobs set failed_at = $4, last_error = $5, locked_until = null, \
             locked_by = null where id = $1 and locked_by = $2 and attempts = $3",
            params![id, lease.holder, lease.attempts, now, error],
        )
        .await?;
    Ok(updated == 1)
}

/// Releases every lease `holder` still has (a worker stopping): those jobs are claimable again
/// at once rather than when their leases run out. Returns how many.
pub async fn release_leases(conn: &mut Conn<'_>, holder: &str) -> Result<u64> {
    conn.execute(
        "update jobs set locked_until = null, locked_by = null \
         where locked_by = $1 and failed_at is null",
        params![holder],
    )
    .await
}

/// Deletes jobs that failed for good before `before`. Returns how many.
pub async fn delete_failed(conn: &mut Conn<'_>, before: i64) -> Result<u64> {
    conn.execute(
        "delete from jobs where failed_at is not null and failed_at < $1",
        params![before],
    )
    .await
}

#[cfg(test)]
const COLUMNS: &str = "id, app_id, kind, payload, attempts, run_at, locked_until, locked_by, \
    expires_at, last_error, failed_at, created_at";

#[cfg(test)]
fn from_row(row: &super::db::Row<'_>) -> Result<JobRow> {
    Ok(JobRow {
        id: row.get("id")?,
        app_id: row.get("app_id")?,
        kind: row.get("kind")?,
        payload: row.get("payload")?,
        attempts: row.get("attempts")?,
        run_at: row.get("run_at")?,
        locked_until: row.get("locked_until")?,
        locked_by: row.get("locked_by")?,
        expires_at: row.get("expires_at")?,
        last_error: row.get("last_error")?,
        failed_at: row.get("failed_at")?,
        created_at: row.get("created_at")?,
    })
}

#[cfg(test)]
pub async fn find_job(conn: &mut Conn<'_>, id: &str) -> Result<Option<JobRow>> {
    let sql = format!("select {COLUMNS} from jobs where id = $1");
    conn.optional(&sql, params![id], from_row).await
}

/// Every job, oldest first.
#[cfg(test)]
pub async fn list_jobs(conn: &mut Conn<'_>) -> Result<Vec<JobRow>> {
    let sql = format!("select {COLUMNS} from jobs order by id");
    conn.all(&sql, &[], from_row).await
}
