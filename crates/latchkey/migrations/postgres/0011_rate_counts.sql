-- Rate limits are counted in each instance's memory and synced here every second: per limit key
-- and time slot, the requests every instance let through. Replaces the per-request rows. Unlogged:
-- a crash forgets recent counts, which only loosens limits for a moment.
drop table rate_events;
drop table rate_keys;
create unlogged table rate_counts (
    key text not null,
    slot bigint not null,
    count bigint not null,
    -- When the slot stops counting in its window.
    expires_at bigint not null,
    primary key (key, slot)
);
create index rate_counts_expiry on rate_counts (expires_at);
