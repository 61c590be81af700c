namespace BtsCcst.Server.Deliberation.Documents;

/// <summary>
/// One épreuve de contrôle of a second-group candidate (deliberation.md "Second group").
/// </summary>
/// <param name="Unit">C_E1, C_E2 or C_E3.</param>
/// <param name="FirstGroupMark">The first-group mark of the units it stands for (for C_E2, (1.5·E21 + 1.5·E22) / 3).</param>
/// <param name="Result">The contrôle result: a mark ("12.5" or "12,5"), "ABS", "ABSJ", or null/empty when not taken yet.</param>
/// <param name="KeptMark">The better of the first-group and contrôle marks.</param>
public sealed record ControleLine(string Unit, decimal FirstGroupMark, string? Result, decimal KeptMark);

/// <summary>A jury phase reached: FIRST_OPEN, FIRST_CLOSED, SECOND_OPEN or CLOSED, by whom and when.</summary>
public sealed record PhaseChange(string Phase, string By, DateTimeOffset At);

/// <summary>One line of the minutes' candidate table.</summary>
/// <param name="Results">Result text per unit code (E1, E21, E22, E3, E4, E5, U61, U62, EF1, EF2, EF3), as in marks.csv:
/// a mark, ABS, ABSJ, NV, DISP or BEN:&lt;mark&gt;. A mandatory unit without entry has no result yet; an optional unit without entry was not chosen.</param>
/// <param name="Points">Total points (null when there is no average: NON_VALIDE, ABSENT, INCOMPLET).</param>
/// <param name="Average">Exact average, rounded half-up only for display.</param>
/// <param name="ProAverage">Exact average of the professional units E4, E5, U61, U62.</param>
/// <param name="Decision">ADMIS, AJOURNE, SECOND_GROUPE, NON_VALIDE, ABSENT or INCOMPLET.</param>
/// <param name="Group">1 when decided at the first group, 2 when decided at the second group.</param>
/// <param name="Controle">The contrôle lines of a second-group candidate (empty otherwise).</param>
/// <param name="FirstGroupDecision">First-group decision of a second-group candidate (SECOND_GROUPE).</param>
/// <param name="FirstGroupAverage">First-group average of a second-group candidate.</param>
public sealed record MinutesCandidate(
    string CandidateNumber,
    string LastName,
    string FirstName,
    IReadOnlyDictionary<string, string> Results,
    decimal? Points,
    decimal? Average,
    decimal? ProAverage,
    string Decision,
    int Group,
    IReadOnlyList<ControleLine> Controle,
    string? FirstGroupDecision = null,
    decimal? FirstGroupAverage = null);

/// <summary>
/// A change made by the jury (D643-26): who, when, old value, new value and reason.
/// </summary>
/// <param name="Unit">The unit changed (a first-group or contrôle unit code), or null/empty for a change that concerns no unit (livret examiné).</param>
/// <param name="OldValue">Result text before the change (null/empty: none).</param>
/// <param name="NewValue">Result text after the change (null/empty: none).</param>
/// <param name="ByName">Name of the person who made the change.</param>
/// <param name="ByRole">Their role, e.g. "Président du jury".</param>
/// <param name="Reason">Why; required for a change of mark (the grains enforce it), may be empty for an acknowledgement.</param>
/// <param name="Action">What was done, in French: "modification", "levée de réserve", "livret examiné"…</param>
public sealed record JuryChange(
    string CandidateNumber,
    string? Unit,
    string? OldValue,
    string? NewValue,
    string ByName,
    string ByRole,
    DateTimeOffset At,
    string? Reason,
    string Action);

/// <summary>Everything the procès-verbal of one jury says.</summary>
/// <param name="SessionLabel">The session as printed, e.g. "2024".</param>
/// <param name="FinalPhase">The jury's phase when the minutes are printed: FIRST_OPEN, FIRST_CLOSED, SECOND_OPEN or CLOSED.</param>
/// <param name="SignedOn">Date printed above the signatures; null: the date of the last phase change, else a blank to fill in.</param>
/// <param name="TimeZone">IANA zone the times are printed in (the jury's local time).</param>
public sealed record MinutesInput(
    string SessionLabel,
    string JuryId,
    IReadOnlyList<string> Academies,
    string PresidentName,
    IReadOnlyList<string> MemberNames,
    string FinalPhase,
    IReadOnlyList<PhaseChange> PhaseChanges,
    IReadOnlyList<MinutesCandidate> Candidates,
    IReadOnlyList<JuryChange> Changes,
    DateOnly? SignedOn = null,
    string TimeZone = "Europe/Paris");

/// <summary>One unit line of a transcript.</summary>
/// <param name="Title">Title of the unit; null/empty: the catalogue's title.</param>
/// <param name="Result">Result text as in marks.csv (mark, ABS, ABSJ, NV, DISP, BEN:&lt;mark&gt;), or null/empty when none.</param>
public sealed record TranscriptUnit(string Unit, string? Title, decimal Coefficient, string? Result);

/// <summary>One candidate's relevé de notes.</summary>
/// <param name="Decision">ADMIS, AJOURNE, SECOND_GROUPE, NON_VALIDE, ABSENT or INCOMPLET.</param>
/// <param name="Group">1 or 2 (decided at the second group).</param>
/// <param name="Controle">The contrôle lines of a second-group candidate (empty otherwise).</param>
public sealed record TranscriptInput(
    string SessionLabel,
    string CandidateNumber,
    string LastName,
    string FirstName,
    DateOnly? BirthDate,
    string Academy,
    string JuryId,
    IReadOnlyList<TranscriptUnit> Units,
    decimal? Points,
    decimal? Average,
    decimal? ProAverage,
    string Decision,
    int Group,
    IReadOnlyList<ControleLine> Controle,
    decimal? FirstGroupAverage = null);
