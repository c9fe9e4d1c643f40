//! SQLite: one writer thread that runs whole write transactions and commits them in groups, and
//! read-only connections used inline by whoever reads.
//!
//! SQLite lets one connection write at a time. So every write transaction is a unit of work (a
//! closure over the store's functions) sent to the one thread that owns the writing connection.
//! That thread takes the units waiting in its queue, runs each inside a savepoint of one
//! `begin immediate … commit`, and answers each caller once the commit has returned: a unit that
//! fails rolls back to its savepoint alone, a commit that fails fails its group, and nobody hears
//! of success before the commit (in WAL mode with `synchronous = normal`, a committed
//! transaction survives the process being killed). A unit's statements run on the thread that
//! owns the connection, with no hop per statement; reads take a read-only connection from a pool
//! and run inline, never waiting for the writer (WAL lets readers run beside it).
//!
//! A unit's future must never wait on anything but the store: it is polled once on the writer
//! thread, where nothing else could wake it. One that does (a bug) fails with
//! [`StoreError::Pending`] and changes nothing.

use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::thread::JoinHandle;

use rusqlite::{Connection, OpenFlags};
use tokio::sync::oneshot;

use super::db::{BoxFuture, Conn};
use super::{Result, StoreError};

/// The most units one commit takes: enough to amortize a commit under load, few enough that
/// the first caller of a group does not wait long for the last.
const MAX_GROUP: usize = 64;
/// Idle read connections kept open; more are opened as readers need them and closed after.
const IDLE_READERS: usize = 16;
/// Distinct statements each connection keeps prepared.
const STATEMENT_CACHE: usize = 128;

/// Settings of the writing connection: a wait (rather than an error) when another process holds
/// a lock, set first so that switching a new file to WAL waits too; WAL so that readers run
/// beside the writer; foreign keys on; and savepoint
/// journals in memory (each unit's savepoint copies the pages it changes first). The writer
/// checkpoints the log itself, every 1,000 pages (SQLite's default): a checkpoint thread with a
/// connection of its own was measured to double the sign-in p99.
const PRAGMAS: &str = "pragma busy_timeout = 10000; pragma journal_mode = wal; \
    pragma synchronous = normal; pragma foreign_keys = on; pragma temp_store = memory;";

/// `pragma auto_vacuum`'s value for incremental.
const INCREMENTAL: i64 = 2;

/// The SQLite side of the store.
pub struct Sqlite {
    path: PathBuf,
    /// The writer thread's queue; `None` once closed.
    queue: Mutex<Option<mpsc::Sender<Box<dyn Unit>>>>,
    writer: Mutex<Option<JoinHandle<()>>>,
    readers: Arc<Mutex<Vec<Connection>>>,
}

impl std::fmt::Debug for Sqlite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sqlite").field("path", &self.path).finish()
    }
}

impl Sqlite {
    /// Opens the database file at `path` (creating it) and starts the writer thread.
    pub fn open(path: &Path) -> Result<Self> {
        // Switching a new file to WAL needs it alone, and SQLite answers "busy" at once rather
        // than wait: processes starting together take turns.
        let setup = super::lock_setup(path).map_err(|e| StoreError::Lock(e.to_string()))?;
        let mut conn = Connection::open(path)?;
        configure(&conn, false)?;
        // Pages freed by deletions are given back to the file system by the sweep
        // (`incremental_vacuum`). The setting takes effect at once on a new file; an older one
        // would need a full VACUUM, which copies the whole database (and, with temporary
        // storage in memory, into RAM): that is left to the operator (docs/deployment.md).
        let auto_vacuum: i64 = conn.query_row("pragma auto_vacuum", [], |row| row.get(0))?;
        let tables: i64 =
            conn.query_row("select count(*) from sqlite_master", [], |row| row.get(0))?;
        if auto_vacuum != INCREMENTAL {
            if tables == 0 {
                // On an empty file the VACUUM is instant, and writes the setting into the
                // header before any connection (the migrations') creates a table.
                conn.execute_batch("pragma auto_vacuum = incremental; vacuum;")?;
            } else {
                tracing::info!(
                    "this SQLite file gives freed space back only after a one-time VACUUM \
                     (see docs/deployment.md)"
                );
            }
        }
        drop(setup);
        let (queue, units) = mpsc::channel::<Box<dyn Unit>>();
        let writer = std::thread::Builder::new()
            .name("latchkey-sqlite-writer".to_owned())
            .spawn(move || write_loop(&mut conn, &units))
            .map_err(|e| StoreError::Thread(e.to_string()))?;
        Ok(Self {
            path: path.to_owned(),
            queue: Mutex::new(Some(queue)),
            writer: Mutex::new(Some(writer)),
            readers: Arc::new(Mutex::new(Vec::new())),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `work` as one unit of the writer thread: committed with its group when it returns
    /// `Ok`, rolled back to its savepoint when it returns `Err`.
    pub async fn write<T, E, F>(&self, work: F) -> std::result::Result<T, E>
    where
        F: for<'c> FnOnce(&'c mut Conn<'c>) -> BoxFuture<'c, std::result::Result<T, E>>
            + Send
            + 'static,
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let unit = Box::new(Work {
            work: Some(work),
            outcome: None,
            reply: Some(reply),
        });
        {
            let queue = self.queue.lock().unwrap_or_else(|e| e.into_inner());
            let queue = queue.as_ref().ok_or(StoreError::Closed)?;
            queue.send(unit).map_err(|_| StoreError::Closed)?;
        }
        answer.await.map_err(|_| StoreError::Closed)?
    }

    /// A read-only connection, from the pool or newly opened.
    pub fn reader(&self) -> Result<PooledReader> {
        let idle = self.readers.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let conn = match idle {
            Some(conn) => conn,
            None => {
                let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
                let conn = Connection::open_with_flags(&self.path, flags)?;
                configure(&conn, true)?;
                conn
            }
        };
        Ok(PooledReader {
            conn: Some(conn),
            pool: Arc::clone(&self.readers),
        })
    }

    /// Stops the writer once its queue is empty, and closes every connection.
    pub fn close(&self) {
        self.queue.lock().unwrap_or_else(|e| e.into_inner()).take();
        let writer = self.writer.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(writer) = writer {
            let _ = writer.join();
        }
        self.readers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }
}

impl Drop for Sqlite {
    fn drop(&mut self) {
        self.close();
    }
}

/// Applies the connection settings; `read_only` ones also refuse writes (`query_only`).
fn configure(conn: &Connection, read_only: bool) -> Result<()> {
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    if read_only {
        conn.execute_batch("pragma busy_timeout = 10000; pragma query_only = on;")?;
    } else {
        conn.execute_batch(PRAGMAS)?;
    }
    Ok(())
}

/// A read connection borrowed from the pool, returned when dropped.
pub struct PooledReader {
    conn: Option<Connection>,
    pool: Arc<Mutex<Vec<Connection>>>,
}

impl PooledReader {
    pub fn conn(&mut self) -> Conn<'_> {
        match &mut self.conn {
            Some(conn) => Conn::Sqlite(conn),
            None => unreachable!("a pooled reader holds its connection until dropped"),
        }
    }
}

impl Drop for PooledReader {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            let mut pool = self.pool.lock().unwrap_or_else(|e| e.into_inner());
            if pool.len() < IDLE_READERS {
                pool.push(conn);
            }
        }
    }
}

/// Runs one of the writer's own statements (transaction control) from the statement cache.
fn control(conn: &Connection, sql: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(sql)?.execute([]).map(drop)
}

/// The writer thread: takes the units waiting (at least one), runs them in one transaction,
/// commits, answers; until the queue closes.
fn write_loop(conn: &mut Connection, units: &mpsc::Receiver<Box<dyn Unit>>) {
    while let Ok(first) = units.recv() {
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match units.try_recv() {
                Ok(unit) => group.push(unit),
                Err(_) => break,
            }
        }
        if let Err(e) = control(conn, "begin immediate") {
            let e = StoreError::from(e);
            for unit in group {
                unit.finish(Err(&e));
            }
            continue;
        }
        for unit in &mut group {
            unit.run(conn);
        }
        let committed = control(conn, "commit").map_err(StoreError::from);
        if committed.is_err() {
            let _ = control(conn, "rollback");
        }
        for unit in group {
            unit.finish(committed.as_ref().map(|_| ()));
        }
    }
}

/// A unit of work as the writer thread sees it.
trait Unit: Send {
    /// Runs the work inside the open transaction, within a savepoint of its own.
    fn run(&mut self, conn: &mut Connection);
    /// Answers the caller once the group's commit is known.
    fn finish(self: Box<Self>, commit: std::result::Result<(), &StoreError>);
}

struct Work<F, T, E> {
    work: Option<F>,
    outcome: Option<std::result::Result<T, E>>,
    reply: Option<oneshot::Sender<std::result::Result<T, E>>>,
}

impl<F, T, E> Unit for Work<F, T, E>
where
    F: for<'c> FnOnce(&'c mut Conn<'c>) -> BoxFuture<'c, std::result::Result<T, E>> + Send,
    T: Send,
    E: From<StoreError> + Send,
{
    fn run(&mut self, conn: &mut Connection) {
        let Some(work) = self.work.take() else {
            return;
        };
        if let Err(e) = control(conn, "savepoint unit") {
            self.outcome = Some(Err(StoreError::from(e).into()));
            return;
        }
        let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
            let mut c = Conn::Sqlite(&mut *conn);
            let mut future = work(&mut c);
            match future
                .as_mut()
                .poll(&mut Context::from_waker(Waker::noop()))
            {
                Poll::Ready(outcome) => outcome,
                Poll::Pending => Err(StoreError::Pending.into()),
            }
        }))
        .unwrap_or_else(|_| Err(StoreError::Panicked.into()));
        let closed = if outcome.is_ok() {
            control(conn, "release unit")
        } else {
            control(conn, "rollback to unit").and_then(|()| control(conn, "release unit"))
        };
        self.outcome = Some(match closed {
            Ok(()) => outcome,
            Err(e) => Err(StoreError::from(e).into()),
        });
    }

    fn finish(mut self: Box<Self>, commit: std::result::Result<(), &StoreError>) {
        let outcome = match (self.outcome.take(), commit) {
            (Some(Ok(value)), Ok(())) => Ok(value),
            (Some(Ok(_)), Err(e)) | (None, Err(e)) => {
                Err(StoreError::CommitFailed(e.to_string()).into())
            }
            (Some(Err(e)), _) => Err(e),
            (None, Ok(())) => Err(StoreError::Closed.into()),
        };
        if let Some(reply) = self.reply.take() {
            // A caller that went away no longer wants the answer; the work stands.
            let _ = reply.send(outcome);
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

    use super::super::testing::databases;
    use super::super::{Store, StoreError, params};
    use super::*;

    /// The SQLite database of the unit tests (the first of [`databases`]).
    async fn sqlite_store() -> (Store, super::super::testing::TestDatabase) {
        let database = databases().await.into_iter().next().unwrap();
        (database.connect().await, database)
    }

    async fn count(store: &Store) -> i64 {
        let mut reader = store.read().await.unwrap();
        reader
            .conn()
            .optional(
                "select count(*) as n from instance_settings where name like 'unit-%'",
                &[],
                |row| row.get::<i64>("n"),
            )
            .await
            .unwrap()
            .unwrap()
    }

    /// A unit that panics, or waits on something other than the store (which nothing on the
    /// writer thread could wake), fails cleanly and writes nothing; the writer goes on.
    #[tokio::test]
    async fn a_unit_that_panics_or_waits_elsewhere_writes_nothing() {
        let (store, database) = sqlite_store().await;
        let insert = "insert into instance_settings (name, value) values ($1, $2)";
        let panicked = store
            .write(move |conn| {
                Box::pin(async move {
                    conn.execute(insert, params!["unit-panic", &b"v"[..]])
                        .await?;
                    if conn.is_postgres() {
                        return Ok(());
                    }
                    panic!("a bug in a unit");
                })
            })
            .await;
        assert!(
            matches!(panicked, Err(StoreError::Panicked)),
            "{panicked:?}"
        );
        let pending = store
            .write(move |conn| {
                Box::pin(async move {
                    conn.execute(insert, params!["unit-pending", &b"v"[..]])
                        .await?;
                    // Waits once, as a future waiting on a timer or a channel would.
                    let mut waited = false;
                    std::future::poll_fn(|cx| {
                        if waited {
                            return Poll::Ready(());
                        }
                        waited = true;
                        cx.waker().wake_by_ref();
                        Poll::Pending
                    })
                    .await;
                    Ok::<_, StoreError>(())
                })
            })
            .await;
        assert!(matches!(pending, Err(StoreError::Pending)), "{pending:?}");
        assert_eq!(count(&store).await, 0);
        store
            .write(move |conn| {
                Box::pin(async move {
                    conn.execute(insert, params!["unit-after", &b"v"[..]])
                        .await
                        .map(drop)
                })
            })
            .await
            .unwrap();
        assert_eq!(count(&store).await, 1);
        store.close().await;
        database.drop().await;
    }

    /// Reads see every write that was answered, and a closed store refuses writes.
    #[tokio::test]
    async fn an_answered_write_is_read_and_a_closed_store_refuses() {
        let (store, database) = sqlite_store().await;
        let insert = "insert into instance_settings (name, value) values ($1, $2)";
        for i in 0..20 {
            let name = format!("unit-{i}");
            store
                .write(move |conn| {
                    Box::pin(async move {
                        conn.execute(insert, params![&name, &b"v"[..]])
                            .await
                            .map(drop)
                    })
                })
                .await
                .unwrap();
            assert_eq!(count(&store).await, i + 1);
        }
        store.close().await;
        let refused = store
            .write(|_| Box::pin(async { Ok::<_, StoreError>(()) }))
            .await;
        assert!(matches!(refused, Err(StoreError::Closed)), "{refused:?}");
        database.drop().await;
    }
}
