-- Ceremonies live five minutes and are consumed once: they need no write-ahead log. Unlogged, an
-- options call's insert and its answer's delete cost no WAL; after a crash PostgreSQL empties the
-- table, so in-flight ceremonies are refused (as expired) and started again, never replayed.
alter table ceremonies set unlogged;
