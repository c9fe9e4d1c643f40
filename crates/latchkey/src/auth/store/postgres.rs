//! PostgreSQL: a small pool of `sqlx` connections that knows when a connection is safe to reuse.
//!
//! sqlx's own pool makes a round trip to the server whenever a connection goes back to it (a
//! ping, to find one a cancelled request left mid-statement): as many round trips again as the
//! statements themselves on the sign-in path. This pool knows instead: a connection is marked
//! busy while a statement or a transaction is open on it, and one dropped in that state (its
//! request was cancelled, or a statement failed for a reason other than the database refusing
//! it) is closed rather than reused. A connection idle for a while is pinged before it is
//! handed out again, in case the server closed it meanwhile.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use sqlx::Connection as _;
use sqlx::postgres::{PgConnectOptions, PgConnection};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::{Result, StoreError};

/// Connections open at most.
const MAX_CONNECTIONS: usize = 16;
/// How long a caller waits for a connection before failing.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);
/// A connection idle longer than this is pinged before it is used again.
const IDLE_CHECK: Duration = Duration::from_secs(30);

/// The PostgreSQL side of the store.
pub struct Postgres(Arc<Inner>);

struct Inner {
    options: PgConnectOptions,
    /// Connections ready for use, with the moment each was returned.
    idle: Mutex<Vec<(PgConnection, Instant)>>,
    /// One permit per connection that may be open.
    permits: Arc<Semaphore>,
}

impl std::fmt::Debug for Postgres {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Postgres").finish_non_exhaustive()
    }
}

impl Postgres {
    /// A pool for `url`, with one connection opened to check that the server answers.
    pub async fn connect(url: &str) -> Result<Self> {
        let options: PgConnectOptions = url.parse()?;
        let pool = Self(Arc::new(Inner {
            options,
            idle: Mutex::new(Vec::new()),
            permits: Arc::new(Semaphore::new(MAX_CONNECTIONS)),
        }));
        drop(pool.acquire().await?);
        Ok(pool)
    }

    /// A connection of its own, outside the pool (for the migrations).
    pub async fn connect_one(&self) -> Result<PgConnection> {
        Ok(PgConnection::connect_with(&self.0.options).await?)
    }

    /// A connection: an idle one, or a new one while fewer than [`MAX_CONNECTIONS`] are open.
    pub async fn acquire(&self) -> Result<Pooled> {
        let permit =
            tokio::time::timeout(ACQUIRE_TIMEOUT, Arc::clone(&self.0.permits).acquire_owned())
                .await
                .map_err(|_| StoreError::Postgres(sqlx::Error::PoolTimedOut))?
                .map_err(|_| StoreError::Closed)?;
        loop {
            let idle = self
                .0
                .idle
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .pop();
            let Some((mut conn, since)) = idle else {
                break;
            };
            if since.elapsed() < IDLE_CHECK || conn.ping().await.is_ok() {
                return Ok(self.pooled(conn, permit));
            }
            // The server closed it meanwhile: try the next, or open a new one.
        }
        let conn = PgConnection::connect_with(&self.0.options).await?;
        Ok(self.pooled(conn, permit))
    }

    fn pooled(&self, conn: PgConnection, permit: OwnedSemaphorePermit) -> Pooled {
        Pooled {
            conn: Some(conn),
            in_statement: false,
            in_transaction: false,
            pool: Arc::clone(&self.0),
            _permit: permit,
        }
    }

    /// Closes the idle connections and refuses new ones; connections in use close as they
    /// come back.
    pub async fn close(&self) {
        self.0.permits.close();
        let idle: Vec<_> =
            std::mem::take(&mut *self.0.idle.lock().unwrap_or_else(PoisonError::into_inner));
        for (conn, _) in idle {
            let _ = conn.close().await;
        }
    }
}

/// A connection taken from the pool, returned when dropped unless it may be mid-statement or
/// mid-transaction.
pub struct Pooled {
    conn: Option<PgConnection>,
    /// A statement is in flight on it, or one failed in a way that may have left the
    /// connection unusable.
    in_statement: bool,
    /// A transaction is open on it.
    in_transaction: bool,
    pool: Arc<Inner>,
    _permit: OwnedSemaphorePermit,
}

impl Pooled {
    /// The connection for a statement, marked in flight until [`Self::done`].
    pub fn start(&mut self) -> Result<&mut PgConnection> {
        self.in_statement = true;
        self.conn.as_mut().ok_or(StoreError::Closed)
    }

    /// Ends the statement with `outcome`: one the database answered (done or refused) leaves
    /// the connection usable; anything else (a broken socket, a protocol error) may not.
    pub fn done<T>(&mut self, outcome: std::result::Result<T, sqlx::Error>) -> Result<T> {
        match outcome {
            Ok(value) => {
                self.in_statement = false;
                Ok(value)
            }
            Err(e) => {
                self.in_statement = !matches!(e, sqlx::Error::Database(_));
                Err(e.into())
            }
        }
    }

    /// Opens a transaction; the connection is not reused until [`Self::end`] closed it.
    pub async fn begin(&mut self) -> Result<()> {
        self.in_transaction = true;
        self.control("begin").await
    }

    /// Commits (`commit = true`) or rolls back the open transaction.
    pub async fn end(&mut self, commit: bool) -> Result<()> {
        self.control(if commit { "commit" } else { "rollback" })
            .await?;
        self.in_transaction = false;
        Ok(())
    }

    async fn control(&mut self, sql: &'static str) -> Result<()> {
        let conn = self.start()?;
        let outcome = sqlx::Executor::execute(conn, sql).await.map(drop);
        self.done(outcome)
    }
}

impl Drop for Pooled {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take()
            && !self.in_statement
            && !self.in_transaction
            && !self.pool.permits.is_closed()
        {
            self.pool
                .idle
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push((conn, Instant::now()));
        }
        // Otherwise the connection is dropped, which closes its socket: the server rolls back
        // whatever it had open.
    }
}
