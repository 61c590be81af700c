-- BtsCcst: Orleans ADO.NET grain persistence for SQLite (Microsoft.Orleans.Persistence.AdoNet,
-- invariant "System.Data.SQLite", which Orleans maps to Microsoft.Data.Sqlite).
--
-- Owned by this project and written to the provider's contract; run orleans-main.sql first.
-- Idempotent: tables and indexes are created only when missing, and the query rows are upserted,
-- so re-running the script refreshes the query texts without touching stored grain state.
--
-- How the provider uses these rows (Orleans 10.4):
--   * It reads WriteToStorageKey, ReadFromStorageKey, ClearStorageKey and (optional)
--     DeleteStorageKey from OrleansQuery once, at silo start-up.
--   * Each operation opens a pooled connection, binds the named parameters @GrainIdHash,
--     @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString, @GrainIdExtensionString (NULL
--     unless the key has an extension or is a string key), @ServiceId, and for write/clear/delete
--     @GrainStateVersion (the ETag as an integer, NULL when the grain has none) and for write
--     @PayloadBinary. It runs the text as one command, in autocommit mode (no transaction), and
--     reads the rows of every result set; it expects at most one row in total.
--   * Read: zero or one row (PayloadBinary, Version). Version is the ETag; a NULL payload means
--     the state was cleared (RecordExists = false) but the row, and its version, remain.
--   * Write / Clear / Delete: one row whose first column, NewGrainStateVersion, is the new
--     version when the compare-and-swap succeeded, and NO row when it did not (wrong version,
--     row already there for a first write, row gone). No row makes the provider raise
--     InconsistentStateException: for a NULL ETag because NULL equals NULL, for a set ETag
--     because a missing version is a conflict.
--
-- SQLite has no stored procedures, and Microsoft.Data.Sqlite runs a multi-statement text one
-- statement at a time, each in its own autocommit transaction. So every query below is a single
-- statement, atomic on its own (the write is two statements of which at most one can change a
-- row, selected by whether @GrainStateVersion is NULL). Rows come back through RETURNING
-- (SQLite 3.35+), so the version returned is the one actually written.

CREATE TABLE IF NOT EXISTS OrleansStorage
(
    -- Hashes computed by the provider's hasher (signed 32-bit) over the grain id and type.
    GrainIdHash            INTEGER NOT NULL,
    GrainIdN0              INTEGER NOT NULL,
    GrainIdN1              INTEGER NOT NULL,
    GrainTypeHash          INTEGER NOT NULL,
    GrainTypeString        TEXT    NOT NULL,
    GrainIdExtensionString TEXT    NULL,
    ServiceId              TEXT    NOT NULL,
    -- Serialized state; NULL once cleared.
    PayloadBinary          BLOB    NULL,
    -- Informational only (UTC, 'YYYY-MM-DD HH:MM:SS').
    ModifiedOn             TEXT    NOT NULL,
    -- Optimistic concurrency version: 1 on first write, +1 on every write or clear.
    Version                INTEGER NOT NULL
);

-- One row per grain. The full natural key is part of the index, so hash collisions cannot merge
-- two grains. SQLite treats NULLs as distinct in a UNIQUE index, hence the two expressions that
-- make "no extension" (NULL) a single value, still different from an empty extension ('').
-- The first write of a grain relies on this index: a concurrent second insert does nothing.
CREATE UNIQUE INDEX IF NOT EXISTS UX_OrleansStorage_Grain ON OrleansStorage
(
    GrainIdHash,
    GrainTypeHash,
    GrainIdN0,
    GrainIdN1,
    GrainTypeString,
    ServiceId,
    GrainIdExtensionString IS NULL,
    IFNULL(GrainIdExtensionString, '')
);

-- Reads the state and its version. "IS" is SQLite's NULL-safe equality.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadFromStorageKey', '
SELECT PayloadBinary, Version
FROM OrleansStorage
WHERE GrainIdHash = @GrainIdHash
  AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0
  AND GrainIdN1 = @GrainIdN1
  AND GrainTypeString = @GrainTypeString
  AND ServiceId = @ServiceId
  AND GrainIdExtensionString IS @GrainIdExtensionString;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Writes the state with optimistic concurrency.
--   ETag set:  update the row only if its version still equals the ETag; return the new version.
--   ETag NULL: insert version 1 unless the grain already has a row (another activation wrote
--              first, or the grain should have read its state): then nothing is returned.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('WriteToStorageKey', '
UPDATE OrleansStorage
SET PayloadBinary = @PayloadBinary,
    ModifiedOn = CURRENT_TIMESTAMP,
    Version = Version + 1
WHERE @GrainStateVersion IS NOT NULL
  AND Version = @GrainStateVersion
  AND GrainIdHash = @GrainIdHash
  AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0
  AND GrainIdN1 = @GrainIdN1
  AND GrainTypeString = @GrainTypeString
  AND ServiceId = @ServiceId
  AND GrainIdExtensionString IS @GrainIdExtensionString
RETURNING Version AS NewGrainStateVersion;

INSERT INTO OrleansStorage
    (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString,
     ServiceId, PayloadBinary, ModifiedOn, Version)
SELECT @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString, @GrainIdExtensionString,
       @ServiceId, @PayloadBinary, CURRENT_TIMESTAMP, 1
WHERE @GrainStateVersion IS NULL
ON CONFLICT DO NOTHING
RETURNING Version AS NewGrainStateVersion;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Clears the state: the payload goes, the row and a bumped version stay, so a stale activation
-- still conflicts afterwards.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ClearStorageKey', '
UPDATE OrleansStorage
SET PayloadBinary = NULL,
    ModifiedOn = CURRENT_TIMESTAMP,
    Version = Version + 1
WHERE Version = @GrainStateVersion
  AND GrainIdHash = @GrainIdHash
  AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0
  AND GrainIdN1 = @GrainIdN1
  AND GrainTypeString = @GrainTypeString
  AND ServiceId = @ServiceId
  AND GrainIdExtensionString IS @GrainIdExtensionString
RETURNING Version AS NewGrainStateVersion;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Deletes the row (used instead of ClearStorageKey when a provider sets DeleteStateOnClear).
-- The returned value only tells the provider the delete happened; it then forgets the ETag.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('DeleteStorageKey', '
DELETE FROM OrleansStorage
WHERE Version = @GrainStateVersion
  AND GrainIdHash = @GrainIdHash
  AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0
  AND GrainIdN1 = @GrainIdN1
  AND GrainTypeString = @GrainTypeString
  AND ServiceId = @ServiceId
  AND GrainIdExtensionString IS @GrainIdExtensionString
RETURNING Version + 1 AS NewGrainStateVersion;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
