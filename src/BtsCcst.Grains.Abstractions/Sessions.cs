namespace BtsCcst.Grains.Abstractions;

[GenerateSerializer, Immutable]
public sealed record ImportCounts([property: Id(0)] int Created, [property: Id(1)] int Updated, [property: Id(2)] int Unchanged);

/// <summary>A candidate moved by a juries.csv import from one jury to another.</summary>
[GenerateSerializer, Immutable]
public sealed record CandidateMove([property: Id(0)] string CandidateNumber, [property: Id(1)] string FromJury, [property: Id(2)] string ToJury);

/// <summary>A row refused by a cross-check of the session (after the file itself parsed).</summary>
[GenerateSerializer, Immutable]
public sealed record RowError([property: Id(0)] int Line, [property: Id(1)] string Column, [property: Id(2)] string Message);

/// <summary>A marks.csv row after parsing.</summary>
[GenerateSerializer, Immutable]
public sealed record MarkImportRow(
    [property: Id(0)] int Line,
    [property: Id(1)] string CandidateNumber,
    [property: Id(2)] string Unit,
    [property: Id(3)] string Result);

[GenerateSerializer, Immutable]
public sealed record CandidateImportRow([property: Id(0)] int Line, [property: Id(1)] CandidateRegistration Registration);

/// <summary>
/// One import of the audit trail: the file kind, who sent it and when, and what it did (counts) or how many rows refused it;
/// or, with <paramref name="Failure"/>, an import interrupted by a storage failure after its checks, which may have stored
/// part of its rows (the same file imported again completes it).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ImportRecord(
    [property: Id(0)] string Kind,
    [property: Id(1)] Actor By,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] ImportCounts? Counts,
    [property: Id(4)] int RefusedRows,
    [property: Id(5)] string? Failure = null)
{
    /// <summary>The import's number in the session's trail (1, 2, …).</summary>
    [Id(6)] public long Sequence { get; init; }

    /// <summary>Begun and not finished yet: its writes are under way (an import found so at a restart is marked interrupted).</summary>
    [Id(7)] public bool Unfinished { get; init; }

    /// <summary>Rows written so far and rows in all, for an import written in batches.</summary>
    [Id(8)] public int RowsDone { get; init; }

    [Id(9)] public int RowsTotal { get; init; }
}

/// <summary>The outcome of an import: counts when stored, or every refused row (and nothing stored).</summary>
[GenerateSerializer, Immutable]
public sealed record ImportOutcome([property: Id(0)] ImportCounts? Counts, [property: Id(1)] RowError[] Errors)
{
    /// <summary>Refusals list at most this many errors (the first, by line); <see cref="ErrorCount"/> counts them all.</summary>
    public const int ListedErrors = 1000;

    /// <summary>Every error of a refused file, listed or not.</summary>
    [Id(4)] public int ErrorCount { get; init; }

    /// <summary>Every error, listed or not (an outcome stored before the count existed lists them all).</summary>
    public int TotalErrors => Math.Max(ErrorCount, Errors.Length);

    /// <summary>juries.csv: the juries the import removed (left without an academy).</summary>
    [Id(2)] public string[] Removed { get; init; } = [];

    /// <summary>juries.csv: the candidates the import moved to another jury (their academy changed jury).</summary>
    [Id(3)] public CandidateMove[] Moved { get; init; } = [];

    public static ImportOutcome Refused(IEnumerable<RowError> errors)
    {
        var all = errors.OrderBy(e => e.Line).ToArray();
        return new(null, all.Length > ListedErrors ? all[..ListedErrors] : all) { ErrorCount = all.Length };
    }
}

[GenerateSerializer, Immutable]
public sealed record SessionOverview(
    [property: Id(0)] string SessionId,
    [property: Id(1)] JuryDefinition[] Juries,
    [property: Id(2)] int Candidates);

/// <summary>The deliberation thresholds of a session (deliberation.md: configurable per session).</summary>
[GenerateSerializer, Immutable]
public sealed record DeliberationSettings(
    [property: Id(0)] decimal PassAverage,
    [property: Id(1)] decimal SecondGroupAverage,
    [property: Id(2)] decimal ProfessionalAverage,
    [property: Id(3)] decimal NearThresholdMargin,
    [property: Id(4)] string[]? ControleUnits = null)
{
    /// <summary>The general units a second-group candidate may choose for contrôle (C_E1, C_E2, C_E3); null: all three.</summary>
    public string[] ControleUnitsOrDefault => ControleUnits ?? ["C_E1", "C_E2", "C_E3"];

    /// <summary>Value equality, the contrôle units included (records compare arrays by reference).</summary>
    public bool SameAs(DeliberationSettings other) =>
        this with { ControleUnits = null } == other with { ControleUnits = null } && ControleUnitsOrDefault.SequenceEqual(other.ControleUnitsOrDefault);
}

/// <summary>The session: its imports, its juries and the academy → jury map.</summary>
public interface ISessionGrain : IGrainWithStringKey
{
    // Each import checks every row against the grains it touches, then stores all rows or none.
    // With checkOnly it stores nothing and only reports the cross-check errors (used when other
    // rows of the same file did not even parse, so that every error is listed at once).

    Task<ImportOutcome> ImportJuries(JuryDefinition[] juries, int[] lines, bool checkOnly = false);

    Task<ImportOutcome> ImportCandidates(CandidateImportRow[] rows, bool checkOnly = false);

    /// <param name="checkedBefore">The rows passed a check-only call just before (an import in batches): each
    /// candidate still refuses a row that no longer holds, but the session does not check them all again first.</param>
    Task<ImportOutcome> ImportMarks(MarkImportRow[] rows, Actor actor, bool checkOnly = false, bool checkedBefore = false);

    /// <summary>
    /// Adds an import to the session's audit trail before its first write (unfinished), with who sent it (HTTP route or
    /// btsccst tool), and returns its number in the trail.
    /// </summary>
    Task<long> BeginImport(string kind, Actor actor);

    /// <summary>Rows of a begun import written so far.</summary>
    Task ReportImportProgress(long sequence, int rowsDone, int rowsTotal);

    /// <summary>Records what a begun import did (counts) or why it was refused.</summary>
    Task FinishImport(long sequence, ImportOutcome outcome);

    /// <summary>Records that a failure interrupted a begun import: some of its rows may be stored.</summary>
    Task FailImport(long sequence, string failure);

    /// <summary>The audit trail of imports, oldest first (the latest <c>1000</c>).</summary>
    Task<ImportRecord[]> GetImportLog();

    Task<SessionOverview> GetOverview();

    /// <summary>Who takes part, from the imported files: juries' presidents and members, examiners, centres' managers.</summary>
    Task<Person[]> GetPeople();

    Task<bool> HasCandidate(string candidateNumber);

    Task<ImportOutcome> ImportExaminers(ExaminerDefinition[] examiners, int[] lines, bool checkOnly = false);

    Task<ImportOutcome> ImportCentres(CentreDefinition[] centres, int[] lines, bool checkOnly = false);

    Task<ImportOutcome> ImportConformity(ConformityEntry[] entries, bool checkOnly = false);

    /// <summary>Examiners and centres imported, for planning.</summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<(ExaminerDefinition[] Examiners, CentreDefinition[] Centres)> GetPlanningResources();

    [Orleans.Concurrency.AlwaysInterleave]
    Task<string[]> GetCandidateNumbers();

    /// <summary>Replaces the organiser's pins, after checking each against the session's data; refuses them all when one is wrong.</summary>
    Task<PlanningPins> SetPins(PlanningPins pins);

    [Orleans.Concurrency.AlwaysInterleave]
    Task<PlanningPins> GetPins();

    /// <summary>
    /// Starts a planning run (one at a time) of the first-group orals, or with <paramref name="secondGroup"/> of the second
    /// group's contrôle orals, and returns its id. Once the group's plan is published the run re-plans it as
    /// <paramref name="replan"/> says (default notice period, only the centre-days that must change).
    /// </summary>
    Task<string> StartPlanningRun(double timeLimitSeconds, PlanningWeights? weights, Actor actor, SecondGroupScope? secondGroup = null, ReplanChoice? replan = null);

    /// <summary>
    /// What a re-plan of the group keeps, or null while none of its plans is published (a run then plans from scratch):
    /// the schedule as it stands and the centre-days begun, with events or repairs, past, within the notice period, or
    /// holding a row an accepted repair changed.
    /// </summary>
    Task<ReplanBasisData?> GetReplanBasis(int group, ReplanChoice choice);

    /// <summary>
    /// A run ended with a plan: it becomes the group's draft schedule (its convocations go to the candidates) while no plan
    /// of the group is published and none of its exam days has begun; otherwise it is kept as a proposal. Returns the
    /// run's disposition (<see cref="PlanDispositions"/>).
    /// </summary>
    Task<string> OfferPlan(string runId);

    /// <summary>Makes the run's plan the group's published schedule, or refuses (409) saying why and what to do.</summary>
    Task<string> PublishPlan(string runId, Actor actor);

    /// <summary>Sets a proposal aside: it will never become the schedule.</summary>
    Task<string> DiscardPlan(string runId, Actor actor);

    /// <summary>What became of a run's plan (<see cref="PlanDispositions"/>), null for a run without a plan yet.</summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<string?> GetPlanDisposition(string runId);

    /// <summary>The run's latest publication (who, when, the candidates and examiners it concerned), null when never published.</summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<PlanPublication?> GetPublication(string runId);

    /// <summary>A run's plan beside the group's schedule as it stands: who would be convoked differently.</summary>
    Task<PlanComparison> ComparePlan(string runId);

    /// <summary>Where the session stands, and the organiser's next step.</summary>
    Task<SessionStage> GetStage();

    /// <summary>The run whose plan is the session's schedule of a group (1: first-group orals, 2: contrôle orals).</summary>
    Task<string?> GetScheduleRunId(int group = 1);

    /// <summary>Every planning run of the session, oldest first (the last one is the latest).</summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<string[]> GetPlanningRunIds();

    /// <summary>Read by every candidate at activation, possibly while the session calls that candidate.</summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<DeliberationSettings> GetDeliberationSettings();

    /// <summary>Changes the thresholds while every jury is still in its first deliberation; every candidate recomputes.</summary>
    Task<DeliberationSettings> SetDeliberationSettings(DeliberationSettings settings);
}

/// <summary>What became of a planning run's plan.</summary>
public static class PlanDispositions
{
    /// <summary>The group's schedule, not published yet: convocations follow it, and the next run replaces it.</summary>
    public const string Draft = "draft";
    /// <summary>The group's published schedule.</summary>
    public const string Published = "published";
    /// <summary>Kept beside the schedule (a plan is published or an exam day has begun): it changes nothing until published.</summary>
    public const string Proposal = "proposal";
    /// <summary>Set aside by the organiser.</summary>
    public const string Discarded = "discarded";
    /// <summary>Was the schedule; another run's plan replaced it.</summary>
    public const string Replaced = "replaced";

    public static string French(string disposition) => disposition switch
    {
        Draft => "brouillon (planning en cours, non publié)",
        Published => "publié",
        Proposal => "proposition (à comparer, puis publier ou écarter)",
        Discarded => "écartée",
        Replaced => "remplacé par un plan plus récent",
        _ => disposition,
    };
}

/// <summary>A run's plan compared with the group's current schedule (accepted repairs included).</summary>
[GenerateSerializer, Immutable]
public sealed record PlanComparison(
    [property: Id(0)] string RunId,
    [property: Id(1)] string? CurrentRunId,
    [property: Id(2)] string[] CandidatesChanged,
    [property: Id(3)] string[] ExaminersChanged,
    [property: Id(4)] int ExamsChanged,
    [property: Id(5)] int ExamsKept,
    [property: Id(6)] DateOnly[] BegunDays,
    [property: Id(7)] string? PublishRefusal)
{
    /// <summary>The cost terms of the plan in force beside the proposal's (<see cref="PlanTerm"/>).</summary>
    [Id(8)] public PlanTerm[] Terms { get; init; } = [];
}

/// <summary>
/// One cost term counted on a schedule's rows, in force and proposed: orals placed, candidates' trips (a candidate on a
/// date), examiner-days, candidates' time on site (first preparation to last exam end, in minutes).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PlanTerm([property: Id(0)] string Term, [property: Id(1)] string Label, [property: Id(2)] int Current, [property: Id(3)] int Proposed)
{
    public static PlanTerm[] Compare(IReadOnlyCollection<ScheduleRow> current, IReadOnlyCollection<ScheduleRow> proposed) =>
    [
        new("orals", "Oraux placés", current.Count, proposed.Count),
        new("candidateDays", "Venues de candidats (un candidat, un jour)", CandidateDays(current), CandidateDays(proposed)),
        new("examinerDays", "Journées d'examinateurs", ExaminerDays(current), ExaminerDays(proposed)),
        new("onSiteMinutes", "Présence des candidats (minutes, de la première préparation à la fin du dernier oral)", OnSite(current), OnSite(proposed)),
    ];

    private static int CandidateDays(IEnumerable<ScheduleRow> rows) => rows.Select(r => (r.CandidateNumber, r.Date)).Distinct().Count();

    private static int ExaminerDays(IEnumerable<ScheduleRow> rows) => rows.SelectMany(r => r.ExaminerIds.Select(e => (e, r.Date))).Distinct().Count();

    private static int OnSite(IEnumerable<ScheduleRow> rows) =>
        rows.GroupBy(r => (r.CandidateNumber, r.Date))
            .Sum(g => (int)(g.Max(r => r.ExamEnd).ToTimeSpan() - g.Min(r => r.PrepStart ?? r.ExamStart).ToTimeSpan()).TotalMinutes);
}

/// <summary>A run's publication: by whom, when, and the people it concerned (new convocations, calendars changed).</summary>
[GenerateSerializer, Immutable]
public sealed record PlanPublication(
    [property: Id(0)] Actor By,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string[] Candidates,
    [property: Id(3)] string[] Examiners);

/// <summary>The session's stage (setup, planning, published, exam-days, deliberation, closed), in words, with the next step.</summary>
[GenerateSerializer, Immutable]
public sealed record SessionStage(
    [property: Id(0)] string Stage,
    [property: Id(1)] string Label,
    [property: Id(2)] string NextStep,
    [property: Id(3)] Dictionary<string, int> JuriesByPhase,
    [property: Id(4)] int Candidates,
    [property: Id(5)] string? ScheduleRunId,
    [property: Id(6)] string? PublishedRunId);
