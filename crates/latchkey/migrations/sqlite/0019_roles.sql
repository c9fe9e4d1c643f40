-- Roles and permissions per app. A permission is a key an app checks ("invoices:read"); a role
-- is a named set of permissions; a user holds app-wide roles. Deleting a permission takes it out
-- of every role, and deleting a role takes it from every user (foreign keys, cascading).
create table permissions (
    app_id text not null references apps(id) on delete cascade,
    permission_key text not null,
    description text,
    created_at integer not null,
    updated_at integer not null,
    primary key (app_id, permission_key)
);

create table roles (
    app_id text not null references apps(id) on delete cascade,
    role_key text not null,
    name text not null,
    description text,
    created_at integer not null,
    updated_at integer not null,
    primary key (app_id, role_key)
);

create table role_permissions (
    app_id text not null,
    role_key text not null,
    permission_key text not null,
    primary key (app_id, role_key, permission_key),
    foreign key (app_id, role_key) references roles (app_id, role_key) on delete cascade,
    foreign key (app_id, permission_key) references permissions (app_id, permission_key) on delete cascade
);
create index role_permissions_by_permission on role_permissions (app_id, permission_key);

-- A user's app-wide roles: what tokens/verify resolves, beside the session, in the read that
-- loads it (the primary key answers it by (app_id, user_id)).
create table user_roles (
    app_id text not null,
    user_id text not null references users(id) on delete cascade,
    role_key text not null,
    created_at integer not null,
    primary key (app_id, user_id, role_key),
    foreign key (app_id, role_key) references roles (app_id, role_key) on delete cascade
);
create index user_roles_by_role on user_roles (app_id, role_key);
