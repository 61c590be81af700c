using BtsCcst.Server.Planning.Documents;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace BtsCcst.Server.Deliberation.Documents;

internal enum Align { Left, Center, Right }

/// <summary>A table column; widths are scaled together to the width of the page's text.</summary>
internal sealed record Column(string Header, double Width, Align Align = Align.Left);

/// <summary>
/// Lays out paragraphs, rules and tables top to bottom into pages of drawing operations. A page
/// breaks before any line or table row that would cross the bottom margin, and a table's header is
/// drawn again on each page it continues on, so nothing is drawn outside the margins however long
/// the content. Pages are drawn only at the end, when their count is known (for "Page x / n").
/// </summary>
internal sealed class PageFlow : IDisposable
{
    private const double CellPadX = 2.5;
    private const double CellPadY = 2;

    private static readonly XPen RulePen = new(XColors.Gray, 0.6);
    private static readonly XPen CellPen = new(XColors.DarkGray, 0.4);
    private static readonly XBrush HeaderFill = new XSolidBrush(XColor.FromArgb(230, 230, 230));

    private readonly XGraphics _measure;
    private readonly List<List<Action<XGraphics>>> _pages = [];
    private Action? _continuation;

    public PageFlow(double pageWidth, double pageHeight, double left, double top, double right, double bottom)
    {
        DocumentFonts.EnsureInstalled();
        PageWidth = pageWidth;
        PageHeight = pageHeight;
        Left = left;
        Top = top;
        Right = pageWidth - right;
        Bottom = pageHeight - bottom;
        _measure = XGraphics.CreateMeasureContext(new XSize(pageWidth, pageHeight), XGraphicsUnit.Point, XPageDirection.Downwards);
        NewPage();
    }

    public double PageWidth { get; }
    public double PageHeight { get; }
    public double Left { get; }
    public double Top { get; }
    public double Right { get; }
    public double Bottom { get; }
    public double Y { get; private set; }
    public double ContentWidth => Right - Left;
    public int PageCount => _pages.Count;

    public static XFont Font(double size, bool bold = false) =>
        new(DejaVuFontResolver.Family, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular);

    public void NewPage()
    {
        _pages.Add([]);
        Y = Top;
    }

    /// <summary>Starts a new page unless <paramref name="height"/> fits below; at the top of a page it never breaks (a block taller than a page flows).</summary>
    public void Ensure(double height)
    {
        if (Y + height <= Bottom || Y <= Top) return;
        NewPage();
        _continuation?.Invoke();
    }

    /// <summary>Keeps a block of <paramref name="height"/> on one page when it can fit on a page at all.</summary>
    public void Keep(double height)
    {
        if (height <= Bottom - Top) Ensure(height);
    }

    public void Space(double height) => Y += height;

    public void Draw(Action<XGraphics> operation) => _pages[^1].Add(operation);

    public double TextWidth(string text, XFont font) => _measure.MeasureString(text, font).Width;

    /// <summary>Lines of <paramref name="text"/> no wider than <paramref name="width"/>: breaks at '\n' and spaces, and inside a word too long for a line.</summary>
    public List<string> Wrap(string text, XFont font, double width)
    {
        var result = new List<string>();
        foreach (var paragraph in text.Split('\n'))
        {
            var current = "";
            foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries).SelectMany(w => Chunks(w, font, width)))
            {
                var candidate = current.Length == 0 ? word : current + " " + word;
                if (current.Length > 0 && TextWidth(candidate, font) > width)
                {
                    result.Add(current);
                    current = word;
                }
                else current = candidate;
            }
            result.Add(current);
        }
        return result;
    }

    private IEnumerable<string> Chunks(string word, XFont font, double width)
    {
        if (TextWidth(word, font) <= width)
        {
            yield return word;
            yield break;
        }
        var start = 0;
        while (start < word.Length)
        {
            var length = 1;
            while (start + length < word.Length && TextWidth(word.Substring(start, length + 1), font) <= width) length++;
            yield return word.Substring(start, length);
            start += length;
        }
    }

    /// <summary>Height of a paragraph once wrapped.</summary>
    public double ParagraphHeight(string text, XFont font, double indent = 0) =>
        Wrap(text, font, ContentWidth - indent).Count * font.GetHeight();

    public void Paragraph(string text, XFont font, double indent = 0, double before = 0, Align align = Align.Left)
    {
        Y += before;
        var height = font.GetHeight();
        foreach (var line in Wrap(text, font, ContentWidth - indent))
        {
            Ensure(height);
            var rect = new XRect(Left + indent, Y, ContentWidth - indent, height);
            Draw(g => g.DrawString(line, font, XBrushes.Black, rect, Format(align)));
            Y += height;
        }
    }

    /// <summary>A horizontal line from <paramref name="x1"/> to <paramref name="x2"/> at the current position (the full width by default).</summary>
    public void Rule(double before = 4, double after = 4, double? x1 = null, double? x2 = null)
    {
        Y += before;
        Ensure(after);
        var y = Y;
        var from = x1 ?? Left;
        var to = x2 ?? Right;
        Draw(g => g.DrawLine(RulePen, from, y, to, y));
        Y += after;
    }

    /// <summary>
    /// A table: the header, then the rows; the rows of one group stay on one page when they can
    /// (a candidate's contrôle lines), and the header is repeated on every page the table goes on to.
    /// </summary>
    public void Table(IReadOnlyList<Column> columns, IReadOnlyList<IReadOnlyList<IReadOnlyList<string>>> groups, XFont headerFont, XFont font)
    {
        var total = columns.Sum(c => c.Width);
        var widths = columns.Select(c => c.Width * ContentWidth / total).ToArray();
        var aligns = columns.Select(c => c.Align).ToArray();
        var header = Measure(columns.Select(c => c.Header).ToArray(), widths, headerFont);
        void DrawHeader() => DrawRow(header, widths, columns.Select(_ => Align.Center).ToArray(), headerFont, fill: true);

        var measured = groups.Select(g => g.Select(row => Measure(row, widths, font)).ToList()).ToList();
        Keep(header.Height + (measured.Count > 0 ? measured[0].Sum(r => r.Height) : 0));
        DrawHeader();
        _continuation = DrawHeader;
        try
        {
            foreach (var group in measured)
            {
                var height = group.Sum(r => r.Height);
                if (height <= Bottom - Top - header.Height) Ensure(height);
                foreach (var row in group)
                {
                    Ensure(row.Height);
                    DrawRow(row, widths, aligns, font, fill: false);
                }
            }
        }
        finally
        {
            _continuation = null;
        }
    }

    private sealed record MeasuredRow(List<string>[] Cells, double Height);

    private MeasuredRow Measure(IReadOnlyList<string> cells, double[] widths, XFont font)
    {
        if (cells.Count != widths.Length)
            throw new InvalidOperationException($"A table row has {cells.Count} cells for {widths.Length} columns.");
        var lines = cells.Select((text, i) => Wrap(text, font, widths[i] - 2 * CellPadX)).ToArray();
        return new(lines, lines.Max(l => l.Count) * font.GetHeight() + 2 * CellPadY);
    }

    private void DrawRow(MeasuredRow row, double[] widths, Align[] aligns, XFont font, bool fill)
    {
        var y = Y;
        var x = Left;
        var lineHeight = font.GetHeight();
        for (var i = 0; i < widths.Length; i++)
        {
            var cell = new XRect(x, y, widths[i], row.Height);
            var lines = row.Cells[i];
            var align = aligns[i];
            Draw(g =>
            {
                if (fill) g.DrawRectangle(HeaderFill, cell);
                g.DrawRectangle(CellPen, cell);
                for (var k = 0; k < lines.Count; k++)
                {
                    if (lines[k].Length == 0) continue;
                    var rect = new XRect(cell.X + CellPadX, cell.Y + CellPadY + k * lineHeight, cell.Width - 2 * CellPadX, lineHeight);
                    g.DrawString(lines[k], font, XBrushes.Black, rect, Format(align));
                }
            });
            x += widths[i];
        }
        Y += row.Height;
    }

    private static XStringFormat Format(Align align) => align switch
    {
        Align.Center => XStringFormats.TopCenter,
        Align.Right => XStringFormats.TopRight,
        _ => XStringFormats.TopLeft,
    };

    /// <summary>Adds the pages to <paramref name="document"/>; <paramref name="decorate"/> draws what every page repeats, given the page number and count.</summary>
    public void Render(PdfDocument document, Action<XGraphics, int, int>? decorate = null)
    {
        for (var i = 0; i < _pages.Count; i++)
        {
            var page = document.AddPage();
            page.Width = XUnit.FromPoint(PageWidth);
            page.Height = XUnit.FromPoint(PageHeight);
            using var gfx = XGraphics.FromPdfPage(page);
            foreach (var operation in _pages[i]) operation(gfx);
            decorate?.Invoke(gfx, i + 1, _pages.Count);
        }
    }

    public void Dispose() => _measure.Dispose();
}
