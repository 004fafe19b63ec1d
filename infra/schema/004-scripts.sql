-- Tenants' ScriptForge scripts: a script is a tenant's name with numbered versions 1, 2, 3...
--
-- jobs.script holds the name and the number of its latest version; saving a new version bumps
-- latest_version with INSERT ... ON CONFLICT DO UPDATE, which locks the script's row, so concurrent
-- saves of one name take consecutive numbers and never the same one.
-- jobs.script_version holds the sources. Versions are immutable: jobs and schedules name them and
-- expect the same code every time, so a trigger refuses any UPDATE (deleting the script removes them).
--
-- Idempotent: every object is created only if missing, or replaced by the same definition.

CREATE SCHEMA IF NOT EXISTS jobs;

CREATE TABLE IF NOT EXISTS jobs.script
(
    id             uuid        PRIMARY KEY,
    tenant         text        NOT NULL,
    name           text        NOT NULL,
    latest_version integer     NOT NULL CHECK (latest_version > 0),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    -- Also the index of a tenant's listing, which is ordered by name.
    UNIQUE (tenant, name)
);

CREATE TABLE IF NOT EXISTS jobs.script_version
(
    script_id  uuid        NOT NULL REFERENCES jobs.script (id) ON DELETE CASCADE,
    version    integer     NOT NULL CHECK (version > 0),
    source     text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (script_id, version)
);

CREATE OR REPLACE FUNCTION jobs.script_version_immutable() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'script % version % is immutable; save a new version instead', OLD.script_id, OLD.version
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$;

CREATE OR REPLACE TRIGGER script_version_immutable
    BEFORE UPDATE ON jobs.script_version
    FOR EACH ROW EXECUTE FUNCTION jobs.script_version_immutable();
