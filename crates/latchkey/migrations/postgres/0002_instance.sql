-- Facts about the instance itself, shared by every server process on this database.
create table instance_settings (
    name text primary key,
    -- 'master_key_check': a value sealed under the master key, so a process started with a
    -- different master key refuses to start instead of failing on every signing key it reads.
    value bytea not null
);
