using System.Security.Claims;
using BtsCcst.Domain;
using BtsCcst.Grains.Abstractions;
using BtsCcst.Server.Api;
using BtsCcst.Server.Auth;
using BtsCcst.Server.Deliberation.Documents;
using BtsCcst.Server.Planning;
using BtsCcst.Server.Planning.Documents;

namespace BtsCcst.Server.Deliberation;

/// <summary>
/// The documents of a deliberation (French PDFs): the jury's minutes (procès-verbal) and the candidates'
/// transcripts (relevés de notes), for the organiser and the jury's president.
/// </summary>
public static class DeliberationDocumentsEndpoints
{
    private const string DefaultTimeZone = "Europe/Paris";
    private const string NotNamed = "non désigné (juries.csv)";

    public static void MapDeliberationDocumentsApi(this RouteGroupBuilder session)
    {
        session.MapGet("/juries/{jury}/minutes.pdf", Minutes).WithTags("Documents")
            .Produces(StatusCodes.Status200OK, contentType: DocumentsEndpoints.PdfType)
            .WithSummary("The jury's minutes: every candidate's results, average and decision, the jury's changes, the members and the signatures.");
        session.MapGet("/juries/{jury}/transcripts.pdf", JuryTranscripts).WithTags("Documents")
            .Produces(StatusCodes.Status200OK, contentType: DocumentsEndpoints.PdfType)
            .WithSummary("Every transcript of the jury's candidates: one page each, in candidate-number order.");
        session.MapGet("/candidates/{number}/transcript.pdf", CandidateTranscript).WithTags("Documents")
            .Produces(StatusCodes.Status200OK, contentType: DocumentsEndpoints.PdfType)
            .WithSummary("One candidate's transcript (relevé de notes).");
    }

    private static IResult NotEntitled(string jury) =>
        Problems.Forbidden($"Les documents du jury {jury} sont réservés à son président et à l'organisateur.");

    private static async Task<IResult> Minutes(string session, string jury, ClaimsPrincipal user, IGrainFactory grains, IConfiguration configuration)
    {
        if (!Policies.MayWatchJury(TokenService.ActorOf(user), jury)) return NotEntitled(jury);
        var juryGrain = grains.Jury(session, jury);
        if (await juryGrain.GetDefinition() is not { } definition) return Problems.NotFound($"Le jury {jury} n'existe pas dans la session {session}.");
        var board = await juryGrain.GetBoard();
        var phases = await juryGrain.GetPhaseChanges();
        var views = await Task.WhenAll(board.Candidates.Select(c => grains.Candidate(session, c.CandidateNumber).GetView()));
        var input = new MinutesInput(
            DocumentText.SessionLabel(session, []),
            jury,
            definition.Academies,
            // Without juries.csv a jury is made per academy with nobody named: the minutes leave the names to be written in.
            string.IsNullOrWhiteSpace(definition.President) ? NotNamed : definition.President,
            definition.Members.Where(m => !string.IsNullOrWhiteSpace(m)).ToArray(),
            board.Phase,
            [.. phases.Select(p => new PhaseChange(p.Phase, p.By.Name, p.At))],
            [.. board.Candidates.Select(ToMinutesCandidate)],
            [.. views.SelectMany(v => v.History.Where(h => h.By.Role == Roles.JuryPresident)
                .Select(h => new JuryChange(v.Registration.CandidateNumber, IsUnit(h.Unit) ? h.Unit : null, h.OldResult, h.NewResult,
                    h.By.Name, RoleLabel(h.By.Role), h.At, h.Reason ?? "", h.Action)))
                .OrderBy(c => c.At)],
            TimeZone: await TimeZoneOf(grains, session, definition));
        return DocumentsEndpoints.PdfFile(configuration, () => MinutesPdf.Build(input), $"proces-verbal-{session}-{jury}.pdf");
    }

    private static async Task<IResult> JuryTranscripts(string session, string jury, ClaimsPrincipal user, IGrainFactory grains, IConfiguration configuration)
    {
        if (!Policies.MayWatchJury(TokenService.ActorOf(user), jury)) return NotEntitled(jury);
        var juryGrain = grains.Jury(session, jury);
        if (await juryGrain.GetDefinition() is null) return Problems.NotFound($"Le jury {jury} n'existe pas dans la session {session}.");
        var board = await juryGrain.GetBoard();
        if (board.Candidates.Length == 0)
            return Problems.Problem(StatusCodes.Status409Conflict, "Action refusée", $"Le jury {jury} n'a aucun candidat : il n'y a aucun relevé de notes à éditer.");
        var views = await Task.WhenAll(board.Candidates.Select(c => grains.Candidate(session, c.CandidateNumber).GetView()));
        var transcripts = views.Select(v => ToTranscript(session, v)).ToArray();
        return DocumentsEndpoints.PdfFile(configuration, () => TranscriptPdf.Build(transcripts), $"releves-{session}-{jury}.pdf");
    }

    private static async Task<IResult> CandidateTranscript(string session, string number, ClaimsPrincipal user, IGrainFactory grains, IConfiguration configuration)
    {
        var candidate = grains.Candidate(session, number);
        if (!await candidate.IsRegistered()) return Problems.NotFound($"Le candidat {number} n'est pas inscrit à la session {session}.");
        var view = await candidate.GetView();
        if (!Policies.MayWatchJury(TokenService.ActorOf(user), view.Registration.JuryId)) return NotEntitled(view.Registration.JuryId);
        return DocumentsEndpoints.PdfFile(configuration, () => TranscriptPdf.Build([ToTranscript(session, view)]), $"releve-{session}-{number}.pdf");
    }

    private static MinutesCandidate ToMinutesCandidate(CandidateSummary row) => new(
        row.CandidateNumber, row.LastName, row.FirstName,
        row.Results.ToDictionary(c => c.Unit, c => c.Result),
        row.Points, row.Average, row.ProAverage, row.Decision, row.Group,
        ControleLines(row),
        row.Controles.Length > 0 ? row.FirstGroupDecision : null,
        row.Controles.Length > 0 ? row.FirstGroupAverage : null);

    private static ControleLine[] ControleLines(CandidateSummary row) =>
        [.. row.Controles.Where(c => c.Chosen).Select(c => new ControleLine(c.Unit, c.FirstGroupMark, c.Result, c.Kept))];

    private static TranscriptInput ToTranscript(string session, CandidateView view)
    {
        var row = view.Summary;
        var results = row.Results.ToDictionary(c => c.Unit, c => c.Result);
        var units = UnitCatalogue.Mandatory.Select(u => u.Code)
            .Concat(row.OptionalUnits.Select(Enum.Parse<UnitCode>))
            .Select(u => new TranscriptUnit(u.ToString(), UnitCatalogue.Get(u).Title, UnitCatalogue.Get(u).Coefficient, results.GetValueOrDefault(u.ToString())))
            .ToArray();
        return new TranscriptInput(
            DocumentText.SessionLabel(session, []), row.CandidateNumber, row.LastName, row.FirstName, view.Registration.BirthDate,
            view.Registration.Academy, row.JuryId, units, row.Points, row.Average, row.ProAverage, row.Decision, row.Group,
            ControleLines(row), row.Controles.Length > 0 ? row.FirstGroupAverage : null);
    }

    private static bool IsUnit(string unit) => UnitCatalogue.TryParse(unit, out _);

    private static string RoleLabel(string role) => role switch
    {
        Roles.JuryPresident => "Président du jury",
        Roles.Organiser => "Organisateur",
        Roles.Examiner => "Examinateur",
        Roles.CentreManager => "Responsable de centre",
        _ => role,
    };

    /// <summary>The jury's local time: that of a centre examining its academies, else metropolitan France.</summary>
    private static async Task<string> TimeZoneOf(IGrainFactory grains, string session, JuryDefinition jury)
    {
        var (_, centres) = await grains.Session(session).GetPlanningResources();
        return centres.FirstOrDefault(c => c.Academies.Intersect(jury.Academies).Any())?.TimeZone ?? DefaultTimeZone;
    }
}
