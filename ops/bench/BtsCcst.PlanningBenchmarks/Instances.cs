using System.Text;
using BtsCcst.Domain;
using BtsCcst.Domain.Imports;
using BtsCcst.SampleGenerator;
using BtsCcst.Scheduling;

namespace BtsCcst.PlanningBenchmarks;

/// <summary>A planning instance built as the server builds it, and what the benchmark needs to know of it.</summary>
/// <param name="Ponctual">Numbers of the candidates in ponctual form who have orals to plan (the size's "candidates").</param>
/// <param name="Unplaceable">Orals the server reports unplaced before planning (an EF3 whose U61 is not planned); not in the instance.</param>
public sealed record BenchInstance(SampleSize Size, int Seed, PlanningInstance Instance, IReadOnlySet<string> Ponctual, int Unplaceable, SampleShape? Shape = null)
{
    public int Orals => Instance.Candidates.Sum(c => c.Orals.Distinct().Count());
}

/// <summary>
/// Generates a sample size, writes its files (centres.csv, examiners.csv, candidates.csv, conformity.csv) and reads
/// them back with the Domain importers, then maps the rows as the server does: the import routes
/// (src/BtsCcst.Server/Api/Imports.cs) store the parsed rows, <c>CandidateGrain.GetPlanningData</c> computes each
/// candidate's orals with <see cref="OralRules.OralsToPlan"/> from form, optional, dispensed and kept units and the
/// non-conforming files, and <c>PlanningMapping.ToInstance</c> keeps the candidates with orals, in the order of
/// <c>GetCandidateNumbers</c> (candidate number, ordinal); examiners and centres stay in file order.
/// </summary>
public static class Instances
{
    public static BenchInstance Build(SampleSize size, int seed, SampleShape? shape = null)
    {
        var session = SampleSession.Generate(size, seed, shape ?? SampleShape.Standard);
        var centres = Parse(session.WriteCentres, CentresCsv.Parse, "centres.csv");
        var examiners = Parse(session.WriteExaminers, ExaminersCsv.Parse, "examiners.csv");
        var candidates = Parse(session.WriteCandidates, r => CandidatesCsv.Parse(r), "candidates.csv");
        var conformity = Parse(session.WriteConformity, ConformityCsv.Parse, "conformity.csv");

        var nonConforming = conformity.Where(r => r.Status == ConformityStatus.NonConforme)
            .GroupBy(r => r.CandidateNumber, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => (IReadOnlySet<UnitCode>)g.Select(r => r.Unit).ToHashSet(), StringComparer.OrdinalIgnoreCase);
        var planning = new List<PlanningCandidate>();
        var ponctual = new HashSet<string>(StringComparer.Ordinal);
        var unplaceable = 0;
        foreach (var row in candidates.OrderBy(c => c.CandidateNumber, StringComparer.Ordinal))
        {
            var notConforming = nonConforming.GetValueOrDefault(row.CandidateNumber) ?? new HashSet<UnitCode>();
            var kept = row.KeptUnits.Keys.ToHashSet();
            var orals = OralRules.OralsToPlan(row.Form, row.OptionalUnits, row.DispensedUnits, kept, notConforming);
            unplaceable += OralRules.UnplaceableOrals(row.Form, row.OptionalUnits, row.DispensedUnits, kept, notConforming).Count;
            if (orals.Count == 0) continue;
            planning.Add(new PlanningCandidate(row.CandidateNumber, row.Academy, row.EstablishmentUai, row.ExtraTimePercent, row.Ef1Language, orals.ToArray()));
            if (row.Form == ExamForm.Ponctuel) ponctual.Add(row.CandidateNumber);
        }
        var instance = PlanningInstance.Of(
            planning,
            examiners.Select(e => new PlanningExaminer(e.ExaminerId, e.Discipline, e.Languages.ToArray(), e.EstablishmentUai,
                e.CentreIds.Order().ToHashSet(), e.AvailableDates.Order().ToHashSet(), e.MaxMinutesPerDay)).ToArray(),
            centres.Select(c => new PlanningCentre(c.CentreId, c.Name, c.Academies.Order().ToHashSet(), c.TimeZone, c.Dates.Order().ToArray(),
                c.DayStart, c.DayEnd, c.LunchStart, c.LunchEnd, c.ExamRooms, c.PrepSeats, c.Address)).ToArray());
        return new BenchInstance(size, seed, instance, ponctual, unplaceable, shape);
    }

    private static IReadOnlyList<T> Parse<T>(Action<TextWriter> write, Func<TextReader, ParsedFile<T>> parse, string file)
    {
        var text = new StringBuilder();
        using (var writer = new StringWriter(text)) write(writer);
        using var reader = new StringReader(text.ToString());
        var parsed = parse(reader);
        if (!parsed.IsValid)
            throw new InvalidOperationException($"{file}: {parsed.Errors.Count} error(s), first: line {parsed.Errors[0].Line} {parsed.Errors[0].Column}: {parsed.Errors[0].Message}");
        return parsed.Rows;
    }
}
