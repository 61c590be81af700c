using BtsCcst.Server.Hosting;
using Orleans.Configuration;

namespace BtsCcst.Cluster.Tests;

/// <summary>BtsCcst:Membership: unset keeps Orleans' failure detection; set values reach ClusterMembershipOptions.</summary>
public sealed class MembershipSettingsTests
{
    [Fact]
    public void Unset_keeps_the_Orleans_defaults()
    {
        var settings = new BtsCcstOptions().Membership;
        Assert.False(settings.IsSet);
        var options = new ClusterMembershipOptions();
        settings.ApplyTo(options);
        var defaults = new ClusterMembershipOptions();
        Assert.Equal(defaults.ProbeTimeout, options.ProbeTimeout);
        Assert.Equal(defaults.NumMissedProbesLimit, options.NumMissedProbesLimit);
        Assert.Equal(defaults.DeathVoteExpirationTimeout, options.DeathVoteExpirationTimeout);
        Assert.Equal(defaults.TableRefreshTimeout, options.TableRefreshTimeout);
    }

    [Fact]
    public void The_fast_detection_of_the_tests_reaches_the_options()
    {
        var settings = new MembershipSettings { ProbeTimeoutSeconds = 1, NumMissedProbesLimit = 2, DeathVoteExpirationSeconds = 20, TableRefreshSeconds = 2 };
        settings.Validate();
        var options = new ClusterMembershipOptions();
        settings.ApplyTo(options);
        Assert.Equal(TimeSpan.FromSeconds(1), options.ProbeTimeout);
        Assert.Equal(2, options.NumMissedProbesLimit);
        Assert.Equal(TimeSpan.FromSeconds(20), options.DeathVoteExpirationTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), options.TableRefreshTimeout);
    }

    [Fact]
    public void A_value_out_of_range_stops_the_start_naming_the_setting()
    {
        var options = new BtsCcstOptions
        {
            Cluster = BtsCcstOptions.PostgreSqlCluster,
            PostgreSql = new PostgreSqlSettings { ConnectionString = "Host=127.0.0.1;Database=btsccst;Username=btsccst;Password=btsccst" },
            Membership = new MembershipSettings { NumMissedProbesLimit = 0 },
        };
        var error = Assert.Throws<InvalidOperationException>(options.Validate);
        Assert.Contains("BtsCcst:Membership:NumMissedProbesLimit", error.Message);
    }
}
