-- A user's unrevoked sessions, newest first, for the cap a sign-in enforces: the index alone
-- answers it, however many ended sessions the user has.
create index sessions_live_by_user on sessions (app_id, user_id, created_at, id)
    where revoked_at is null;
-- What the sweep deletes by: sessions a day after they were revoked, refresh tokens a day after
-- they were spent.
create index sessions_revoked on sessions (revoked_at) where revoked_at is not null;
create index refresh_tokens_rotated on refresh_tokens (rotated_at) where rotated_at is not null;
