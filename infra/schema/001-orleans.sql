-- Orleans ADO.NET providers on PostgreSQL: clustering (membership), grain storage and reminders.
--
-- Written for Jobs from the providers' contract in Orleans 10.4.2 (query keys, @-parameters and
-- result column names), not from a published script. The providers load their SQL from the
-- OrleansQuery table at start-up, so every statement they run is in this file.
--
-- Conventions that the contract forces on us:
-- * Identifiers are unquoted, so PostgreSQL folds them to lower case. The providers find result
--   columns with IDataRecord.GetOrdinal, which Npgsql matches case-insensitively when there is no
--   exact match, so a column named "version" satisfies a reader asking for "Version".
-- * Every DateTime parameter is sent with DbType.DateTime, which Npgsql maps to timestamptz and
--   accepts only for DateTimeKind.Utc values. All time columns are therefore timestamptz.
-- * Queries that the providers read as a single boolean or version must return exactly one row.
--   We wrap data-modifying statements in a CTE and select from it, so a statement that changed
--   nothing still returns a row (false or NULL) instead of none.
--
-- The file is idempotent: tables and indexes use IF NOT EXISTS and query rows are upserted.

CREATE TABLE IF NOT EXISTS orleansquery
(
    querykey text PRIMARY KEY,
    querytext text NOT NULL
);

-- ---------------------------------------------------------------------------------------------
-- Clustering (membership)
-- ---------------------------------------------------------------------------------------------

-- One row per cluster (the providers call it DeploymentId; it is ClusterOptions.ClusterId).
-- Its version is the membership table's ETag: every insert or update of a member row must name
-- the version it read and moves it forward by one, so two silos acting on the same view of the
-- table cannot both win. Heartbeats (UpdateIAmAlivetimeKey) do not move it.
CREATE TABLE IF NOT EXISTS orleans_membership_version
(
    deploymentid text PRIMARY KEY,
    modifiedon timestamptz NOT NULL DEFAULT now(),
    version integer NOT NULL DEFAULT 0
);

-- A silo is identified by address, port and generation (its start epoch), so a restarted silo
-- on the same endpoint gets a new row and the old one stays until it is cleaned up. Deleting
-- the version row (DeleteMembershipTableEntriesKey) deletes the cluster's members with it.
CREATE TABLE IF NOT EXISTS orleans_membership
(
    deploymentid text NOT NULL
        REFERENCES orleans_membership_version (deploymentid) ON DELETE CASCADE,
    address text NOT NULL,
    port integer NOT NULL,
    generation integer NOT NULL,
    siloname text NOT NULL,
    hostname text NOT NULL,
    status integer NOT NULL,
    proxyport integer,
    suspecttimes text,
    starttime timestamptz NOT NULL,
    iamalivetime timestamptz NOT NULL,
    PRIMARY KEY (deploymentid, address, port, generation)
);

-- ---------------------------------------------------------------------------------------------
-- Grain storage
-- ---------------------------------------------------------------------------------------------

-- The provider sends both hashes and the full natural key of a grain state: service id, state
-- name (graintypestring), the two 64-bit halves of a Guid or integer key (grainidn0/n1) and a
-- string (the key extension, or the whole key of a string-keyed grain).
--
-- Primary key: the natural key, led by grainidhash. Hashes can collide, so they cannot be the key
-- on their own, but as the first column the well-spread 32-bit grain id hash settles almost every
-- comparison before the text columns are looked at, and it scatters inserts across the index
-- instead of piling them on its right edge. The key being unique is what makes a first write
-- safe: two activations inserting the same grain at once cannot both succeed.
--
-- grainidextensionstring is stored as '' when the provider sends NULL (a Guid or integer key
-- without extension). A primary key column cannot be NULL, and NULLS NOT DISTINCT would tie us
-- to PostgreSQL 15 or later. The queries apply the same coalesce, so the mapping is invisible to
-- Orleans. String keys are indexed, so one longer than about 2,600 bytes cannot be stored.
--
-- fillfactor 80 leaves room on each page so that updates, which never touch an indexed column,
-- can be HOT updates: no index maintenance on the hot path.
--
-- payloadbinary is NULL after a clear (ClearStorageKey): the row and its version stay, so the
-- grain keeps a valid ETag. graintypestring and payloadbinary are read by triggers elsewhere.
CREATE TABLE IF NOT EXISTS orleans_storage
(
    grainidhash integer NOT NULL,
    grainidn0 bigint NOT NULL,
    grainidn1 bigint NOT NULL,
    graintypehash integer NOT NULL,
    graintypestring text NOT NULL,
    grainidextensionstring text NOT NULL DEFAULT '',
    serviceid text NOT NULL,
    payloadbinary bytea,
    modifiedon timestamptz NOT NULL DEFAULT now(),
    version integer NOT NULL,
    CONSTRAINT orleans_storage_pkey PRIMARY KEY
        (grainidhash, graintypehash, grainidn0, grainidn1, serviceid, graintypestring,
         grainidextensionstring)
) WITH (fillfactor = 80);

-- ---------------------------------------------------------------------------------------------
-- Reminders
-- ---------------------------------------------------------------------------------------------

-- grainhash is the grain's uniform hash as a signed 32-bit integer; reminder services own ranges
-- of the hash ring and read them with ReadRangeRows1Key/ReadRangeRows2Key, hence the index.
-- period is in milliseconds and bigint because the provider reads it with GetInt64.
CREATE TABLE IF NOT EXISTS orleans_reminders
(
    serviceid text NOT NULL,
    grainid text NOT NULL,
    remindername text NOT NULL,
    starttime timestamptz NOT NULL,
    period bigint NOT NULL,
    grainhash integer NOT NULL,
    version integer NOT NULL,
    PRIMARY KEY (serviceid, grainid, remindername)
);

CREATE INDEX IF NOT EXISTS orleans_reminders_serviceid_grainhash_idx
    ON orleans_reminders (serviceid, grainhash);

-- ---------------------------------------------------------------------------------------------
-- Queries
-- ---------------------------------------------------------------------------------------------

INSERT INTO orleansquery (querykey, querytext)
VALUES

-- Clustering --------------------------------------------------------------------------------

-- Creates the cluster's version row once; true only for the silo that created it.
('InsertMembershipVersionKey', $q$
WITH created AS (
    INSERT INTO orleans_membership_version (deploymentid, modifiedon, version)
    VALUES (@DeploymentId, now(), 0)
    ON CONFLICT (deploymentid) DO NOTHING
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM created);
$q$),

-- Adds a silo if the table is still at @Version, moving the version on in the same statement.
-- The version row is updated first, so its row lock orders concurrent writers: a second writer
-- holding the same @Version waits, then finds the version moved and changes nothing.
-- The NOT EXISTS keeps a duplicate silo from consuming a version; every member insert goes
-- through this lock, so the check cannot be overtaken by another insert of the same silo.
('InsertMembershipKey', $q$
WITH bumped AS (
    UPDATE orleans_membership_version
    SET version = version + 1,
        modifiedon = now()
    WHERE deploymentid = @DeploymentId
      AND version = @Version
      AND NOT EXISTS (
          SELECT 1
          FROM orleans_membership
          WHERE deploymentid = @DeploymentId
            AND address = @Address
            AND port = @Port
            AND generation = @Generation)
    RETURNING deploymentid
),
inserted AS (
    INSERT INTO orleans_membership
        (deploymentid, address, port, generation, siloname, hostname, status, proxyport,
         starttime, iamalivetime)
    SELECT deploymentid, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort,
           @StartTime, @IAmAliveTime
    FROM bumped
    ON CONFLICT DO NOTHING
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM inserted);
$q$),

-- Changes a silo's status and suspicions if the table is still at @Version, with the same
-- ordering as InsertMembershipKey. A missing silo row leaves the version alone.
('UpdateMembershipKey', $q$
WITH bumped AS (
    UPDATE orleans_membership_version
    SET version = version + 1,
        modifiedon = now()
    WHERE deploymentid = @DeploymentId
      AND version = @Version
      AND EXISTS (
          SELECT 1
          FROM orleans_membership
          WHERE deploymentid = @DeploymentId
            AND address = @Address
            AND port = @Port
            AND generation = @Generation)
    RETURNING deploymentid
),
updated AS (
    UPDATE orleans_membership AS m
    SET status = @Status,
        suspecttimes = @SuspectTimes,
        iamalivetime = @IAmAliveTime
    FROM bumped
    WHERE m.deploymentid = bumped.deploymentid
      AND m.address = @Address
      AND m.port = @Port
      AND m.generation = @Generation
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM updated);
$q$),

-- Heartbeat: liveness only, so no version check and no version change.
('UpdateIAmAlivetimeKey', $q$
UPDATE orleans_membership
SET iamalivetime = @IAmAliveTime
WHERE deploymentid = @DeploymentId
  AND address = @Address
  AND port = @Port
  AND generation = @Generation;
$q$),

-- The version row always comes back, with member columns NULL when the silo is unknown: the
-- provider takes the table version from the first row and treats a NULL starttime as "no row".
-- One statement, one snapshot, so the version and the rows agree.
('MembershipReadRowKey', $q$
SELECT v.version, m.address, m.port, m.generation, m.siloname, m.hostname, m.status,
       m.proxyport, m.suspecttimes, m.starttime, m.iamalivetime
FROM orleans_membership_version AS v
LEFT JOIN orleans_membership AS m
    ON m.deploymentid = v.deploymentid
   AND m.address = @Address
   AND m.port = @Port
   AND m.generation = @Generation
WHERE v.deploymentid = @DeploymentId;
$q$),

('MembershipReadAllKey', $q$
SELECT v.version, m.address, m.port, m.generation, m.siloname, m.hostname, m.status,
       m.proxyport, m.suspecttimes, m.starttime, m.iamalivetime
FROM orleans_membership_version AS v
LEFT JOIN orleans_membership AS m
    ON m.deploymentid = v.deploymentid
WHERE v.deploymentid = @DeploymentId;
$q$),

-- Gateways for clients: active silos (@Status is SiloStatus.Active) that accept clients.
('GatewaysQueryKey', $q$
SELECT address, proxyport, generation
FROM orleans_membership
WHERE deploymentid = @DeploymentId
  AND status = @Status
  AND proxyport > 0;
$q$),

-- Removes the cluster: the version row, and its members through ON DELETE CASCADE.
('DeleteMembershipTableEntriesKey', $q$
DELETE FROM orleans_membership_version
WHERE deploymentid = @DeploymentId;
$q$),

-- Bulk cleanup of long-dead silos (status 6 is SiloStatus.Dead). Orleans 10.4.2 uses it only
-- when CleanupDefunctSiloEntryKey is absent; it is kept because the provider requires the key.
('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM orleans_membership
WHERE deploymentid = @DeploymentId
  AND status = 6
  AND iamalivetime < @IAmAliveTime
  AND starttime < @IAmAliveTime;
$q$),

-- Preferred cleanup (optional key, new in 10.x): the provider reads the table, picks dead silos
-- itself and deletes each one only if the row still holds the values it read, so a row changed
-- in between survives. Cleanup never moves the table version: dead rows carry no decision.
-- suspecttimes is compared through coalesce because an empty suspect list may be stored as ''
-- and sent back as NULL.
('CleanupDefunctSiloEntryKey', $q$
DELETE FROM orleans_membership
WHERE deploymentid = @DeploymentId
  AND address = @Address
  AND port = @Port
  AND generation = @Generation
  AND status = 6
  AND starttime = @StartTime
  AND iamalivetime = @IAmAliveTime
  AND coalesce(suspecttimes, '') = coalesce(@SuspectTimes, '');
$q$),

-- Grain storage -----------------------------------------------------------------------------

-- Optimistic concurrency, in one statement on the hot path. @GrainStateVersion is the ETag the
-- grain holds: NULL for a state it never saw stored, otherwise the version it last read or wrote.
-- * ETag present: update the row only if its version still equals the ETag. A concurrent writer
--   with the same ETag waits for our row lock, then re-checks the version, finds it moved on
--   and changes nothing.
-- * ETag NULL: insert; if the row exists already (another activation wrote first), the
--   primary key turns the insert into nothing.
-- NewGrainStateVersion is the new version, or NULL when nothing was written. The provider reads
-- NULL (an empty string) as a version conflict and throws InconsistentStateException. Zero rows
-- would not do: with an ETag present the provider would take them for success.
-- The version wraps from int.MaxValue to 1 instead of overflowing: a hot grain can write that
-- often, and only inequality with the previous version matters.
('WriteToStorageKey', $q$
WITH updated AS (
    UPDATE orleans_storage
    SET payloadbinary = @PayloadBinary,
        modifiedon = now(),
        version = CASE WHEN version = 2147483647 THEN 1 ELSE version + 1 END
    WHERE @GrainStateVersion IS NOT NULL
      AND grainidhash = @GrainIdHash
      AND graintypehash = @GrainTypeHash
      AND grainidn0 = @GrainIdN0
      AND grainidn1 = @GrainIdN1
      AND serviceid = @ServiceId
      AND graintypestring = @GrainTypeString
      AND grainidextensionstring = coalesce(@GrainIdExtensionString, '')
      AND version = @GrainStateVersion
    RETURNING version
),
inserted AS (
    INSERT INTO orleans_storage
        (grainidhash, graintypehash, grainidn0, grainidn1, serviceid, graintypestring,
         grainidextensionstring, payloadbinary, modifiedon, version)
    SELECT @GrainIdHash, @GrainTypeHash, @GrainIdN0, @GrainIdN1, @ServiceId, @GrainTypeString,
           coalesce(@GrainIdExtensionString, ''), @PayloadBinary, now(), 1
    WHERE @GrainStateVersion IS NULL
    ON CONFLICT ON CONSTRAINT orleans_storage_pkey DO NOTHING
    RETURNING version
)
SELECT coalesce((SELECT version FROM updated), (SELECT version FROM inserted))
    AS newgrainstateversion;
$q$),

('ReadFromStorageKey', $q$
SELECT payloadbinary, version
FROM orleans_storage
WHERE grainidhash = @GrainIdHash
  AND graintypehash = @GrainTypeHash
  AND grainidn0 = @GrainIdN0
  AND grainidn1 = @GrainIdN1
  AND serviceid = @ServiceId
  AND graintypestring = @GrainTypeString
  AND grainidextensionstring = coalesce(@GrainIdExtensionString, '');
$q$),

-- Clear (DeleteStateOnClear = false, the default): drop the payload but keep the row and move
-- its version on, with the same ETag check as a write. The provider reads the first column: the
-- new version, or NULL for a conflict.
('ClearStorageKey', $q$
WITH cleared AS (
    UPDATE orleans_storage
    SET payloadbinary = NULL,
        modifiedon = now(),
        version = CASE WHEN version = 2147483647 THEN 1 ELSE version + 1 END
    WHERE grainidhash = @GrainIdHash
      AND graintypehash = @GrainTypeHash
      AND grainidn0 = @GrainIdN0
      AND grainidn1 = @GrainIdN1
      AND serviceid = @ServiceId
      AND graintypestring = @GrainTypeString
      AND grainidextensionstring = coalesce(@GrainIdExtensionString, '')
      AND version = @GrainStateVersion
    RETURNING version
)
SELECT (SELECT version FROM cleared) AS newgrainstateversion;
$q$),

-- Clear with DeleteStateOnClear = true: delete the row if the ETag still matches. The provider
-- only needs a value that differs from the ETag (it then forgets the ETag), so we return the
-- version the row would have had next; NULL again means a conflict.
('DeleteStorageKey', $q$
WITH deleted AS (
    DELETE FROM orleans_storage
    WHERE grainidhash = @GrainIdHash
      AND graintypehash = @GrainTypeHash
      AND grainidn0 = @GrainIdN0
      AND grainidn1 = @GrainIdN1
      AND serviceid = @ServiceId
      AND graintypestring = @GrainTypeString
      AND grainidextensionstring = coalesce(@GrainIdExtensionString, '')
      AND version = @GrainStateVersion
    RETURNING version
)
SELECT (SELECT CASE WHEN version = 2147483647 THEN 1 ELSE version + 1 END FROM deleted)
    AS newgrainstateversion;
$q$),

-- Reminders ---------------------------------------------------------------------------------

('ReadReminderRowsKey', $q$
SELECT grainid, remindername, starttime, period, version
FROM orleans_reminders
WHERE serviceid = @ServiceId
  AND grainid = @GrainId;
$q$),

('ReadReminderRowKey', $q$
SELECT grainid, remindername, starttime, period, version
FROM orleans_reminders
WHERE serviceid = @ServiceId
  AND grainid = @GrainId
  AND remindername = @ReminderName;
$q$),

-- A ring range (@BeginHash, @EndHash] that does not wrap in signed order.
('ReadRangeRows1Key', $q$
SELECT grainid, remindername, starttime, period, version
FROM orleans_reminders
WHERE serviceid = @ServiceId
  AND grainhash > @BeginHash
  AND grainhash <= @EndHash;
$q$),

-- A range that wraps past int.MaxValue (or the whole ring, when begin equals end).
('ReadRangeRows2Key', $q$
SELECT grainid, remindername, starttime, period, version
FROM orleans_reminders
WHERE serviceid = @ServiceId
  AND (grainhash > @BeginHash OR grainhash <= @EndHash);
$q$),

-- Registering a reminder always wins (no ETag is sent) and returns the row's new version,
-- which becomes the reminder's ETag.
('UpsertReminderRowKey', $q$
INSERT INTO orleans_reminders AS r
    (serviceid, grainid, remindername, starttime, period, grainhash, version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 1)
ON CONFLICT (serviceid, grainid, remindername) DO UPDATE
SET starttime = excluded.starttime,
    period = excluded.period,
    grainhash = excluded.grainhash,
    version = CASE WHEN r.version = 2147483647 THEN 1 ELSE r.version + 1 END
RETURNING version;
$q$),

-- Unregistering succeeds only with the current ETag (@Version).
('DeleteReminderRowKey', $q$
WITH deleted AS (
    DELETE FROM orleans_reminders
    WHERE serviceid = @ServiceId
      AND grainid = @GrainId
      AND remindername = @ReminderName
      AND version = @Version
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM deleted);
$q$),

('DeleteReminderRowsKey', $q$
DELETE FROM orleans_reminders
WHERE serviceid = @ServiceId;
$q$)

ON CONFLICT (querykey) DO UPDATE
SET querytext = excluded.querytext
WHERE orleansquery.querytext IS DISTINCT FROM excluded.querytext;
