//! The storage layer: rows in, the domain's types out, on SQLite or PostgreSQL with the same
//! SQL text and one function per operation.
//!
//! Private to the domain. One submodule per table group; every function takes a [`Conn`], so
//! that the domain decides what runs in one transaction. The store holds no policy: it does not
//! decide whether a session is still good or a user may sign in; it only reads and writes rows,
//! and turns unique-constraint violations into [`StoreError::Conflict`].
//!
//! Reads take a connection ([`Store::read`]); writes are units of work ([`Store::write`]): a
//! closure over store functions that runs as one transaction, committed when it returns `Ok`
//! and rolled back when it returns `Err`. On SQLite the unit runs on the one writer thread, which
//! commits waiting units together ([`sqlite`]); on PostgreSQL it runs on the caller's task in a
//! transaction of its own.

pub mod api_keys;
pub mod apps;
pub mod ceremonies;
pub mod compat_tokens;
pub mod db;
pub mod email_codes;
pub mod events;
pub mod invitations;
pub mod jobs;
pub mod mfa;
pub mod oauth;
pub mod oauth_clients;
pub mod organizations;
pub mod passkeys;
mod postgres;
pub mod rate_limits;
pub mod roles;
pub mod sessions;
pub mod signing_keys;
mod sqlite;
pub mod users;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use sqlx::Connection as _;

pub(crate) use db::params;
pub use db::{BoxFuture, Conn};

/// A failed storage operation.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique constraint refused the write (an email taken, a credential id already stored).
    #[error("conflicting row")]
    Conflict,
    /// PostgreSQL failed or is unreachable; not the caller's fault.
    #[error("database error: {0}")]
    Postgres(#[source] sqlx::Error),
    /// SQLite failed; not the caller's fault.
    #[error("database error: {0}")]
    Sqlite(#[source] rusqlite::Error),
    /// A stored value is outside its closed set (a damaged row, or one a newer version wrote).
    #[error("unreadable row: {0}")]
    Decode(String),
    /// The database URL names neither SQLite nor PostgreSQL.
    #[error("unsupported database URL {0:?}: use sqlite://… or postgres://…")]
    Url(String),
    /// The group of units this one was committed with failed to commit.
    #[error("the transaction could not be committed: {0}")]
    CommitFailed(String),
    /// A unit of work waited on something other than the store (a bug): nothing was written.
    #[error("a unit of work waited on something other than the store")]
    Pending,
    /// A unit of work panicked: nothing it wrote was kept.
    #[error("a unit of work panicked")]
    Panicked,
    /// The store is closed (the server is stopping).
    #[error("the store is closed")]
    Closed,
    /// The writer thread could not be started.
    #[error("cannot start the database writer: {0}")]
    Thread(String),
    /// The lock file beside a SQLite database could not be taken.
    #[error("cannot lock the database file: {0}")]
    Lock(String),
    /// A write declared as one statement ([`Store::write_one`]) ran a second one (a bug).
    #[error("a one-statement write ran a second statement")]
    SecondStatement,
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::Database(db) if db.is_unique_violation() => Self::Conflict,
            _ => Self::Postgres(e),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The database: SQLite (a writer thread and read connections) or a PostgreSQL pool. Cheap to
/// clone; clones share it.
#[derive(Clone, Debug)]
pub struct Store(Arc<Backend>);

#[derive(Debug)]
enum Backend {
    Sqlite(sqlite::Sqlite),
    Postgres(postgres::Postgres),
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

/// A connection for reads: a read-only SQLite connection, or one of the PostgreSQL pool.
pub enum Reader {
    Sqlite(sqlite::PooledReader),
    Postgres(postgres::Pooled),
}

impl Reader {
    pub fn conn(&mut self) -> Conn<'_> {
        match self {
            Self::Sqlite(reader) => reader.conn(),
            Self::Postgres(conn) => Conn::Postgres(conn),
        }
    }
}

impl Store {
    /// Connects to `url` (`sqlite://PATH[?…]` or `postgres://…`). SQLite runs in WAL mode with
    /// foreign keys on; its file is created if missing.
    pub async fn connect(url: &str) -> Result<Self> {
        if let Some(rest) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            let path = rest.split('?').next().unwrap_or_default();
            if path.is_empty() || path.starts_with(":memory:") {
                return Err(StoreError::Url(url.to_owned()));
            }
            let path = PathBuf::from(path);
            let sqlite = tokio::task::spawn_blocking(move || sqlite::Sqlite::open(&path))
                .await
                .map_err(|e| StoreError::Thread(e.to_string()))??;
            return Ok(Self(Arc::new(Backend::Sqlite(sqlite))));
        }
        if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let pool = postgres::Postgres::connect(url).await?;
            return Ok(Self(Arc::new(Backend::Postgres(pool))));
        }
        Err(StoreError::Url(url.to_owned()))
    }

    /// Applies the embedded migrations for this database. PostgreSQL serializes concurrent
    /// migrators with an advisory lock; for SQLite, processes starting together on one file take
    /// an exclusive lock on a file beside it.
    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        match &*self.0 {
            Backend::Sqlite(sqlite) => {
                let _lock = lock_beside(sqlite.path()).await?;
                let options = sqlx::sqlite::SqliteConnectOptions::new()
                    .filename(sqlite.path())
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(10));
                let mut conn = sqlx::SqliteConnection::connect_with(&options).await?;
                let migrated = SQLITE_MIGRATIONS.run(&mut conn).await;
                let _ = conn.close().await;
                migrated
            }
            Backend::Postgres(pool) => {
                let mut conn = pool.connect_one().await.map_err(|e| match e {
                    StoreError::Postgres(e) => sqlx::migrate::MigrateError::Execute(e),
                    other => sqlx::migrate::MigrateError::Execute(sqlx::Error::Protocol(
                        other.to_string(),
                    )),
                })?;
                let migrated = POSTGRES_MIGRATIONS.run(&mut conn).await;
                let _ = conn.close().await;
                migrated
            }
        }
    }

    /// Whether several processes may serve this database at once: PostgreSQL, which instances
    /// behind a load balancer share; not a SQLite file, which one server process owns
    /// ([`Self::hold_for_serving`]) and whose passing state (ceremonies) may live in memory.
    pub fn is_shared(&self) -> bool {
        matches!(&*self.0, Backend::Postgres(_))
    }

    /// Makes this process the one server of a SQLite file, for as long as the returned lock
    /// lives: a second server on the same file is refused (`Ok(None)` means it is held). On
    /// PostgreSQL there is nothing to hold.
    pub async fn hold_for_serving(&self) -> Result<Option<ServingLock>, std::io::Error> {
        let Backend::Sqlite(sqlite) = &*self.0 else {
            return Ok(Some(ServingLock(None)));
        };
        let path = beside(sqlite.path(), ".serve-lock");
        tokio::task::spawn_blocking(move || {
            let file = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)?;
            match file.try_lock() {
                Ok(()) => Ok(Some(ServingLock(Some(file)))),
                Err(std::fs::TryLockError::WouldBlock) => Ok(None),
                Err(std::fs::TryLockError::Error(e)) => Err(e),
            }
        })
        .await
        .map_err(std::io::Error::other)?
    }

    /// A connection for reads (read-only on SQLite, used inline).
    pub async fn read(&self) -> Result<Reader> {
        match &*self.0 {
            Backend::Sqlite(sqlite) => Ok(Reader::Sqlite(sqlite.reader()?)),
            Backend::Postgres(pool) => Ok(Reader::Postgres(pool.acquire().await?)),
        }
    }

    /// Runs `work` as one transaction: committed when it returns `Ok`, rolled back when it
    /// returns `Err` (so a refusal that must stay recorded returns its refusal inside `Ok`).
    /// `work`'s future may await only store functions on the connection it is given.
    pub async fn write<T, E, F>(&self, work: F) -> std::result::Result<T, E>
    where
        F: for<'c> FnOnce(&'c mut Conn<'c>) -> BoxFuture<'c, std::result::Result<T, E>>
            + Send
            + 'static,
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        match &*self.0 {
            Backend::Sqlite(sqlite) => sqlite.write(work).await,
            Backend::Postgres(pool) => {
                let mut pg = pool.acquire().await?;
                pg.begin().await?;
                let outcome = {
                    let mut conn = Conn::Postgres(&mut pg);
                    work(&mut conn).await
                };
                match outcome {
                    Ok(value) => {
                        pg.end(true).await?;
                        Ok(value)
                    }
                    Err(e) => {
                        // A failed rollback leaves the connection to be closed, which rolls
                        // back too.
                        let _ = pg.end(false).await;
                        Err(e)
                    }
                }
            }
        }
    }

    /// [`Self::write`] for a unit of exactly one statement, which is atomic by itself: on
    /// PostgreSQL it runs outside a transaction (one round trip instead of three, with `BEGIN`
    /// and `COMMIT`), and a second statement is refused ([`StoreError::SecondStatement`], a bug
    /// the tests catch) rather than run in a transaction of its own; on SQLite it is a unit like
    /// any other.
    pub async fn write_one<T, E, F>(&self, work: F) -> std::result::Result<T, E>
    where
        F: for<'c> FnOnce(&'c mut Conn<'c>) -> BoxFuture<'c, std::result::Result<T, E>>
            + Send
            + 'static,
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        match &*self.0 {
            Backend::Sqlite(sqlite) => sqlite.write(work).await,
            Backend::Postgres(pool) => {
                let mut pooled = pool.acquire().await?;
                let mut conn = Conn::PostgresOnce(Some(&mut pooled));
                work(&mut conn).await
            }
        }
    }

    /// Checks that the instance's master-key check value opens with this process's key,
    /// recording one (`seal`) if the database has none yet. Returns false on a mismatch.
    pub async fn check_master_key(
        &self,
        seal: Vec<u8>,
        opens: impl Fn(&[u8]) -> bool,
    ) -> Result<bool> {
        const FIND: &str = "select value from instance_settings where name = 'master_key_check'";
        let value = |row: &db::Row<'_>| row.get::<Vec<u8>>("value");
        let stored = self
            .write(move |conn| {
                Box::pin(async move {
                    if let Some(stored) = conn.optional(FIND, &[], value).await? {
                        return Ok(stored);
                    }
                    conn.execute(
                        "insert into instance_settings (name, value) \
                         values ('master_key_check', $1)",
                        params![&seal],
                    )
                    .await?;
                    Ok::<_, StoreError>(seal)
                })
            })
            .await;
        match stored {
            Ok(stored) => Ok(opens(&stored)),
            // Another process recorded its check first: compare with that one.
            Err(StoreError::Conflict) => {
                let mut reader = self.read().await?;
                let stored = reader.conn().optional(FIND, &[], value).await?;
                Ok(stored.is_some_and(|stored| opens(&stored)))
            }
            Err(e) => Err(e),
        }
    }

    /// Gives the pages that deletions freed back to the file system: SQLite keeps them in the
    /// file otherwise (PostgreSQL's autovacuum needs nothing from us).
    pub async fn reclaim_space(&self) -> Result<()> {
        /// Pages one sweep gives back at most (4 KiB each, 20 MB a sweep), so no sweep holds
        /// the writer, or the memory of its savepoint journal, for long.
        const VACUUM: &str = "pragma incremental_vacuum(5000)";
        match &*self.0 {
            Backend::Sqlite(sqlite) => {
                sqlite
                    .write(|conn| {
                        // Each step of the statement frees one page: read it to the end.
                        Box::pin(
                            async move { conn.all(VACUUM, params![], |_| Ok(())).await.map(drop) },
                        )
                    })
                    .await
            }
            Backend::Postgres(_) => Ok(()),
        }
    }

    /// Whether the database answers, for `/ready`.
    pub async fn ping(&self) -> bool {
        let ping = async {
            let mut reader = self.read().await?;
            reader
                .conn()
                .optional("select cast(1 as bigint) as one", &[], |row| {
                    row.get::<i64>("one")
                })
                .await
        };
        matches!(
            tokio::time::timeout(Duration::from_secs(2), ping).await,
            Ok(Ok(Some(1)))
        )
    }

    /// Closes the store: the SQLite writer finishes its queue; PostgreSQL connections in use are
    /// waited for.
    pub async fn close(&self) {
        match &*self.0 {
            Backend::Sqlite(_) => {
                // Joining the writer thread blocks: off the async workers.
                let backend = Arc::clone(&self.0);
                let _ = tokio::task::spawn_blocking(move || {
                    if let Backend::Sqlite(sqlite) = &*backend {
                        sqlite.close();
                    }
                })
                .await;
            }
            Backend::Postgres(pool) => pool.close().await,
        }
    }
}

/// The serving process's hold on a SQLite file ([`Store::hold_for_serving`]), released when
/// dropped (or when the process ends, however it ends).
#[derive(Debug)]
pub struct ServingLock(#[allow(dead_code, reason = "held, not read")] Option<std::fs::File>);

/// `<db file><suffix>`: a lock file beside the database.
fn beside(db: &Path, suffix: &str) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Takes an exclusive lock on `<db file>.migrate-lock`, waiting for it, released when the
/// file is dropped: what processes starting together on one SQLite file take in turn to set
/// it up (switching it to WAL, migrating it).
pub(super) fn lock_setup(db: &Path) -> std::io::Result<std::fs::File> {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(beside(db, ".migrate-lock"))?;
    file.lock()?;
    Ok(file)
}

/// [`lock_setup`], off the async workers.
async fn lock_beside(db: &Path) -> Result<std::fs::File, sqlx::migrate::MigrateError> {
    let path = db.to_owned();
    tokio::task::spawn_blocking(move || lock_setup(&path))
        .await
        .map_err(|e| sqlx::migrate::MigrateError::Execute(sqlx::Error::Protocol(e.to_string())))?
        .map_err(|e| sqlx::migrate::MigrateError::Execute(sqlx::Error::Io(e)))
}

/// Encodes a list or object for a JSON text column.
pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned())
}

/// Decodes a JSON text column, falling back to the type's default for a damaged value.
pub(crate) fn from_json<T: serde::de::DeserializeOwned + Default>(text: &str) -> T {
    serde_json::from_str(text).unwrap_or_default()
}

/// Parses a stored value of a closed set (an enum's column name).
pub(crate) fn parse<T: std::str::FromStr<Err = crate::auth::UnknownValue>>(
    text: &str,
) -> Result<T> {
    text.parse()
        .map_err(|e: crate::auth::UnknownValue| StoreError::Decode(e.to_string()))
}

/// Fresh databases for the store's and the domain's unit tests.
#[cfg(test)]
pub(crate) mod testing {
    #![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

    use sqlx::Connection as _;

    use super::Store;

    /// A migrated, empty database that tests can open more than once (two instances sharing
    /// one database).
    pub(crate) struct TestDatabase {
        pub url: String,
        /// For PostgreSQL, the server's URL and the database's name, to drop it afterwards.
        admin: Option<(String, String)>,
        /// For SQLite, the directory of its file, to remove it afterwards.
        dir: Option<std::path::PathBuf>,
    }

    impl TestDatabase {
        /// Another store on the same database.
        pub(crate) async fn connect(&self) -> Store {
            Store::connect(&self.url).await.unwrap()
        }

        /// Drops a PostgreSQL database or removes a SQLite file (close its stores first).
        pub(crate) async fn drop(self) {
            drop_database(self.admin).await;
            if let Some(dir) = self.dir {
                let _ = std::fs::remove_dir_all(dir);
            }
        }
    }

    /// A fresh SQLite file, and a fresh PostgreSQL database too when
    /// `LATCHKEY_TEST_DATABASE_URL` names a server (as the integration suite's second run does),
    /// both migrated.
    pub(crate) async fn databases() -> Vec<TestDatabase> {
        let dir = std::env::temp_dir().join(format!(
            "latchkey-unit-{}-{}",
            std::process::id(),
            uuid::Uuid::new_v4().simple()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let mut databases = vec![TestDatabase {
            url: format!("sqlite://{}?mode=rwc", dir.join("t.db").display()),
            admin: None,
            dir: Some(dir),
        }];
        if let Ok(base) = std::env::var("LATCHKEY_TEST_DATABASE_URL") {
            let name = format!("latchkey_unit_{}", uuid::Uuid::new_v4().simple());
            let mut admin = sqlx::PgConnection::connect(&base).await.unwrap();
            sqlx::query(&format!("create database {name}"))
                .execute(&mut admin)
                .await
                .unwrap();
            let mut url = url::Url::parse(&base).unwrap();
            url.set_path(&name);
            databases.push(TestDatabase {
                url: url.to_string(),
                admin: Some((base, name)),
                dir: None,
            });
        }
        for database in &databases {
            let store = database.connect().await;
            store.migrate().await.unwrap();
            store.close().await;
        }
        databases
    }

    /// A migrated store on each of [`databases`], with what [`drop_database`] needs.
    pub(crate) async fn stores() -> Vec<(Store, Option<(String, String)>)> {
        let mut stores = Vec::new();
        for database in databases().await {
            stores.push((database.connect().await, database.admin));
        }
        stores
    }

    /// Drops the PostgreSQL database [`stores`] created, if any.
    pub(crate) async fn drop_database(admin: Option<(String, String)>) {
        if let Some((base, name)) = admin {
            let mut conn = sqlx::PgConnection::connect(&base).await.unwrap();
            sqlx::query(&format!("drop database if exists {name} with (force)"))
                .execute(&mut conn)
                .await
                .unwrap();
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

    use super::testing::{drop_database, stores};
    use super::*;

    /// Pages that deletions freed go back to the file system (SQLite keeps them otherwise).
    #[tokio::test]
    async fn freed_space_is_given_back() {
        for (store, admin) in stores().await {
            let postgres = matches!(&*store.0, Backend::Postgres(_));
            if !postgres {
                store
                    .write(|conn| {
                        Box::pin(async move {
                            for i in 0..2_000_i64 {
                                conn.execute(
                                    "insert into rate_counts (key, slot, count, expires_at) \
                                     values ($1, $2, 1, 0)",
                                    params![format!("{i:0>500}").as_str(), i],
                                )
                                .await?;
                            }
                            conn.execute("delete from rate_counts", params![]).await?;
                            Ok::<_, StoreError>(())
                        })
                    })
                    .await
                    .unwrap();
            }
            let free = |store: &Store| {
                let store = store.clone();
                async move {
                    let mut reader = store.read().await.unwrap();
                    reader
                        .conn()
                        .optional("pragma freelist_count", params![], |row| {
                            row.get::<i64>("freelist_count")
                        })
                        .await
                        .unwrap()
                }
            };
            if !postgres {
                assert!(free(&store).await.unwrap() > 100);
            }
            store.reclaim_space().await.unwrap();
            if !postgres {
                assert_eq!(free(&store).await, Some(0));
            }
            store.close().await;
            drop_database(admin).await;
        }
    }

    /// Writes the setting `name` (a row of a small table every database has).
    async fn put(conn: &mut Conn<'_>, name: &str) -> Result<()> {
        conn.execute(
            "insert into instance_settings (name, value) values ($1, $2)",
            params![name, &b"v"[..]],
        )
        .await
        .map(drop)
    }

    async fn names(store: &Store) -> Vec<String> {
        let mut reader = store.read().await.unwrap();
        reader
            .conn()
            .all(
                "select name from instance_settings where name like 'unit-%' order by name",
                &[],
                |row| row.get::<String>("name"),
            )
            .await
            .unwrap()
    }

    /// Units sent together (committed in groups on SQLite) each stand or fall alone: a unit that
    /// returns an error, or meets a unique conflict, leaves nothing of its own behind and
    /// nothing of the others undone.
    #[tokio::test]
    async fn concurrent_units_stand_or_fall_alone() {
        for (store, admin) in stores().await {
            let mut units = tokio::task::JoinSet::new();
            for i in 0..120 {
                let store = store.clone();
                units.spawn(async move {
                    let name = format!("unit-{i:03}");
                    let outcome = store
                        .write(move |conn| {
                            Box::pin(async move {
                                put(conn, &name).await?;
                                match i % 3 {
                                    // Refused after writing: rolled back.
                                    1 => Err(StoreError::Decode("refused".to_owned())),
                                    // Its second write conflicts with its first.
                                    2 => put(conn, &name).await,
                                    _ => Ok(()),
                                }
                            })
                        })
                        .await;
                    (i, outcome)
                });
            }
            while let Some(done) = units.join_next().await {
                let (i, outcome) = done.unwrap();
                match i % 3 {
                    0 => assert!(outcome.is_ok(), "{i}: {outcome:?}"),
                    1 => assert!(matches!(outcome, Err(StoreError::Decode(_))), "{i}"),
                    _ => assert!(
                        matches!(outcome, Err(StoreError::Conflict)),
                        "{i}: {outcome:?}"
                    ),
                }
            }
            let expected: Vec<String> = (0..120)
                .filter(|i| i % 3 == 0)
                .map(|i| format!("unit-{i:03}"))
                .collect();
            assert_eq!(names(&store).await, expected);
            store.close().await;
            drop_database(admin).await;
        }
    }

    /// A one-statement write runs its statement; on PostgreSQL, where it has no transaction, a
    /// second statement is refused and not run.
    #[tokio::test]
    async fn a_one_statement_write_runs_one_statement() {
        for (store, admin) in stores().await {
            let postgres = store.is_shared();
            store
                .write_one(|conn| Box::pin(async move { put(conn, "unit-one").await }))
                .await
                .unwrap();
            let second = store
                .write_one(|conn| {
                    Box::pin(async move {
                        put(conn, "unit-two").await?;
                        put(conn, "unit-three").await
                    })
                })
                .await;
            if postgres {
                assert!(
                    matches!(second, Err(StoreError::SecondStatement)),
                    "{second:?}"
                );
                assert_eq!(names(&store).await, ["unit-one", "unit-two"]);
            } else {
                second.unwrap();
                assert_eq!(names(&store).await, ["unit-one", "unit-three", "unit-two"]);
            }
            store.close().await;
            drop_database(admin).await;
        }
    }

    /// A write whose caller goes away mid-transaction (a cancelled request) leaves nothing
    /// behind, and the connection it held is not handed to anyone in that state.
    #[tokio::test]
    async fn a_cancelled_write_leaves_nothing_behind() {
        for (store, admin) in stores().await {
            let cancelled = tokio::time::timeout(
                Duration::from_millis(200),
                store.write(|conn| {
                    Box::pin(async move {
                        put(conn, "unit-cancelled").await?;
                        // Waits for ever (on SQLite the writer refuses such a unit at once).
                        std::future::pending::<()>().await;
                        Ok::<_, StoreError>(())
                    })
                }),
            )
            .await;
            match cancelled {
                Err(_) => assert!(store.is_shared(), "only PostgreSQL waits"),
                Ok(outcome) => assert!(matches!(outcome, Err(StoreError::Pending)), "{outcome:?}"),
            }
            // More writes than the pool has connections: none runs inside the abandoned
            // transaction, and none sees its row.
            for i in 0..40 {
                let name = format!("unit-{i:02}");
                store
                    .write(move |conn| Box::pin(async move { put(conn, &name).await }))
                    .await
                    .unwrap();
            }
            let names = names(&store).await;
            assert_eq!(names.len(), 40);
            assert!(!names.iter().any(|n| n == "unit-cancelled"));
            store.close().await;
            drop_database(admin).await;
        }
    }
}
