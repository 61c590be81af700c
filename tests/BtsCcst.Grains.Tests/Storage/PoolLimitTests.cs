using BtsCcst.Grains.Storage;
using Npgsql;

namespace BtsCcst.Grains.Tests.Storage;

/// <summary>A silo's Npgsql pool stays under PostgreSQL's max_connections unless its connection string sizes it.</summary>
public sealed class PoolLimitTests
{
    [Fact]
    public void A_connection_string_without_a_pool_size_gets_the_default_limit() =>
        Assert.Equal(PostgreSqlClusterSiloBuilderExtensions.DefaultMaxPoolSize,
            new NpgsqlConnectionStringBuilder(PostgreSqlClusterSiloBuilderExtensions.WithPoolLimit("Host=db;Database=btsccst;Username=u;Password=p")).MaxPoolSize);

    [Theory]
    [InlineData("Host=db;Database=btsccst;Maximum Pool Size=12")]
    [InlineData("Host=db;Database=btsccst;MaxPoolSize=12")]
    [InlineData("Host=db;Database=btsccst;maximum pool size=12")]
    public void A_pool_size_set_by_the_operator_is_kept(string connectionString) =>
        Assert.Equal(12, new NpgsqlConnectionStringBuilder(PostgreSqlClusterSiloBuilderExtensions.WithPoolLimit(connectionString)).MaxPoolSize);

    [Fact]
    public void Two_silos_at_the_default_limit_stay_under_a_default_server_s_connections() =>
        // PostgreSQL's defaults: max_connections 100, superuser_reserved_connections 3.
        Assert.True(2 * PostgreSqlClusterSiloBuilderExtensions.DefaultMaxPoolSize <= 100 - 3);
}
