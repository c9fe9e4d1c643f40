-- PostgreSQL's 0009 drops four references to apps that cost a lock on the app's row per
-- sign-in; SQLite takes no such lock, and changing a constraint there means rebuilding the
-- table, so its schema keeps them. Kept in step with the PostgreSQL migrations.
select 1;
