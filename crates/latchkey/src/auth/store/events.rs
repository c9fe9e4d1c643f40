//! The audit log: one row per security-relevant action.

use super::db::{Conn, Row, params};
use super::{Result, from_json, to_json};
use crate::auth::events::{Event, EventFilter};
use crate::auth::{AppId, UserId};

fn from_row(row: &Row<'_>) -> Result<Event> {
    Ok(Event {
        id: row.get("id")?,
        app_id: AppId::from(row.get::<String>("app_id")?),
        kind: row.get("type")?,
        user_id: row.get::<Option<String>>("user_id")?.map(UserId::from),
        ip: row.get("ip")?,
        user_agent: row.get("user_agent")?,
        data: from_json(&row.get::<String>("data")?),
        created_at: row.get("created_at")?,
    })
}

pub async fn insert_event(conn: &mut Conn<'_>, e: &Event) -> Result<()> {
    let data = to_json(&e.data);
    conn.execute(
        "insert into events (id, app_id, type, user_id, ip, user_agent, data, created_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8)",
        params![
            &e.id,
            e.app_id.as_str(),
            &e.kind,
            e.user_id.as_ref().map(UserId::as_str),
            &e.ip,
            &e.user_agent,
            &data,
            e.created_at,
        ],
    )
    .await?;
    Ok(())
}

/// A page of the app's events, newest first, before the filter's cursor (an event id).
pub async fn list_events(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    filter: &EventFilter,
    limit: i64,
) -> Result<Vec<Event>> {
    conn.all(
        "select id, app_id, type, user_id, ip, user_agent, data, created_at from events \
         where app_id = $1 and ($2 is null or id < $2) and ($3 is null or user_id = $3) \
         and ($4 is null or type = $4) order by id desc limit $5",
        params![
            app_id.as_str(),
            filter.cursor.as_deref(),
            filter.user_id.as_ref().map(UserId::as_str),
            filter.kind.map(|k| k.as_str()),
            limit,
        ],
        from_row,
    )
    .await
}

/// Deletes up to `batch` events recorded before `before`; returns how many.
pub async fn delete_older(conn: &mut Conn<'_>, before: i64, batch: i64) -> Result<u64> {
    conn.execute(
        "delete from events where id in \
         (select id from events where created_at < $1 limit $2)",
        params![before, batch],
    )
    .await
}
