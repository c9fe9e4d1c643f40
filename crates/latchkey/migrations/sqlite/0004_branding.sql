-- How the hosted login and account pages look for an app.
alter table apps add column logo_url text;      -- https URL of the app's logo, or null
alter table apps add column accent_color text;  -- '#rrggbb', or null for the default
