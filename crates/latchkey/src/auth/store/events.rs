//! The audit log: one row per security-relevant action.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Conn, Result, from_json, to_json};
use crate::auth::events::{Event, EventFilter};
use crate::auth::{AppId, UserId};

fn from_row(row: &AnyRow) -> Result<Event> {
    Ok(Event {
        id: row.try_get("id")?,
        app_id: AppId::from(row.try_get::<String, _>("app_id")?),
        kind: row.try_get("type")?,
        user_id: row
            .try_get::<Option<String>, _>("user_id")?
            .map(UserId::from),
        ip: row.try_get("ip")?,
        user_agent: row.try_get("user_agent")?,
        data: from_json(&row.try_get::<String, _>("data")?),
        created_at: row.try_get("created_at")?,
    })
}

pub async fn insert_event(conn: &mut Conn, e: &Event) -> Result<()> {
    sqlx::query(
        "insert into events (id, app_id, type, user_id, ip, user_agent, data, created_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&e.id)
    .bind(e.app_id.as_str())
    .bind(&e.kind)
    .bind(e.user_id.as_ref().map(UserId::as_str))
    .bind(&e.ip)
    .bind(&e.user_agent)
    .bind(to_json(&e.data))
    .bind(e.created_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// A page of the app's events, newest first, before `cursor` (an event id).
pub async fn list_events(
    conn: &mut Conn,
    app_id: &AppId,
    filter: &EventFilter,
    limit: i64,
) -> Result<Vec<Event>> {
    let rows = sqlx::query(
        "select id, app_id, type, user_id, ip, user_agent, data, created_at from events \
         where app_id = $1 and ($2 is null or id < $2) and ($3 is null or user_id = $3) \
         and ($4 is null or type = $4) order by id desc limit $5",
    )
    .bind(app_id.as_str())
    .bind(filter.cursor.as_deref())
    .bind(filter.user_id.as_ref().map(UserId::as_str))
    .bind(filter.kind.map(|k| k.as_str()))
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter().map(from_row).collect()
}
