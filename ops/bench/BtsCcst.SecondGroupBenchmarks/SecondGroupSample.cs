using BtsCcst.Domain;
using BtsCcst.SampleGenerator;
using BtsCcst.Scheduling;
using BtsCcst.Server.Deliberation.Documents;

/// <summary>A candidate taken into the second group, with their first-group results and the contrôle units they chose.</summary>
sealed record SecondGroupCandidate(SampleCandidate Candidate, IReadOnlyDictionary<UnitCode, UnitResult> Results, UnitCode[] Choices, bool RealSecondGroup);

/// <summary>The documents' inputs of one jury after its second deliberation.</summary>
sealed record JuryDocuments(IReadOnlyList<TranscriptInput> Transcripts, MinutesInput Minutes);

/// <summary>The second group of a sample session, built as the server would hold it.</summary>
static class SecondGroupSample
{
    public static readonly DateOnly[] Window = [new(2024, 6, 24), new(2024, 6, 25)];
    private static readonly DeliberationRules Rules = DeliberationRules.Session2024;
    private static readonly Discipline[] ControleDisciplines = [Discipline.Lettres, Discipline.Anglais, Discipline.EcoGestion];

    /// <summary>Every candidate's first-group results (registration, then marks.csv) and outcome.</summary>
    public static Dictionary<string, (IReadOnlyDictionary<UnitCode, UnitResult> Results, DeliberationOutcome Outcome)> FirstGroupOutcomes(SampleSession session)
    {
        var marks = session.Marks.ToLookup(m => m.CandidateNumber);
        return session.Candidates.ToDictionary(c => c.CandidateNumber, c =>
        {
            var units = new CandidateUnits(c.OptionalUnits.ToHashSet(), c.DispensedUnits.ToHashSet(), c.KeptUnits.ToDictionary(k => k.Key, k => k.Value));
            var results = new Dictionary<UnitCode, UnitResult>(ResultRules.FromRegistration(units));
            foreach (var mark in marks[c.CandidateNumber]) results[mark.Unit] = mark.Result;
            return ((IReadOnlyDictionary<UnitCode, UnitResult>)results, Deliberation.FirstGroup(results, Rules));
        });
    }

    /// <summary>The SECOND_GROUPE candidates, then others drawn at random, up to <paramref name="share"/> of all; each chooses two units at random.</summary>
    public static List<SecondGroupCandidate> Choose(SampleSession session,
        Dictionary<string, (IReadOnlyDictionary<UnitCode, UnitResult> Results, DeliberationOutcome Outcome)> outcomes, double share, int seed)
    {
        var random = new Random(seed);
        var wanted = (int)Math.Round(session.Candidates.Count * share);
        var ordered = session.Candidates
            .Select(c => (Candidate: c, Order: random.Next(), Real: outcomes[c.CandidateNumber].Outcome.Decision == Decision.SecondGroupe))
            .OrderByDescending(x => x.Real).ThenBy(x => x.Order);
        var chosen = new List<SecondGroupCandidate>();
        foreach (var (candidate, _, real) in ordered)
        {
            if (chosen.Count == wanted) break;
            if (Eligible(outcomes[candidate.CandidateNumber].Results) is not { Count: > 0 } eligible) continue;
            var choices = eligible.OrderBy(_ => random.Next()).Take(SecondGroupRules.ChoiceCount(eligible, Rules)).Order().ToArray();
            chosen.Add(new SecondGroupCandidate(candidate, outcomes[candidate.CandidateNumber].Results, choices, real));
        }
        return chosen;
    }

    /// <summary>The contrôle units a candidate may choose; null when a covered unit has no mark (absent, non-valid, missing).</summary>
    private static IReadOnlyList<UnitCode>? Eligible(IReadOnlyDictionary<UnitCode, UnitResult> results)
    {
        try
        {
            return SecondGroupRules.Eligible(results, Rules);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>What the server's second-group run plans: the chosen orals, every centre open on the window, the contrôle teachers available on it.</summary>
    public static PlanningInstance Instance(SampleSession session, IReadOnlyList<SecondGroupCandidate> secondGroup) => PlanningInstance.Of(
        [.. secondGroup.Select(s => new PlanningCandidate(s.Candidate.CandidateNumber, s.Candidate.Academy, s.Candidate.EstablishmentUai,
            s.Candidate.ExtraTimePercent, s.Candidate.Ef1Language, s.Choices))],
        [.. session.Examiners.Where(e => ControleDisciplines.Contains(e.Discipline)).Select(e => new PlanningExaminer(
            e.ExaminerId, e.Discipline, [.. e.Languages], e.EstablishmentUai, e.CentreIds.ToHashSet(), Window.ToHashSet(),
            e.MaxMinutesPerDay ?? OralRules.DefaultMaxMinutesPerDay))],
        [.. session.Centres.Select(c => new PlanningCentre(c.CentreId, c.Name, c.Academies.ToHashSet(), c.TimeZone, Window,
            c.DayStart, c.DayEnd, c.LunchStart, c.LunchEnd, c.ExamRooms, c.PrepSeats, c.Address))]);

    /// <summary>The first <paramref name="size"/> candidates as one jury after its second deliberation (contrôle marks drawn at random).</summary>
    public static JuryDocuments Jury(SampleSession session,
        Dictionary<string, (IReadOnlyDictionary<UnitCode, UnitResult> Results, DeliberationOutcome Outcome)> outcomes,
        IReadOnlyList<SecondGroupCandidate> secondGroup, int size)
    {
        var random = new Random(7);
        var choices = secondGroup.Where(s => s.RealSecondGroup).ToDictionary(s => s.Candidate.CandidateNumber, s => s.Choices);
        var transcripts = new List<TranscriptInput>();
        var minutes = new List<MinutesCandidate>();
        foreach (var candidate in session.Candidates.OrderBy(c => c.CandidateNumber, StringComparer.Ordinal).Take(size))
        {
            var (results, first) = outcomes[candidate.CandidateNumber];
            var outcome = first;
            ControleLine[] lines = [];
            if (choices.TryGetValue(candidate.CandidateNumber, out var chosen))
            {
                var controle = chosen.ToDictionary(u => u, _ => UnitResult.Examined(random.Next(0, 41) / 2m));
                outcome = Deliberation.SecondGroup(results, controle, Rules);
                lines = [.. Deliberation.ControleComparisons(results, controle, Rules).Where(c => controle.ContainsKey(c.Controle))
                    .Select(c => new ControleLine(c.Controle.ToString(), c.FirstGroupMark, c.ControleResult?.ToString(), c.Kept))];
            }
            var units = UnitCatalogue.Mandatory.Select(u => u.Code).Concat(candidate.OptionalUnits)
                .Select(u => new TranscriptUnit(u.ToString(), null, UnitCatalogue.Get(u).Coefficient, results.TryGetValue(u, out var r) ? r.ToString() : null))
                .ToArray();
            var decision = outcome.Decision.ToCode();
            var firstAverage = lines.Length > 0 ? first.Average : null;
            transcripts.Add(new TranscriptInput("2024", candidate.CandidateNumber, candidate.LastName, candidate.FirstName, candidate.BirthDate,
                candidate.Academy, "NATIONAL", units, outcome.Points, outcome.Average, outcome.ProAverage, decision, outcome.Group, lines, firstAverage));
            minutes.Add(new MinutesCandidate(candidate.CandidateNumber, candidate.LastName, candidate.FirstName,
                results.ToDictionary(r => r.Key.ToString(), r => r.Value.ToString()), outcome.Points, outcome.Average, outcome.ProAverage,
                decision, outcome.Group, lines, lines.Length > 0 ? first.Decision.ToCode() : null, firstAverage));
        }
        var academies = session.Candidates.Take(size).Select(c => c.Academy).Distinct().Order().ToArray();
        return new JuryDocuments(transcripts, new MinutesInput("2024", "NATIONAL", academies, "Présidence du jury", ["Membre 1", "Membre 2", "Membre 3", "Membre 4"],
            "CLOSED", [], minutes, [], SignedOn: new DateOnly(2024, 7, 4)));
    }
}
