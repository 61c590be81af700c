using BtsCcst.Domain;
using BtsCcst.Server.Planning.Documents;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using static BtsCcst.Server.Deliberation.Documents.DeliberationWording;

namespace BtsCcst.Server.Deliberation.Documents;

/// <summary>
/// Relevés de notes as an A4 PDF in French, exactly one page per candidate, in the order given: each
/// unit with its title, coefficient and result, the contrôle units of a second-group candidate, the
/// average and the jury's decision. BTS awards no honours, so no mention is printed. A page never
/// overflows: when its content is long, the whole page is set smaller.
/// </summary>
public static class TranscriptPdf
{
    public const string Title = "Relevé de notes";

    private const double PageWidth = 595.28;   // A4 portrait
    private const double PageHeight = 841.89;
    private const double Margin = 50;
    private static readonly double[] Scales = [1, 0.9, 0.8, 0.7, 0.6, 0.5];

    /// <summary>The PDF of the transcripts, one page each.</summary>
    /// <exception cref="ArgumentException">No transcript, a required field empty, a unit given twice, or a code
    /// (unit, result, decision) unknown or impossible where it stands.</exception>
    public static byte[] Build(IReadOnlyList<TranscriptInput> transcripts)
    {
        ArgumentNullException.ThrowIfNull(transcripts);
        if (transcripts.Count == 0) throw new ArgumentException("Aucun relevé de notes à éditer.", nameof(transcripts));
        var checkedTranscripts = transcripts.Select(Transcript.Of).ToList();

        DocumentFonts.EnsureInstalled();
        using var document = new PdfDocument();
        var first = checkedTranscripts[0];
        document.Info.Title = checkedTranscripts.Count == 1
            ? $"{Title} du candidat {first.Number} — {DocumentText.DiplomaShort} session {first.Session}"
            : $"Relevés de notes — {DocumentText.DiplomaShort} session {first.Session}";
        document.Info.Author = "Service des examens";
        document.Info.Subject = $"{DocumentText.Diploma} — session {first.Session}";
        foreach (var transcript in checkedTranscripts)
        {
            using var flow = Layout(transcript);
            flow.Render(document);
        }
        using var stream = new MemoryStream();
        document.Save(stream, false);
        return stream.ToArray();
    }

    /// <summary>The page at the largest scale it fits on.</summary>
    private static PageFlow Layout(Transcript t)
    {
        foreach (var scale in Scales)
        {
            var flow = new PageFlow(PageWidth, PageHeight, Margin, Margin, Margin, Margin);
            Page(flow, t, scale);
            if (flow.PageCount == 1) return flow;
            flow.Dispose();
        }
        throw new ArgumentException($"Le relevé de notes du candidat {t.Number} ne tient pas sur une page.");
    }

    private static void Page(PageFlow flow, Transcript t, double s)
    {
        var body = PageFlow.Font(10 * s);
        var heading = PageFlow.Font(11.5 * s, bold: true);
        var note = PageFlow.Font(8 * s);
        var tableHeader = PageFlow.Font(8.5 * s, bold: true);
        var table = PageFlow.Font(9 * s);
        var result = PageFlow.Font(12 * s, bold: true);

        flow.Paragraph(Title, PageFlow.Font(22 * s, bold: true), align: Align.Center);
        flow.Paragraph($"{DocumentText.Diploma} — session {t.Session}", PageFlow.Font(12 * s), before: 4 * s, align: Align.Center);
        flow.Paragraph($"Académie : {t.Source.Academy.Trim()} — Jury : {t.Source.JuryId.Trim()}", body, before: 2 * s, align: Align.Center);
        flow.Rule(before: 10 * s, after: 8 * s);

        flow.Paragraph($"Candidat(e) : {t.Name}", heading);
        flow.Paragraph($"Numéro de candidat : {t.Number}", body, before: 2 * s);
        if (t.Source.BirthDate is { } birth) flow.Paragraph($"Date de naissance : {Date(birth)}", body);

        flow.Paragraph("Résultats des épreuves", heading, before: 14 * s);
        flow.Space(4 * s);
        Column[] columns = [new("Épreuve", 50), new("Intitulé", 250), new("Coefficient", 65, Align.Center), new("Résultat", 95, Align.Center)];
        var rows = t.Units.Select(u => (IReadOnlyList<IReadOnlyList<string>>)[[
            u.Unit.ToString(), u.Title,
            UnitCatalogue.Get(u.Unit).IsOptional ? "facultative" : Coefficient(u.Coefficient),
            ResultLong(u.Result)]]).ToList();
        flow.Table(columns, rows, tableHeader, table);
        flow.Space(3 * s);
        foreach (var line in Notes(t)) flow.Paragraph(line, note);

        if (t.InSecondGroup)
        {
            flow.Paragraph("Second groupe : épreuves de contrôle", heading, before: 14 * s);
            if (t.Source.FirstGroupAverage is { } firstAverage)
                flow.Paragraph($"Moyenne à l'issue du premier groupe : {Number(firstAverage)} / 20", body, before: 2 * s);
            flow.Space(4 * s);
            if (t.Controle.Count == 0)
                flow.Paragraph("Épreuves de contrôle non encore passées.", body);
            else
            {
                Column[] controleColumns =
                [
                    new("Épreuve de contrôle", 220), new("Note du premier groupe", 80, Align.Center),
                    new("Note de contrôle", 80, Align.Center), new("Note retenue", 80, Align.Center),
                ];
                var controleRows = t.Controle.Select(c => (IReadOnlyList<IReadOnlyList<string>>)[[
                    MinutesPdf.ControleTitle(c.Unit), Number(c.FirstGroupMark), MinutesPdf.ControleResult(c.Result), Number(c.KeptMark)]]).ToList();
                flow.Table(controleColumns, controleRows, tableHeader, table);
                flow.Space(3 * s);
                flow.Paragraph("La meilleure des deux notes est retenue ; pour C_E2, la note du premier groupe est la moyenne de E21 et E22, "
                               + "et une meilleure note de contrôle remplace les deux.", note);
            }
        }

        flow.Rule(before: 14 * s, after: 8 * s);
        if (t.Source.Points is { } points) flow.Paragraph($"Total des points : {Number(points)}", body);
        flow.Paragraph(t.Source.Average is { } average ? $"Moyenne : {Number(average)} / 20" : "Moyenne : non calculée", result, before: 2 * s);
        if (t.Source.ProAverage is { } pro)
            flow.Paragraph($"Moyenne des épreuves professionnelles (E4, E5, U61, U62) : {Number(pro)} / 20", body, before: 2 * s);
        var decided = t.Source.Group == 2 ? "Décision du jury à l'issue du second groupe" : "Décision du jury";
        flow.Paragraph($"{decided} : {DecisionLabel(t.Decision)}", result, before: 6 * s);
        if (t.Decision == Decision.SecondGroupe)
            flow.Paragraph("Le candidat est admis à se présenter aux épreuves de contrôle du second groupe.", body, before: 2 * s);
        flow.Paragraph("Moyennes arrondies au centième, demi supérieur.", note, before: 10 * s);
    }

    /// <summary>Explanations of what this page shows, only those that apply.</summary>
    private static IEnumerable<string> Notes(Transcript t)
    {
        if (t.Units.Any(u => UnitCatalogue.Get(u.Unit).IsOptional))
            yield return "Épreuves facultatives : seuls les points au-dessus de 10 s'ajoutent au total des points des épreuves obligatoires.";
        if (t.Units.Any(u => u.Result is { Kind: ResultKind.Dispensed }))
            yield return "Épreuve dispensée : elle n'entre ni dans les points ni dans les coefficients.";
        if (t.Units.Any(u => u.Result is { Kind: ResultKind.AbsentExcused }))
            yield return "Absence excusée : l'épreuve compte pour 0.";
        if (t.Units.Any(u => u.Result is { Kind: ResultKind.Kept }))
            yield return "Bénéfice : note d'au moins 10 conservée d'une session antérieure.";
    }

    private sealed record UnitRow(UnitCode Unit, string Title, decimal Coefficient, UnitResult? Result);

    private sealed record ControleRow(UnitCode Unit, decimal FirstGroupMark, UnitResult? Result, decimal KeptMark);

    /// <summary>The input checked and parsed once.</summary>
    private sealed record Transcript(
        TranscriptInput Source, string Session, string Number, string Name, IReadOnlyList<UnitRow> Units, Decision Decision, IReadOnlyList<ControleRow> Controle)
    {
        public bool InSecondGroup => Source.Group == 2 || Decision == Decision.SecondGroupe || Controle.Count > 0;

        public static Transcript Of(TranscriptInput source)
        {
            ArgumentNullException.ThrowIfNull(source);
            var session = Required(source.SessionLabel, "Session");
            var number = Required(source.CandidateNumber, "Numéro de candidat");
            var name = FullName(Required(source.LastName, $"Nom du candidat {number}"), source.FirstName ?? "");
            Required(source.Academy, $"Académie du candidat {number}");
            Required(source.JuryId, $"Jury du candidat {number}");
            if (source.Units is null || source.Units.Count == 0)
                throw new ArgumentException($"Le relevé du candidat {number} n'a aucune épreuve.", nameof(source));
            var units = source.Units.Select(u =>
            {
                ArgumentNullException.ThrowIfNull(u, nameof(source));
                var unit = ParseUnit(u.Unit);
                var definition = UnitCatalogue.Get(unit);
                if (definition.Kind == UnitKind.Controle)
                    throw new ArgumentException($"Candidat {number} : {u.Unit} est une épreuve de contrôle, elle va dans les lignes du second groupe.");
                if (u.Coefficient < 0)
                    throw new ArgumentException($"Candidat {number} : coefficient négatif pour {u.Unit}.");
                var title = string.IsNullOrWhiteSpace(u.Title) ? definition.Title : u.Title.Trim();
                return new UnitRow(unit, title, u.Coefficient, ParseResult(u.Result, $"Candidat {number}, {u.Unit}"));
            }).ToList();
            if (units.GroupBy(u => u.Unit).FirstOrDefault(g => g.Count() > 1) is { } twice)
                throw new ArgumentException($"Candidat {number} : l'épreuve {twice.Key} figure plusieurs fois.");
            var decision = ParseDecision(source.Decision, $"Décision du candidat {number}");
            if (source.Group is not (1 or 2))
                throw new ArgumentException($"Candidat {number} : groupe {source.Group} (attendu : 1 ou 2).");
            if (source.Group == 2 && decision is not (Decision.Admis or Decision.Ajourne))
                throw new ArgumentException($"Candidat {number} : une décision du second groupe est ADMIS ou AJOURNE, pas {source.Decision}.");
            var controle = (source.Controle ?? []).Select(line =>
            {
                ArgumentNullException.ThrowIfNull(line, nameof(source));
                return new ControleRow(ParseControleUnit(line.Unit), line.FirstGroupMark,
                    ParseControleResult(line.Result, $"Candidat {number}, {line.Unit}"), line.KeptMark);
            }).ToList();
            if (controle.Count > 0 && source.Group == 1 && decision != Decision.SecondGroupe)
                throw new ArgumentException($"Candidat {number} : des épreuves de contrôle pour un candidat qui n'est pas au second groupe.");
            if (controle.GroupBy(c => c.Unit).FirstOrDefault(g => g.Count() > 1) is { } again)
                throw new ArgumentException($"Candidat {number} : l'épreuve de contrôle {again.Key} figure plusieurs fois.");
            return new(source, session, number, name, [.. units.OrderBy(u => u.Unit)], decision, controle);
        }
    }
}
