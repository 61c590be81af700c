using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BtsCcst.Grains.Abstractions;
using BtsCcst.Scheduling;
using BtsCcst.Server.Planning.Documents;
using Ical.Net;
using UglyToad.PdfPig;

namespace BtsCcst.Server.Tests.Planning;

/// <summary>
/// Convocations (PDF) and examiners' calendars (iCalendar) of a session planned through the API:
/// they parse back and say what schedule.csv says.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class DocumentsTests(ServerFixture server)
{
    private const string Session = "docs-small";
    private const string Unplanned = "docs-unplanned";

    private const string Centres =
        "centre_id,name,academies,time_zone,dates,day_start,day_end,lunch_start,lunch_end,exam_rooms,prep_seats,address\n"
        + "CAEN-1,Lycée Malherbe,NORMANDIE,Europe/Paris,2024-05-27;2024-05-28,08:00,18:00,12:00,13:30,3,4,\"14 avenue Albert Sorel, 14000 Caen\"\n";

    private const string Examiners =
        "examiner_id,last_name,first_name,email,discipline,languages,establishment_uai,centre_ids,available_dates,max_minutes_per_day\n"
        + "ECO1,Martin,Anne,anne.martin@ac-normandie.fr,ECO_GESTION,,0141234X,CAEN-1,2024-05-27;2024-05-28,\n"
        + "ECO2,Bernard,Luc,luc.bernard@ac-normandie.fr,ECO_GESTION,,0140001A,CAEN-1,2024-05-27;2024-05-28,\n"
        + "STI1,Durand,Paul,paul.durand@ac-normandie.fr,STI,,0140001A,CAEN-1,2024-05-27;2024-05-28,\n"
        + "STI2,Leroy,Julie,julie.leroy@ac-normandie.fr,STI,,0140003C,CAEN-1,2024-05-27;2024-05-28,\n"
        + "ANG1,Moreau,Sarah,sarah.moreau@ac-normandie.fr,ANGLAIS,anglais,0140002B,CAEN-1,2024-05-27;2024-05-28,\n"
        + "ESP1,Garcia,Elena,elena.garcia@ac-normandie.fr,LANGUE,espagnol,0140003C,CAEN-1,2024-05-27;2024-05-28,\n"
        + "PRO1,Roux,Denis,denis.roux@entreprise.fr,PROFESSIONNEL,,,CAEN-1,2024-05-27;2024-05-28,\n";

    private static readonly string[] Months =
        ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"];

    private static readonly SemaphoreSlim PlanGate = new(1, 1);
    private static IReadOnlyList<ScheduledExam>? _schedule;

    [Fact]
    public async Task The_session_pdf_has_one_page_per_candidate_with_orals_in_number_order_with_their_times()
    {
        var schedule = await PlannedScheduleAsync();
        using var organiser = await server.OrganiserAsync();
        var response = await organiser.GetAsync($"/api/sessions/{Session}/exports/convocations.pdf");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);

        var candidates = schedule.Select(r => r.CandidateNumber).Distinct().Order(StringComparer.Ordinal).ToArray();
        // DOC-04 (CCF, no optional unit) has no oral, hence no page.
        Assert.Equal(["DOC-01", "DOC-02", "DOC-03", "DOC-05"], candidates);
        using var pdf = PdfDocument.Open(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(candidates.Length, pdf.NumberOfPages);
        foreach (var (page, number) in pdf.GetPages().Zip(candidates))
        {
            var text = page.Text;
            Assert.Contains("Convocation", text);
            Assert.Contains("BTS Conseil et commercialisation de solutions techniques — session 2024", text);
            Assert.Contains(number, text);
            Assert.Contains("pièce d'identité", text);
            foreach (var other in candidates.Where(c => c != number)) Assert.DoesNotContain(other, text);
            AssertShowsOrals(text, schedule.Where(r => r.CandidateNumber == number));
        }
    }

    [Fact]
    public async Task A_candidate_convocation_is_one_page_with_name_and_every_oral()
    {
        var schedule = await PlannedScheduleAsync();
        using var organiser = await server.OrganiserAsync();
        var response = await organiser.GetAsync($"/api/sessions/{Session}/candidates/DOC-01/convocation.pdf");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var pdf = PdfDocument.Open(await response.Content.ReadAsByteArrayAsync());
        var page = Assert.Single(pdf.GetPages());
        Assert.Contains("DOC-01", page.Text);
        Assert.Contains("DUBOIS Léa", page.Text);
        Assert.Contains("Lycée Malherbe, 14 avenue Albert Sorel, 14000 Caen", page.Text);
        var orals = schedule.Where(r => r.CandidateNumber == "DOC-01").ToList();
        Assert.Equal(6, orals.Count); // E22, E4, U61, U62, EF1, EF3
        AssertShowsOrals(page.Text, orals);
        // The unit titles come from the catalogue; E4 has one hour of preparation.
        Assert.Contains("Conception et commercialisation de solutions technico-commerciales", page.Text);
        var e4 = orals.Single(r => r.Unit.ToString() == "E4");
        Assert.Contains($"Préparation : {e4.PrepStart:HH\\:mm}", page.Text);
    }

    [Fact]
    public async Task An_examiner_calendar_parses_back_with_one_event_per_slot_in_the_centre_zone()
    {
        var schedule = await PlannedScheduleAsync();
        var busiest = schedule.SelectMany(r => r.ExaminerIds).GroupBy(e => e).MaxBy(g => g.Count())!.Key;
        var slots = schedule.Where(r => r.ExaminerIds.Contains(busiest)).ToList();
        Assert.True(slots.Count >= 2, $"{busiest} sits on {slots.Count} slot(s)");

        using var examiner = await server.ClientAsync("examiner", busiest);
        var response = await examiner.GetAsync($"/api/sessions/{Session}/examiners/{busiest}/calendar.ics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar", response.Content.Headers.ContentType?.MediaType);
        var ics = await response.Content.ReadAsStringAsync();
        Assert.Contains("BEGIN:VTIMEZONE", ics);
        Assert.Contains("TZID:Europe/Paris", ics);

        var calendar = Calendar.Load(ics)!;
        Assert.Equal(slots.Count, calendar.Events.Count);
        foreach (var slot in slots)
        {
            var uid = $"{Session}.{slot.CommissionId}.{slot.CandidateNumber}.{slot.Unit}@bts-ccst";
            var e = Assert.Single(calendar.Events, x => x.Uid == uid);
            Assert.Equal("Europe/Paris", e.DtStart!.TzId);
            Assert.Equal("Europe/Paris", e.DtEnd!.TzId);
            Assert.Equal(slot.Date, e.DtStart.Date);
            Assert.Equal(slot.ExamStart, e.DtStart.Time);
            Assert.Equal(slot.Date, e.DtEnd.Date);
            Assert.Equal(slot.ExamEnd, e.DtEnd.Time);
            // The wall-clock time in Paris is the UTC instant + 2 h at the end of May (summer time).
            Assert.Equal(slot.Date.ToDateTime(slot.ExamStart).AddHours(-2), e.DtStart.AsUtc);
            Assert.Equal($"BTS CCST — {slot.Unit}, candidat {slot.CandidateNumber}", e.Summary);
            Assert.Equal("Lycée Malherbe, 14 avenue Albert Sorel, 14000 Caen", e.Location);
            Assert.Contains($"DTSTART;TZID=Europe/Paris:{slot.Date:yyyyMMdd}T{slot.ExamStart:HHmm}00", ics);
        }

        // The organiser gets the same events; the file is stable apart from DTSTAMP.
        using var organiser = await server.OrganiserAsync();
        var again = Calendar.Load(await organiser.GetStringAsync($"/api/sessions/{Session}/examiners/{busiest}/calendar.ics"))!;
        Assert.Equal(calendar.Events.Select(e => e.Uid).Order(), again.Events.Select(e => e.Uid).Order());
    }

    [Fact]
    public async Task An_examiner_may_not_fetch_another_examiner_calendar_nor_anyone_a_convocation()
    {
        await PlannedScheduleAsync();
        using var examiner = await server.ClientAsync("examiner", "ECO2");
        var other = await examiner.GetAsync($"/api/sessions/{Session}/examiners/STI1/calendar.ics");
        await AssertProblem(other, HttpStatusCode.Forbidden, "STI1");
        Assert.Equal(HttpStatusCode.Forbidden, (await examiner.GetAsync($"/api/sessions/{Session}/candidates/DOC-01/convocation.pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await examiner.GetAsync($"/api/sessions/{Session}/exports/convocations.pdf")).StatusCode);
        using var president = await server.PresidentAsync("NORMANDIE");
        Assert.Equal(HttpStatusCode.Forbidden, (await president.GetAsync($"/api/sessions/{Session}/examiners/ECO2/calendar.ics")).StatusCode);
        using var anonymous = server.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/sessions/{Session}/examiners/ECO2/calendar.ics")).StatusCode);
    }

    [Fact]
    public async Task Unknown_candidates_and_examiners_are_404_and_a_session_without_plan_is_409()
    {
        await PlannedScheduleAsync();
        using var organiser = await server.OrganiserAsync();
        await AssertProblem(await organiser.GetAsync($"/api/sessions/{Session}/candidates/NOBODY/convocation.pdf"), HttpStatusCode.NotFound, "NOBODY");
        // Registered, but no oral (CCF without optional unit): no convocation.
        await AssertProblem(await organiser.GetAsync($"/api/sessions/{Session}/candidates/DOC-04/convocation.pdf"), HttpStatusCode.NotFound, "aucune épreuve orale");
        await AssertProblem(await organiser.GetAsync($"/api/sessions/{Session}/examiners/NOBODY/calendar.ics"), HttpStatusCode.NotFound, "NOBODY");

        await ImportOk(organiser, Unplanned, "candidates", SampleFiles.Candidates(SampleFiles.Candidate("UNP-01")));
        await AssertProblem(await organiser.GetAsync($"/api/sessions/{Unplanned}/candidates/UNP-01/convocation.pdf"), HttpStatusCode.Conflict, "Aucun planning adopté");
        await AssertProblem(await organiser.GetAsync($"/api/sessions/{Unplanned}/exports/convocations.pdf"), HttpStatusCode.Conflict, "Aucun planning adopté");
        await AssertProblem(await organiser.GetAsync($"/api/sessions/{Unplanned}/examiners/ECO1/calendar.ics"), HttpStatusCode.Conflict, "Aucun planning adopté");
    }

    [Fact]
    public void Dates_are_written_in_french_and_missing_fonts_are_named()
    {
        Assert.Equal("lundi 27 mai 2024", DocumentText.LongDate(new DateOnly(2024, 5, 27)));
        Assert.Equal("samedi 1er juin 2024", DocumentText.LongDate(new DateOnly(2024, 6, 1)));
        Assert.Equal("jeudi 15 août 2024", DocumentText.LongDate(new DateOnly(2024, 8, 15)));
        Assert.Equal("2024", DocumentText.SessionLabel("2024", []));
        Assert.Equal("2025", DocumentText.SessionLabel("docs", [new DateOnly(2025, 5, 20)]));

        var missing = Path.Combine(Path.GetTempPath(), "btsccst-no-fonts-" + Guid.NewGuid().ToString("N"));
        var error = Assert.Throws<FontsUnavailableException>(() => DejaVuFontResolver.Load(missing));
        Assert.Contains(Path.Combine(missing, "DejaVuSans.ttf"), error.Message);
        Assert.Contains("fonts-dejavu-core", error.Message);
        Assert.Contains("BtsCcst:FontDirectory", error.Message);
    }

    [Fact]
    public void A_candidate_with_many_orals_still_gets_one_page_and_an_overseas_centre_keeps_its_own_zone()
    {
        var centre = new CentreDefinition("PAP-1", "Lycée Baimbridge", ["GUADELOUPE"], "America/Guadeloupe", [new DateOnly(2024, 6, 3)],
            new TimeOnly(7, 30), new TimeOnly(17, 0), new TimeOnly(12, 0), new TimeOnly(13, 0), 2, 2, "Boulevard des Héros, 97139 Les Abymes");
        var centres = new Dictionary<string, CentreDefinition> { [centre.CentreId] = centre };
        string[] units = ["E22", "E4", "U61", "U62", "EF1", "EF2", "EF3", "C_E1", "C_E2", "C_E3"];
        var rows = units.Select((u, i) => new ScheduleRow("PAP-1", new DateOnly(2024, 6, 3), "B12", "PAP-1-C1", u, "GP-01",
            i % 2 == 0 ? new TimeOnly(7, 30).AddMinutes(40 * i) : null, new TimeOnly(8, 0).AddMinutes(40 * i), new TimeOnly(8, 20).AddMinutes(40 * i),
            ["LET1", "ECO9"])).ToArray();
        var registration = new CandidateRegistration
        {
            CandidateNumber = "GP-01", LastName = "Jean-Baptiste", FirstName = "Maëlle", BirthDate = new DateOnly(2003, 1, 9),
            Academy = "GUADELOUPE", EstablishmentUai = "", Category = "EXPERIENCE_PROFESSIONNELLE", Form = "PONCTUEL",
            OptionalUnits = [], Ef1Language = "", DispensedUnits = [], ExtraTimePercent = 0, Livret = false, KeptUnits = [], JuryId = "GUADELOUPE",
        };

        using var pdf = PdfDocument.Open(ConvocationPdf.Build("2024", [new ConvocationPage(registration, rows)], centres));
        var page = Assert.Single(pdf.GetPages());
        Assert.Contains("JEAN-BAPTISTE Maëlle", page.Text);
        Assert.Contains("Salle : B12", page.Text);
        Assert.Contains("America/Guadeloupe", page.Text);
        Assert.Contains("pièce d'identité", page.Text);
        Assert.True(page.Letters.Min(l => l.BoundingBox.Bottom) > 30, "the page overflows");
        foreach (var row in rows)
        {
            Assert.Contains($"{row.Unit} — ", page.Text);
            Assert.Contains($"Épreuve : {row.ExamStart:HH\\:mm} – {row.ExamEnd:HH\\:mm}", page.Text);
        }

        var ics = ExaminerCalendar.Write(ExaminerCalendar.Build("2024", "2024", "LET1", "Paul Lettres", rows, centres, DateTimeOffset.UnixEpoch));
        Assert.Contains("DTSTART;TZID=America/Guadeloupe:20240603T080000", ics);
        var calendar = Calendar.Load(ics)!;
        Assert.Equal(rows.Length, calendar.Events.Count);
        var first = calendar.Events.Single(e => e.Uid == "2024.PAP-1-C1.GP-01.E22@bts-ccst");
        Assert.Equal("America/Guadeloupe", first.DtStart!.TzId);
        Assert.Equal(new DateTime(2024, 6, 3, 12, 0, 0), first.DtStart.AsUtc); // 08:00 at UTC-4
        Assert.Empty(Calendar.Load(ExaminerCalendar.Write(
            ExaminerCalendar.Build("2024", "2024", "NOBODY", null, rows, centres, DateTimeOffset.UnixEpoch)))!.Events);
    }

    /// <summary>Each oral: its unit, its French date, its exam times, and its preparation time when it has one.</summary>
    private static void AssertShowsOrals(string text, IEnumerable<ScheduledExam> orals)
    {
        foreach (var oral in orals)
        {
            Assert.Contains($"{oral.Unit} — ", text);
            Assert.Contains($"{oral.Date.Day} {Months[oral.Date.Month - 1]} {oral.Date.Year}", text);
            Assert.Contains($"Épreuve : {oral.ExamStart:HH\\:mm} – {oral.ExamEnd:HH\\:mm}", text);
            if (oral.PrepStart is { } prep) Assert.Contains($"Préparation : {prep:HH\\:mm}", text);
        }
    }

    /// <summary>Imports and plans the session once for the whole class; returns schedule.csv parsed.</summary>
    private async Task<IReadOnlyList<ScheduledExam>> PlannedScheduleAsync()
    {
        await PlanGate.WaitAsync();
        try
        {
            if (_schedule is not null) return _schedule;
            using var organiser = await server.OrganiserAsync();
            await ImportOk(organiser, Session, "candidates", SampleFiles.Candidates(
                SampleFiles.Candidate("DOC-01", form: "PONCTUEL", category: "PRIVE_HORS_CONTRAT", optional: "EF1;EF3", ef1: "espagnol", lastName: "DUBOIS"),
                SampleFiles.Candidate("DOC-02", form: "PONCTUEL", category: "PRIVE_HORS_CONTRAT", lastName: "LEFEBVRE"),
                SampleFiles.Candidate("DOC-03", form: "PONCTUEL", category: "PRIVE_HORS_CONTRAT", dispensed: "E22", lastName: "GIRARD"),
                SampleFiles.Candidate("DOC-04", form: "CCF", lastName: "MOREL"),
                SampleFiles.Candidate("DOC-05", form: "CCF", optional: "EF1", ef1: "Espagnol", lastName: "FOURNIER")));
            await ImportOk(organiser, Session, "centres", Centres);
            await ImportOk(organiser, Session, "examiners", Examiners);

            var start = await organiser.PostAsJsonAsync($"/api/sessions/{Session}/planning-runs", new { timeLimitSeconds = 10 });
            Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
            var runId = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!;
            var run = await WaitForEndAsync(organiser, runId);
            Assert.True(run.GetProperty("state").GetString() == "succeeded", run.ToString());

            var (rows, errors) = ScheduleCsv.Parse(new StringReader(await organiser.GetStringAsync($"/api/sessions/{Session}/exports/schedule.csv")));
            Assert.Empty(errors);
            Assert.NotEmpty(rows);
            _schedule = rows;
            return rows;
        }
        finally
        {
            PlanGate.Release();
        }
    }

    private static async Task ImportOk(HttpClient organiser, string session, string kind, string csv)
    {
        var response = await organiser.ImportAsync(session, kind, csv);
        Assert.True(response.IsSuccessStatusCode, $"{kind}: {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status, string detailContains)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString();
        Assert.Contains(detailContains, detail);
    }

    private static async Task<JsonElement> WaitForEndAsync(HttpClient organiser, string runId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var run = await organiser.GetFromJsonAsync<JsonElement>($"/api/sessions/{Session}/planning-runs/{runId}");
            if (run.GetProperty("state").GetString() != "running") return run;
            Assert.True(DateTime.UtcNow < deadline, $"the run did not end: {run}");
            await Task.Delay(250);
        }
    }
}
