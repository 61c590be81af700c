using BtsCcst.Domain;

namespace BtsCcst.Scheduling;

/// <summary>The rules about candidates: every oral once, durations, one thing at a time, EF3 after U61.</summary>
public static partial class ScheduleValidator
{
    /// <summary>
    /// Every oral to plan appears exactly once, unless reported unplaced (and then not at all); no row
    /// for a candidate of no instance, nor for a unit the candidate does not sit.
    /// </summary>
    private static IEnumerable<Violation> EveryOralOnce(Input input)
    {
        var rule = HardRules.EveryOralOnce;
        var rowsByCandidate = input.Rows.GroupBy(r => r.Candidate, Ids).ToDictionary(g => g.Key, g => g.ToList(), Ids);

        foreach (var group in input.Rows.Where(r => r.CandidateInfo is null).GroupBy(r => r.Candidate, Ids))
        {
            var rows = group.ToList();
            yield return V(rule, $"Candidat {group.Key} : ce numéro n'est celui d'aucun candidat ayant des oraux à passer, "
                                 + $"il a pourtant {rows.Count} épreuve(s) au planning ({List(rows.Select(r => $"{r.Unit} {r.Where}"))}).");
        }

        foreach (var candidate in input.Candidates.Values)
        {
            var rows = rowsByCandidate.GetValueOrDefault(candidate.Number) ?? [];
            var toPlan = (candidate.Orals ?? []).Distinct().ToList();
            foreach (var unit in toPlan)
            {
                var placed = rows.Where(r => r.Unit == unit).ToList();
                var reported = input.Unplaced.Contains((Shown(candidate.Number).ToUpperInvariant(), unit));
                if (placed.Count == 0 && !reported)
                    yield return V(rule, $"Candidat {candidate.Number}, {unit} : l'épreuve n'est pas au planning et n'est pas signalée comme impossible à placer.");
                else if (placed.Count > 1)
                    yield return V(rule, $"Candidat {candidate.Number}, {unit} : l'épreuve figure {placed.Count} fois au planning ({List(placed.Select(r => r.Where))}) au lieu d'une.");
                else if (placed.Count == 1 && reported)
                    yield return V(rule, $"Candidat {candidate.Number}, {unit} : l'épreuve est au planning ({placed[0].Where}) mais aussi signalée comme impossible à placer.");
            }
            foreach (var extra in rows.Where(r => !toPlan.Contains(r.Unit)).GroupBy(r => r.Unit))
            {
                yield return V(rule, $"Candidat {candidate.Number}, {extra.Key} : cette épreuve n'est pas à planifier pour ce candidat "
                                     + $"(épreuve non choisie, dispense, note conservée ou dossier non conforme), elle est pourtant au planning ({List(extra.Select(r => r.Where))}).");
            }
        }
    }

    /// <summary>
    /// §2 durations and preparation, stretched by the candidate's extra time and rounded up to 5 minutes
    /// (<see cref="OralRules.Timing"/>); prep_start is empty exactly when the unit has no preparation.
    /// </summary>
    private static IEnumerable<Violation> Durations(Input input)
    {
        var rule = HardRules.Durations;
        foreach (var row in input.Rows)
        {
            var at = At(row.Centre, row.Date, row.PrepStart ?? row.ExamStart);
            if (UnitCatalogue.Get(row.Unit).PonctualMode != ExamMode.Oral)
            {
                yield return V(rule, $"{at} : {row.Unit} (candidat {row.Candidate}) est une épreuve écrite, pas un oral.");
                continue;
            }
            if (row.CandidateInfo is not { ExtraTimePercent: >= 0 and <= 100 } candidate) continue;

            var timing = OralRules.Timing(row.Unit, candidate.ExtraTimePercent);
            var stretched = candidate.ExtraTimePercent > 0
                ? $" (temps majoré de {candidate.ExtraTimePercent} % compris, arrondi aux 5 minutes)"
                : "";

            if (row.ExamEnd <= row.ExamStart)
                yield return V(rule, $"{at} : l'épreuve {row.What} finit à {Clock(row.ExamEnd)}, pas après son début ({Clock(row.ExamStart)}) ; elle dure {timing.ExamMinutes} min{stretched}.");
            else if (row.ExamEnd - row.ExamStart != timing.ExamMinutes)
                yield return V(rule, $"{at} : l'épreuve {row.What} dure {row.ExamEnd - row.ExamStart} min ({Clock(row.ExamStart)}–{Clock(row.ExamEnd)}) au lieu de {timing.ExamMinutes} min{stretched}.");

            if (row.PrepStart is not { } prep)
            {
                if (timing.PreparationMinutes > 0)
                    yield return V(rule, $"{at} : l'épreuve {row.What} n'a pas d'heure de préparation alors qu'elle demande {timing.PreparationMinutes} min de préparation surveillée{stretched}.");
            }
            else if (timing.PreparationMinutes == 0)
                yield return V(rule, $"{at} : l'épreuve {row.What} se passe sans préparation, l'heure de préparation ({Clock(prep)}) doit rester vide.");
            else if (row.ExamStart - prep != timing.PreparationMinutes)
                yield return V(rule, $"{at} : la préparation de {row.What} dure {row.ExamStart - prep} min ({Clock(prep)}–{Clock(row.ExamStart)}) au lieu de {timing.PreparationMinutes} min{stretched} ; elle se termine quand l'épreuve commence.");
        }
    }

    /// <summary>
    /// A candidate does one thing at a time, with at least <see cref="OralRules.MinimumGapMinutes"/> from the
    /// end of an exam to their next preparation or exam; an oral that follows at once
    /// (<see cref="OralRules.FollowsAtOnce"/>: U61 then EF3) needs no gap.
    /// </summary>
    private static IEnumerable<Violation> CandidateOneThingAtATime(Input input)
    {
        var rule = HardRules.CandidateOneThingAtATime;
        foreach (var day in input.Rows.GroupBy(r => (Candidate: r.Candidate.ToUpperInvariant(), r.Date)))
        {
            var rows = day.OrderBy(r => r.Start).ThenBy(r => r.ExamStart).ToList();
            for (var i = 0; i < rows.Count; i++)
            {
                for (var j = i + 1; j < rows.Count; j++)
                {
                    var first = rows[i];
                    var second = rows[j];
                    var gap = OralRules.FollowsAtOnce(first.Unit, second.Unit) ? 0 : OralRules.MinimumGapMinutes;
                    if (second.Start >= first.ExamEnd + gap) continue;
                    var who = $"Candidat {second.Candidate}, {Day(day.Key.Date)}";
                    if (second.Start < first.ExamEnd)
                        yield return V(rule, $"{who} : {first.Unit} ({first.Centre}, {first.Span}) et {second.Unit} ({second.Centre}, {second.Span}) se chevauchent.");
                    else
                        yield return V(rule, $"{who} : {second.Start - first.ExamEnd} min seulement entre la fin de {first.Unit} ({Clock(first.ExamEnd)}) "
                                             + $"et {(second.PrepStart is not null ? "la préparation de " : "")}{second.Unit} ({Clock(second.Start)}) ; il en faut au moins {OralRules.MinimumGapMinutes}.");
                }
            }
        }
    }

    /// <summary>EF3 follows the candidate's U61 at once (EF3 starts when U61 ends), the same day, in the same centre, before the same commission.</summary>
    private static IEnumerable<Violation> Ef3AfterU61(Input input)
    {
        var rule = HardRules.Ef3AfterU61;
        foreach (var ef3 in input.Rows.Where(r => r.Unit == UnitCode.EF3))
        {
            var u61s = input.Rows.Where(r => r.Unit == UnitCode.U61 && SameId(r.Candidate, ef3.Candidate)).ToList();
            if (u61s.Count == 0)
            {
                yield return V(rule, $"{At(ef3.Centre, ef3.Date, ef3.ExamStart)} : l'EF3 du candidat {ef3.Candidate} est au planning sans son U61, qu'elle doit suivre immédiatement.");
                continue;
            }
            var followsAtOnce = u61s.Any(u61 => u61.Date == ef3.Date && SameId(u61.Centre, ef3.Centre)
                                                && SameId(u61.Commission, ef3.Commission) && u61.ExamEnd == ef3.ExamStart);
            if (!followsAtOnce)
            {
                var u61 = u61s[0];
                yield return V(rule, $"{At(ef3.Centre, ef3.Date, ef3.ExamStart)} : l'EF3 du candidat {ef3.Candidate} (commission {ef3.Commission}) doit suivre immédiatement son U61 "
                                     + $"({u61.Centre}, {Day(u61.Date)}, {Clock(u61.ExamStart)}–{Clock(u61.ExamEnd)}, commission {u61.Commission}), devant la même commission et sans battement.");
            }
        }
    }

    /// <summary>A candidate is examined in a centre that serves their academy.</summary>
    private static IEnumerable<Violation> CentreServesAcademy(Input input)
    {
        var rule = HardRules.CentreServesAcademy;
        var known = input.Rows.Where(r => r.CentreInfo is not null && r.CandidateInfo is not null);
        foreach (var group in known.GroupBy(r => (Candidate: r.CandidateInfo!.Number, Centre: r.CentreInfo!.Id)))
        {
            var candidate = group.First().CandidateInfo!;
            var centre = group.First().CentreInfo!;
            if ((centre.Academies ?? new HashSet<string>()).Any(a => SameName(a, candidate.Academy))) continue;
            yield return V(rule, $"Candidat {candidate.Number} (académie {candidate.Academy}) : convoqué au centre {centre.Id} ({List(group.Select(r => $"{r.Unit} le {Day(r.Date)}"))}), "
                                 + $"qui n'accueille pas son académie (académies du centre : {List(centre.Academies ?? new HashSet<string>())}).");
        }
    }
}
