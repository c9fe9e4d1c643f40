//! OAuth clients, their secrets stored as SHA-256 hashes.

use super::db::{Conn, Row, params};
use super::{Result, from_json, parse, to_json};
use crate::auth::AppId;
use crate::auth::oauth_clients::OAuthClient;

/// The columns but the secret's hash, `created_at` last: an update writes all but that one.
macro_rules! columns {
    () => {
        "client_id, app_id, name, client_type, redirect_uris, post_logout_redirect_uris, \
         grant_types, scopes, skip_consent, token_endpoint_auth_method, secret_prefix, \
         id_token_signed_response_alg, updated_at"
    };
}

fn from_row(row: &Row<'_>) -> Result<OAuthClient> {
    Ok(OAuthClient {
        client_id: row.get("client_id")?,
        app_id: AppId::from(row.get::<String>("app_id")?),
        name: row.get("name")?,
        client_type: parse(&row.get::<String>("client_type")?)?,
        redirect_uris: from_json(&row.get::<String>("redirect_uris")?),
        post_logout_redirect_uris: from_json(&row.get::<String>("post_logout_redirect_uris")?),
        grant_types: from_json(&row.get::<String>("grant_types")?),
        scopes: from_json(&row.get::<String>("scopes")?),
        skip_consent: row.get("skip_consent")?,
        token_endpoint_auth_method: parse(&row.get::<String>("token_endpoint_auth_method")?)?,
        secret_prefix: row.get("secret_prefix")?,
        id_token_signed_response_alg: row
            .get::<Option<String>>("id_token_signed_response_alg")?
            .map(|a| parse(&a))
            .transpose()?,
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
    })
}

pub async fn insert_client(
    conn: &mut Conn<'_>,
    client: &OAuthClient,
    secret_hash: Option<&[u8]>,
) -> Result<()> {
    const SQL: &str = concat!(
        "insert into oauth_clients (",
        columns!(),
        ", created_at, secret_hash) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, \
         $13, $14, $15)"
    );
    write_client(conn, client, SQL, Some(secret_hash)).await
}

/// Writes the settings of `client` back: not its id, app, type or secret, which never change
/// here (a rotation running beside this update keeps its new secret's prefix).
pub async fn update_client(conn: &mut Conn<'_>, client: &OAuthClient) -> Result<()> {
    const SQL: &str = "update oauth_clients set (name, redirect_uris, \
        post_logout_redirect_uris, grant_types, scopes, skip_consent, \
        token_endpoint_auth_method, id_token_signed_response_alg, updated_at) = \
        ($3, $5, $6, $7, $8, $9, $10, $12, $13) \
        where client_id = $1 and app_id = $2";
    write_client(conn, client, SQL, None).await
}

/// Runs `sql`, whose parameters are the client's columns in order, then `created_at` and the
/// secret's hash when `new` holds it (an insert).
async fn write_client(
    conn: &mut Conn<'_>,
    client: &OAuthClient,
    sql: &str,
    new: Option<Option<&[u8]>>,
) -> Result<()> {
    let (redirect_uris, post_logout, grant_types, scopes) = (
        to_json(&client.redirect_uris),
        to_json(&client.post_logout_redirect_uris),
        to_json(&client.grant_types),
        to_json(&client.scopes),
    );
    let secret_hash = new.flatten();
    let params = params![
        &client.client_id,
        client.app_id.as_str(),
        &client.name,
        client.client_type.as_str(),
        &redirect_uris,
        &post_logout,
        &grant_types,
        &scopes,
        client.skip_consent,
        client.token_endpoint_auth_method.as_str(),
        &client.secret_prefix,
        client.id_token_signed_response_alg.map(|a| a.as_str()),
        client.updated_at,
        client.created_at,
        secret_hash,
    ];
    let params = if new.is_some() {
        &params[..]
    } else {
        &params[..params.len() - 2]
    };
    conn.execute(sql, params).await?;
    Ok(())
}

/// The app's client `client_id`.
pub async fn find_client(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    client_id: &str,
) -> Result<Option<OAuthClient>> {
    const SQL: &str = concat!(
        "select ",
        columns!(),
        ", created_at from oauth_clients where app_id = $1 and client_id = $2"
    );
    conn.optional(SQL, params![app_id.as_str(), client_id], from_row)
        .await
}

/// The app's clients ordered by id, after `cursor` (a client id), at most `limit`.
pub async fn list_clients(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    cursor: Option<&str>,
    limit: i64,
) -> Result<Vec<OAuthClient>> {
    const SQL: &str = concat!(
        "select ",
        columns!(),
        ", created_at from oauth_clients where app_id = $1 and client_id > $2 \
         order by client_id limit $3"
    );
    conn.all(
        SQL,
        params![app_id.as_str(), cursor.unwrap_or(""), limit],
        from_row,
    )
    .await
}

/// Replaces the client's secret (its hash and shown prefix).
pub async fn set_secret(
    conn: &mut Conn<'_>,
    client: &OAuthClient,
    secret_hash: &[u8],
) -> Result<()> {
    conn.execute(
        "update oauth_clients set secret_hash = $2, secret_prefix = $3, updated_at = $4 \
         where client_id = $1",
        params![
            &client.client_id,
            secret_hash,
            &client.secret_prefix,
            client.updated_at
        ],
    )
    .await?;
    Ok(())
}

pub async fn delete_client(conn: &mut Conn<'_>, app_id: &AppId, client_id: &str) -> Result<()> {
    conn.execute(
        "delete from oauth_clients where app_id = $1 and client_id = $2",
        params![app_id.as_str(), client_id],
    )
    .await?;
    Ok(())
}
