-- Server access tokens of the PlainKey-compatible API (`/compat/plainkey`): a backend trades an
-- app's API key for one, then sends it with every call for 60 minutes. The same text runs on
-- SQLite and PostgreSQL: the hash is hex text and `bigint` has integer affinity in SQLite.
create table compat_server_tokens (
    token_hash text primary key,          -- hex SHA-256 of the token; the token is never stored
    app_id text not null references apps(id) on delete cascade,
    api_key_id text not null references api_keys(id) on delete cascade, -- the key it was traded for: revoking that key ends the token
    created_at bigint not null,
    expires_at bigint not null            -- created_at + 3600
);
create index compat_server_tokens_expiry on compat_server_tokens (expires_at);
