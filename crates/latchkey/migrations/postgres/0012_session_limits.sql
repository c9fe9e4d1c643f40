-- A user's active sessions, newest first, for the cap a sign-in enforces: the index alone
-- answers it (expiry included), however many ended sessions the user has.
create index sessions_live_by_user on sessions (app_id, user_id, created_at, id, expires_at)
    where revoked_at is null;
-- What the sweep deletes by: sessions a day after they were revoked.
create index sessions_revoked on sessions (revoked_at) where revoked_at is not null;
