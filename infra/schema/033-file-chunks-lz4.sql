-- File chunks compressed with lz4 instead of pglz, where the server has it (PostgreSQL 14 and later, built with lz4,
-- as Debian's and the official images are). A 10-million-call re-rate uploads a 2.4 GB Master.csv and stores a 1 GB
-- output: pglz cost the server about 1.1 s of CPU per 100 MB written, lz4 about 0.3 s (bench/run-rating.sh).
-- Existing chunks keep their compression (a column's method applies to values written after the change); readers
-- handle both. Elsewhere the statement fails with feature_not_supported, and pglz stays.
--
-- Idempotent. Runs inside the migrator's transaction.

DO $$
BEGIN
    ALTER TABLE jobs.file_chunk ALTER COLUMN data SET COMPRESSION lz4;
EXCEPTION
    WHEN feature_not_supported OR syntax_error THEN
        RAISE NOTICE 'lz4 is not available on this server; file chunks stay compressed with pglz';
END
$$;
