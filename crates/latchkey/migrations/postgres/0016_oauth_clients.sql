-- OAuth clients of each app's OpenID Provider. A confidential client's secret is stored only as
-- its SHA-256; lists (URIs, grants, scopes) are JSON text.
create table oauth_clients (
    client_id text primary key,
    app_id text not null references apps(id) on delete cascade,
    name text not null,
    client_type text not null,            -- confidential | public
    redirect_uris text not null,
    post_logout_redirect_uris text not null,
    grant_types text not null,
    scopes text not null,
    skip_consent bigint not null,
    token_endpoint_auth_method text not null,
    secret_hash bytea,                      -- null for a public client
    secret_prefix text,                   -- the first characters of the secret, shown to tell secrets apart
    created_at bigint not null,
    updated_at bigint not null
);
create index oauth_clients_by_app on oauth_clients (app_id, client_id);
