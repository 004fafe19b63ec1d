-- Job counts without lock waits. 002-jobs.sql kept counts as sharded rows updated in each job transition's
-- transaction; under load, transitions queued on the counter rows' locks (each transaction moves two of them, in no
-- fixed order, so they could even deadlock). Now a transition only appends its deltas, which never conflict, and a
-- background compaction (every silo runs it every couple of seconds; running it twice at once is harmless) folds them
-- into jobs.job_counts. Readers add the rows not folded yet, so counts stay exact.

CREATE TABLE IF NOT EXISTS jobs.job_count_deltas (
    type   text    NOT NULL,
    tenant text    NOT NULL,
    status text    NOT NULL,
    delta  integer NOT NULL
);

-- Rows live for seconds: vacuum the table often rather than by its (small) size.
ALTER TABLE jobs.job_count_deltas SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000,
                                       autovacuum_vacuum_insert_threshold = 5000);

CREATE OR REPLACE FUNCTION jobs.add_job_count(p_type text, p_tenant text, p_status text, p_delta integer)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO jobs.job_count_deltas (type, tenant, status, delta) VALUES (p_type, p_tenant, p_status, p_delta);
$$;

-- Moves every committed delta into the counts, atomically: the DELETE takes exactly the rows it sums, and deltas
-- committed meanwhile wait for the next compaction. Returns how many deltas it folded.
CREATE OR REPLACE FUNCTION jobs.compact_job_counts()
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    v_moved bigint;
BEGIN
    WITH moved AS (
        DELETE FROM jobs.job_count_deltas RETURNING type, tenant, status, delta
    ), summed AS (
        SELECT type, tenant, status, sum(delta)::bigint AS n, count(*) AS rows FROM moved GROUP BY type, tenant, status
    ), folded AS (
        INSERT INTO jobs.job_counts AS c (type, tenant, status, shard, n)
        SELECT type, tenant, status, 0, n FROM summed
        ON CONFLICT (type, tenant, status, shard) DO UPDATE SET n = c.n + EXCLUDED.n
    )
    SELECT coalesce(sum(rows), 0) INTO v_moved FROM summed;
    RETURN v_moved;
END;
$$;

-- Counts per status of one type (and tenant, when given): folded rows plus deltas not folded yet.
CREATE OR REPLACE FUNCTION jobs.count_jobs(p_type text, p_tenant text)
RETURNS TABLE (status text, n bigint) LANGUAGE sql STABLE AS $$
    SELECT status, sum(n)::bigint FROM (
        SELECT status, n FROM jobs.job_counts WHERE type = p_type AND (p_tenant IS NULL OR tenant = p_tenant)
        UNION ALL
        SELECT status, delta FROM jobs.job_count_deltas WHERE type = p_type AND (p_tenant IS NULL OR tenant = p_tenant)
    ) AS parts
    GROUP BY status;
$$;

CREATE OR REPLACE FUNCTION jobs.rebuild_job_index()
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    v_rows bigint;
BEGIN
    TRUNCATE jobs.job_index, jobs.job_counts, jobs.job_count_deltas;
    PERFORM jobs.write_job_index(convert_from(payloadbinary, 'UTF8')::jsonb, false, grainidhash)
    FROM orleans_storage WHERE graintypestring = 'job' AND payloadbinary IS NOT NULL;
    GET DIAGNOSTICS v_rows = ROW_COUNT;
    PERFORM jobs.compact_job_counts();
    RETURN v_rows;
END;
$$;
