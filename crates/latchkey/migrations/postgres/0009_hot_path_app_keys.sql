-- Every row a sign-in writes used to check its app_id against apps: a KEY SHARE lock on the one
-- row of the app, taken by every concurrent sign-in of that app (PostgreSQL then records the
-- lockers as a multixact on that row), for integrity the other keys already give. Sessions
-- belong to their user, auth tokens to their session, and deleting an app deletes its
-- ceremonies, sessions, auth tokens and events explicitly (the store's delete_app), so these
-- four checks go; every other reference stays.
alter table sessions drop constraint sessions_app_id_fkey;
alter table auth_tokens drop constraint auth_tokens_app_id_fkey;
alter table events drop constraint events_app_id_fkey;
alter table ceremonies drop constraint ceremonies_app_id_fkey;
