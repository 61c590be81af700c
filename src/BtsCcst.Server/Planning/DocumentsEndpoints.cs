using System.Security.Claims;
using BtsCcst.Domain.Imports;
using BtsCcst.Grains.Abstractions;
using BtsCcst.Server.Api;
using BtsCcst.Server.Auth;
using BtsCcst.Server.Planning.Documents;

namespace BtsCcst.Server.Planning;

/// <summary>Documents drawn from the adopted plan: convocations (PDF) and examiners' calendars (iCalendar).</summary>
public static class DocumentsEndpoints
{
    public const string PdfType = "application/pdf";
    public const string CalendarType = "text/calendar; charset=utf-8";

    public static void MapDocumentsApi(this RouteGroupBuilder session)
    {
        session.MapGet("/candidates/{number}/convocation.pdf", CandidateConvocation).RequireAuthorization(Policies.Organiser).WithTags("Convocations")
            .Produces(StatusCodes.Status200OK, contentType: PdfType)
            .WithSummary("The candidate's convocation to their orals of the adopted plan (?group=2: to their contrôle orals): a one-page PDF in French.");
        session.MapGet("/exports/convocations.pdf", SessionConvocations).RequireAuthorization(Policies.Organiser).WithTags("Exports")
            .Produces(StatusCodes.Status200OK, contentType: PdfType)
            .WithSummary("Every convocation of the adopted plan (?group=2: the second group's): one page per candidate with orals, in candidate-number order.");
        session.MapGet("/examiners/{examinerId}/calendar.ics", ExaminerCalendarFile).WithTags("Convocations")
            .Produces(StatusCodes.Status200OK, contentType: "text/calendar")
            .WithSummary("An examiner's slots of the adopted plan as iCalendar, in each centre's time zone (organiser, or the examiner themself).");
    }

    /// <summary>The adopted plan and what the documents print of its centres.</summary>
    private sealed record AdoptedPlan(
        ScheduleRow[] Rows, IReadOnlyDictionary<string, CentreDefinition> Centres, ExaminerDefinition[] Examiners, string SessionLabel);

    /// <summary>The adopted plan of one group (1: first-group orals, 2: contrôle orals), or of both; null when none is adopted.</summary>
    private static async Task<AdoptedPlan?> LoadPlanAsync(IGrainFactory grains, string session, int? group)
    {
        var sessionGrain = grains.Session(session);
        var groups = group is { } g ? [g] : new[] { PlanningGroups.First, PlanningGroups.Second };
        var runIds = await Task.WhenAll(groups.Select(g => sessionGrain.GetScheduleRunId(g)));
        if (runIds.All(id => id is null)) return null;
        var rows = await PlanningEndpoints.AdoptedScheduleAsync(grains, session, group);
        var (examiners, centres) = await sessionGrain.GetPlanningResources();
        return new AdoptedPlan(rows, centres.ToDictionary(c => c.CentreId, StringComparer.Ordinal), examiners,
            DocumentText.SessionLabel(session, rows.Select(r => r.Date)));
    }

    private static IResult NoPlan(string session, int? group) => Problems.Problem(StatusCodes.Status409Conflict, "Action refusée",
        $"Aucun planning{(group == PlanningGroups.Second ? " des épreuves de contrôle (second groupe)" : "")} adopté pour la session {session} : lancez une planification (POST /api/sessions/{session}/planning-runs) et attendez qu'elle aboutisse.");

    /// <summary>?group=1 (default: the first-group orals) or ?group=2 (the second group's contrôle orals).</summary>
    private static int? GroupOf(int? group) => group is null or PlanningGroups.First or PlanningGroups.Second ? group ?? PlanningGroups.First : null;

    private static IResult BadGroup(int? group) => Problems.Invalid($"group vaut 1 (oraux du premier groupe) ou 2 (épreuves de contrôle), pas {group}.");

    private static IResult FontsMissing(FontsUnavailableException e) =>
        Problems.Problem(StatusCodes.Status500InternalServerError, "Configuration du serveur incomplète", e.Message);

    /// <summary>Renders the PDF, after installing the fonts from the configured folder (once per process).</summary>
    private static IResult Pdf(IConfiguration configuration, string sessionLabel, IReadOnlyList<ConvocationPage> pages,
        IReadOnlyDictionary<string, CentreDefinition> centres, string fileName) =>
        PdfFile(configuration, () => ConvocationPdf.Build(sessionLabel, pages, centres), fileName);

    /// <summary>A PDF download rendered once the fonts are installed; a clear 500 problem when the fonts are missing.</summary>
    public static IResult PdfFile(IConfiguration configuration, Func<byte[]> render, string fileName)
    {
        try
        {
            DocumentFonts.EnsureInstalled(configuration[DocumentFonts.DirectorySetting]);
            return Results.File(render(), PdfType, fileName);
        }
        catch (FontsUnavailableException e)
        {
            return FontsMissing(e);
        }
    }

    private static async Task<IResult> CandidateConvocation(string session, string number, int? group, IGrainFactory grains, IConfiguration configuration)
    {
        if (GroupOf(group) is not { } g) return BadGroup(group);
        var candidate = grains.Candidate(session, number);
        if (!await candidate.IsRegistered()) return Problems.NotFound($"Le candidat {number} n'est pas inscrit à la session {session}.");
        if (await LoadPlanAsync(grains, session, g) is not { } plan) return NoPlan(session, g);
        var orals = plan.Rows.Where(r => r.CandidateNumber == number).ToArray();
        if (orals.Length == 0)
            return Problems.NotFound($"Le candidat {number} n'a aucune épreuve orale dans le planning adopté : il n'a pas de convocation.");
        var registration = (await candidate.GetView()).Registration;
        return Pdf(configuration, plan.SessionLabel, [new ConvocationPage(registration, orals)], plan.Centres, $"convocation-{session}-{number}.pdf");
    }

    private static async Task<IResult> SessionConvocations(string session, int? group, IGrainFactory grains, IConfiguration configuration)
    {
        if (GroupOf(group) is not { } g) return BadGroup(group);
        return await ConvocationsAsync(grains, configuration, session, g, only: null,
            g == PlanningGroups.Second ? $"convocations-controle-{session}.pdf" : $"convocations-{session}.pdf");
    }

    /// <summary>
    /// The convocations of the current plan of one group, one page per candidate with orals in candidate-number order:
    /// everyone's, or only those of <paramref name="only"/> (the candidates a repaired day concerns).
    /// </summary>
    public static async Task<IResult> ConvocationsAsync(IGrainFactory grains, IConfiguration configuration, string session, int group,
        IReadOnlyCollection<string>? only, string fileName)
    {
        if (await LoadPlanAsync(grains, session, group) is not { } plan) return NoPlan(session, group);
        var byCandidate = plan.Rows.Where(r => only is null || only.Contains(r.CandidateNumber)).GroupBy(r => r.CandidateNumber, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal).ToArray();
        if (byCandidate.Length == 0)
            return Problems.Problem(StatusCodes.Status409Conflict, "Action refusée", only is null
                ? $"Le planning adopté de la session {session} ne contient aucune épreuve orale : il n'y a aucune convocation à éditer."
                : "Aucun des candidats concernés n'a plus d'épreuve orale au planning : il n'y a aucune convocation à éditer.");
        var registrations = await Task.WhenAll(byCandidate.Select(async g => (await grains.Candidate(session, g.Key).GetView()).Registration));
        var pages = byCandidate.Select((g, i) => new ConvocationPage(registrations[i], g.ToArray())).ToArray();
        return Pdf(configuration, plan.SessionLabel, pages, plan.Centres, fileName);
    }

    private static async Task<IResult> ExaminerCalendarFile(string session, string examinerId, ClaimsPrincipal user, IGrainFactory grains, TimeProvider clock)
    {
        if (!FieldRules.IsId(examinerId))
            return Problems.Invalid(FieldRules.InvalidIdMessage("examinerId", examinerId));
        var actor = TokenService.ActorOf(user);
        if (!(actor.Role == Roles.Organiser || (actor.Role == Roles.Examiner && actor.Name == examinerId)))
            return Problems.Forbidden($"Le calendrier de l'examinateur {examinerId} est réservé à cet examinateur et à l'organisateur.");
        if (await LoadPlanAsync(grains, session, group: null) is not { } plan) return NoPlan(session, null);
        if (plan.Examiners.FirstOrDefault(e => e.ExaminerId == examinerId) is not { } examiner)
            return Problems.NotFound($"L'examinateur {examinerId} n'est pas dans examiners.csv de la session {session}.");
        var calendar = ExaminerCalendar.Build(session, plan.SessionLabel, examinerId, $"{examiner.FirstName} {examiner.LastName}",
            plan.Rows, plan.Centres, clock.GetUtcNow());
        return Results.File(System.Text.Encoding.UTF8.GetBytes(ExaminerCalendar.Write(calendar)), CalendarType, $"oraux-{session}-{examinerId}.ics");
    }
}
