using BtsCcst.Grains.Abstractions;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace BtsCcst.Server.Planning.Documents;

/// <summary>One candidate's convocation: who they are, and their orals in the adopted plan.</summary>
public sealed record ConvocationPage(CandidateRegistration Candidate, IReadOnlyList<ScheduleRow> Orals);

/// <summary>
/// Convocations as an A4 PDF in French, one page per candidate: for each oral, the unit and its
/// title, the date, the centre and its address, the room, the preparation and exam times (the
/// centre's local wall-clock times, as planned). A page never overflows: when a candidate has many
/// orals, the whole page is set smaller.
/// </summary>
public static class ConvocationPdf
{
    private const double Margin = 50;
    private const double Indent = 14;
    private const double SecondColumn = 150;
    private static readonly double[] Scales = [1, 0.92, 0.85, 0.78, 0.7, 0.62, 0.55];

    public const string BringLine = "À apporter : une pièce d'identité en cours de validité, avec photographie, et la présente convocation.";

    /// <summary>The PDF of the pages, in the order given; needs at least one page.</summary>
    public static byte[] Build(string sessionLabel, IReadOnlyList<ConvocationPage> pages, IReadOnlyDictionary<string, CentreDefinition> centres)
    {
        if (pages.Count == 0) throw new ArgumentException("Aucune convocation à éditer.", nameof(pages));
        DocumentFonts.EnsureInstalled();
        using var document = new PdfDocument();
        document.Info.Title = pages.Count == 1
            ? $"Convocation du candidat {pages[0].Candidate.CandidateNumber} — {DocumentText.DiplomaShort} session {sessionLabel}"
            : $"Convocations — {DocumentText.DiplomaShort} session {sessionLabel}";
        document.Info.Author = "Service des examens";
        document.Info.Subject = $"{DocumentText.Diploma} — session {sessionLabel}";
        foreach (var page in pages)
        {
            var pdfPage = document.AddPage();
            pdfPage.Size = PageSize.A4;
            using var gfx = XGraphics.FromPdfPage(pdfPage);
            Draw(gfx, Lines(sessionLabel, page, centres), pdfPage.Width.Point, pdfPage.Height.Point);
        }
        using var stream = new MemoryStream();
        document.Save(stream, false);
        return stream.ToArray();
    }

    private enum Style { Title, Subtitle, Heading, Body, Note }

    /// <summary>One line of the page (wrapped when too long); <paramref name="Column2"/> is drawn at a fixed tab.</summary>
    private sealed record Line(string Text, Style Style, double Indent = 0, double Before = 0, bool RuleAbove = false, string? Column2 = null);

    private static List<Line> Lines(string sessionLabel, ConvocationPage page, IReadOnlyDictionary<string, CentreDefinition> centres)
    {
        var candidate = page.Candidate;
        var lines = new List<Line>
        {
            new("Convocation", Style.Title),
            new($"{DocumentText.Diploma} — session {sessionLabel}", Style.Subtitle, Before: 4),
            new("Épreuves orales", Style.Subtitle),
            new($"Candidat(e) : {candidate.LastName.ToUpperInvariant()} {candidate.FirstName}", Style.Heading, Before: 14, RuleAbove: true),
            new($"Numéro de candidat : {candidate.CandidateNumber}", Style.Body),
            new($"Date de naissance : {candidate.BirthDate:dd/MM/yyyy}", Style.Body),
            new("Vous êtes convoqué(e) aux épreuves orales ci-dessous. Les heures indiquées sont celles du centre d'examen (heure locale).",
                Style.Body, Before: 10),
        };
        foreach (var oral in page.Orals.OrderBy(o => o.Date).ThenBy(o => o.PrepStart ?? o.ExamStart).ThenBy(o => o.Unit, StringComparer.Ordinal))
        {
            centres.TryGetValue(oral.CentreId, out var centre);
            lines.Add(new(DocumentText.UnitHeading(oral.Unit), Style.Heading, Before: 12));
            lines.Add(new($"Date : {DocumentText.LongDate(oral.Date)}", Style.Body, Indent,
                Column2: string.IsNullOrWhiteSpace(oral.Room) ? null : DocumentText.Room(oral.Room)));
            lines.Add(new($"Centre : {DocumentText.Location(oral.CentreId, centre)}", Style.Body, Indent));
            var exam = $"Épreuve : {DocumentText.Time(oral.ExamStart)} – {DocumentText.Time(oral.ExamEnd)}";
            lines.Add(oral.PrepStart is { } prep
                ? new($"Préparation : {DocumentText.Time(prep)}", Style.Body, Indent, Column2: exam)
                : new(exam, Style.Body, Indent));
            if (centre is not null && centre.TimeZone != "Europe/Paris")
                lines.Add(new($"Heure locale du centre (fuseau {centre.TimeZone}).", Style.Note, Indent));
        }
        lines.Add(new(BringLine, Style.Body, Before: 16, RuleAbove: true));
        lines.Add(new("Présentez-vous à l'accueil du centre avant l'heure de préparation, ou avant l'heure de l'épreuve lorsqu'elle n'a pas de préparation.",
            Style.Body, Before: 4));
        return lines;
    }

    private static XFont Font(Style style, double scale) => style switch
    {
        Style.Title => new XFont(DejaVuFontResolver.Family, 24 * scale, XFontStyleEx.Bold),
        Style.Subtitle => new XFont(DejaVuFontResolver.Family, 12 * scale, XFontStyleEx.Regular),
        Style.Heading => new XFont(DejaVuFontResolver.Family, 11 * scale, XFontStyleEx.Bold),
        Style.Body => new XFont(DejaVuFontResolver.Family, 10 * scale, XFontStyleEx.Regular),
        _ => new XFont(DejaVuFontResolver.Family, 8.5 * scale, XFontStyleEx.Regular),
    };

    private sealed record Placed(string Text, XFont Font, double X, double Y);

    private static void Draw(XGraphics gfx, List<Line> lines, double pageWidth, double pageHeight)
    {
        var bottom = pageHeight - Margin;
        // The largest scale that fits the page (the smallest one otherwise).
        var layout = Layout(gfx, lines, Scales[0], pageWidth);
        foreach (var scale in Scales.Skip(1))
        {
            if (layout.End <= bottom) break;
            layout = Layout(gfx, lines, scale, pageWidth);
        }
        var pen = new XPen(XColors.Gray, 0.6);
        foreach (var y in layout.Rules) gfx.DrawLine(pen, Margin, y, pageWidth - Margin, y);
        foreach (var text in layout.Texts) gfx.DrawString(text.Text, text.Font, XBrushes.Black, text.X, text.Y, XStringFormats.TopLeft);
    }

    private static (List<Placed> Texts, List<double> Rules, double End) Layout(XGraphics gfx, List<Line> lines, double scale, double pageWidth)
    {
        var texts = new List<Placed>();
        var rules = new List<double>();
        var y = Margin;
        foreach (var line in lines)
        {
            var font = Font(line.Style, scale);
            var height = font.GetHeight();
            y += line.Before * scale;
            if (line.RuleAbove)
            {
                rules.Add(y - line.Before * scale / 2);
            }
            var x = Margin + line.Indent * scale;
            var tab = x + SecondColumn * scale;
            // A line with a second column keeps its first column short; only plain lines wrap.
            var width = (line.Column2 is null ? pageWidth - Margin : tab - 6) - x;
            var first = true;
            foreach (var part in Wrap(gfx, line.Text, font, width))
            {
                texts.Add(new(part, font, x, y));
                if (first && line.Column2 is not null) texts.Add(new(line.Column2, font, tab, y));
                first = false;
                y += height;
            }
        }
        return (texts, rules, y);
    }

    private static List<string> Wrap(XGraphics gfx, string text, XFont font, double width)
    {
        var result = new List<string>();
        var current = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = current.Length == 0 ? word : current + " " + word;
            if (current.Length > 0 && gfx.MeasureString(candidate, font).Width > width)
            {
                result.Add(current);
                current = word;
            }
            else current = candidate;
        }
        if (current.Length > 0 || result.Count == 0) result.Add(current);
        return result;
    }
}
