-- On SQLite, which one process serves, ceremonies wait in the server's memory and this table
-- stays empty; PostgreSQL's 0008 makes it unlogged. Kept in step with the PostgreSQL migrations.
select 1;
