using BtsCcst.Domain;
using BtsCcst.Grains.Abstractions;

namespace BtsCcst.Grains.Deliberation;

public static class DeliberationSettingsMapping
{
    public static DeliberationSettings Default { get; } = FromRules(DeliberationRules.Session2024);

    public static DeliberationRules ToRules(this DeliberationSettings settings) =>
        new(settings.PassAverage, settings.SecondGroupAverage, settings.ProfessionalAverage, settings.NearThresholdMargin);

    public static DeliberationSettings FromRules(DeliberationRules rules) =>
        new(rules.PassAverage, rules.SecondGroupAverage, rules.ProfessionalAverage, rules.NearThresholdMargin);
}
