-- BtsCcst: Orleans ADO.NET base schema for SQLite.
--
-- Owned by this project (the Orleans NuGet packages ship no SQL scripts). Idempotent: it can be
-- run again and again on the same database file. BtsCcst.Grains applies it at every start-up
-- through SqliteSchema.EnsureCreated, which also switches the file to WAL journal mode.
-- By hand: cat orleans-main.sql orleans-persistence.sql | sqlite3 path/to/btsccst.db
--
-- OrleansQuery is the registry the Orleans ADO.NET providers read at start-up: one row per
-- operation, keyed by the name the provider looks up (e.g. 'WriteToStorageKey'), holding the
-- SQL text the provider runs with its named parameters (@GrainIdHash, @ServiceId, ...).
-- Each provider script (orleans-persistence.sql, ...) upserts its own rows here.

PRAGMA journal_mode = WAL;

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  TEXT NOT NULL PRIMARY KEY,
    QueryText TEXT NOT NULL
);
