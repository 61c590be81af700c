using BtsCcst.Domain;
using BtsCcst.Grains.Abstractions;

namespace BtsCcst.Grains.Deliberation;

public static class DeliberationSettingsMapping
{
    public static DeliberationSettings Default { get; } = FromRules(DeliberationRules.Session2024);

    public static DeliberationRules ToRules(this DeliberationSettings settings) =>
        new(settings.PassAverage, settings.SecondGroupAverage, settings.ProfessionalAverage, settings.NearThresholdMargin)
        {
            ControleUnits = [.. settings.ControleUnitsOrDefault.Select(u => UnitCatalogue.TryParse(u, out var code) ? code
                : throw new RefusedException(RefusalKind.Invalid, $"controleUnits : « {u} » n'est pas une épreuve de contrôle (C_E1, C_E2, C_E3)."))],
        };

    public static DeliberationSettings FromRules(DeliberationRules rules) =>
        new(rules.PassAverage, rules.SecondGroupAverage, rules.ProfessionalAverage, rules.NearThresholdMargin,
            [.. rules.ControleUnits.Select(u => u.ToString())]);
}
