using System.Text.RegularExpressions;
using BtsCcst.Server.Deliberation.Documents;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;

namespace BtsCcst.Server.Tests.Documents;

/// <summary>
/// The procès-verbal and the relevés de notes, rendered from plain inputs and read back with PdfPig:
/// what a reader of the PDF sees, row by row and page by page.
/// </summary>
public sealed partial class DeliberationDocumentsTests
{
    private static readonly DateTimeOffset Morning = new(2024, 6, 27, 7, 30, 0, TimeSpan.Zero);

    // ---------- inputs ----------

    private static Dictionary<string, string> AllMarks(string mark) =>
        new() { ["E1"] = mark, ["E21"] = mark, ["E22"] = mark, ["E3"] = mark, ["E4"] = mark, ["E5"] = mark, ["U61"] = mark, ["U62"] = mark };

    /// <summary>Worked case 2 of deliberation.md: 251 points over 25, average 10.04, admitted.</summary>
    private static Dictionary<string, string> WorkedCase2() => new()
    {
        ["E1"] = "8", ["E21"] = "9", ["E22"] = "11", ["E3"] = "7", ["E4"] = "12", ["E5"] = "10", ["U61"] = "11", ["U62"] = "9", ["EF1"] = "14",
    };

    private static MinutesCandidate Candidate(string number, string last, string first, Dictionary<string, string> results,
        decimal? points, decimal? average, decimal? pro, string decision, int group = 1, IReadOnlyList<ControleLine>? controle = null,
        string? firstDecision = null, decimal? firstAverage = null) =>
        new(number, last, first, results, points, average, pro, decision, group, controle ?? [], firstDecision, firstAverage);

    private static IReadOnlyList<MinutesCandidate> SixCandidates()
    {
        var incomplete = AllMarks("11");
        incomplete.Remove("E5");
        var nonValid = AllMarks("12");
        nonValid["U61"] = "NV";
        var absent = AllMarks("12");
        absent["E3"] = "ABS";
        var secondGroup = WorkedCase2();
        secondGroup.Remove("EF1");
        return
        [
            Candidate("24001", "Dupont", "Marie", WorkedCase2(), 251m, 251m / 25, 172m / 16, "ADMIS"),
            Candidate("24002", "Martin", "Hugo", AllMarks("7.5"), 187.5m, 7.5m, 7.5m, "AJOURNE"),
            Candidate("24003", "Bernard", "Léa", secondGroup, 247m, 9.88m, 10.75m, "SECOND_GROUPE"),
            Candidate("24004", "Petit", "Jules", nonValid, null, null, null, "NON_VALIDE"),
            Candidate("24005", "Durand", "Chloé", absent, null, null, null, "ABSENT"),
            Candidate("24006", "Leroy", "Nina", incomplete, null, null, null, "INCOMPLET"),
            // Half-up, not banker's rounding: 12.345 shows 12,35.
            Candidate("24007", "Moreau", "Paul", AllMarks("12"), 308.625m, 12.345m, 12.5m, "ADMIS"),
        ];
    }

    private static MinutesInput Minutes(IReadOnlyList<MinutesCandidate> candidates, IReadOnlyList<JuryChange>? changes = null,
        string phase = "CLOSED", IReadOnlyList<string>? members = null) => new(
        "2024", "J-NORM", ["NORMANDIE", "RENNES"], "Claire Martin", members ?? ["Anne Martin", "Paul Durand", "Denis Roux", "Sarah Moreau"],
        phase,
        [
            new("FIRST_OPEN", "Claire Martin", Morning),
            new("CLOSED", "Claire Martin", Morning.AddHours(5)),
        ],
        candidates, changes ?? []);

    private static TranscriptInput Transcript(string number, string last, string first, IReadOnlyList<TranscriptUnit> units,
        decimal? points, decimal? average, decimal? pro, string decision, int group = 1, IReadOnlyList<ControleLine>? controle = null,
        decimal? firstAverage = null) =>
        new("2024", number, last, first, new DateOnly(2004, 3, 12), "Normandie", "J-NORM", units, points, average, pro, decision, group,
            controle ?? [], firstAverage);

    private static IReadOnlyList<TranscriptUnit> Units(Dictionary<string, string> results) =>
        [.. results.Select(r => new TranscriptUnit(r.Key, null, Coefficient(r.Key), r.Value))];

    private static decimal Coefficient(string unit) => unit switch
    {
        "E1" or "E3" or "U61" or "U62" => 3m,
        "E21" or "E22" => 1.5m,
        "E4" => 6m,
        "E5" => 4m,
        _ => 0m,
    };

    // ---------- reading the PDF back ----------

    private static List<Page> Pages(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return [.. document.GetPages()];
    }

    /// <summary>The words on the first line of the table row whose first cell is <paramref name="number"/>, left to right.</summary>
    private static string Row(Page page, string number) => Rows(page, number)[0];

    /// <summary><see cref="Row"/> for every row that starts with <paramref name="first"/>, top to bottom.</summary>
    private static List<string> Rows(Page page, string first)
    {
        var words = page.GetWords().ToList();
        return [.. words.Where(w => w.Text == first).OrderByDescending(w => w.BoundingBox.Bottom).Select(anchor => string.Join(" ",
            words.Where(w => Math.Abs(w.BoundingBox.Bottom - anchor.BoundingBox.Bottom) < 1.5)
                .OrderBy(w => w.BoundingBox.Left).Select(w => w.Text)))];
    }

    private static void AssertInsidePage(Page page, double margin = 15)
    {
        Assert.NotEmpty(page.Letters);
        foreach (var letter in page.Letters.Where(l => !string.IsNullOrWhiteSpace(l.Value)))
        {
            var box = letter.BoundingBox;
            Assert.True(box.Left >= margin && box.Right <= page.Width - margin && box.Bottom >= margin && box.Top <= page.Height - margin,
                $"'{letter.Value}' at ({box.Left:0.#}, {box.Bottom:0.#}) is outside page {page.Number} ({page.Width:0} × {page.Height:0})");
        }
    }

    [GeneratedRegex(@"\d\.\d")]
    private static partial Regex DecimalPoint();

    // ---------- minutes ----------

    [Fact]
    public void The_minutes_show_every_candidate_with_results_rounded_average_and_decision_in_french()
    {
        var pages = Pages(MinutesPdf.Build(Minutes(SixCandidates())));
        var page = pages[0];
        Assert.True(page.Width > page.Height, "the minutes are landscape");
        var text = string.Concat(pages.Select(p => p.Text));
        Assert.Contains("Procès-verbal de délibération", text);
        Assert.Contains("BTS Conseil et commercialisation de solutions techniques — session 2024", text);
        Assert.Contains("Jury J-NORM — académies : NORMANDIE, RENNES", text);
        Assert.Contains("Délibération close", text);

        Assert.Equal("24001 DUPONT Marie 8,00 9,00 11,00 7,00 12,00 10,00 11,00 9,00 14,00 251,00 10,04 10,75 1 Admis", Row(page, "24001"));
        Assert.EndsWith("187,50 7,50 7,50 1 Ajourné", Row(page, "24002"));
        Assert.EndsWith("247,00 9,88 10,75 1 Second groupe", Row(page, "24003"));
        Assert.Contains("NV", Row(page, "24004"));
        Assert.EndsWith("— — — 1 Non validé", Row(page, "24004"));
        Assert.Contains("ABS", Row(page, "24005"));
        Assert.EndsWith("— — — 1 Absent", Row(page, "24005"));
        // E5 has no result yet: a dash in its column.
        Assert.Equal("24006 LEROY Nina 11,00 11,00 11,00 11,00 11,00 — 11,00 11,00 — — — 1 Incomplet", Row(page, "24006"));
        Assert.EndsWith("308,63 12,35 12,50 1 Admis", Row(page, "24007"));

        Assert.Contains("Candidats : 7", text);
        Assert.DoesNotMatch(DecimalPoint(), text);
        foreach (var p in pages) AssertInsidePage(p);
    }

    [Fact]
    public void A_jury_of_300_candidates_runs_over_several_pages_each_candidate_once_with_page_numbers()
    {
        var candidates = Enumerable.Range(1, 300).Select(i => Candidate(
            $"24{i:D5}",
            // Some very long names: they wrap inside their cell.
            i % 50 == 0 ? "De La Rochefoucauld-Montmorency-Laval" : $"Nom{i}",
            i % 50 == 0 ? "Marie-Alexandrine-Charlotte-Eugénie" : "Prénom",
            AllMarks(i % 3 == 0 ? "9" : "12"),
            i % 3 == 0 ? 225m : 300m, i % 3 == 0 ? 9m : 12m, i % 3 == 0 ? 9m : 12m,
            i % 3 == 0 ? "AJOURNE" : "ADMIS")).ToList();
        var pages = Pages(MinutesPdf.Build(Minutes(candidates)));

        Assert.True(pages.Count >= 5, $"300 candidates on {pages.Count} pages");
        var seen = new Dictionary<string, int>();
        foreach (var page in pages)
        {
            Assert.Contains($"Page {page.Number} / {pages.Count}", page.Text);
            Assert.Contains("Procès-verbal de délibération — BTS CCST session 2024 — jury J-NORM", page.Text);
            AssertInsidePage(page);
            foreach (var word in page.GetWords().Where(w => w.Text.Length == 7 && w.Text.StartsWith("24") && w.Text.All(char.IsAsciiDigit)))
                seen[word.Text] = seen.GetValueOrDefault(word.Text) + 1;
        }
        Assert.Equal(300, seen.Count);
        Assert.All(seen, pair => Assert.Equal(1, pair.Value));
        // The table header is repeated on every page the table goes on to.
        var tablePages = pages.Where(p => p.GetWords().Any(w => w.Text == "2400151" || w.Text == "2400300")).ToList();
        Assert.All(tablePages, p => Assert.Contains("Nom et prénom", p.Text));
        Assert.Equal("2400151 NOM151 Prénom 12,00 12,00 12,00 12,00 12,00 12,00 12,00 12,00 300,00 12,00 12,00 1 Admis",
            Row(pages.First(p => p.GetWords().Any(w => w.Text == "2400151")), "2400151"));
        var longName = pages.First(p => p.GetWords().Any(w => w.Text == "2400150"));
        Assert.Contains("Marie-Alexandrine-Charlotte-Eugénie", longName.Text);
        Assert.EndsWith("225,00 9,00 9,00 1 Ajourné", Row(longName, "2400150"));
        // Signatures come last.
        Assert.Contains("Le président du jury", pages[^1].Text);
    }

    [Fact]
    public void The_minutes_list_the_jury_changes_with_reason_author_time_and_old_and_new_values()
    {
        var changes = new List<JuryChange>
        {
            new("24002", "E4", "8.5", "9.5", "Claire Martin", "Présidente du jury", new DateTimeOffset(2024, 6, 27, 12, 5, 0, TimeSpan.Zero),
                "Erreur de report de la note de la commission", "modification"),
            new("24001", "E4", "12", "12", "Claire Martin", "Présidente du jury", new DateTimeOffset(2024, 6, 27, 9, 40, 0, TimeSpan.Zero),
                "Situation vérifiée auprès de l'entreprise", "levée de réserve"),
            // An acknowledgement needs no reason.
            new("24002", null, null, null, "Claire Martin", "Présidente du jury", new DateTimeOffset(2024, 6, 27, 11, 0, 0, TimeSpan.Zero),
                null, "livret examiné"),
        };
        var pages = Pages(MinutesPdf.Build(Minutes(SixCandidates(), changes)));
        var text = string.Concat(pages.Select(p => p.Text));
        Assert.Contains("3. Modifications apportées par le jury", text);
        var section = pages.First(p => p.Text.Contains("Erreur de report"));
        // Times in the jury's local time (Paris, UTC+2 in June), in the order they happened.
        var rows = Rows(section, "27/06/2024").Where(r => r.Contains("Claire Martin") && !r.Contains(" par ")).ToList();
        Assert.Equal(3, rows.Count);
        Assert.StartsWith("27/06/2024 11:40 24001 E4 levée de réserve 12,00 12,00 Claire Martin Situation vérifiée auprès de l'entreprise", rows[0]);
        Assert.Equal("27/06/2024 13:00 24002 — livret examiné — — Claire Martin —", rows[1]);
        Assert.StartsWith("27/06/2024 14:05 24002 E4 modification 8,50 9,50 Claire Martin Erreur de report de la note de la commission", rows[2]);
        Assert.Contains("Présidente du jury", section.Text);
        Assert.Contains("MARTIN Hugo", section.Text);
    }

    [Fact]
    public void The_minutes_show_the_second_group_the_phases_the_composition_and_the_signatures()
    {
        var firstGroup = WorkedCase2();
        firstGroup.Remove("EF1");
        var controle = new List<ControleLine> { new("C_E1", 8m, "12.5", 12.5m), new("C_E3", 7m, "ABS", 7m) };
        var candidates = SixCandidates().Where(c => c.CandidateNumber != "24003").Append(
            Candidate("24003", "Bernard", "Léa", firstGroup, 260.5m, 10.42m, 10.75m, "ADMIS", 2, controle, "SECOND_GROUPE", 9.88m)).ToList();
        var pages = Pages(MinutesPdf.Build(Minutes(candidates)));
        var text = string.Concat(pages.Select(p => p.Text));

        Assert.Contains("2. Second groupe : épreuves de contrôle", text);
        var page = pages.First(p => p.Text.Contains("C_E1 — culture générale et expression"));
        var rows = Rows(page, "24003");
        Assert.Contains("24003 BERNARD Léa 9,88 C_E1 — culture générale et expression 8,00 12,50 12,50 10,42 Admis", rows);
        Assert.Contains(Rows(page, "C_E3"), r => r.StartsWith("C_E3 — culture économique") && r.EndsWith(" 7,00 Absent 7,00"));
        Assert.EndsWith("260,50 10,42 10,75 2 Admis", Row(pages[0], "24003"));

        Assert.Contains("4. Déroulement de la délibération", text);
        Assert.Contains("27/06/2024 09:30 — Délibération du premier groupe ouverte — par Claire Martin", text);
        Assert.Contains("27/06/2024 14:30 — Délibération close — par Claire Martin", text);
        Assert.Contains("5. Composition du jury", text);
        Assert.Contains("Président : Claire Martin", text);
        foreach (var member in new[] { "Anne Martin", "Paul Durand", "Denis Roux", "Sarah Moreau" }) Assert.Contains(member, text);
        Assert.Contains("Fait le jeudi 27 juin 2024", text);
        Assert.Contains("Le président du jury", text);
        Assert.Contains("Les membres du jury", text);
        Assert.Equal(5, Regex.Matches(text, "Signature :").Count);
        Assert.DoesNotMatch(DecimalPoint(), text);
    }

    [Fact]
    public void Minutes_of_an_open_jury_say_they_are_provisional()
    {
        var text = string.Concat(Pages(MinutesPdf.Build(Minutes(SixCandidates(), phase: "FIRST_OPEN"))).Select(p => p.Text));
        Assert.Contains("Délibération du premier groupe ouverte", text);
        Assert.Contains("Document provisoire", text);
    }

    [Fact]
    public void Minutes_refuse_empty_or_unknown_inputs()
    {
        var good = Minutes(SixCandidates());
        var one = good.Candidates[0];
        Assert.Throws<ArgumentException>(() => MinutesPdf.Build(good with { Candidates = [] }));
        Assert.Throws<ArgumentException>(() => MinutesPdf.Build(good with { JuryId = " " }));
        Assert.Throws<ArgumentException>(() => MinutesPdf.Build(good with { SessionLabel = "" }));
        Assert.Throws<ArgumentException>(() => MinutesPdf.Build(good with { PresidentName = "" }));
        Assert.Throws<ArgumentException>(() => MinutesPdf.Build(good with { Academies = [] }));
        Assert.Throws<ArgumentException>(() => MinutesPdf.Build(good with { FinalPhase = "TERMINE" }));
        Assert.Throws<ArgumentException>(() => MinutesPdf.Build(good with { TimeZone = "Mars/Olympus" }));
        Assert.Throws<ArgumentException>(() => MinutesPdf.Build(good with { PhaseChanges = [new("OUVERT", "X", Morning)] }));
        Assert.Throws<ArgumentException>(() => MinutesPdf.Build(good with { Candidates = [one with { Decision = "REUSSI" }] }));
        Assert.Throws<ArgumentException>(() => MinutesPdf.Build(good with { Candidates = [one with { Group = 3 }] }));
        Assert.Throws<ArgumentException>(() => MinutesPdf.Build(good with { Candidates = [one with { CandidateNumber = "" }] }));
        Assert.Throws<ArgumentException>(() => MinutesPdf.Build(good with { Candidates = [one, one] }));
        Assert.Throws<ArgumentException>(() => MinutesPdf.Build(good with { Candidates = [one with { Results = new Dictionary<string, string> { ["E9"] = "10" } }] }));
        Assert.Throws<ArgumentException>(() => MinutesPdf.Build(good with { Candidates = [one with { Results = new Dictionary<string, string> { ["E1"] = "21" } }] }));
        Assert.Throws<ArgumentException>(() => MinutesPdf.Build(good with { Candidates = [one with { Controle = [new("C_E1", 8, "12", 12)] }] }));
        Assert.Throws<ArgumentException>(() => MinutesPdf.Build(good with
        {
            Candidates = [one with { Decision = "SECOND_GROUPE", Controle = [new("E1", 8, "12", 12)] }],
        }));
        Assert.Throws<ArgumentException>(() => MinutesPdf.Build(good with
        {
            Candidates = [one with { Decision = "SECOND_GROUPE", Controle = [new("C_E1", 8, "DISP", 8)] }],
        }));
        Assert.Throws<ArgumentException>(() => MinutesPdf.Build(good with
        {
            Changes = [new("99999", "E4", "8", "9", "Claire Martin", "Présidente", Morning, "motif", "modification")],
        }));
        Assert.Throws<ArgumentException>(() => MinutesPdf.Build(good with
        {
            Changes = [new("24001", "E4", "8", "9", " ", "Présidente", Morning, "motif", "modification")],
        }));
        Assert.Throws<ArgumentException>(() => MinutesPdf.Build(good with
        {
            Changes = [new("24001", "X7", "8", "9", "Claire Martin", "Présidente", Morning, "motif", "modification")],
        }));
    }

    // ---------- transcripts ----------

    private static IReadOnlyList<TranscriptInput> ThreeTranscripts()
    {
        var mentions = new Dictionary<string, string>
        {
            ["E1"] = "DISP", ["E21"] = "BEN:12", ["E22"] = "ABSJ", ["E3"] = "DISP", ["E4"] = "NV", ["E5"] = "11", ["U61"] = "10", ["U62"] = "ABS", ["EF2"] = "ABS",
        };
        var firstGroup = WorkedCase2();
        firstGroup.Remove("EF1");
        return
        [
            Transcript("24001", "Dupont", "Marie", Units(WorkedCase2()), 251m, 251m / 25, 172m / 16, "ADMIS"),
            Transcript("24004", "Petit", "Jules", Units(mentions), null, null, null, "NON_VALIDE"),
            Transcript("24003", "Bernard", "Léa", Units(firstGroup), 260.5m, 10.42m, 10.75m, "ADMIS", 2,
                [new("C_E1", 8m, "12.5", 12.5m), new("C_E2", 10m, "ABSJ", 10m)], 9.88m),
        ];
    }

    [Fact]
    public void Names_as_long_as_the_imports_allow_without_a_space_stay_inside_the_transcript_and_the_minutes()
    {
        // Issue 16: an unbounded name made transcript.pdf fail; the imports now stop at FieldLengths.PersonName, and a
        // name of that length with no place to break still fits the page.
        var longest = new string('W', BtsCcst.Domain.Imports.FieldLengths.PersonName);
        var transcript = ThreeTranscripts()[0] with { LastName = longest, FirstName = longest };
        var transcriptPage = Assert.Single(Pages(TranscriptPdf.Build([transcript])));
        AssertInsidePage(transcriptPage);
        Assert.Contains(longest[..20], transcriptPage.Text);

        var candidates = SixCandidates().ToList();
        candidates[0] = candidates[0] with { LastName = longest, FirstName = longest };
        foreach (var page in Pages(MinutesPdf.Build(Minutes(candidates)))) AssertInsidePage(page);
    }

    [Fact]
    public void Transcripts_are_one_page_per_candidate_with_their_average_decision_and_results_in_words()
    {
        var transcripts = ThreeTranscripts();
        var pages = Pages(TranscriptPdf.Build(transcripts));
        Assert.Equal(3, pages.Count);
        string[] numbers = ["24001", "24004", "24003"];
        foreach (var (page, number) in pages.Zip(numbers))
        {
            Assert.True(page.Height > page.Width, "a transcript is portrait");
            AssertInsidePage(page);
            var text = page.Text;
            Assert.Contains("Relevé de notes", text);
            Assert.Contains("BTS Conseil et commercialisation de solutions techniques — session 2024", text);
            Assert.Contains($"Numéro de candidat : {number}", text);
            Assert.Contains("Date de naissance : 12/03/2004", text);
            Assert.Contains("Académie : Normandie — Jury : J-NORM", text);
            foreach (var other in numbers.Where(n => n != number)) Assert.DoesNotContain(other, text);
            Assert.DoesNotMatch(DecimalPoint(), text);
            Assert.DoesNotContain("mention", text, StringComparison.OrdinalIgnoreCase);
        }

        var admitted = pages[0].Text;
        Assert.Contains("Candidat(e) : DUPONT Marie", admitted);
        Assert.Contains("Moyenne : 10,04 / 20", admitted);
        Assert.Contains("Décision du jury : Admis", admitted);
        Assert.Contains("Total des points : 251,00", admitted);
        Assert.Contains("Moyenne des épreuves professionnelles (E4, E5, U61, U62) : 10,75 / 20", admitted);
        Assert.Equal("E1 Culture générale et expression 3 8,00", Row(pages[0], "E1"));
        // A long title wraps inside its cell; coefficient and result stay on the row's first line.
        Assert.StartsWith("E4 Conception et commercialisation", Row(pages[0], "E4"));
        Assert.EndsWith(" 6 12,00", Row(pages[0], "E4"));
        Assert.EndsWith(" 1,5 9,00", Row(pages[0], "E21"));
        Assert.Equal("EF1 Langue vivante (épreuve facultative) facultative 14,00", Row(pages[0], "EF1"));
        Assert.Contains("seuls les points au-dessus de 10 s'ajoutent au total", admitted);
        Assert.DoesNotContain("second groupe", admitted, StringComparison.OrdinalIgnoreCase);

        var mentions = pages[1];
        Assert.Contains("Moyenne : non calculée", mentions.Text);
        Assert.Contains("Décision du jury : Non validé", mentions.Text);
        Assert.EndsWith("Dispensé", Row(mentions, "E1"));
        Assert.EndsWith("12,00 (bénéfice)", Row(mentions, "E21"));
        Assert.EndsWith("Absent (excusé)", Row(mentions, "E22"));
        Assert.EndsWith("Non valide", Row(mentions, "E4"));
        Assert.EndsWith("10,00", Row(mentions, "U61"));
        Assert.EndsWith("3 Absent", Row(mentions, "U62"));
        Assert.EndsWith("facultative Absent", Row(mentions, "EF2"));

        var second = pages[2].Text;
        Assert.Contains("Second groupe : épreuves de contrôle", second);
        Assert.Contains("Moyenne à l'issue du premier groupe : 9,88 / 20", second);
        Assert.Equal("C_E1 — culture générale et expression 8,00 12,50 12,50", Row(pages[2], "C_E1"));
        Assert.Equal("C_E2 — langue vivante étrangère 10,00 Absent (excusé) 10,00", Row(pages[2], "C_E2"));
        Assert.Contains("Moyenne : 10,42 / 20", second);
        Assert.Contains("Décision du jury à l'issue du second groupe : Admis", second);
    }

    [Fact]
    public void A_transcript_of_a_candidate_still_in_the_second_group_says_so()
    {
        var firstGroup = WorkedCase2();
        firstGroup.Remove("EF1");
        var page = Assert.Single(Pages(TranscriptPdf.Build(
            [Transcript("24003", "Bernard", "Léa", Units(firstGroup), 247m, 9.88m, 10.75m, "SECOND_GROUPE", firstAverage: 9.88m)])));
        Assert.Contains("Décision du jury : Second groupe", page.Text);
        Assert.Contains("Épreuves de contrôle non encore passées.", page.Text);
        Assert.Contains("Moyenne : 9,88 / 20", page.Text);
    }

    [Fact]
    public void Transcripts_refuse_empty_or_unknown_inputs()
    {
        var good = ThreeTranscripts()[0];
        Assert.Throws<ArgumentException>(() => TranscriptPdf.Build([]));
        Assert.Throws<ArgumentException>(() => TranscriptPdf.Build([good with { CandidateNumber = "" }]));
        Assert.Throws<ArgumentException>(() => TranscriptPdf.Build([good with { LastName = " " }]));
        Assert.Throws<ArgumentException>(() => TranscriptPdf.Build([good with { SessionLabel = "" }]));
        Assert.Throws<ArgumentException>(() => TranscriptPdf.Build([good with { Units = [] }]));
        Assert.Throws<ArgumentException>(() => TranscriptPdf.Build([good with { Decision = "MENTION_BIEN" }]));
        Assert.Throws<ArgumentException>(() => TranscriptPdf.Build([good with { Group = 0 }]));
        Assert.Throws<ArgumentException>(() => TranscriptPdf.Build([good with { Units = [new("E7", null, 3, "12")] }]));
        Assert.Throws<ArgumentException>(() => TranscriptPdf.Build([good with { Units = [new("E1", null, 3, "ABSENT")] }]));
        Assert.Throws<ArgumentException>(() => TranscriptPdf.Build([good with { Units = [new("E1", null, 3, "12"), new("E1", null, 3, "13")] }]));
        Assert.Throws<ArgumentException>(() => TranscriptPdf.Build([good with { Units = [new("C_E1", null, 0, "12")] }]));
        Assert.Throws<ArgumentException>(() => TranscriptPdf.Build([good with { Controle = [new("C_E1", 8, "12", 12)] }]));
        Assert.Throws<ArgumentException>(() => TranscriptPdf.Build([good with { Group = 2, Decision = "SECOND_GROUPE" }]));
    }
}
