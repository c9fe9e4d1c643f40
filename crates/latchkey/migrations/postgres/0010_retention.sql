-- What the periodic sweep deletes by: sessions by the time they end, events by their age.
create index sessions_expiry on sessions (expires_at);
create index events_created on events (created_at);
