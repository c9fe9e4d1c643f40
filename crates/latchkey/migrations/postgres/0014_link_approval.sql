-- A magic link opened on another device than the one that asked can be confirmed there; the
-- asking browser, polling with its link-binding cookie, then signs in.
alter table email_codes add column approved_at bigint;
create index email_codes_binding on email_codes (binding_hash) where binding_hash is not null;
-- Whether a magic link opened on another device may be confirmed there for the one that asked.
alter table apps add column cross_device_links bigint not null default 0;
