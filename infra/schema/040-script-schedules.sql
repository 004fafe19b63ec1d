-- Which script schedules exist, and whose they are. A schedule itself is a grain (ScriptScheduleGrain) whose state
-- is in the grain storage; grains cannot be enumerated, so the grain writes a row here whenever it is set, enabled
-- or disabled (and again whenever it is activated, which also brings in schedules set before this file), and deletes
-- it when the schedule is deleted. Listings read this table for ids and ask each grain for the rest; the grain's
-- state stays the truth.
--
-- Idempotent: every object is created only if missing.

CREATE SCHEMA IF NOT EXISTS jobs;

CREATE TABLE IF NOT EXISTS jobs.script_schedule
(
    id         uuid        PRIMARY KEY,
    tenant     text        NOT NULL,
    script_id  uuid        NOT NULL,
    enabled    boolean     NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- A tenant's listing, in id order (schedule ids are time-ordered UUIDv7s, so that is creation order).
CREATE INDEX IF NOT EXISTS script_schedule_tenant ON jobs.script_schedule (tenant, id);

-- The scripts API lists a tenant's scripts in id order (time-ordered UUIDv7s) rather than by name.
CREATE INDEX IF NOT EXISTS script_tenant_id ON jobs.script (tenant, id);
