-- Organizations per app (an app's customers), their members and the members' organization
-- roles. Deleting an organization takes its memberships and their roles with it; deleting a
-- user, their memberships; deleting a role, every member's holding of it.
create table organizations (
    app_id text not null references apps(id) on delete cascade,
    org_id text not null,                 -- a slug, [a-z0-9][a-z0-9-]{0,62}
    name text not null,
    name_lower text not null,             -- for search
    domains text not null,                -- JSON array of lower-cased email domains
    metadata text not null,               -- JSON object owned by the app
    created_at integer not null,
    updated_at integer not null,
    primary key (app_id, org_id)
);

create table memberships (
    app_id text not null,
    org_id text not null,
    user_id text not null references users(id) on delete cascade,
    created_at integer not null,
    primary key (app_id, org_id, user_id),
    foreign key (app_id, org_id) references organizations (app_id, org_id) on delete cascade
);
create index memberships_by_user on memberships (app_id, user_id);

create table member_roles (
    app_id text not null,
    org_id text not null,
    user_id text not null,
    role_key text not null,
    primary key (app_id, org_id, user_id, role_key),
    foreign key (app_id, org_id, user_id) references memberships (app_id, org_id, user_id) on delete cascade,
    foreign key (app_id, role_key) references roles (app_id, role_key) on delete cascade
);
