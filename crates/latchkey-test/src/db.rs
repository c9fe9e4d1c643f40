//! The database of one test: a SQLite file in a fresh temporary directory, or a fresh
//! PostgreSQL database when `LATCHKEY_TEST_DATABASE_URL` is set; either is gone when the
//! [`TestDb`] drops.
//!
//! Tests read it directly only to check what the server stored (row counts, a column the API
//! does not show, a [`TestDb::snapshot`] proving a refused request changed nothing). To make time
//! pass they move the server's clock ([`crate::TestApp::advance`]), never rewrite rows.

use std::path::PathBuf;

use sqlx::{Connection, Row};

/// The environment variable that switches every suite to PostgreSQL: the URL of a server where
/// its user may create databases (the database in the URL is only used to create and drop
/// them).
pub const DATABASE_URL_VAR: &str = "LATCHKEY_TEST_DATABASE_URL";

/// The tables that hold user state, counted by [`TestDb::snapshot`].
const SNAPSHOT_TABLES: [&str; 8] = [
    "users",
    "passkeys",
    "sessions",
    "refresh_tokens",
    "auth_tokens",
    "ceremonies",
    "api_keys",
    "apps",
];

/// A database for one test (see the module docs).
pub struct TestDb {
    /// The URL a server is given (`LATCHKEY_DATABASE_URL`).
    pub url: String,
    /// A fresh temporary directory: the server's data dir (master key, outbox, SQLite file, log).
    pub data_dir: PathBuf,
    /// The PostgreSQL server's URL and this test's database name, to drop it at the end.
    postgres: Option<(String, String)>,
}

impl TestDb {
    /// A fresh, empty database (no tables: the server migrates it when it starts).
    pub async fn new() -> Self {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let data_dir = std::env::temp_dir().join(format!("latchkey-test-{id}"));
        std::fs::create_dir_all(&data_dir).expect("create the test's data dir");
        match std::env::var(DATABASE_URL_VAR)
            .ok()
            .filter(|u| !u.is_empty())
        {
            Some(base) => {
                let name = format!("latchkey_test_{id}");
                let mut conn = sqlx::PgConnection::connect(&base)
                    .await
                    .unwrap_or_else(|e| panic!("{DATABASE_URL_VAR}={base} is not reachable: {e}"));
                sqlx::query(&format!("create database {name}"))
                    .execute(&mut conn)
                    .await
                    .expect("create the test database");
                let mut url = url::Url::parse(&base)
                    .unwrap_or_else(|e| panic!("{DATABASE_URL_VAR} is not a URL: {e}"));
                url.set_path(&name);
                Self {
                    url: url.to_string(),
                    data_dir,
                    postgres: Some((base, name)),
                }
            }
            None => Self {
                url: format!(
                    "sqlite://{}?mode=rwc",
                    data_dir.join("latchkey.db").display()
                ),
                data_dir,
                postgres: None,
            },
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.postgres.is_some()
    }

    /// A direct connection, for checking what the server stored.
    pub async fn connect(&self) -> sqlx::AnyConnection {
        sqlx::any::install_default_drivers();
        sqlx::AnyConnection::connect(&self.url)
            .await
            .expect("connect to the test database")
    }

    /// Rows in `table`.
    pub async fn count(&self, table: &str) -> i64 {
        let mut conn = self.connect().await;
        sqlx::query(&format!("select count(*) as n from {table}"))
            .fetch_one(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("count the rows of {table}: {e}"))
            .try_get::<i64, _>("n")
            .expect("the count column")
    }

    /// Row counts of every table that holds user state, to show a refused request changed
    /// nothing.
    pub async fn snapshot(&self) -> Vec<(String, i64)> {
        let mut out = Vec::new();
        for table in SNAPSHOT_TABLES {
            out.push((table.to_owned(), self.count(table).await));
        }
        out
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.data_dir);
        if let Some((base, name)) = self.postgres.take() {
            // Drop may run inside a runtime we must not block: use a thread of its own.
            let _ = std::thread::spawn(move || {
                let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                else {
                    return;
                };
                rt.block_on(async {
                    if let Ok(mut conn) = sqlx::PgConnection::connect(&base).await {
                        let _ =
                            sqlx::query(&format!("drop database if exists {name} with (force)"))
                                .execute(&mut conn)
                                .await;
                    }
                });
            })
            .join();
        }
    }
}
