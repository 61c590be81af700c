using BtsCcst.Domain;
using static BtsCcst.Domain.UnitCode;

namespace BtsCcst.Domain.Tests;

/// <summary>Builds candidates' results from the text of marks.csv.</summary>
internal static class Given
{
    public static readonly UnitCode[] Mandatory = [E1, E21, E22, E3, E4, E5, U61, U62];
    public static readonly UnitCode[] General = [E1, E21, E22, E3];
    public static readonly UnitCode[] Professional = [E4, E5, U61, U62];
    public static readonly UnitCode[] Optional = [EF1, EF2, EF3];

    public static Dictionary<UnitCode, UnitResult> Results(params (UnitCode Unit, string Result)[] items) =>
        items.ToDictionary(i => i.Unit, i => UnitResult.Parse(i.Result));

    /// <summary>Every mandatory unit with <paramref name="result"/>, then the overrides (which may add optional units).</summary>
    public static Dictionary<UnitCode, UnitResult> AllMandatory(string result, params (UnitCode Unit, string Result)[] overrides)
    {
        var results = Mandatory.ToDictionary(u => u, _ => UnitResult.Parse(result));
        foreach (var (unit, r) in overrides) results[unit] = UnitResult.Parse(r);
        return results;
    }

    /// <summary>Worked case 2 of deliberation.md, without EF1: points 247, SECOND_GROUPE.</summary>
    public static Dictionary<UnitCode, UnitResult> Case2() => Results(
        (E1, "8"), (E21, "9"), (E22, "11"), (E3, "7"), (E4, "12"), (E5, "10"), (U61, "11"), (U62, "9"));

    public static Dictionary<UnitCode, UnitResult> With(this Dictionary<UnitCode, UnitResult> results, UnitCode unit, string result)
    {
        var copy = new Dictionary<UnitCode, UnitResult>(results) { [unit] = UnitResult.Parse(result) };
        return copy;
    }

    public static Dictionary<UnitCode, UnitResult> Without(this Dictionary<UnitCode, UnitResult> results, params UnitCode[] units)
    {
        var copy = new Dictionary<UnitCode, UnitResult>(results);
        foreach (var u in units) copy.Remove(u);
        return copy;
    }

    public static DeliberationOutcome First(Dictionary<UnitCode, UnitResult> results) =>
        Deliberation.FirstGroup(results, DeliberationRules.Session2024);
}
