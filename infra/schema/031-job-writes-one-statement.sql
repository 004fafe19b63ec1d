-- Cheaper job transitions. Profiling the engine benchmark showed the index trigger taking most of PostgreSQL's
-- time per job transition: write_job_index ran five statements (each with its own executor start-up), two of them
-- through calls of the SQL function add_job_count, which PostgreSQL parses and plans again on every call from
-- PL/pgSQL; and the NOTIFY on each job event made commits queue on a database-wide lock. Now:
--   * write_job_index is one statement: the old index row, the upsert, the count deltas and the event, as
--     data-modifying CTEs that all see the row as it was before the statement;
--   * job events are no longer notified: the API processes poll jobs.job_event (src/Jobs.Api/Events/JobEventFeed.cs);
--   * job events lose their (type, seq) index: every reader bounds seq, so the primary key serves type filters, and
--     (job_id, seq) stays for one job's history.

DROP TRIGGER IF EXISTS job_event_notify ON jobs.job_event;
DROP FUNCTION IF EXISTS jobs.notify_job_event();
DROP INDEX IF EXISTS jobs.job_event_type_seq;

CREATE OR REPLACE FUNCTION jobs.write_job_index(state jsonb, p_emit boolean, p_grain_hash integer)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    WITH s AS (
        SELECT (state->>'id')::uuid AS id, state->>'type' AS type, state->>'tenant' AS tenant,
               state->>'status' AS status, (state->>'progress')::smallint AS progress,
               left(state->>'progressMessage', 2000) AS message, left(state->>'failedReason', 2000) AS failed_reason,
               (state->>'attemptsMade')::integer AS attempts_made, (state->>'attempts')::integer AS attempts
    ),
    old AS (
        SELECT j.status, j.tenant, j.progress, j.progress_message
        FROM jobs.job_index j JOIN s ON j.id = s.id
    ),
    upserted AS (
        INSERT INTO jobs.job_index AS j (id, type, tenant, status, priority, attempts_made, attempts, created_at,
                                         due_at, started_at, finished_at, failed_reason, progress, silo, summary,
                                         progress_message, grain_hash)
        SELECT s.id, s.type, s.tenant, s.status, (state->>'priority')::integer, s.attempts_made, s.attempts,
               (state->>'createdAt')::timestamptz, (state->>'dueAt')::timestamptz,
               (state->>'startedAt')::timestamptz, (state->>'finishedAt')::timestamptz, s.failed_reason,
               s.progress, state->>'silo', NULLIF(state->'summary', 'null'::jsonb), s.message, p_grain_hash
        FROM s
        ON CONFLICT (id) DO UPDATE SET
            status = EXCLUDED.status, priority = EXCLUDED.priority, attempts_made = EXCLUDED.attempts_made,
            attempts = EXCLUDED.attempts, due_at = EXCLUDED.due_at, started_at = EXCLUDED.started_at,
            finished_at = EXCLUDED.finished_at, failed_reason = EXCLUDED.failed_reason, progress = EXCLUDED.progress,
            silo = EXCLUDED.silo, progress_message = EXCLUDED.progress_message,
            grain_hash = coalesce(EXCLUDED.grain_hash, j.grain_hash)
    ),
    counted AS (
        INSERT INTO jobs.job_count_deltas (type, tenant, status, delta)
        SELECT s.type, old.tenant, old.status, -1 FROM s JOIN old ON old.status IS DISTINCT FROM s.status
        UNION ALL
        SELECT s.type, s.tenant, s.status, 1 FROM s WHERE NOT EXISTS (SELECT FROM old WHERE old.status = s.status)
    )
    INSERT INTO jobs.job_event (job_id, type, tenant, kind, data)
    SELECT s.id, s.type, s.tenant, e.kind, e.data
    FROM s
    LEFT JOIN old ON true
    CROSS JOIN LATERAL (
        SELECT 'status' AS kind, jsonb_strip_nulls(jsonb_build_object(
                   'status', s.status, 'previous', old.status, 'attemptsMade', s.attempts_made,
                   'attempts', s.attempts, 'progress', s.progress, 'failedReason', s.failed_reason,
                   'dueAt', state->>'dueAt')) AS data
        WHERE old.status IS DISTINCT FROM s.status
        UNION ALL
        SELECT 'progress', jsonb_strip_nulls(jsonb_build_object('percent', s.progress, 'message', s.message))
        WHERE old.status = s.status
          AND (old.progress IS DISTINCT FROM s.progress OR old.progress_message IS DISTINCT FROM s.message)
    ) AS e
    WHERE p_emit;
END;
$$;
