using BtsCcst.Domain;
using BtsCcst.Grains.Abstractions;
using BtsCcst.Grains.Storage;
using Orleans.Serialization;

namespace BtsCcst.Grains.Deliberation;

[GenerateSerializer]
public sealed class CandidateState
{
    [Id(0)] public CandidateRegistration? Registration { get; set; }
    /// <summary>Results entered (by import, commission or jury), by unit code.</summary>
    [Id(1)] public Dictionary<string, StoredResult> Results { get; set; } = [];
    [Id(2)] public List<ResultChange> History { get; set; } = [];
    [Id(3)] public bool LivretAcknowledged { get; set; }
    [Id(4)] public bool Frozen { get; set; }
    /// <summary>Examiner ids of the commission that examines the candidate, by unit.</summary>
    [Id(5)] public Dictionary<string, string[]> Examiners { get; set; } = [];
    /// <summary>Conformity of the files checked before the orals (Annexe 4), by unit.</summary>
    [Id(6)] public Dictionary<string, ConformityEntry> Conformity { get; set; } = [];
    /// <summary>The candidate's orals in the session's current plan.</summary>
    [Id(7)] public List<ScheduleRow> Convocations { get; set; } = [];
    /// <summary>Second group: the contrôle units the candidate chose (C_E1, C_E2, C_E3).</summary>
    [Id(8)] public List<string> ControleChoices { get; set; } = [];
    /// <summary>The phase of the candidate's jury beyond the first-group freeze (SECOND_OPEN, CLOSED).</summary>
    [Id(9)] public JuryPhase JuryPhase { get; set; } = JuryPhase.FirstOpen;
    /// <summary>The jury the candidate last left: told again on a retried registration, in case the first telling failed.</summary>
    [Id(10)] public string? LeftJuryId { get; set; }
    /// <summary>The deliberation settings the candidate's results were frozen under: a frozen result never follows a later change.</summary>
    [Id(11)] public DeliberationSettings? FrozenSettings { get; set; }
}

[GenerateSerializer, Immutable]
public sealed record StoredResult([property: Id(0)] string Result, [property: Id(1)] bool UnderReserve);

/// <summary>
/// One candidate of a session: registration, one result per unit with the history of its changes,
/// livret. Owns the rules of who may enter what; tells its jury of every change.
/// </summary>
public sealed class CandidateGrain(
    [PersistentState("candidate", StorageNames.Grains)] IPersistentState<CandidateState> store,
    DeepCopier copier,
    TimeProvider clock) : Grain, ICandidateGrain
{
    private const int MaxReasonLength = 1000;

    private DurableState<CandidateState>? _stored;

    /// <summary>Write, then change (<see cref="DurableState{T}"/>): every change goes through here.</summary>
    private DurableState<CandidateState> Stored => _stored ??= new(store, this, copier);

    private DeliberationRules _rules = DeliberationRules.Session2024;

    /// <summary>The session's settings as last known (the rules of a frozen candidate are its own: <see cref="CandidateState.FrozenSettings"/>).</summary>
    private DeliberationSettings? _sessionSettings;

    private CandidateState State => Stored.State;

    private string SessionId => GrainKeys.Split(this.GetPrimaryKeyString()).SessionId;

    private string Number => GrainKeys.Split(this.GetPrimaryKeyString()).Id;

    private CandidateRegistration Registration =>
        State.Registration ?? throw new RefusedException(RefusalKind.NotFound, $"Le candidat {Number} n'est pas inscrit à la session {SessionId}.");

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _sessionSettings = await GrainFactory.Session(SessionId).GetDeliberationSettings();
        _rules = (State.FrozenSettings ?? _sessionSettings).ToRules();
    }

    public async Task ApplyDeliberationSettings(DeliberationSettings settings)
    {
        _sessionSettings = settings;
        // A CLOSED (or first-closed) jury's results never change: a frozen candidate keeps the rules it was decided under.
        if (State.Frozen) return;
        _rules = settings.ToRules();
        if (State.Registration is not null) await PublishAsync();
    }

    public async Task MoveToJury(string juryId)
    {
        var registration = Registration;
        if (registration.JuryId == juryId) return;
        if (State.Frozen)
            throw new RefusedException(RefusalKind.Conflict, $"Le candidat {Number} ne change plus de jury : le jury {registration.JuryId} a délibéré.");
        await Register(registration with { JuryId = juryId });
    }

    public Task<bool> HasPresidentActions() => Task.FromResult(State.History.Any(h => h.By.Role == Roles.JuryPresident));

    public Task<bool> IsRegistered() => Task.FromResult(State.Registration is not null);

    public Task<ChangeKind> CheckRegistration(CandidateRegistration registration) => Task.FromResult(Check(registration));

    public async Task<ChangeKind> Register(CandidateRegistration registration)
    {
        var kind = Check(registration);
        if (kind != ChangeKind.Unchanged)
        {
            var movedFrom = State.Registration?.JuryId;
            await Stored.Update(s =>
            {
                s.Registration = registration;
                if (movedFrom is not null && movedFrom != registration.JuryId) s.LeftJuryId = movedFrom;
            });
        }
        // Told every time, stored change or not: a retry after a failed telling completes it (both are idempotent).
        if (State.LeftJuryId is { } left && left != registration.JuryId)
            await GrainFactory.Jury(SessionId, left).RemoveCandidate(Number);
        await PublishAsync();
        return kind;
    }

    private ChangeKind Check(CandidateRegistration registration)
    {
        if (registration.CandidateNumber != Number)
            throw new RefusedException(RefusalKind.Invalid, $"Le numéro {registration.CandidateNumber} ne correspond pas au candidat {Number}.");
        if (State.Registration is null) return ChangeKind.Created;
        if (State.Registration.SameAs(registration)) return ChangeKind.Unchanged;
        if (State.Frozen)
            throw new RefusedException(RefusalKind.Conflict, $"Le candidat {Number} ne peut plus être modifié : la délibération de son jury est close.");
        var units = UnitsOf(registration);
        foreach (var (unit, entered) in State.Results.Where(r => PlanningGroups.Of(r.Key) == 1))
        {
            if (ResultRules.Check(Enum.Parse<UnitCode>(unit), UnitResult.Parse(entered.Result), units) is { } conflict)
                throw new RefusedException(RefusalKind.Conflict, $"Le résultat déjà saisi en {unit} ({entered.Result}) ne s'accorde plus avec l'inscription : {conflict}");
        }
        return ChangeKind.Updated;
    }

    public Task<EntryError[]> CheckResults(ResultEntry[] entries, Actor actor) =>
        Task.FromResult(Validate(entries, actor).Select(e => new EntryError(e.Index, e.Message)).ToArray());

    public async Task<EntryCounts> EnterResults(ResultEntry[] entries, Actor actor)
    {
        if (actor.Role == Roles.CentreManager) await EnsureAbsencesOfClosedDay(entries, actor);
        var errors = Validate(entries, actor);
        if (errors.Count > 0)
        {
            var kind = errors.Any(e => e.Kind == RefusalKind.Forbidden) ? RefusalKind.Forbidden
                : errors.Any(e => e.Kind == RefusalKind.Conflict) ? RefusalKind.Conflict : RefusalKind.Invalid;
            throw new RefusedException(kind, string.Join(" ", errors.Select(e => e.Message)));
        }

        var counts = EntryCounts.None;
        var now = clock.GetUtcNow();
        var draft = Stored.Draft();
        foreach (var entry in entries)
        {
            var unit = CanonicalUnit(entry.Unit);
            var canonical = UnitResult.Parse(entry.Result).ToString();
            var old = draft.Results.GetValueOrDefault(unit);
            // A plain entry of the same result (marks.csv again) leaves a reserve standing: only the president lifts it.
            var keepsReserve = old is { UnderReserve: true } && !entry.UnderReserve && actor.Role != Roles.JuryPresident;
            if (old is not null && old.Result == canonical && (old.UnderReserve == entry.UnderReserve || keepsReserve))
            {
                counts = counts.Add(ChangeKind.Unchanged);
                continue;
            }
            draft.Results[unit] = new StoredResult(canonical, entry.UnderReserve);
            var action = entry.UnderReserve ? "saisie sous réserve" : old is null ? "saisie" : "modification";
            draft.History.Add(new ResultChange(unit, old?.Result, canonical, actor, now, entry.Reason?.Trim(), action));
            counts = counts.Add(old is null ? ChangeKind.Created : ChangeKind.Updated);
        }
        if (counts.Created + counts.Updated > 0) await Stored.Commit(draft);
        // The jury is told even when nothing changed: the same entry sent again after a failed telling completes it.
        await PublishAsync();
        return counts;
    }

    /// <summary>
    /// A centre manager enters only what the closing of their centre's day entitles them to:
    /// ABS or ABSJ for an exam of this candidate that the day recorded absent (or excused).
    /// </summary>
    private async Task EnsureAbsencesOfClosedDay(ResultEntry[] entries, Actor actor)
    {
        foreach (var entry in entries)
        {
            var unit = CanonicalUnit(entry.Unit);
            var convocation = State.Convocations.FirstOrDefault(c => c.Unit == unit && c.CentreId == actor.Scope);
            var allowed = convocation is null || actor.Scope is null ? null
                : await GrainFactory.OralCentre(SessionId, actor.Scope).AbsenceResultOfClosedDay(convocation.Date, Number, unit);
            if (allowed is null || !string.Equals(allowed, entry.Result.Trim(), StringComparison.OrdinalIgnoreCase))
                throw new RefusedException(RefusalKind.Forbidden,
                    $"Le responsable du centre {actor.Scope} n'entre que l'absence (ABS ou ABSJ) d'un candidat absent à une épreuve de son centre, une fois la journée close.");
        }
    }

    private sealed record Violation(int Index, RefusalKind Kind, string Message);

    private List<Violation> Validate(ResultEntry[] entries, Actor actor)
    {
        var registration = Registration;
        var violations = new List<Violation>();
        if (Phase == JuryPhase.Closed)
        {
            violations.Add(new(0, RefusalKind.Conflict,
                $"Les résultats du candidat {Number} sont figés : la délibération du jury {registration.JuryId} est close."));
            return violations;
        }
        var units = UnitsOf(registration);
        var seen = new HashSet<UnitCode>();
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = entries[i];
            void Refuse(RefusalKind kind, string message) => violations.Add(new(i, kind, message));

            if (!UnitCatalogue.TryParse(entry.Unit, out var unit)) { Refuse(RefusalKind.Invalid, $"Épreuve inconnue : « {entry.Unit} »."); continue; }
            if (!seen.Add(unit)) { Refuse(RefusalKind.Invalid, $"L'épreuve {unit} apparaît deux fois pour le candidat {Number}."); continue; }
            if (!UnitResult.TryParse(entry.Result, out var result, out var parseError)) { Refuse(RefusalKind.Invalid, parseError); continue; }
            if (UnitCatalogue.Get(unit).Kind == UnitKind.Controle)
            {
                if (ControleEntryProblem(unit, result) is { } problem) { Refuse(problem.Kind, problem.Message); continue; }
            }
            else
            {
                if (State.Frozen)
                { Refuse(RefusalKind.Conflict, $"Les résultats du premier groupe du candidat {Number} sont figés : le jury {registration.JuryId} a clos sa première délibération."); continue; }
                if (ResultRules.Check(unit, result, units) is { } ruleError) { Refuse(RefusalKind.Invalid, ruleError); continue; }
                if (IsNonConforming(unit) && result.Kind != ResultKind.NonValide)
                { Refuse(RefusalKind.Conflict, $"Le dossier {unit} du candidat {Number} est non conforme (Annexe 4) : il n'est pas interrogé dans cette épreuve."); continue; }
            }
            if (entry.Reason is { Length: > MaxReasonLength }) { Refuse(RefusalKind.Invalid, $"Le motif dépasse {MaxReasonLength} caractères."); continue; }
            if (entry.UnderReserve && !UnitCatalogue.Get(unit).MayBeUnderReserve)
            { Refuse(RefusalKind.Invalid, $"Une note ne peut être mise sous réserve qu'en {string.Join(", ", UnitCatalogue.All.Where(u => u.MayBeUnderReserve).Select(u => u.Code))}."); continue; }

            switch (actor.Role)
            {
                case Roles.Examiner when !State.Examiners.GetValueOrDefault(unit.ToString(), []).Contains(actor.Name):
                    Refuse(RefusalKind.Forbidden, $"L'examinateur {actor.Name} n'examine pas le candidat {Number} en {unit}.");
                    break;
                case Roles.Organiser:
                case Roles.Examiner:
                    // deliberation.md: a mark under reserve stands until the jury president lifts it (confirming or changing it).
                    if (!entry.UnderReserve && State.Results.GetValueOrDefault(unit.ToString()) is { UnderReserve: true } reserved && reserved.Result != result.ToString())
                        Refuse(RefusalKind.Conflict, $"La note de {unit} du candidat {Number} est sous réserve ({reserved.Result}) : seul le président du jury la lève.");
                    break;
                case Roles.CentreManager when result.Kind is not (ResultKind.Absent or ResultKind.AbsentExcused)
                                              || !State.Convocations.Any(c => c.Unit == unit.ToString() && c.CentreId == actor.Scope):
                    Refuse(RefusalKind.Forbidden, $"Le responsable du centre {actor.Scope} n'entre que ABS ou ABSJ, pour les épreuves de son centre.");
                    break;
                case Roles.CentreManager when State.Results.GetValueOrDefault(unit.ToString()) is { } existing && existing.Result != result.ToString():
                    Refuse(RefusalKind.Conflict, $"Le candidat {Number} a déjà un résultat en {unit} ({existing.Result}) : l'absence n'est pas enregistrée.");
                    break;
                case Roles.CentreManager:
                    break;
                case Roles.JuryPresident when actor.Scope != registration.JuryId:
                    Refuse(RefusalKind.Forbidden, $"Le candidat {Number} relève du jury {registration.JuryId}, pas du jury {actor.Scope}.");
                    break;
                case Roles.JuryPresident when string.IsNullOrWhiteSpace(entry.Reason):
                    Refuse(RefusalKind.Invalid, "Le jury doit motiver toute modification de note (D643-26) : le motif est obligatoire.");
                    break;
                case Roles.JuryPresident when entry.UnderReserve:
                    Refuse(RefusalKind.Invalid, "Seule une commission d'interrogation met une note sous réserve ; le jury la lève.");
                    break;
                case Roles.JuryPresident:
                    break;
                default:
                    Refuse(RefusalKind.Forbidden, $"Le rôle {actor.Role} ne saisit pas de résultats.");
                    break;
            }
        }
        return violations;
    }

    /// <summary>deliberation.md "Second group": contrôle marks are entered while the second group is open, for the units chosen.</summary>
    private (RefusalKind Kind, string Message)? ControleEntryProblem(UnitCode unit, UnitResult result)
    {
        if (Phase != JuryPhase.SecondOpen)
            return (RefusalKind.Conflict, $"La note d'une épreuve de contrôle se saisit pendant la délibération du second groupe : le jury {Registration.JuryId} est en {Phase.ToCode()}.");
        if (!State.ControleChoices.Contains(unit.ToString()))
            return (RefusalKind.Conflict, State.ControleChoices.Count == 0
                ? $"Le candidat {Number} n'a pas encore choisi ses épreuves de contrôle."
                : $"Le candidat {Number} a choisi {string.Join(", ", State.ControleChoices)} comme épreuves de contrôle, pas {unit}.");
        return SecondGroupRules.CheckResult(unit, result) is { } error ? (RefusalKind.Invalid, error) : null;
    }

    /// <summary>The jury's phase as this candidate knows it (a frozen candidate of an old state is FIRST_CLOSED).</summary>
    private JuryPhase Phase => State.JuryPhase == JuryPhase.FirstOpen && State.Frozen ? JuryPhase.FirstClosed : State.JuryPhase;

    private bool IsNonConforming(UnitCode unit) =>
        State.Conformity.TryGetValue(unit.ToString(), out var entry) && entry.Status == ConformityStatus.NonConforme.ToCode();

    public async Task<EntryError[]> ApplyConformity(ConformityEntry[] entries, bool checkOnly)
    {
        var registration = Registration;
        var units = UnitsOf(registration);
        var errors = new List<EntryError>();
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = entries[i];
            var unit = Enum.Parse<UnitCode>(entry.Unit);
            var nonConforming = entry.Status == ConformityStatus.NonConforme.ToCode();
            var entered = State.Results.GetValueOrDefault(entry.Unit);
            if (State.Frozen && !SameConformity(entry))
                errors.Add(new(i, $"Les résultats du candidat {Number} sont figés : la conformité de {unit} ne change plus."));
            else if (UnitCatalogue.Get(unit).IsOptional && !units.OptionalUnits.Contains(unit))
                errors.Add(new(i, $"Le candidat {Number} n'a pas choisi l'épreuve facultative {unit}."));
            else if (units.KeptUnits.ContainsKey(unit))
                errors.Add(new(i, $"Le candidat {Number} conserve sa note de {unit} d'une session antérieure : l'épreuve n'est pas repassée."));
            else if (nonConforming && entered is not null && entered.Result != UnitResult.NonValide.ToString())
                errors.Add(new(i, $"Le candidat {Number} a déjà un résultat en {unit} ({entered.Result}) : un dossier non conforme n'est pas interrogé."));
        }
        if (errors.Count > 0 || checkOnly) return [.. errors];

        var changes = entries.Where(e => !SameConformity(e)).ToArray();
        if (changes.Length > 0)
            await Stored.Update(s => { foreach (var entry in changes) s.Conformity[entry.Unit] = entry with { Line = 0 }; });
        await PublishAsync();
        return [];
    }

    private bool SameConformity(ConformityEntry entry) =>
        State.Conformity.TryGetValue(entry.Unit, out var current)
        && current.Status == entry.Status && current.Details == entry.Details && current.Reasons.SequenceEqual(entry.Reasons);

    public Task<CandidatePlanningData> GetPlanningData()
    {
        var registration = Registration;
        var units = UnitsOf(registration);
        var nonConforming = State.Conformity.Values.Where(c => c.Status == ConformityStatus.NonConforme.ToCode())
            .Select(c => Enum.Parse<UnitCode>(c.Unit)).ToHashSet();
        var form = Codes.TryParse<ExamForm>(registration.Form, out var f) ? f : ExamForm.Ponctuel;
        var kept = units.KeptUnits.Keys.ToHashSet();
        var orals = OralRules.OralsToPlan(form, units.OptionalUnits, units.DispensedUnits, kept, nonConforming);
        var unplaceable = OralRules.UnplaceableOrals(form, units.OptionalUnits, units.DispensedUnits, kept, nonConforming);
        return Task.FromResult(new CandidatePlanningData(
            Number, registration.Academy, registration.EstablishmentUai, registration.ExtraTimePercent, registration.Ef1Language,
            orals.Select(u => u.ToString()).ToArray(),
            unplaceable.Select(u => new UnplacedRow(Number, u.Unit.ToString(), u.Reason)).ToArray()));
    }

    public async Task SetConvocations(ScheduleRow[] convocations, int group)
    {
        _ = Registration;
        await Stored.Update(s =>
        {
            s.Convocations = [.. s.Convocations.Where(c => PlanningGroups.Of(c.Unit) != group).Concat(convocations)
                .OrderBy(c => c.Date).ThenBy(c => c.PrepStart ?? c.ExamStart)];
            foreach (var convocation in convocations) s.Examiners[convocation.Unit] = convocation.ExaminerIds;
        });
    }

    public async Task ReplaceConvocations(string[] units, ScheduleRow[] rows)
    {
        _ = Registration;
        await Stored.Update(s =>
        {
            s.Convocations = [.. s.Convocations.Where(c => !units.Contains(c.Unit)).Concat(rows)
                .OrderBy(c => c.Date).ThenBy(c => c.PrepStart ?? c.ExamStart)];
            foreach (var row in rows) s.Examiners[row.Unit] = row.ExaminerIds;
        });
    }

    public Task<CandidatePlanningData> GetControlePlanningData()
    {
        var registration = Registration;
        var toPlan = Phase is JuryPhase.FirstClosed or JuryPhase.SecondOpen && FirstGroupOutcome().Decision == Decision.SecondGroupe
            ? State.ControleChoices.Where(u => !State.Results.ContainsKey(u)).ToArray()
            : [];
        return Task.FromResult(new CandidatePlanningData(
            Number, registration.Academy, registration.EstablishmentUai, registration.ExtraTimePercent, registration.Ef1Language, toPlan, []));
    }

    public async Task<CandidateSummary> ChooseControles(string[] units, Actor actor)
    {
        var registration = Registration;
        if (!(actor.Role == Roles.Organiser || (actor.Role == Roles.JuryPresident && actor.Scope == registration.JuryId)))
            throw new RefusedException(RefusalKind.Forbidden, $"Seuls l'organisateur et le président du jury {registration.JuryId} enregistrent les épreuves de contrôle choisies.");
        if (Phase is not (JuryPhase.FirstClosed or JuryPhase.SecondOpen))
            throw new RefusedException(RefusalKind.Conflict, Phase == JuryPhase.FirstOpen
                ? $"Le choix des épreuves de contrôle suit la clôture du premier groupe : le jury {registration.JuryId} délibère encore."
                : $"La délibération du jury {registration.JuryId} est close : le choix des épreuves de contrôle ne change plus.");
        var first = FirstGroupOutcome();
        if (first.Decision != Decision.SecondGroupe)
            throw new RefusedException(RefusalKind.Conflict, $"Le candidat {Number} n'est pas admis au second groupe (décision : {first.Decision.ToCode()}).");
        var chosen = new List<UnitCode>();
        foreach (var text in units)
        {
            if (!SecondGroupRules.TryParseChoice(text, out var unit))
                throw new RefusedException(RefusalKind.Invalid, $"« {text} » n'est pas une épreuve de contrôle : attendu C_E1 (ou E1), C_E2 (ou E2) ou C_E3 (ou E3).");
            chosen.Add(unit);
        }
        if (SecondGroupRules.CheckChoice(chosen, FirstGroupResults(), _rules) is { } problem)
            throw new RefusedException(RefusalKind.Invalid, problem);
        var codes = chosen.Select(u => u.ToString()).Order(StringComparer.Ordinal).ToList();
        var dropped = State.ControleChoices.Where(u => !codes.Contains(u) && State.Results.ContainsKey(u)).ToArray();
        if (dropped.Length > 0)
            throw new RefusedException(RefusalKind.Conflict, $"{string.Join(", ", dropped)} a déjà une note : ce choix ne peut plus être retiré.");
        if (!codes.SequenceEqual(State.ControleChoices))
        {
            var old = State.ControleChoices.Count == 0 ? null : string.Join(";", State.ControleChoices);
            await Stored.Update(s =>
            {
                s.ControleChoices = codes;
                s.History.Add(new ResultChange("CONTROLE", old, string.Join(";", codes), actor, clock.GetUtcNow(), null, "choix des épreuves de contrôle"));
            });
        }
        return await PublishAsync();
    }

    public async Task<CandidateSummary> EnterJuryPhase(string phase)
    {
        _ = Registration;
        if (!Codes.TryParse<JuryPhase>(phase, out var next) || next is not (JuryPhase.SecondOpen or JuryPhase.Closed))
            throw new RefusedException(RefusalKind.Invalid, $"Phase {phase} : attendu SECOND_OPEN ou CLOSED.");
        if (State.JuryPhase != next || !State.Frozen)
        {
            await Stored.Update(s =>
            {
                s.JuryPhase = next;
                s.FrozenSettings ??= _sessionSettings;
                s.Frozen = true;
            });
        }
        return await PublishAsync();
    }

    public Task<ScheduleRow[]> GetConvocations() => Task.FromResult(State.Convocations.ToArray());

    public async Task<CandidateSummary> LiftReserve(string unit, string? newResult, string reason, Actor actor)
    {
        var registration = Registration;
        EnsureJuryPresident(actor, registration);
        if (State.Frozen) throw new RefusedException(RefusalKind.Conflict, $"Les résultats du candidat {Number} sont figés.");
        if (string.IsNullOrWhiteSpace(reason)) throw new RefusedException(RefusalKind.Invalid, "Le motif de la levée de réserve est obligatoire.");
        if (!UnitCatalogue.TryParse(unit, out var code)) throw new RefusedException(RefusalKind.Invalid, $"Épreuve inconnue : « {unit} ».");
        if (State.Results.GetValueOrDefault(code.ToString()) is not { UnderReserve: true } current)
            throw new RefusedException(RefusalKind.Conflict, $"La note de {code} du candidat {Number} n'est pas sous réserve.");

        var result = current.Result;
        if (!string.IsNullOrWhiteSpace(newResult))
        {
            if (!UnitResult.TryParse(newResult, out var parsed, out var error)) throw new RefusedException(RefusalKind.Invalid, error);
            if (ResultRules.Check(code, parsed, UnitsOf(registration)) is { } ruleError) throw new RefusedException(RefusalKind.Invalid, ruleError);
            result = parsed.ToString();
        }
        await Stored.Update(s =>
        {
            s.Results[code.ToString()] = new StoredResult(result, UnderReserve: false);
            s.History.Add(new ResultChange(code.ToString(), current.Result, result, actor, clock.GetUtcNow(), reason.Trim(), "levée de réserve"));
        });
        return await PublishAsync();
    }

    public async Task<CandidateSummary> AcknowledgeLivret(Actor actor)
    {
        var registration = Registration;
        EnsureJuryPresident(actor, registration);
        if (!registration.Livret)
            throw new RefusedException(RefusalKind.Conflict, $"Le candidat {Number} n'a pas fourni de livret scolaire.");
        if (!State.LivretAcknowledged)
        {
            if (Phase == JuryPhase.Closed) throw new RefusedException(RefusalKind.Conflict, $"La délibération du jury {registration.JuryId} est close.");
            await Stored.Update(s =>
            {
                s.LivretAcknowledged = true;
                s.History.Add(new ResultChange("LIVRET", null, null, actor, clock.GetUtcNow(), null, "livret examiné"));
            });
        }
        return await PublishAsync();
    }

    private void EnsureJuryPresident(Actor actor, CandidateRegistration registration)
    {
        if (actor.Role != Roles.JuryPresident || actor.Scope != registration.JuryId)
            throw new RefusedException(RefusalKind.Forbidden, $"Seul le président du jury {registration.JuryId} peut faire cela.");
    }

    public async Task AssignExaminers(string unit, string[] examinerIds)
    {
        if (!UnitCatalogue.TryParse(unit, out var code)) throw new RefusedException(RefusalKind.Invalid, $"Épreuve inconnue : « {unit} ».");
        await Stored.Update(s => s.Examiners[code.ToString()] = examinerIds.Distinct().Order().ToArray());
    }

    public Task<bool> IsExaminedBy(string examinerId) =>
        Task.FromResult(State.Examiners.Values.Any(ids => ids.Contains(examinerId)));

    /// <summary>Whether a unit's result was changed after its first entry (a correction, a reserve lifted to another result).</summary>
    private bool WasChanged(string unit) =>
        State.History.Any(h => h.Unit == unit && h.OldResult is not null && h.NewResult is not null && h.OldResult != h.NewResult);

    public Task<CandidateView> GetView() =>
        Task.FromResult(new CandidateView(Registration, Summarize(), State.History.ToArray()));

    public Task<CandidateSummary> GetSummary() => Task.FromResult(Summarize());

    public async Task<CandidateSummary> Freeze()
    {
        _ = Registration;
        if (!State.Frozen)
        {
            await Stored.Update(s =>
            {
                s.Frozen = true;
                s.JuryPhase = JuryPhase.FirstClosed;
                s.FrozenSettings = _sessionSettings;
            });
        }
        return Summarize();
    }

    public async Task Unfreeze()
    {
        if (State.Frozen)
        {
            await Stored.Update(s =>
            {
                s.Frozen = false;
                s.JuryPhase = JuryPhase.FirstOpen;
                s.FrozenSettings = null;
            });
            if (_sessionSettings is not null) _rules = _sessionSettings.ToRules();
        }
        await PublishAsync();
    }

    private async Task<CandidateSummary> PublishAsync()
    {
        var summary = Summarize();
        await GrainFactory.Jury(SessionId, summary.JuryId).CandidateChanged(summary);
        return summary;
    }

    private static string CanonicalUnit(string text) => UnitCatalogue.TryParse(text, out var code) ? code.ToString() : text;

    private static CandidateUnits UnitsOf(CandidateRegistration registration) => new(
        registration.OptionalUnits.Select(u => Enum.Parse<UnitCode>(u)).ToHashSet(),
        registration.DispensedUnits.Select(u => Enum.Parse<UnitCode>(u)).ToHashSet(),
        registration.KeptUnits.Select(k => k.Split(':')).ToDictionary(p => Enum.Parse<UnitCode>(p[0]), p => UnitResult.Parse("BEN:" + p[1]).Mark!.Value));

    /// <summary>The first-group results: registration (DISP, BEN), conformity (NV) and entered results, without the contrôle units.</summary>
    private Dictionary<UnitCode, UnitResult> FirstGroupResults()
    {
        var results = new Dictionary<UnitCode, UnitResult>(ResultRules.FromRegistration(UnitsOf(Registration)));
        // Annexe 4: a non-conforming E4, U61 or U62 file gets NV; EF2 and EF3 simply do not take place.
        foreach (var entry in State.Conformity.Values.Where(c => c.Status == ConformityStatus.NonConforme.ToCode()))
        {
            var unit = Enum.Parse<UnitCode>(entry.Unit);
            if (ConformityRules.ResultWhenNotConforming(unit) is { } result) results[unit] = result;
        }
        foreach (var (unit, stored) in State.Results)
        {
            var code = Enum.Parse<UnitCode>(unit);
            if (UnitCatalogue.Get(code).Kind != UnitKind.Controle) results[code] = UnitResult.Parse(stored.Result);
        }
        return results;
    }

    private DeliberationOutcome FirstGroupOutcome() => Domain.Deliberation.FirstGroup(FirstGroupResults(), _rules);

    private CandidateSummary Summarize()
    {
        var registration = Registration;
        var results = FirstGroupResults();
        var first = Domain.Deliberation.FirstGroup(results, _rules);
        var outcome = first;
        var missing = first.MissingUnits.Select(u => u.ToString()).ToArray();
        ControleCell[] controles = [];
        var choiceMissing = false;
        // deliberation.md "Second group": once the first group is closed, a SECOND_GROUPE candidate's contrôle orals decide.
        if (first.Decision == Decision.SecondGroupe && Phase != JuryPhase.FirstOpen)
        {
            var controleResults = State.Results.Where(r => State.ControleChoices.Contains(r.Key))
                .ToDictionary(r => Enum.Parse<UnitCode>(r.Key), r => UnitResult.Parse(r.Value.Result));
            controles = [.. Domain.Deliberation.ControleComparisons(results, controleResults, _rules).Select(c => new ControleCell(
                c.Controle.ToString(), State.ControleChoices.Contains(c.Controle.ToString()), c.FirstGroupMark, c.ControleResult?.ToString(), c.Kept))];
            var pending = State.ControleChoices.Where(u => !State.Results.ContainsKey(u)).ToArray();
            if (State.ControleChoices.Count > 0 && pending.Length == 0)
                outcome = Domain.Deliberation.SecondGroup(results, controleResults, _rules);
            else if (Phase != JuryPhase.FirstClosed)
            {
                missing = pending;
                choiceMissing = State.ControleChoices.Count == 0;
            }
        }
        return new CandidateSummary
        {
            CandidateNumber = Number,
            LastName = registration.LastName,
            FirstName = registration.FirstName,
            JuryId = registration.JuryId,
            Results = results.OrderBy(r => r.Key)
                .Select(r => new UnitCell(r.Key.ToString(), r.Value.ToString(), State.Results.GetValueOrDefault(r.Key.ToString())?.UnderReserve ?? false,
                    WasChanged(r.Key.ToString())))
                .ToArray(),
            Decision = outcome.Decision.ToCode(),
            Group = outcome.Group,
            Points = outcome.Points,
            Average = outcome.Average,
            ProAverage = outcome.ProAverage,
            NearThreshold = outcome.NearThreshold,
            Livret = registration.Livret,
            LivretAcknowledged = State.LivretAcknowledged,
            MissingUnits = missing,
            Frozen = State.Frozen,
            OptionalUnits = registration.OptionalUnits,
            FirstGroupDecision = first.Decision.ToCode(),
            FirstGroupAverage = first.Average,
            ControleChoices = [.. State.ControleChoices],
            Controles = controles,
            ControleChoiceMissing = choiceMissing,
        };
    }
}
