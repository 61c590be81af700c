-- BtsCcst: Orleans ADO.NET base schema for PostgreSQL (cluster mode, invariant "Npgsql").
--
-- Owned by this project and written to the Orleans ADO.NET providers' contract (Orleans 10.4).
-- BtsCcst.Grains embeds the four scripts of this folder and applies them at every start-up
-- through PostgreSqlSchema.EnsureCreated, in this order: main, clustering, persistence,
-- reminders; in one transaction that first takes an advisory lock, so silos starting together
-- apply them one after the other. Every script is idempotent: tables and indexes are created
-- only when missing, query rows are upserted, stored data is never touched.
-- By hand (the database must exist):
--   psql -v ON_ERROR_STOP=1 -1 -d btsccst -f orleans-main.sql -f orleans-clustering.sql \
--        -f orleans-persistence.sql -f orleans-reminders.sql
--
-- OrleansQuery is the registry every Orleans ADO.NET provider reads once, when it starts: one
-- row per operation, keyed by the name the provider looks up (e.g. 'WriteToStorageKey'), holding
-- the SQL the provider runs with its named parameters (@ServiceId, ...). A provider refuses to
-- start when one of its required keys is missing. Each provider script upserts its own rows.
--
-- Identifiers are unquoted, so PostgreSQL folds them to lower case; Npgsql finds the result
-- columns the providers ask for ("Version", "PayloadBinary", ...) whatever their case.
-- Query texts are dollar-quoted ($q$ ... $q$) so they can hold quotes without doubling them.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL PRIMARY KEY,
    QueryText text        NOT NULL
);
