-- A session's active organization (at most one): its tokens carry the organization's roles
-- for the member. Whether the user is still a member is checked wherever it is read. An
-- authorization code carries the browser session's, for the grant session it makes.
alter table sessions add column org_id text;
alter table oauth_codes add column org_id text;
create index sessions_by_org on sessions (app_id, org_id) where org_id is not null;

-- Invitations to join an organization: an email with a single-use link, accepted by whoever
-- signs in with the invited address. Only the link token's hash is kept.
create table invitations (
    id text primary key,
    app_id text not null,
    org_id text not null,
    email text not null,
    email_lower text not null,
    roles text not null,                  -- JSON array of role keys
    token_hash blob not null unique,
    created_at bigint not null,
    expires_at bigint not null,
    accepted_at bigint,
    accepted_by text,
    foreign key (app_id, org_id) references organizations (app_id, org_id) on delete cascade
);
create index invitations_by_org on invitations (app_id, org_id, created_at);
create index invitations_by_expiry on invitations (expires_at);

-- Each role's permission keys, space-separated, kept with its permission list: what the
-- holders' access_roles below are made from.
alter table roles add column permission_keys text not null default '';
update roles set permission_keys = coalesce((select group_concat(rp.permission_key, ' ') from role_permissions rp
    where rp.app_id = roles.app_id and rp.role_key = roles.role_key), '');

-- What a session read takes a user's roles from, with no lookup of its own: each user's
-- app-wide roles and each membership's organization roles, with their permissions, as
-- `role=permission permission…` joined by `;` (null for none). Written with the roles they
-- come from, and again for every holder when a role's permissions change or a role or a
-- permission is deleted.
alter table users add column access_roles text;
alter table memberships add column access_roles text;
update users set access_roles = (select group_concat(ar.role_key || '=' || ro.permission_keys, ';')
    from user_roles ar join roles ro on ro.app_id = ar.app_id and ro.role_key = ar.role_key
    where ar.app_id = users.app_id and ar.user_id = users.id);
update memberships set access_roles = (select group_concat(ar.role_key || '=' || ro.permission_keys, ';')
    from member_roles ar join roles ro on ro.app_id = ar.app_id and ro.role_key = ar.role_key
    where ar.app_id = memberships.app_id and ar.org_id = memberships.org_id
    and ar.user_id = memberships.user_id);
