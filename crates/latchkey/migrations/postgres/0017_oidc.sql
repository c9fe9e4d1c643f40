-- The OpenID Provider's state. A grant (a code exchanged by an OAuth client) is a session of its
-- own, marked with its client and the scopes granted; every session records when its user last
-- proved themselves (auth_time; null on rows older than this column: their created_at).
alter table sessions add column client_id text;
alter table sessions add column scope text;
alter table sessions add column auth_time bigint;
alter table sessions add column dpop_jkt text;              -- a public client's grant: the DPoP key its refresh tokens are bound to
create index sessions_by_client on sessions (app_id, client_id) where client_id is not null;

-- Authorization codes: single use, 60 seconds, stored as the SHA-256 of the code. A second
-- exchange finds used_at set and revokes the session the first one made (grant_session_id).
create table oauth_codes (
    code_hash bytea primary key,
    app_id text not null references apps(id) on delete cascade,
    client_id text not null,
    user_id text not null,
    redirect_uri text not null,
    scope text not null,                  -- the granted scopes, space-separated
    nonce text,
    code_challenge text,                  -- PKCE S256 challenge, when the request sent one
    auth_time bigint not null,
    amr text not null,                    -- JSON array, from the browser session
    dpop_jkt text,                        -- the DPoP key the authorization request bound the code to
    created_at bigint not null,
    expires_at bigint not null,
    used_at bigint,
    grant_session_id text
);
create index oauth_codes_expiry on oauth_codes (expires_at);

-- What a user agreed a client may have: a request within these scopes asks no consent again.
create table oauth_consents (
    app_id text not null references apps(id) on delete cascade,
    user_id text not null,
    client_id text not null,
    scope text not null,                  -- space-separated
    created_at bigint not null,
    updated_at bigint not null,
    primary key (app_id, user_id, client_id)
);

-- The app's OpenID Provider takes only pushed authorization requests (PAR).
alter table apps add column require_par bigint not null default 0;

-- DPoP proofs seen (by the SHA-256 of their key's thumbprint and jti), until they could no
-- longer be accepted: a proof presented twice is a replay. Logged, so a failover keeps it.
create table dpop_proofs (
    jti_hash bytea primary key,
    expires_at bigint not null
);
create index dpop_proofs_expiry on dpop_proofs (expires_at);

-- An app may hold one active signing key per algorithm: its own, and one an OAuth client asks
-- its id_tokens to be signed with (id_token_signed_response_alg).
drop index signing_keys_active;
create unique index signing_keys_active on signing_keys (app_id, alg) where active = 1;
alter table oauth_clients add column id_token_signed_response_alg text;   -- null: the app's algorithm

-- The cap a sign-in enforces counts browser sessions only (grants have a cap per client).
drop index sessions_live_by_user;
create index sessions_live_by_user on sessions (app_id, user_id, created_at, id, expires_at)
    where revoked_at is null and client_id is null;
