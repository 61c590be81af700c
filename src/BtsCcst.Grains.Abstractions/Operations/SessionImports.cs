using BtsCcst.Domain;
using BtsCcst.Domain.Imports;

namespace BtsCcst.Grains.Abstractions.Operations;

/// <summary>
/// Translates an imported file into the session grain's import: parse everything, refuse whole, or
/// store. Shared by the HTTP route and the btsccst command-line tool, so both accept and refuse the
/// same files with the same French row errors.
/// </summary>
public static class SessionImports
{
    /// <summary>Kinds of api.md, as named in the import route.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["candidates", "marks", "juries", "centres", "examiners", "conformity"];

    /// <summary>A file larger than this is refused before reading (a national session is a few MB).</summary>
    public const long MaxBytes = 50 * 1024 * 1024;

    /// <summary>
    /// Rows sent to the session in one grain call when a file is written in batches (candidates; marks count their
    /// candidates). A 3,000-candidate file in one call ran past the grain call timeout on a loaded machine.
    /// </summary>
    public const int BatchSize = 250;

    /// <summary>
    /// Imports the file whole or refuses it. The import is in the session's audit trail under <paramref name="actor"/>
    /// from before its first write (unfinished, with its progress), then with what it did, why it was refused, or that
    /// a failure interrupted it (importing the same file again completes it).
    /// </summary>
    public static async Task<ImportOutcome> RunAsync(ISessionGrain session, string kind, TextReader file, Actor actor)
    {
        if (!Kinds.Contains(kind)) throw new ArgumentOutOfRangeException(nameof(kind), kind, UnsupportedKindMessage(kind));
        var sequence = await session.BeginImport(kind, actor);
        ImportOutcome outcome;
        try
        {
            outcome = await ImportAsync(session, kind, file, actor, sequence);
        }
        catch (Exception e)
        {
            // Stopped after its checks (storage, a silo gone, a rule met meanwhile): some rows may be stored. The trail says so, if it can.
            try { await session.FailImport(sequence, e is RefusedException refused ? $"{refused.Message} {AgainMessage}" : InterruptedMessage); }
            catch (Exception) { /* the trail's own storage failing too: the caller still gets the first failure */ }
            throw;
        }
        await session.FinishImport(sequence, outcome);
        return outcome;
    }

    private const string AgainMessage = "Une partie des lignes a pu être enregistrée : corrigez, puis importez de nouveau le même fichier.";

    /// <summary>What the audit trail says of an import that a failure interrupted.</summary>
    public const string InterruptedMessage =
        "Import interrompu par une panne (base de données ou serveur) : une partie des lignes a pu être enregistrée. Importez de nouveau le même fichier pour le terminer.";

    /// <summary>
    /// A large file in batches: every batch is checked before any is written (a file is still refused whole), then
    /// written batch after batch, each grain call short, the progress in the trail. A small file is one call, as ever.
    /// </summary>
    private static async Task<ImportOutcome> InBatchesAsync<T>(ISessionGrain session, long sequence, T[] rows, Func<T, string> key,
        Func<T[], bool, Task<ImportOutcome>> import)
    {
        var batches = rows.GroupBy(key).Chunk(BatchSize).Select(groups => groups.SelectMany(g => g).ToArray()).ToArray();
        if (batches.Length <= 1) return await import(rows, false);
        var checks = new List<RowError>();
        var errorCount = 0;
        foreach (var batch in batches)
        {
            var check = await import(batch, true);
            checks.AddRange(check.Errors);
            errorCount += check.TotalErrors;
        }
        if (errorCount > 0) return ImportOutcome.Refused(checks) with { ErrorCount = errorCount };
        var counts = new ImportCounts(0, 0, 0);
        var done = 0;
        foreach (var batch in batches)
        {
            var written = await import(batch, false);
            if (written.Counts is not { } c)
                throw new RefusedException(RefusalKind.Conflict, $"Les lignes {written.Errors.Min(e => e.Line)} et suivantes ont changé de statut pendant l'import : {written.Errors[0].Message}");
            counts = new ImportCounts(counts.Created + c.Created, counts.Updated + c.Updated, counts.Unchanged + c.Unchanged);
            done += batch.Length;
            await session.ReportImportProgress(sequence, done, rows.Length);
        }
        return new ImportOutcome(counts, []);
    }

    private static async Task<ImportOutcome> ImportAsync(ISessionGrain session, string kind, TextReader file, Actor actor, long sequence)
    {
        switch (kind)
        {
            case "candidates":
            {
                var parsed = CandidatesCsv.Parse(file);
                var rows = parsed.Rows.Select(r => new CandidateImportRow(r.Line, ToRegistration(r))).ToArray();
                return parsed.IsValid
                    ? await InBatchesAsync(session, sequence, rows, r => r.Registration.CandidateNumber, (batch, checkOnly) => session.ImportCandidates(batch, checkOnly))
                    : Merge(parsed, await session.ImportCandidates(rows, checkOnly: true));
            }
            case "marks":
            {
                var parsed = MarksCsv.Parse(file);
                var rows = parsed.Rows.Select(r => new MarkImportRow(r.Line, r.CandidateNumber, r.Unit.ToString(), r.Result.ToString())).ToArray();
                return parsed.IsValid
                    ? await InBatchesAsync(session, sequence, rows, r => r.CandidateNumber, (batch, checkOnly) => session.ImportMarks(batch, actor, checkOnly, checkedBefore: !checkOnly && rows.Length > batch.Length))
                    : Merge(parsed, await session.ImportMarks(rows, actor, checkOnly: true));
            }
            case "juries":
            {
                var parsed = JuriesCsv.Parse(file);
                return Merge(parsed, await session.ImportJuries(
                    parsed.Rows.Select(r => new JuryDefinition(r.JuryId, r.Academies.Order().ToArray(), r.President, r.Members.ToArray(), r.PresidentEmail)).ToArray(),
                    parsed.Rows.Select(r => r.Line).ToArray(), checkOnly: !parsed.IsValid));
            }
            case "centres":
            {
                var parsed = CentresCsv.Parse(file);
                return Merge(parsed, await session.ImportCentres(
                    parsed.Rows.Select(r => new CentreDefinition(r.CentreId, r.Name, r.Academies.Order().ToArray(), r.TimeZone, r.Dates.Order().ToArray(),
                        r.DayStart, r.DayEnd, r.LunchStart, r.LunchEnd, r.ExamRooms, r.PrepSeats, r.Address, r.ManagerName, r.ManagerEmail)).ToArray(),
                    parsed.Rows.Select(r => r.Line).ToArray(), checkOnly: !parsed.IsValid));
            }
            case "examiners":
            {
                var parsed = ExaminersCsv.Parse(file);
                return Merge(parsed, await session.ImportExaminers(
                    parsed.Rows.Select(r => new ExaminerDefinition(r.ExaminerId, r.LastName, r.FirstName, r.Email, r.Discipline.ToCode(),
                        r.Languages.ToArray(), r.EstablishmentUai, r.CentreIds.Order().ToArray(), r.AvailableDates.Order().ToArray(), r.MaxMinutesPerDay)).ToArray(),
                    parsed.Rows.Select(r => r.Line).ToArray(), checkOnly: !parsed.IsValid));
            }
            case "conformity":
            {
                var parsed = ConformityCsv.Parse(file);
                return Merge(parsed, await session.ImportConformity(
                    parsed.Rows.Select(r => new ConformityEntry(r.Line, r.CandidateNumber, r.Unit.ToString(), r.Status.ToCode(),
                        r.Reasons.Select(x => x.ToCode()).Order().ToArray(), r.Details)).ToArray(), checkOnly: !parsed.IsValid));
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    /// <summary>The refusal of a kind that is not one of <see cref="Kinds"/>.</summary>
    public static string UnsupportedKindMessage(string kind) =>
        $"Import « {kind} » non pris en charge : attendu l'un de {string.Join(", ", Kinds)}.";

    /// <summary>The headline of a refused file (its row errors follow).</summary>
    public static string RefusedMessage(string kind, int errorCount) =>
        $"Le fichier {kind}.csv est refusé ({errorCount} erreur(s)) ; rien n'a été enregistré."
        + (errorCount > ImportOutcome.ListedErrors ? $" Les {ImportOutcome.ListedErrors} premières sont listées." : "");

    /// <summary>The file's own errors and the session's cross-checks of the rows that parsed, all listed at once.</summary>
    private static ImportOutcome Merge<T>(ParsedFile<T> parsed, ImportOutcome crossChecked) =>
        parsed.IsValid ? crossChecked
            : ImportOutcome.Refused(parsed.Errors.Select(e => new RowError(e.Line, e.Column, e.Message)).Concat(crossChecked.Errors))
                with { ErrorCount = parsed.Errors.Count + crossChecked.TotalErrors };

    private static CandidateRegistration ToRegistration(CandidateRow row) => new()
    {
        CandidateNumber = row.CandidateNumber,
        LastName = row.LastName,
        FirstName = row.FirstName,
        BirthDate = row.BirthDate,
        Academy = row.Academy,
        EstablishmentUai = row.EstablishmentUai,
        Category = row.Category.ToCode(),
        Form = row.Form.ToCode(),
        OptionalUnits = row.OptionalUnits.Order().Select(u => u.ToString()).ToArray(),
        Ef1Language = row.Ef1Language,
        DispensedUnits = row.DispensedUnits.Order().Select(u => u.ToString()).ToArray(),
        ExtraTimePercent = row.ExtraTimePercent,
        Livret = row.Livret,
        KeptUnits = row.KeptUnits.OrderBy(k => k.Key).Select(k => $"{k.Key}:{UnitResult.KeptFromEarlierSession(k.Value).Mark}").ToArray(),
        JuryId = "",
    };
}
