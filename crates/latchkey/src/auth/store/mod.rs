//! The storage layer: rows in, types out, on SQLite or PostgreSQL with the same SQL text.
//!
//! Private to the domain: rows in, the domain's types out. One submodule per table group.
//! Functions take a connection (`&mut AnyConnection`) so that the domain layer decides what
//! runs inside one transaction. The store holds no policy: it does not
//! decide whether a session is still good or a user may sign in; it only reads and writes rows,
//! and turns unique-constraint violations into [`StoreError::Conflict`].

pub mod api_keys;
pub mod apps;
pub mod ceremonies;
pub mod compat_tokens;
pub mod email_codes;
pub mod events;
pub mod jobs;
pub mod passkeys;
pub mod rate_limits;
pub mod sessions;
pub mod signing_keys;
pub mod users;

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyConnection, AnyPool, Executor, Transaction};

/// An open transaction on either database.
pub type Tx = Transaction<'static, sqlx::Any>;

/// Which database the store talks to; the SQL is shared, a few statements are not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A failed storage operation.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique constraint refused the write (an email taken, a credential id already stored).
    #[error("conflicting row")]
    Conflict,
    /// The database failed or is unreachable; not the caller's fault.
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
    /// A stored value is outside its closed set (a damaged row, or one a newer version wrote).
    #[error("unreadable row: {0}")]
    Decode(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::Database(db) if db.is_unique_violation() => Self::Conflict,
            _ => Self::Database(e),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The connection pool and what kind of database is behind it.
#[derive(Clone, Debug)]
pub struct Store {
    /// Reads. On SQLite these connections are read-only.
    pool: AnyPool,
    /// Writes: on SQLite a single connection, on PostgreSQL the same pool as reads.
    writer: AnyPool,
    backend: Backend,
    /// For SQLite, the database file (migrations lock a file beside it).
    sqlite_path: Option<std::path::PathBuf>,
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

impl Store {
    /// Connects to `url` (`sqlite://…` or `postgres://…`). SQLite runs in WAL mode with foreign
    /// keys on; its file is created if missing.
    pub async fn connect(url: &str) -> Result<Self> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(StoreError::Database(sqlx::Error::Configuration(
                format!("unsupported database URL scheme in {url:?}: use sqlite:// or postgres://")
                    .into(),
            )));
        };
        let options = AnyConnectOptions::from_str(url)?;
        let sqlite_path = (backend == Backend::Sqlite)
            .then(|| {
                let rest = url
                    .trim_start_matches("sqlite://")
                    .trim_start_matches("sqlite:");
                let path = rest.split('?').next().unwrap_or_default();
                (!path.is_empty() && path != ":memory:").then(|| std::path::PathBuf::from(path))
            })
            .flatten();
        let (pool, writer) = match backend {
            // SQLite lets one writer in at a time. Several pooled connections competing for the
            // write lock would meet SQLite's busy handler, which sleeps (up to 100 ms a try)
            // rather than queueing: that was the whole of the write tail latency. So every
            // write goes through one connection, queued fairly by the pool, and the others
            // only read (`query_only` turns a write slipping past this into an error).
            Backend::Sqlite if sqlite_path.is_some() => {
                let writer = sqlite_pool(options.clone(), 1, false).await?;
                // Readers beyond the cores only add thread switches (each SQLite connection
                // has its own thread); two at least, so a slow read never blocks the rest.
                let cores = std::thread::available_parallelism().map_or(2, usize::from);
                let readers =
                    sqlite_pool(options, u32::try_from(cores.max(2)).unwrap_or(2), true).await?;
                (readers, writer)
            }
            // An in-memory database exists once per connection: one connection does all.
            Backend::Sqlite => {
                let pool = sqlite_pool(options, 1, false).await?;
                (pool.clone(), pool)
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_with(options)
                    .await?;
                (pool.clone(), pool)
            }
        };
        Ok(Self {
            pool,
            writer,
            backend,
            sqlite_path,
        })
    }

    /// Applies the embedded migrations for this database. PostgreSQL serializes concurrent
    /// migrators with an advisory lock; for SQLite, processes starting together on one file take
    /// an exclusive lock on a file beside it.
    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        match self.backend {
            Backend::Sqlite => {
                let _lock = match &self.sqlite_path {
                    Some(path) => Some(lock_beside(path).await?),
                    None => None,
                };
                SQLITE_MIGRATIONS.run(&self.writer).await
            }
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&self.writer).await,
        }
    }

    /// Checks that `sealed_check` opens with this process's master key, recording one if the
    /// database has none yet. Returns false on a mismatch.
    pub async fn check_master_key(
        &self,
        seal: impl Fn() -> Vec<u8>,
        opens: impl Fn(&[u8]) -> bool,
    ) -> Result<bool> {
        let mut conn = self.write_conn().await?;
        let find = "select value from instance_settings where name = 'master_key_check'";
        if let Some(row) = sqlx::query(find).fetch_optional(&mut *conn).await? {
            return Ok(opens(&sqlx::Row::try_get::<Vec<u8>, _>(&row, "value")?));
        }
        let inserted = sqlx::query(
            "insert into instance_settings (name, value) values ('master_key_check', $1)",
        )
        .bind(seal())
        .execute(&mut *conn)
        .await;
        match inserted.map_err(StoreError::from) {
            Ok(_) => Ok(true),
            // Another process recorded its check first: compare with that one.
            Err(StoreError::Conflict) => {
                let row = sqlx::query(find).fetch_one(&mut *conn).await?;
                Ok(opens(&sqlx::Row::try_get::<Vec<u8>, _>(&row, "value")?))
            }
            Err(e) => Err(e),
        }
    }

    /// A connection for reads (read-only on SQLite).
    pub async fn conn(&self) -> Result<sqlx::pool::PoolConnection<sqlx::Any>> {
        Ok(self.pool.acquire().await?)
    }

    /// A connection for single-statement writes outside a transaction.
    pub async fn write_conn(&self) -> Result<sqlx::pool::PoolConnection<sqlx::Any>> {
        Ok(self.writer.acquire().await?)
    }

    /// Starts a write transaction. On SQLite it takes the write lock at once (`begin immediate`),
    /// so two transactions that read and then write cannot deadlock on the upgrade.
    pub async fn begin(&self) -> Result<Tx> {
        Ok(match self.backend {
            Backend::Sqlite => self.writer.begin_with("begin immediate").await?,
            Backend::Postgres => self.writer.begin().await?,
        })
    }

    /// Whether the database answers, for `/ready`.
    pub async fn ping(&self) -> bool {
        let ping = async {
            let mut conn = self.pool.acquire().await?;
            sqlx::query("select 1").execute(&mut *conn).await
        };
        matches!(
            tokio::time::timeout(Duration::from_secs(2), ping).await,
            Ok(Ok(_))
        )
    }

    /// Closes the pools, waiting for connections in use.
    pub async fn close(&self) {
        self.pool.close().await;
        self.writer.close().await;
    }
}

/// A SQLite pool of `size` connections in WAL mode with foreign keys on; `read_only` ones refuse
/// writes.
async fn sqlite_pool(options: AnyConnectOptions, size: u32, read_only: bool) -> Result<AnyPool> {
    let pragmas = if read_only {
        "pragma journal_mode = wal; pragma synchronous = normal; pragma foreign_keys = on; \
         pragma busy_timeout = 10000; pragma query_only = on;"
    } else {
        "pragma journal_mode = wal; pragma synchronous = normal; pragma foreign_keys = on; \
         pragma busy_timeout = 10000;"
    };
    Ok(AnyPoolOptions::new()
        .max_connections(size)
        .min_connections(1)
        // A queue for the single writer can be long under load; wait rather than fail.
        .acquire_timeout(Duration::from_secs(30))
        .after_connect(move |conn, _| {
            Box::pin(async move {
                // WAL lets readers run beside the one writer; busy_timeout makes another
                // process's writer wait instead of failing.
                conn.execute(pragmas).await?;
                Ok(())
            })
        })
        .connect_with(options)
        .await?)
}

/// Takes an exclusive lock on `<db file>.migrate-lock`, released when the file is dropped.
async fn lock_beside(db: &std::path::Path) -> Result<std::fs::File, sqlx::migrate::MigrateError> {
    let mut name = db.as_os_str().to_owned();
    name.push(".migrate-lock");
    let path = std::path::PathBuf::from(name);
    tokio::task::spawn_blocking(move || {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)?;
        file.lock()?;
        Ok::<_, std::io::Error>(file)
    })
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

/// Converts a stored 0/1 flag.
pub(crate) fn flag(value: i64) -> bool {
    value != 0
}

/// Whether `conn` is PostgreSQL: the few statements that are written once per database (the
/// one-round-trip batches) choose their form by it.
pub(crate) fn is_postgres(conn: &Conn) -> bool {
    conn.backend_name().eq_ignore_ascii_case("postgresql")
}

/// Shorthand for the executor every store function takes.
pub type Conn = AnyConnection;

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
