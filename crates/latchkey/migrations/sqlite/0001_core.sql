-- Core schema: apps, keys, users, passkeys, ceremonies, sessions, tokens, signing keys, events.
-- Timestamps are integer seconds since the Unix epoch; flags are 0/1 integers; lists and free-form
-- objects are JSON text. Kept in step with ../postgres/0001_core.sql.

create table apps (
    id text primary key,
    name text not null,
    rp_id text not null,
    rp_name text not null,
    origins text not null,                -- JSON array of exact web origins
    redirect_uris text not null,          -- JSON array of allowed post-sign-in redirect URIs
    access_token_ttl integer not null,    -- seconds
    refresh_token_ttl integer not null,   -- seconds, sliding: renewed on every refresh
    user_verification text not null,      -- 'preferred' | 'required'
    sign_up_allowed integer not null,
    signing_alg text not null,            -- 'ES256' | 'EdDSA' | 'RS256'
    created_at integer not null,
    updated_at integer not null
);

create table api_keys (
    id text primary key,
    app_id text references apps(id) on delete cascade, -- null: an instance admin key
    name text not null,
    prefix text not null,                 -- the first characters, shown to tell keys apart
    secret_hash blob not null unique,     -- SHA-256 of the secret; the secret is never stored
    created_at integer not null,
    last_used_at integer,
    revoked_at integer
);

create table users (
    id text primary key,                  -- UUIDv7; its 16 bytes are the WebAuthn user handle
    app_id text not null references apps(id) on delete cascade,
    email text,
    email_lower text,                     -- lower-cased, for unique lookup per app
    email_verified integer not null,
    given_name text,
    family_name text,
    display_name text,
    metadata text not null,               -- JSON object owned by the app
    disabled integer not null,
    created_at integer not null,
    updated_at integer not null,
    last_sign_in_at integer
);
create unique index users_app_email on users (app_id, email_lower);

create table passkeys (
    app_id text not null references apps(id) on delete cascade,
    id text not null,                     -- credential id, base64url
    user_id text not null references users(id) on delete cascade,
    name text not null,
    aaguid text not null,
    transports text not null,             -- JSON array
    backup_eligible integer not null,
    backup_state integer not null,
    user_verified integer not null,
    sign_count integer not null,
    static_state blob not null,           -- webauthn_rp StaticState (public key, extensions)
    dynamic_state blob not null,          -- webauthn_rp DynamicState (flags, counter), rewritten per use
    created_at integer not null,
    last_used_at integer,
    primary key (app_id, id)
);
create index passkeys_user on passkeys (user_id);

create table ceremonies (
    challenge text primary key,           -- base64url of the WebAuthn challenge
    app_id text not null references apps(id) on delete cascade,
    kind text not null,                   -- 'register' | 'authenticate' | 'authenticate_allow'
    user_id text,                         -- register: the user the passkey will belong to
    session_id text,                      -- register from a signed-in session: that session
    email text,                           -- sign-up: the address being claimed
    display_name text,
    state blob not null,                  -- webauthn_rp server state, encoded
    expires_at integer not null
);
create index ceremonies_expiry on ceremonies (expires_at);

create table sessions (
    id text primary key,
    app_id text not null references apps(id) on delete cascade,
    user_id text not null references users(id) on delete cascade,
    amr text not null,                    -- JSON array of authentication methods
    cookie_hash blob not null unique,     -- SHA-256 of the browser session cookie value
    ip text,
    user_agent text,
    created_at integer not null,
    last_seen_at integer not null,
    expires_at integer not null,          -- sliding: pushed forward on refresh
    revoked_at integer,
    revoke_reason text
);
create index sessions_user on sessions (user_id);

create table refresh_tokens (
    token_hash blob primary key,          -- SHA-256 of the refresh token
    session_id text not null references sessions(id) on delete cascade,
    created_at integer not null,
    rotated_at integer                    -- set once used; presenting it again is reuse
);
create index refresh_tokens_session on refresh_tokens (session_id);

create table auth_tokens (
    token_hash blob primary key,          -- SHA-256 of the single-use auth token
    app_id text not null references apps(id) on delete cascade,
    session_id text not null references sessions(id) on delete cascade,
    expires_at integer not null,
    used_at integer
);

create table signing_keys (
    kid text primary key,
    app_id text not null references apps(id) on delete cascade,
    alg text not null,
    private_key blob not null,            -- PKCS#8 (RSA: PKCS#1) DER sealed under the master key
    public_jwk text not null,             -- JSON Web Key of the public half
    active integer not null,              -- 1 for the key that signs; 0 for retired keys still published
    created_at integer not null,
    retired_at integer
);
create unique index signing_keys_active on signing_keys (app_id) where active = 1;

create table events (
    id text primary key,                  -- UUIDv7: sorts by time
    app_id text not null references apps(id) on delete cascade,
    type text not null,
    user_id text,
    ip text,
    user_agent text,
    data text not null,                   -- JSON object
    created_at integer not null
);
create index events_app on events (app_id, id);
