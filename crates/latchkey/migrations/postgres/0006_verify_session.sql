-- A verify_email code belongs to the session that asked for it: only that session redeems it.
alter table email_codes add column session_id text;
