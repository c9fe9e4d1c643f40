-- The job outbox: background work (email now; SMS and webhooks later), written in the
-- transaction that causes it and run by whichever instance claims it first. A row lives until
-- its job succeeds (deleted) or fails for good (kept for inspection, then swept).
-- Kept in step with ../sqlite/0007_jobs.sql.

create table jobs (
    id text primary key,                  -- UUIDv7
    app_id text references apps(id) on delete cascade, -- the app the work is for (null: instance-wide); a deleted app's pending work goes with it
    kind text not null,                   -- which handler runs it: 'email' | …; a worker claims only kinds it knows
    payload bytea not null,               -- the job's JSON, sealed under the master key (AES-256-GCM, bound to id and kind): it can hold codes and links
    attempts bigint not null,             -- claims so far, counted when claimed so that a job that kills its worker still reaches the cap
    run_at bigint not null,               -- not claimed before: the enqueue time, then the back-off after each failure
    locked_until bigint,                  -- lease: claimed until then (null: not claimed); past it a crashed claimer's job is claimable again
    locked_by text,                       -- the worker holding the lease; with attempts it fences late writes of a claimer that lost its lease
    expires_at bigint,                    -- deadline: no attempt starts after it, the job fails instead (null: only the attempt cap)
    last_error text,                      -- why the latest attempt failed, never a secret
    failed_at bigint,                     -- failed for good: never claimed again, deleted after the retention period
    created_at bigint not null
);
-- The claim: due, unfailed jobs, oldest due first.
create index jobs_due on jobs (run_at) where failed_at is null;
-- Retention: the sweeper deletes failed jobs by age.
create index jobs_failed on jobs (failed_at) where failed_at is not null;
