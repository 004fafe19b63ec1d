-- Where a bulk job (type "bulk": retry, cancel or delete every job matching a filter) has got to. The handler
-- saves its place after each batch, so an attempt that starts again after its silo died carries on from there
-- instead of from the first page. The row goes when the bulk job finishes.

CREATE SCHEMA IF NOT EXISTS jobs;

CREATE TABLE IF NOT EXISTS jobs.bulk_checkpoint
(
    job_id     uuid        PRIMARY KEY,
    state      jsonb       NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
