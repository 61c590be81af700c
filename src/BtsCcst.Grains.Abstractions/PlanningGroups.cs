using BtsCcst.Domain;

namespace BtsCcst.Grains.Abstractions;

/// <summary>The two plans of a session: the first-group orals (1) and the second group's contrôle orals (2).</summary>
public static class PlanningGroups
{
    public const int First = 1;
    public const int Second = 2;

    /// <summary>The group whose plan holds an oral of this unit (a unit code as written in schedule.csv).</summary>
    public static int Of(string unit) =>
        UnitCatalogue.TryParse(unit, out var code) && UnitCatalogue.Get(code).Kind == UnitKind.Controle ? Second : First;
}
