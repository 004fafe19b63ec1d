-- Durable job logs and the job event feed behind the API's server-sent events.
--
-- jobs.job_log: every line a handler logged, written by the job grain in batches (one statement per
-- progress tick and one at the attempt's end), paged by its id.
--
-- jobs.job_event: an append-only feed of what happened to jobs: status changes and progress from
-- the job index trigger, in the same transaction as the state write; log batches from the log
-- insert. Each row takes the next seq and notifies channel jobs_events with it, so every API
-- process (one LISTEN connection each) wakes its streams, which read the table after the last seq
-- they delivered. A client that reconnects with Last-Event-ID resumes from the table, for as long
-- as the events are retained (jobs.trim_job_events, by age).
--
-- Sequence numbers are taken in insert order but become visible in commit order, so a reader can
-- see seq n+1 before n. Readers therefore stop at a gap and wait a few seconds for it to fill
-- before giving it up as a rolled-back transaction (src/Jobs.Grains/Events/JobEventReader.cs).
--
-- Cost per job transition: one insert into job_event (two B-tree entries and a BRIN summary) and
-- one pg_notify, in the transaction that already writes the state. No extra round trip.

CREATE SCHEMA IF NOT EXISTS jobs;

CREATE TABLE IF NOT EXISTS jobs.job_log
(
    job_id  uuid        NOT NULL,
    id      bigint      GENERATED ALWAYS AS IDENTITY,
    at      timestamptz NOT NULL,
    attempt integer     NOT NULL,
    level   text        NOT NULL,
    message text        NOT NULL,
    PRIMARY KEY (job_id, id)
);

CREATE TABLE IF NOT EXISTS jobs.job_event
(
    seq    bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at     timestamptz NOT NULL DEFAULT now(),
    job_id uuid        NOT NULL,
    type   text        NOT NULL,
    tenant text        NOT NULL,
    kind   text        NOT NULL CHECK (kind IN ('status', 'progress', 'log', 'deleted')),
    data   jsonb       NOT NULL
);

CREATE INDEX IF NOT EXISTS job_event_job_seq ON jobs.job_event (job_id, seq);
CREATE INDEX IF NOT EXISTS job_event_type_seq ON jobs.job_event (type, seq);
-- Rows arrive in time order, so a BRIN index finds old ones for trimming at almost no write cost.
CREATE INDEX IF NOT EXISTS job_event_at ON jobs.job_event USING brin (at);

-- The progress message joins the index so the trigger can tell a progress change from a write
-- that changed something else. grain_hash is the storage row's grainidhash, the first column of
-- its primary key: retention and bulk deletes find a job's row by it without scanning the table.
-- Adding nullable columns without a default rewrites nothing; grain_hash is filled in below.
ALTER TABLE jobs.job_index ADD COLUMN IF NOT EXISTS progress_message text;
ALTER TABLE jobs.job_index ADD COLUMN IF NOT EXISTS grain_hash integer;

UPDATE jobs.job_index j SET grain_hash = s.grainidhash
FROM orleans_storage s
WHERE s.graintypestring = 'job' AND s.payloadbinary IS NOT NULL AND j.grain_hash IS NULL
  AND (convert_from(s.payloadbinary, 'UTF8')::jsonb->>'id')::uuid = j.id;

CREATE OR REPLACE FUNCTION jobs.notify_job_event()
RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('jobs_events', NEW.seq::text);
    RETURN NULL;
END;
$$;

DROP TRIGGER IF EXISTS job_event_notify ON jobs.job_event;
CREATE TRIGGER job_event_notify
    AFTER INSERT ON jobs.job_event
    FOR EACH ROW EXECUTE FUNCTION jobs.notify_job_event();

-- The index upsert of 002-jobs.sql, plus the progress message, the storage row's hash and, when
-- p_emit, the job's events.
CREATE OR REPLACE FUNCTION jobs.write_job_index(state jsonb, p_emit boolean, p_grain_hash integer)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    v_id           uuid := (state->>'id')::uuid;
    v_status       text := state->>'status';
    v_progress     smallint := (state->>'progress')::smallint;
    v_message      text := left(state->>'progressMessage', 2000);
    v_old_status   text;
    v_old_tenant   text;
    v_old_progress smallint;
    v_old_message  text;
BEGIN
    SELECT status, tenant, progress, progress_message
    INTO v_old_status, v_old_tenant, v_old_progress, v_old_message
    FROM jobs.job_index WHERE id = v_id;

    INSERT INTO jobs.job_index AS j (id, type, tenant, status, priority, attempts_made, attempts, created_at, due_at,
                                     started_at, finished_at, failed_reason, progress, silo, summary,
                                     progress_message, grain_hash)
    VALUES (v_id, state->>'type', state->>'tenant', v_status, (state->>'priority')::integer,
            (state->>'attemptsMade')::integer, (state->>'attempts')::integer, (state->>'createdAt')::timestamptz,
            (state->>'dueAt')::timestamptz, (state->>'startedAt')::timestamptz, (state->>'finishedAt')::timestamptz,
            left(state->>'failedReason', 2000), v_progress, state->>'silo',
            NULLIF(state->'summary', 'null'::jsonb), v_message, p_grain_hash)
    ON CONFLICT (id) DO UPDATE SET
        status = EXCLUDED.status, priority = EXCLUDED.priority, attempts_made = EXCLUDED.attempts_made,
        attempts = EXCLUDED.attempts, due_at = EXCLUDED.due_at, started_at = EXCLUDED.started_at,
        finished_at = EXCLUDED.finished_at, failed_reason = EXCLUDED.failed_reason, progress = EXCLUDED.progress,
        silo = EXCLUDED.silo, progress_message = EXCLUDED.progress_message,
        grain_hash = coalesce(EXCLUDED.grain_hash, j.grain_hash);

    IF v_old_status IS DISTINCT FROM v_status THEN
        IF v_old_status IS NOT NULL THEN
            PERFORM jobs.add_job_count(state->>'type', v_old_tenant, v_old_status, -1);
        END IF;
        PERFORM jobs.add_job_count(state->>'type', state->>'tenant', v_status, 1);
    END IF;

    IF NOT p_emit THEN
        RETURN;
    END IF;

    IF v_old_status IS DISTINCT FROM v_status THEN
        INSERT INTO jobs.job_event (job_id, type, tenant, kind, data)
        VALUES (v_id, state->>'type', state->>'tenant', 'status', jsonb_strip_nulls(jsonb_build_object(
            'status', v_status, 'previous', v_old_status, 'attemptsMade', (state->>'attemptsMade')::integer,
            'attempts', (state->>'attempts')::integer, 'progress', v_progress,
            'failedReason', left(state->>'failedReason', 2000), 'dueAt', state->>'dueAt')));
    ELSIF v_old_progress IS DISTINCT FROM v_progress OR v_old_message IS DISTINCT FROM v_message THEN
        INSERT INTO jobs.job_event (job_id, type, tenant, kind, data)
        VALUES (v_id, state->>'type', state->>'tenant', 'progress',
                jsonb_strip_nulls(jsonb_build_object('percent', v_progress, 'message', v_message)));
    END IF;
END;
$$;

-- Kept for callers of the 002 name: indexes without replaying events.
CREATE OR REPLACE FUNCTION jobs.upsert_job_index(state jsonb)
RETURNS void LANGUAGE sql AS $$
    SELECT jobs.write_job_index(state, false, NULL);
$$;

CREATE OR REPLACE FUNCTION jobs.rebuild_job_index()
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    v_rows bigint;
BEGIN
    TRUNCATE jobs.job_index, jobs.job_counts;
    PERFORM jobs.write_job_index(convert_from(payloadbinary, 'UTF8')::jsonb, false, grainidhash)
    FROM orleans_storage WHERE graintypestring = 'job' AND payloadbinary IS NOT NULL;
    GET DIAGNOSTICS v_rows = ROW_COUNT;
    RETURN v_rows;
END;
$$;

-- A deleted job takes its index row, its count and its log lines with it, and says so on the feed.
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
        INSERT INTO jobs.job_event (job_id, type, tenant, kind, data)
        VALUES (p_id, v_type, v_tenant, 'deleted', jsonb_build_object('previous', v_status));
    END IF;

    DELETE FROM jobs.job_log WHERE job_id = p_id;
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
        PERFORM jobs.write_job_index(convert_from(NEW.payloadbinary, 'UTF8')::jsonb, true, NEW.grainidhash);
    END IF;
    RETURN NULL;
END;
$$;

-- Deletes events older than p_before, at most p_limit of them; returns how many went.
CREATE OR REPLACE FUNCTION jobs.trim_job_events(p_before timestamptz, p_limit integer)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    v_rows bigint;
BEGIN
    DELETE FROM jobs.job_event
    WHERE seq IN (SELECT seq FROM jobs.job_event WHERE at < p_before ORDER BY seq LIMIT p_limit);
    GET DIAGNOSTICS v_rows = ROW_COUNT;
    RETURN v_rows;
END;
$$;
