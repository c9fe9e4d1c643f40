//! One connection type over both databases, so that every store function is written once: one
//! SQL text, its parameters, and how a row becomes a type.
//!
//! A [`Conn`] is SQLite through `rusqlite` (synchronous: the call does its work where it is
//! made, on the writer thread inside a write, inline for a read) or PostgreSQL through `sqlx`
//! (awaited: network-bound). Parameters are written `$1`, `$2`, … in both; SQLite binds them by
//! those names. Statements are prepared once per SQLite connection and cached.

use std::future::Future;
use std::pin::Pin;

use sqlx::Row as _;
use sqlx::postgres::{PgArguments, PgRow};

use super::postgres::Pooled;
use super::{Result, StoreError};

/// A boxed future that can move between threads: what a unit of work returns.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A connection of either database, borrowed for one unit of work or one read.
pub enum Conn<'c> {
    /// Mutable, though SQLite calls need only `&`: a `&mut` can move between threads with the
    /// unit or read it belongs to (a connection is `Send`, not `Sync`).
    Sqlite(&'c mut rusqlite::Connection),
    Postgres(&'c mut Pooled),
    /// A PostgreSQL connection outside a transaction, for one statement (atomic by itself):
    /// taken by the first statement, so that a second one fails rather than commit apart.
    PostgresOnce(Option<&'c mut Pooled>),
}

/// A statement parameter: an integer, a text or a blob, each possibly null (the type travels
/// with the null, as PostgreSQL wants).
#[derive(Clone, Copy, Debug)]
pub enum Param<'a> {
    Int(Option<i64>),
    Text(Option<&'a str>),
    Blob(Option<&'a [u8]>),
}

impl From<i64> for Param<'_> {
    fn from(v: i64) -> Self {
        Self::Int(Some(v))
    }
}

impl From<Option<i64>> for Param<'_> {
    fn from(v: Option<i64>) -> Self {
        Self::Int(v)
    }
}

impl From<Option<bool>> for Param<'_> {
    fn from(v: Option<bool>) -> Self {
        Self::Int(v.map(i64::from))
    }
}

impl<'a> From<Option<&'a [u8]>> for Param<'a> {
    fn from(v: Option<&'a [u8]>) -> Self {
        Self::Blob(v)
    }
}

impl From<bool> for Param<'_> {
    /// Flags are stored as 0 and 1 in both databases.
    fn from(v: bool) -> Self {
        Self::Int(Some(i64::from(v)))
    }
}

impl<'a> From<&'a str> for Param<'a> {
    fn from(v: &'a str) -> Self {
        Self::Text(Some(v))
    }
}

impl<'a> From<&'a String> for Param<'a> {
    fn from(v: &'a String) -> Self {
        Self::Text(Some(v))
    }
}

impl<'a> From<Option<&'a str>> for Param<'a> {
    fn from(v: Option<&'a str>) -> Self {
        Self::Text(v)
    }
}

impl<'a> From<&'a Option<String>> for Param<'a> {
    fn from(v: &'a Option<String>) -> Self {
        Self::Text(v.as_deref())
    }
}

impl<'a> From<&'a [u8]> for Param<'a> {
    fn from(v: &'a [u8]) -> Self {
        Self::Blob(Some(v))
    }
}

impl<'a> From<&'a Vec<u8>> for Param<'a> {
    fn from(v: &'a Vec<u8>) -> Self {
        Self::Blob(Some(v))
    }
}

impl<'a> From<&'a Option<Vec<u8>>> for Param<'a> {
    fn from(v: &'a Option<Vec<u8>>) -> Self {
        Self::Blob(v.as_deref())
    }
}

/// `params![a, b, …]`: the parameters `$1`, `$2`, … of a statement.
macro_rules! params {
    ($($p:expr),* $(,)?) => {
        &[$($crate::auth::store::db::Param::from($p)),*]
    };
}
pub(crate) use params;

/// A row of a result, read by column name.
pub enum Row<'r> {
    Sqlite(SqliteRow<'r>),
    Postgres(&'r PgRow),
}

impl Row<'_> {
    /// The value of column `name`.
    pub fn get<T: Column>(&self, name: &str) -> Result<T> {
        match self {
            Self::Sqlite(row) => T::from_sqlite(row.row, row.index(name)?),
            Self::Postgres(row) => T::from_postgres(row, name),
        }
    }
}

/// A SQLite row, with where its next column likely is. Mappers read columns mostly in the
/// order the query names them, so a lookup by name first tries the column after the last one
/// read: one name comparison, where rusqlite's own lookup compares every column's name up to
/// the one asked for (a session read with its user has some forty columns: about 1.5 µs of a
/// token verification's CPU went to finding them).
pub struct SqliteRow<'r> {
    row: &'r rusqlite::Row<'r>,
    next: std::cell::Cell<usize>,
}

impl<'r> SqliteRow<'r> {
    fn new(row: &'r rusqlite::Row<'r>) -> Self {
        Self {
            row,
            next: std::cell::Cell::new(0),
        }
    }

    /// The index of column `name`.
    fn index(&self, name: &str) -> Result<usize> {
        let statement: &rusqlite::Statement<'_> = self.row.as_ref();
        let hint = self.next.get();
        let index = if statement.column_name(hint).is_ok_and(|n| n == name) {
            hint
        } else {
            statement.column_index(name)?
        };
        self.next.set(index + 1);
        Ok(index)
    }
}

/// A type a column can be read as.
pub trait Column: Sized {
    fn from_sqlite(row: &rusqlite::Row<'_>, index: usize) -> Result<Self>;
    fn from_postgres(row: &PgRow, name: &str) -> Result<Self>;
}

macro_rules! column {
    ($($t:ty),*) => {$(
        impl Column for $t {
            fn from_sqlite(row: &rusqlite::Row<'_>, index: usize) -> Result<Self> {
                Ok(row.get(index)?)
            }

            fn from_postgres(row: &PgRow, name: &str) -> Result<Self> {
                Ok(row.try_get(name)?)
            }
        }
    )*};
}

column!(
    i64,
    Option<i64>,
    String,
    Option<String>,
    Vec<u8>,
    Option<Vec<u8>>
);

impl Column for bool {
    /// A 0/1 flag.
    fn from_sqlite(row: &rusqlite::Row<'_>, index: usize) -> Result<Self> {
        Ok(row.get::<_, i64>(index)? != 0)
    }

    fn from_postgres(row: &PgRow, name: &str) -> Result<Self> {
        Ok(row.try_get::<i64, _>(name)? != 0)
    }
}

impl Conn<'_> {
    /// Whether this is PostgreSQL: the few operations written as one round trip there (data
    /// modifying CTEs) choose their form by it.
    pub fn is_postgres(&self) -> bool {
        !matches!(self, Self::Sqlite(_))
    }

    /// The PostgreSQL connection for the next statement.
    fn postgres(&mut self) -> Result<&mut Pooled> {
        match self {
            Self::Sqlite(_) => Err(StoreError::Decode(
                "a PostgreSQL statement on SQLite".to_owned(),
            )),
            Self::Postgres(conn) => Ok(conn),
            Self::PostgresOnce(slot) => slot.take().ok_or(StoreError::SecondStatement),
        }
    }

    /// The rows of `sql`, each mapped by `map`.
    pub async fn all<T>(
        &mut self,
        sql: &str,
        params: &[Param<'_>],
        map: impl Fn(&Row<'_>) -> Result<T>,
    ) -> Result<Vec<T>> {
        match self {
            Self::Sqlite(conn) => {
                let mut statement = prepare(conn, sql, params)?;
                let mut rows = statement.raw_query();
                let mut out = Vec::new();
                while let Some(row) = rows.next()? {
                    out.push(map(&Row::Sqlite(SqliteRow::new(row)))?);
                }
                Ok(out)
            }
            _ => {
                let pg = self.postgres()?;
                let conn = pg.start()?;
                let rows = postgres_query(sql, params).fetch_all(conn).await;
                let rows = pg.done(rows)?;
                rows.iter().map(|row| map(&Row::Postgres(row))).collect()
            }
        }
    }

    /// The first row of `sql`, mapped by `map`, if there is one.
    pub async fn optional<T>(
        &mut self,
        sql: &str,
        params: &[Param<'_>],
        map: impl Fn(&Row<'_>) -> Result<T>,
    ) -> Result<Option<T>> {
        match self {
            Self::Sqlite(conn) => {
                let mut statement = prepare(conn, sql, params)?;
                let mut rows = statement.raw_query();
                match rows.next()? {
                    Some(row) => Ok(Some(map(&Row::Sqlite(SqliteRow::new(row)))?)),
                    None => Ok(None),
                }
            }
            _ => {
                let pg = self.postgres()?;
                let conn = pg.start()?;
                let row = postgres_query(sql, params).fetch_optional(conn).await;
                let row = pg.done(row)?;
                row.as_ref().map(|row| map(&Row::Postgres(row))).transpose()
            }
        }
    }

    /// Runs `sql`; returns the rows it changed.
    pub async fn execute(&mut self, sql: &str, params: &[Param<'_>]) -> Result<u64> {
        match self {
            Self::Sqlite(conn) => {
                let mut statement = prepare(conn, sql, params)?;
                Ok(statement.raw_execute()? as u64)
            }
            _ => {
                let pg = self.postgres()?;
                let conn = pg.start()?;
                let done = postgres_query(sql, params).execute(conn).await;
                Ok(pg.done(done)?.rows_affected())
            }
        }
    }
}

/// The names of the first parameters, spelled once.
const PARAMETER_NAMES: [&str; 24] = [
    "$1", "$2", "$3", "$4", "$5", "$6", "$7", "$8", "$9", "$10", "$11", "$12", "$13", "$14", "$15",
    "$16", "$17", "$18", "$19", "$20", "$21", "$22", "$23", "$24",
];

/// `sql` prepared (from the connection's cache) with `params` bound to `$1`, `$2`, …; a
/// parameter the statement does not name is not bound.
fn prepare<'c>(
    conn: &'c rusqlite::Connection,
    sql: &str,
    params: &[Param<'_>],
) -> Result<rusqlite::CachedStatement<'c>> {
    let mut statement = conn.prepare_cached(sql)?;
    for (i, param) in params.iter().enumerate() {
        let numbered;
        let name = match PARAMETER_NAMES.get(i) {
            Some(name) => *name,
            None => {
                numbered = format!("${}", i + 1);
                &numbered
            }
        };
        let Some(index) = statement.parameter_index(name)? else {
            continue;
        };
        match *param {
            Param::Int(v) => statement.raw_bind_parameter(index, v)?,
            Param::Text(v) => statement.raw_bind_parameter(index, v)?,
            Param::Blob(v) => statement.raw_bind_parameter(index, v)?,
        }
    }
    Ok(statement)
}

/// `sql` with `params` bound, for PostgreSQL.
fn postgres_query<'q>(
    sql: &'q str,
    params: &'q [Param<'q>],
) -> sqlx::query::Query<'q, sqlx::Postgres, PgArguments> {
    params
        .iter()
        .fold(sqlx::query(sql), |query, param| match *param {
            Param::Int(v) => query.bind(v),
            Param::Text(v) => query.bind(v),
            Param::Blob(v) => query.bind(v),
        })
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match &e {
            rusqlite::Error::SqliteFailure(failure, _)
                if failure.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                    || failure.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY =>
            {
                Self::Conflict
            }
            _ => Self::Sqlite(e),
        }
    }
}
