using BtsCcst.Grains.Tests.Storage;
using Npgsql;

namespace BtsCcst.Cluster.Tests;

/// <summary>What the cluster tests read of the membership table, on the test database (PostgreSqlTestDatabase, shared with
/// the in-process PostgreSQL tests).</summary>
public static class MembershipQueries
{
    /// <summary>Silos of the cluster per membership status (3 = active, 6 = dead).</summary>
    public static Task<int> CountSilosAsync(this PostgreSqlTestDatabase database, int status) =>
        database.ScalarAsync<int>("SELECT count(*) FROM OrleansMembershipTable WHERE Status = @status", ("status", status));

    /// <summary>Membership rows, for failure messages.</summary>
    public static async Task<string> DescribeMembershipAsync(this PostgreSqlTestDatabase database)
    {
        try
        {
            return string.Join("; ", await database.RowsAsync("SELECT Address, Port, Generation, Status FROM OrleansMembershipTable ORDER BY Port, Generation"));
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            return $"(membership unreadable: {e.Message})";
        }
    }
}
