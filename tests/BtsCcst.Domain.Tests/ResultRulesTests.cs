using BtsCcst.Domain;
using static BtsCcst.Domain.UnitCode;

namespace BtsCcst.Domain.Tests;

public class ResultRulesTests
{
    /// <summary>Chose EF1, dispensed from E1, kept E4 at 12.5.</summary>
    private static readonly CandidateUnits Candidate = new(
        new HashSet<UnitCode> { EF1 },
        new HashSet<UnitCode> { E1 },
        new Dictionary<UnitCode, decimal> { [E4] = 12.5m });

    [Theory]
    [InlineData(E1, "DISP")]
    [InlineData(E21, "12.5")]
    [InlineData(E22, "0")]
    [InlineData(E3, "ABS")]
    [InlineData(E5, "ABSJ")]
    [InlineData(E5, "BEN:14")]
    [InlineData(E4, "BEN:12.5")]
    [InlineData(E4, "NV")]
    [InlineData(U61, "NV")]
    [InlineData(U62, "NV")]
    [InlineData(U62, "20")]
    [InlineData(EF1, "14")]
    [InlineData(EF1, "ABS")]
    [InlineData(EF1, "ABSJ")]
    public void Accepted(UnitCode unit, string result)
    {
        Assert.Null(ResultRules.Check(unit, UnitResult.Parse(result), Candidate));
    }

    [Theory]
    [InlineData(C_E1, "12", "contrôle")]
    [InlineData(C_E2, "ABS", "premier groupe")]
    [InlineData(C_E3, "8", "contrôle")]
    [InlineData(E21, "DISP", "pas dispensé")]        // DISP not in dispensed_units
    [InlineData(E1, "12", "dispensé de E1")]          // non-DISP on a dispensed unit
    [InlineData(E1, "ABS", "seul DISP")]
    [InlineData(E1, "BEN:15", "seul DISP")]
    [InlineData(EF2, "15", "pas choisi")]             // optional unit not chosen
    [InlineData(EF3, "ABS", "pas choisi")]
    [InlineData(EF1, "NV", "note, ABS ou ABSJ")]      // optional: mark, ABS, ABSJ only
    [InlineData(EF1, "DISP", "note, ABS ou ABSJ")]
    [InlineData(EF1, "BEN:12", "note, ABS ou ABSJ")]  // BEN only on mandatory units
    [InlineData(E5, "NV", "E4, U61 et U62")]          // NV outside E4, U61, U62
    [InlineData(E22, "NV", "E4, U61 et U62")]
    [InlineData(E4, "DISP", "E1, E21, E22 et E3")]     // DISP outside the general units
    [InlineData(U61, "DISP", "E1, E21, E22 et E3")]
    public void Refused_with_a_french_reason(UnitCode unit, string result, string reason)
    {
        var message = ResultRules.Check(unit, UnitResult.Parse(result), Candidate);

        Assert.NotNull(message);
        Assert.Contains(reason, message, StringComparison.Ordinal);
    }

    [Fact]
    public void Registration_gives_DISP_for_dispensed_units_and_BEN_for_kept_units()
    {
        var candidate = new CandidateUnits(
            new HashSet<UnitCode> { EF2 },
            new HashSet<UnitCode> { E1, E22 },
            new Dictionary<UnitCode, decimal> { [E4] = 12.5m, [U61] = 10m });

        var results = ResultRules.FromRegistration(candidate);

        Assert.Equal(4, results.Count);
        Assert.Equal(UnitResult.Dispensed, results[E1]);
        Assert.Equal(UnitResult.Dispensed, results[E22]);
        Assert.Equal("BEN:12.5", results[E4].ToString());
        Assert.Equal(UnitResult.KeptFromEarlierSession(10m), results[U61]);
        Assert.All(results, r => Assert.Null(ResultRules.Check(r.Key, r.Value, candidate)));
    }

    [Fact]
    public void Registration_without_dispense_or_kept_unit_gives_no_result()
    {
        Assert.Empty(ResultRules.FromRegistration(new CandidateUnits(new HashSet<UnitCode>(), new HashSet<UnitCode>(), new Dictionary<UnitCode, decimal>())));
    }

    [Fact]
    public void Impossible_registrations_are_rejected()
    {
        var none = new HashSet<UnitCode>();
        var noKept = new Dictionary<UnitCode, decimal>();
        Assert.Throws<ArgumentException>(() => ResultRules.FromRegistration(new(none, new HashSet<UnitCode> { E4 }, noKept)));
        Assert.Throws<ArgumentException>(() => ResultRules.FromRegistration(new(none, none, new Dictionary<UnitCode, decimal> { [EF1] = 12m })));
        Assert.Throws<ArgumentException>(() => ResultRules.FromRegistration(new(none, new HashSet<UnitCode> { E1 }, new Dictionary<UnitCode, decimal> { [E1] = 12m })));
        Assert.Throws<ArgumentOutOfRangeException>(() => ResultRules.FromRegistration(new(none, none, new Dictionary<UnitCode, decimal> { [E5] = 9.5m })));
    }
}
