using System.Net;
using UglyToad.PdfPig;

namespace BtsCcst.Server.Tests.Deliberation;

/// <summary>Who gets the minutes and transcripts, and what they print when juries.csv named nobody.</summary>
[Collection(ServerCollection.Name)]
public sealed class DeliberationDocumentsApiTests(ServerFixture server)
{
    private const string Session = "documents-api";
    private const string Jury = "NORMANDIE";

    [Fact]
    public async Task A_default_jury_gets_its_minutes_with_the_names_left_to_fill_and_its_transcripts_only_for_the_entitled()
    {
        using var organiser = await server.OrganiserAsync();
        (await organiser.ImportAsync(Session, "candidates", SampleFiles.Candidates(SampleFiles.Candidate("DOC-1"), SampleFiles.Candidate("DOC-2")))).EnsureSuccessStatusCode();
        (await organiser.ImportAsync(Session, "marks", SampleFiles.Marks(["DOC-1", "DOC-2"], "12.5"))).EnsureSuccessStatusCode();
        using var president = await server.PresidentAsync(Jury);

        var minutes = await president.GetAsync($"/api/sessions/{Session}/juries/{Jury}/minutes.pdf");

        Assert.Equal(HttpStatusCode.OK, minutes.StatusCode);
        using (var pdf = PdfDocument.Open(await minutes.Content.ReadAsByteArrayAsync()))
        {
            var text = string.Join("\n", pdf.GetPages().Select(p => p.Text));
            Assert.Contains("non désigné (juries.csv)", text);
            Assert.Contains("Document provisoire", text);
            Assert.Contains("DOC-1", text);
        }
        var transcripts = await organiser.GetAsync($"/api/sessions/{Session}/juries/{Jury}/transcripts.pdf");
        Assert.Equal(HttpStatusCode.OK, transcripts.StatusCode);
        using (var pdf = PdfDocument.Open(await transcripts.Content.ReadAsByteArrayAsync()))
            Assert.Equal(2, pdf.NumberOfPages);
        var one = await president.GetAsync($"/api/sessions/{Session}/candidates/DOC-2/transcript.pdf");
        using (var pdf = PdfDocument.Open(await one.Content.ReadAsByteArrayAsync()))
        {
            Assert.Equal(1, pdf.NumberOfPages);
            Assert.Contains("Moyenne : 12,50 / 20", pdf.GetPage(1).Text);
        }

        using var examiner = await server.ClientAsync("examiner", "ECO1");
        Assert.Equal(HttpStatusCode.Forbidden, (await examiner.GetAsync($"/api/sessions/{Session}/juries/{Jury}/minutes.pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await examiner.GetAsync($"/api/sessions/{Session}/candidates/DOC-1/transcript.pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await organiser.GetAsync($"/api/sessions/{Session}/juries/NOWHERE/minutes.pdf")).StatusCode);
        var unknown = await organiser.GetAsync($"/api/sessions/{Session}/candidates/DOC-9/transcript.pdf");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
    }
}
