-- An app's own host, where its hosted pages, configuration and issuer are served; one app per
-- host.
alter table apps add column domain text;
create unique index apps_domain on apps (domain);
