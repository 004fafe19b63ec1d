-- Grain storage deletes a cleared state's row (DeleteStateOnClear, set in src/Jobs.Silo): a job deleted with
-- DELETE /api/jobs/{id} or a deleted schedule leaves nothing behind. Before, clearing kept the row with a NULL payload
-- and every such row stayed for ever; this removes the ones already there.
--
-- A NULL payload reads exactly like a missing row (the grain's default state), and the job index trigger ignores a
-- row without a payload, so nothing else changes. An activation that still holds such a row's ETag fails its next
-- write with a version conflict, as after any delete; a job grain then deactivates and the next call reloads it.
--
-- Idempotent: a second run finds nothing to delete. Runs inside the migrator's transaction.

DELETE FROM orleans_storage WHERE payloadbinary IS NULL;
