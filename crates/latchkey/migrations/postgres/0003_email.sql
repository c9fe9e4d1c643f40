-- Email one-time codes and magic links, request throttling, and the app settings for them.

alter table apps add column magic_link_binding bigint not null default 1;      -- links work only in the requesting browser
alter table apps add column unknown_email_sign_up bigint not null default 1;   -- sign_in to an unknown address sends a sign-up email
alter table apps add column email_templates text not null default '{}';   -- JSON: per-purpose subject/text/html overrides

create table email_codes (
    id text primary key,
    app_id text not null references apps(id) on delete cascade,
    email text not null,                  -- as the requester typed it
    email_lower text not null,
    purpose text not null,                -- 'sign_in' | 'sign_up' | 'verify_email'
    user_id text,                         -- verify_email: the signed-in user who asked
    code_hash bytea not null,             -- HMAC of the 6-digit code under a key derived from the master key
    token_hash bytea not null unique,     -- SHA-256 of the magic-link token
    binding_hash bytea,                -- SHA-256 of the browser-binding cookie, when links are bound
    attempts bigint not null,                 -- wrong codes so far; 5 kill the code
    created_at bigint not null,
    expires_at bigint not null,
    used_at bigint,                           -- redeemed
    replaced_at bigint                        -- superseded by a newer request for the same address
);
create index email_codes_address on email_codes (app_id, email_lower);

-- Sliding-window throttling: one row per counted request, per key (e.g. an address or an IP).
create table rate_events (
    key text not null,
    at bigint not null
);
create index rate_events_key on rate_events (key, at);

-- One row per throttled key, updated to serialize concurrent checks of that key.
create table rate_keys (
    key text primary key,
    touched_at bigint not null
);
