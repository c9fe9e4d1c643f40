-- New accounts come only from an email code (a passkey is added once signed in), so that
-- passkey sign-up answers the same for every address.
alter table apps add column sign_up_email_first integer not null default 0;
