-- The ASP.NET Core data protection key ring of the API processes. It protects the jobs page's sign-in cookie and its
-- form tokens; kept here, every API process on this database reads and writes the same keys, so a cookie issued by one
-- is accepted by all of them and a restart signs nobody out. Rows are the key ring's XML elements (keys and
-- revocations) as ASP.NET Core writes them; it never updates or deletes one, and expired keys stay harmlessly.
-- The keys are stored unencrypted: whoever can read this database can read the sessions' keys, as they can the jobs.

CREATE TABLE IF NOT EXISTS jobs.data_protection_keys (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    friendly_name text        NOT NULL,
    xml           text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
