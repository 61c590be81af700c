-- BtsCcst: Orleans ADO.NET grain persistence for PostgreSQL (Microsoft.Orleans.Persistence.AdoNet,
-- invariant "Npgsql"). Run orleans-main.sql first. Idempotent (see orleans-main.sql).
--
-- The provider's contract (Orleans 10.4), the same as for ops/sql/sqlite:
--   * Keys: WriteToStorageKey, ReadFromStorageKey, ClearStorageKey, and DeleteStorageKey (used
--     instead of ClearStorageKey by a provider configured with DeleteStateOnClear).
--   * Parameters: @GrainIdHash (int), @GrainIdN0 and @GrainIdN1 (bigint), @GrainTypeHash (int),
--     @GrainTypeString (text), @GrainIdExtensionString (text, NULL unless the key has an
--     extension or is a string key), @ServiceId (text); for write, clear and delete
--     @GrainStateVersion (int, the ETag, NULL when the grain has none); for write @PayloadBinary
--     (bytea). Each query runs as one command, outside any explicit transaction.
--   * Read returns zero or one row (PayloadBinary, Version); a NULL payload means the state was
--     cleared, while the row and its version stay.
--   * Write, clear and delete return one row whose column NewGrainStateVersion is the new version
--     when the compare-and-swap succeeded, and no row when it did not (the provider then raises
--     InconsistentStateException).
--
-- Every query is a single statement, so it is atomic without a transaction of its own.

CREATE TABLE IF NOT EXISTS OrleansStorage
(
    -- Hashes computed by the provider (signed 32-bit) over the grain id and type.
    GrainIdHash            integer     NOT NULL,
    GrainIdN0              bigint      NOT NULL,
    GrainIdN1              bigint      NOT NULL,
    GrainTypeHash          integer     NOT NULL,
    GrainTypeString        text        NOT NULL,
    GrainIdExtensionString text        NULL,
    ServiceId              text        NOT NULL,
    -- Serialized state; NULL once cleared.
    PayloadBinary          bytea       NULL,
    -- Informational only.
    ModifiedOn             timestamptz NOT NULL,
    -- Optimistic concurrency version: 1 on first write, +1 on every write or clear.
    Version                integer     NOT NULL
);

-- One row per grain, over the full natural key so that hash collisions cannot merge two grains.
-- A unique index treats NULLs as distinct (NULLS NOT DISTINCT needs PostgreSQL 15), hence the two
-- expressions that make "no extension" one value, still different from an empty extension.
-- The first write of a grain relies on this index: a concurrent second insert does nothing.
CREATE UNIQUE INDEX IF NOT EXISTS ux_orleansstorage_grain ON OrleansStorage
(
    GrainIdHash,
    GrainTypeHash,
    GrainIdN0,
    GrainIdN1,
    GrainTypeString,
    ServiceId,
    (GrainIdExtensionString IS NULL),
    (COALESCE(GrainIdExtensionString, ''))
);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadFromStorageKey', $q$
SELECT PayloadBinary, Version
FROM OrleansStorage
WHERE GrainIdHash = @GrainIdHash
  AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0
  AND GrainIdN1 = @GrainIdN1
  AND GrainTypeString = @GrainTypeString
  AND ServiceId = @ServiceId
  AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
$q$),

-- ETag set: update the row only if its version still equals the ETag.
-- ETag NULL: insert version 1 unless the grain already has a row (another activation wrote
-- first, or the grain should have read its state first): then nothing is returned.
-- At most one of the two branches can change a row.
('WriteToStorageKey', $q$
WITH updated AS
(
    UPDATE OrleansStorage
    SET PayloadBinary = @PayloadBinary,
        ModifiedOn = now(),
        Version = Version + 1
    WHERE @GrainStateVersion IS NOT NULL
      AND Version = @GrainStateVersion
      AND GrainIdHash = @GrainIdHash
      AND GrainTypeHash = @GrainTypeHash
      AND GrainIdN0 = @GrainIdN0
      AND GrainIdN1 = @GrainIdN1
      AND GrainTypeString = @GrainTypeString
      AND ServiceId = @ServiceId
      AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
    RETURNING Version
),
inserted AS
(
    INSERT INTO OrleansStorage
        (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString,
         ServiceId, PayloadBinary, ModifiedOn, Version)
    SELECT @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString, @GrainIdExtensionString,
           @ServiceId, @PayloadBinary, now(), 1
    WHERE @GrainStateVersion IS NULL
    ON CONFLICT DO NOTHING
    RETURNING Version
)
SELECT Version AS NewGrainStateVersion FROM updated
UNION ALL
SELECT Version AS NewGrainStateVersion FROM inserted
$q$),

-- The payload goes, the row and a bumped version stay, so a stale activation still conflicts.
('ClearStorageKey', $q$
UPDATE OrleansStorage
SET PayloadBinary = NULL,
    ModifiedOn = now(),
    Version = Version + 1
WHERE Version = @GrainStateVersion
  AND GrainIdHash = @GrainIdHash
  AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0
  AND GrainIdN1 = @GrainIdN1
  AND GrainTypeString = @GrainTypeString
  AND ServiceId = @ServiceId
  AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
RETURNING Version AS NewGrainStateVersion
$q$),

-- The returned value only tells the provider the delete happened; it then forgets the ETag.
('DeleteStorageKey', $q$
DELETE FROM OrleansStorage
WHERE Version = @GrainStateVersion
  AND GrainIdHash = @GrainIdHash
  AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0
  AND GrainIdN1 = @GrainIdN1
  AND GrainTypeString = @GrainTypeString
  AND ServiceId = @ServiceId
  AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
RETURNING Version + 1 AS NewGrainStateVersion
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText
WHERE OrleansQuery.QueryText IS DISTINCT FROM excluded.QueryText;
