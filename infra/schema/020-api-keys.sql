-- API keys: who may call the HTTP API, for which tenant, in which role.
--
-- Only a hash of each key is stored: SHA-256 of the key's UTF-8 text. Keys are 256-bit random
-- values made by the API, so a fast hash is the right tool: nobody can guess a key or reverse the
-- hash by trying candidates, which is what slow, salted password hashes (bcrypt, Argon2) defend
-- against for low-entropy passwords. A fast, unsalted hash keeps a lookup one index probe by
-- hash, which a per-key salt would prevent.
--
-- Revoking a key stamps revoked_at and keeps the row, so a listing still shows who had access.
-- The revoking statement notifies channel jobs_keys with the key's id, so every API process drops
-- it from its short lookup cache at once (src/Jobs.Api/Auth/ApiKeyStore.cs).
--
-- Idempotent: every object is created only if missing. Runs inside the migrator's transaction.

CREATE SCHEMA IF NOT EXISTS jobs;

CREATE TABLE IF NOT EXISTS jobs.api_key
(
    id          uuid        PRIMARY KEY,
    tenant      text        NOT NULL,
    role        text        NOT NULL CHECK (role IN ('operator', 'tenant')),
    key_hash    bytea       NOT NULL UNIQUE CHECK (length(key_hash) = 32),
    -- The first characters of the key, so people can tell their keys apart; never enough to use.
    key_prefix  text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);

CREATE INDEX IF NOT EXISTS api_key_tenant_created ON jobs.api_key (tenant, created_at DESC);
