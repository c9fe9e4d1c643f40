-- Multi-factor authentication: the app's policy, each user's second factors, their backup codes,
-- and the sign-ins waiting for a second factor.
alter table apps add column mfa text not null default 'optional';   -- 'off' | 'optional' | 'required'

-- Authenticator-app (TOTP, RFC 6238) factors. The secret is sealed under the master key (bound to
-- the factor's id); verified_at is null while the factor is pending (enrolled, no code seen yet).
-- last_step is the last 30-second step a code was accepted for: a code is accepted once.
create table mfa_factors (
    id text primary key,
    app_id text not null references apps(id) on delete cascade,
    user_id text not null references users(id) on delete cascade,
    kind text not null,                   -- 'totp'
    name text not null,
    secret bytea not null,
    created_at bigint not null,
    verified_at bigint,
    last_used_at bigint,
    last_step bigint
);
create index mfa_factors_by_user on mfa_factors (app_id, user_id);

-- Backup codes: keyed hashes (HMAC under the master key, bound to the user), single use.
create table backup_codes (
    app_id text not null references apps(id) on delete cascade,
    user_id text not null references users(id) on delete cascade,
    code_hash bytea not null,
    created_at bigint not null,
    used_at bigint,
    primary key (app_id, user_id, code_hash)
);

-- A sign-in whose first factor held, waiting for the second: found by the SHA-256 of its
-- mfa_token, five minutes, single use, dead after five wrong codes.
create table mfa_challenges (
    id text primary key,
    token_hash bytea not null unique,
    app_id text not null references apps(id) on delete cascade,
    user_id text not null references users(id) on delete cascade,
    method text not null,                 -- the first factor's sign-in method
    amr text not null,                    -- JSON array: what the first factor proved
    attempts bigint not null,
    created_at bigint not null,
    expires_at bigint not null,
    used_at bigint
);
create index mfa_challenges_expiry on mfa_challenges (expires_at);

-- A passkey assertion that is a sign-in's second factor names the challenge it completes.
alter table ceremonies add column mfa_challenge text;
