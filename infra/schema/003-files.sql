-- Files that jobs read and write (rate decks, call records, recordings, reports), owned by a tenant.
--
-- Content lives in jobs.file_chunk as rows of up to 1 MiB rather than in PostgreSQL large objects:
-- * a reader fetches one chunk per query, so a slow consumer (an SMTP upload, an HTTP download)
--   holds neither a connection nor a transaction for the length of the file, which large objects
--   require (lo_read works only inside the transaction that opened the object);
-- * chunks are ordinary rows: they go with the file on delete (ON DELETE CASCADE), are covered by
--   the usual backups and replication, and need no lo_unlink or vacuumlo housekeeping;
-- * any byte range can be read by its chunk numbers, which makes the read stream seekable.
--
-- A file is written in one transaction: its chunks first, then its row, which is why the foreign
-- key is checked at commit. A failed upload rolls back and leaves nothing behind.
--
-- Idempotent: every object is created only if missing. Runs inside the migrator's transaction.

CREATE SCHEMA IF NOT EXISTS jobs;

CREATE TABLE IF NOT EXISTS jobs.file
(
    id           uuid        PRIMARY KEY,
    tenant       text        NOT NULL,
    name         text        NOT NULL,
    content_type text        NOT NULL,
    length       bigint      NOT NULL CHECK (length >= 0),
    -- Lower-case hex of the content's SHA-256, computed while the content streamed in.
    sha256       text        NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    -- The size of every chunk but the last; stored so the chunk size can change for new files.
    chunk_size   integer     NOT NULL CHECK (chunk_size > 0),
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS file_tenant_created_at_idx ON jobs.file (tenant, created_at DESC);

CREATE TABLE IF NOT EXISTS jobs.file_chunk
(
    file_id uuid    NOT NULL REFERENCES jobs.file (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    seq     integer NOT NULL CHECK (seq >= 0),
    -- Default TOAST storage: text files (rate decks, CDR exports) compress well, and pglz gives up
    -- after the first kilobyte of an already compressed recording, so it costs little there.
    data    bytea   NOT NULL,
    PRIMARY KEY (file_id, seq)
);
