-- The job index: one row per job, kept in step with the job grains' stored state by a trigger on the grain
-- storage table, in the same transaction as the state write. Listings, counts and sweeps read it; nothing else
-- writes it. The grains stay the source of truth: the index can be rebuilt from orleans_storage at any time
-- (see jobs.rebuild_job_index()).

CREATE SCHEMA IF NOT EXISTS jobs;

CREATE TABLE IF NOT EXISTS jobs.job_index (
    id            uuid        PRIMARY KEY,
    type          text        NOT NULL,
    tenant        text        NOT NULL,
    status        text        NOT NULL CHECK (status IN ('wait', 'delayed', 'active', 'completed', 'failed')),
    priority      integer     NOT NULL DEFAULT 0,
    attempts_made integer     NOT NULL DEFAULT 0,
    attempts      integer     NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL,
    due_at        timestamptz NOT NULL,
    started_at    timestamptz,
    finished_at   timestamptz,
    failed_reason text,
    progress      smallint    NOT NULL DEFAULT 0,
    -- The silo holding the job's activation when its state was last written: recovery looks for jobs of a dead silo.
    silo          text,
    summary       jsonb
);

-- Listings are newest first, by type, optionally by status and tenant; the cursor is (created_at, id).
CREATE INDEX IF NOT EXISTS job_index_type_created ON jobs.job_index (type, created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS job_index_type_status_created ON jobs.job_index (type, status, created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS job_index_tenant_type_status_created
    ON jobs.job_index (tenant, type, status, created_at DESC, id DESC);
-- Sweeps look for unfinished jobs by due time, and recovery for unfinished jobs of one silo; both are small sets.
CREATE INDEX IF NOT EXISTS job_index_unfinished_due ON jobs.job_index (type, due_at)
    WHERE status IN ('wait', 'delayed', 'active');
CREATE INDEX IF NOT EXISTS job_index_unfinished_silo ON jobs.job_index (silo)
    WHERE status IN ('wait', 'delayed', 'active');
-- Per-minute charts and retention read finished jobs by time.
CREATE INDEX IF NOT EXISTS job_index_type_finished ON jobs.job_index (type, finished_at)
    WHERE status IN ('completed', 'failed');

-- Counts per type, tenant and status, kept exact by the same trigger. Each transaction adds to a shard chosen by
-- its server process, so concurrent transitions of one type do not queue on one counter row; readers sum shards.
CREATE TABLE IF NOT EXISTS jobs.job_counts (
    type   text     NOT NULL,
    tenant text     NOT NULL,
    status text     NOT NULL,
    shard  smallint NOT NULL,
    n      bigint   NOT NULL,
    PRIMARY KEY (type, tenant, status, shard)
);

CREATE OR REPLACE FUNCTION jobs.add_job_count(p_type text, p_tenant text, p_status text, p_delta integer)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO jobs.job_counts AS c (type, tenant, status, shard, n)
    VALUES (p_type, p_tenant, p_status, (pg_backend_pid() % 16)::smallint, p_delta)
    ON CONFLICT (type, tenant, status, shard) DO UPDATE SET n = c.n + EXCLUDED.n;
$$;

-- Reads the index columns out of a job's stored state (UTF-8 JSON written by JobState in src/Jobs.Grains).
CREATE OR REPLACE FUNCTION jobs.upsert_job_index(state jsonb)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    v_id         uuid := (state->>'id')::uuid;
    v_status     text := state->>'status';
    v_old_status text;
    v_old_tenant text;
BEGIN
    SELECT status, tenant INTO v_old_status, v_old_tenant FROM jobs.job_index WHERE id = v_id;

    INSERT INTO jobs.job_index AS j (id, type, tenant, status, priority, attempts_made, attempts, created_at, due_at,
                                     started_at, finished_at, failed_reason, progress, silo, summary)
    VALUES (v_id, state->>'type', state->>'tenant', v_status, (state->>'priority')::integer,
            (state->>'attemptsMade')::integer, (state->>'attempts')::integer, (state->>'createdAt')::timestamptz,
            (state->>'dueAt')::timestamptz, (state->>'startedAt')::timestamptz, (state->>'finishedAt')::timestamptz,
            left(state->>'failedReason', 2000), (state->>'progress')::smallint, state->>'silo',
            NULLIF(state->'summary', 'null'::jsonb))
    ON CONFLICT (id) DO UPDATE SET
        status = EXCLUDED.status, priority = EXCLUDED.priority, attempts_made = EXCLUDED.attempts_made,
        attempts = EXCLUDED.attempts, due_at = EXCLUDED.due_at, started_at = EXCLUDED.started_at,
        finished_at = EXCLUDED.finished_at, failed_reason = EXCLUDED.failed_reason, progress = EXCLUDED.progress,
        silo = EXCLUDED.silo;

    IF v_old_status IS DISTINCT FROM v_status THEN
        IF v_old_status IS NOT NULL THEN
            PERFORM jobs.add_job_count(state->>'type', v_old_tenant, v_old_status, -1);
        END IF;
        PERFORM jobs.add_job_count(state->>'type', state->>'tenant', v_status, 1);
    END IF;
END;
$$;

CREATE OR REPLACE FUNCTION jobs.delete_job_index(p_id uuid)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    v_type   text;
    v_tenant text;
    v_status text;
BEGIN
    DELETE FROM jobs.job_index WHERE id = p_id RETURNING type, tenant, status INTO v_type, v_tenant, v_status;
    IF FOUND THEN
        PERFORM jobs.add_job_count(v_type, v_tenant, v_status, -1);
    END IF;
END;
$$;

CREATE OR REPLACE FUNCTION jobs.on_job_state_written()
RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.payloadbinary IS NOT NULL THEN
            PERFORM jobs.delete_job_index((convert_from(OLD.payloadbinary, 'UTF8')::jsonb->>'id')::uuid);
        END IF;
    ELSIF NEW.payloadbinary IS NULL THEN
        -- A cleared state (the job was deleted): the previous payload names the job.
        IF TG_OP = 'UPDATE' AND OLD.payloadbinary IS NOT NULL THEN
            PERFORM jobs.delete_job_index((convert_from(OLD.payloadbinary, 'UTF8')::jsonb->>'id')::uuid);
        END IF;
    ELSE
        PERFORM jobs.upsert_job_index(convert_from(NEW.payloadbinary, 'UTF8')::jsonb);
    END IF;
    RETURN NULL;
END;
$$;

DROP TRIGGER IF EXISTS job_state_written ON orleans_storage;
CREATE TRIGGER job_state_written
    AFTER INSERT OR UPDATE ON orleans_storage
    FOR EACH ROW WHEN (NEW.graintypestring = 'job')
    EXECUTE FUNCTION jobs.on_job_state_written();

DROP TRIGGER IF EXISTS job_state_deleted ON orleans_storage;
CREATE TRIGGER job_state_deleted
    AFTER DELETE ON orleans_storage
    FOR EACH ROW WHEN (OLD.graintypestring = 'job')
    EXECUTE FUNCTION jobs.on_job_state_written();

-- Rebuilds the index and counts from the stored job states, for repair after manual edits of the database.
CREATE OR REPLACE FUNCTION jobs.rebuild_job_index()
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    v_rows bigint;
BEGIN
    TRUNCATE jobs.job_index, jobs.job_counts;
    PERFORM jobs.upsert_job_index(convert_from(payloadbinary, 'UTF8')::jsonb)
    FROM orleans_storage WHERE graintypestring = 'job' AND payloadbinary IS NOT NULL;
    GET DIAGNOSTICS v_rows = ROW_COUNT;
    RETURN v_rows;
END;
$$;
