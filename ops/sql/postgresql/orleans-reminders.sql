-- BtsCcst: Orleans ADO.NET reminders for PostgreSQL (Microsoft.Orleans.Reminders.AdoNet,
-- invariant "Npgsql"). Run orleans-main.sql first. Idempotent (see orleans-main.sql).
--
-- The provider's contract (Orleans 10.4):
--   * Keys: UpsertReminderRowKey, ReadReminderRowKey, ReadReminderRowsKey, ReadRangeRows1Key,
--     ReadRangeRows2Key, DeleteReminderRowKey, DeleteReminderRowsKey (all required).
--   * Parameters: @ServiceId, @GrainId, @ReminderName (text); @GrainHash, @BeginHash, @EndHash
--     (int: the unsigned 32-bit grain hashes, reinterpreted as signed); @StartTime (UTC
--     timestamp); @Period (milliseconds, int, or bigint beyond 2^31 - 1); @Version (int, the ETag).
--   * Reads return GrainId, ReminderName, StartTime, Period, Version. Upsert returns the new
--     Version; DeleteReminderRowKey returns exactly one row of one boolean column: deleted or not.
--   * Each silo reads the reminders of its share of the hash ring, (@BeginHash, @EndHash]:
--     ReadRangeRows1Key when that range does not wrap round in signed order, else
--     ReadRangeRows2Key.

CREATE TABLE IF NOT EXISTS OrleansRemindersTable
(
    ServiceId    varchar(150) NOT NULL,
    GrainId      text         NOT NULL,
    ReminderName varchar(150) NOT NULL,
    StartTime    timestamptz  NOT NULL,
    Period       bigint       NOT NULL,
    GrainHash    integer      NOT NULL,
    Version      integer      NOT NULL,
    PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

CREATE INDEX IF NOT EXISTS ix_orleansreminderstable_grainhash ON OrleansRemindersTable (ServiceId, GrainHash);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('UpsertReminderRowKey', $q$
INSERT INTO OrleansRemindersTable AS r
    (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
SET StartTime = excluded.StartTime,
    Period = excluded.Period,
    GrainHash = excluded.GrainHash,
    Version = r.Version + 1
RETURNING Version
$q$),

('ReadReminderRowKey', $q$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName
$q$),

('ReadReminderRowsKey', $q$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId AND GrainId = @GrainId
$q$),

('ReadRangeRows1Key', $q$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId AND GrainHash > @BeginHash AND GrainHash <= @EndHash
$q$),

('ReadRangeRows2Key', $q$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId AND (GrainHash > @BeginHash OR GrainHash <= @EndHash)
$q$),

('DeleteReminderRowKey', $q$
WITH deleted AS
(
    DELETE FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName
      AND Version = @Version
    RETURNING 1
)
SELECT count(*) > 0 FROM deleted
$q$),

('DeleteReminderRowsKey', $q$
DELETE FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText
WHERE OrleansQuery.QueryText IS DISTINCT FROM excluded.QueryText;
