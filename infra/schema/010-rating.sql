-- Rate cards and re-rated calls (the card and cdr job types; code in src/Jobs.JobTypes/Rating, Card and Cdr).
--
-- A card is a tenant's name with numbered revisions 1, 2, 3... A revision is written whole in one transaction:
-- its rates (binary COPY), its row, and the switch of the card's current revision. Readers keep seeing the
-- previous revision until that transaction commits, and a failed, cancelled or killed build leaves nothing behind,
-- since PostgreSQL discards an uncommitted transaction's rows. A revision's id is the id of the job that built
-- it, so an attempt repeated after a silo died finds the revision its predecessor committed instead of adding a
-- second one. Revision numbers are taken when the revision completes, under the card's row lock, so numbers
-- and completion times rise together: completed_at is when a revision came into force.
--
-- Idempotent: every object is created only if missing. Runs inside the migrator's transaction.

CREATE SCHEMA IF NOT EXISTS rating;

CREATE TABLE IF NOT EXISTS rating.card
(
    id               uuid        PRIMARY KEY,
    tenant           text        NOT NULL,
    name             text        NOT NULL,
    -- Every revision of a card is in this currency: a rebuild in another one is refused.
    currency         text        NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    -- Null only inside the transaction that creates the card with its first revision.
    current_revision integer,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant, name)
);

CREATE TABLE IF NOT EXISTS rating.card_revision
(
    -- The id of the job that built the revision.
    id               uuid        PRIMARY KEY,
    card_id          uuid        NOT NULL REFERENCES rating.card (id) ON DELETE CASCADE,
    revision         integer     NOT NULL CHECK (revision > 0),
    precision        smallint    NOT NULL CHECK (precision BETWEEN 0 AND 8),
    rounding         text        NOT NULL,
    entries          integer     NOT NULL CHECK (entries >= 0),
    prefixes         integer     NOT NULL CHECK (prefixes >= 0),
    rows_read        bigint      NOT NULL DEFAULT 0,
    rows_rejected    bigint      NOT NULL DEFAULT 0,
    rejected_file_id uuid,
    -- What it was built from: {"fileId": ...} or {"cards": [{"cardId", "revision"}], "pick": ...}.
    source           jsonb       NOT NULL,
    completed_at     timestamptz NOT NULL,
    UNIQUE (card_id, revision)
);

-- One row per entry, in card order (seq). No foreign key to the revision: rates are only ever written and removed
-- in the transaction of their revision, and a key would be checked once per row of a 184,000-row deck.
CREATE TABLE IF NOT EXISTS rating.rate
(
    revision_id       uuid     NOT NULL,
    seq               integer  NOT NULL,
    prefix            text     NOT NULL,
    name              text     NOT NULL,
    rate              numeric  NOT NULL,
    connection_fee    numeric  NOT NULL,
    initial_increment integer  NOT NULL,
    increment         integer  NOT NULL,
    effective_from    date,
    effective_to      date,
    blocked           boolean  NOT NULL,
    PRIMARY KEY (revision_id, seq)
);

-- Calls read from the files of cdr jobs, kept so a later re-rate can select them by tenant and time. Rows are
-- appended by binary COPY in file order, which is roughly time order: a BRIN index on start costs almost nothing
-- to keep and finds a time range's blocks. Start is the wall-clock time the switch wrote, without a zone. Each
-- partition of a job writes its calls in the transaction that records it finished; a repeated partition first
-- deletes what an unfinished run of it left (by job_id and part).
CREATE TABLE IF NOT EXISTS rating.call
(
    tenant      text      NOT NULL,
    start       timestamp NOT NULL,
    destination text      NOT NULL,
    billsec     integer   NOT NULL,
    -- Null when the file had no disposition column: such a call with seconds counts as answered.
    disposition text,
    call_id     text,
    job_id      uuid      NOT NULL,
    part        integer   NOT NULL,
    line        bigint    NOT NULL
);

CREATE INDEX IF NOT EXISTS call_start_brin ON rating.call USING brin (start);
CREATE INDEX IF NOT EXISTS call_job_part ON rating.call (job_id, part);

-- One row per cdr job: its partition plan, then its result. file_id is null for a re-rate of stored calls.
CREATE TABLE IF NOT EXISTS rating.cdr_run
(
    job_id         uuid        PRIMARY KEY,
    tenant         text        NOT NULL,
    file_id        uuid,
    -- Whether the job keeps its file's calls in rating.call.
    stores_calls   boolean     NOT NULL,
    plan           jsonb       NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    completed_at   timestamptz,
    output_file_id uuid,
    result         jsonb
);

-- Stored calls of one file count once: a later completed job over the same file supersedes an earlier one.
CREATE INDEX IF NOT EXISTS cdr_run_stored_file ON rating.cdr_run (tenant, file_id, completed_at)
    WHERE stores_calls;

-- A partition is finished when its summary is set; its calls and output chunks are complete then.
CREATE TABLE IF NOT EXISTS rating.cdr_partition
(
    job_id      uuid        NOT NULL REFERENCES rating.cdr_run (job_id) ON DELETE CASCADE,
    part        integer     NOT NULL CHECK (part >= 0),
    -- How many times a silo started it; more than 1 means it was re-run after a silo died or a run failed.
    runs        integer     NOT NULL DEFAULT 0,
    silo        text,
    summary     jsonb,
    -- Calls the partition kept in rating.call.
    calls_kept  bigint,
    finished_at timestamptz,
    PRIMARY KEY (job_id, part)
);

-- Each partition's output CSV in chunks of up to 1 MiB until the job joins them into one stored file, then
-- deleted. Stored uncompressed: they live for minutes, and the joined file is compressed once.
CREATE TABLE IF NOT EXISTS rating.cdr_output_chunk
(
    job_id uuid    NOT NULL,
    part   integer NOT NULL,
    seq    integer NOT NULL,
    data   bytea   NOT NULL,
    PRIMARY KEY (job_id, part, seq)
);

ALTER TABLE rating.cdr_output_chunk ALTER COLUMN data SET STORAGE EXTERNAL;
