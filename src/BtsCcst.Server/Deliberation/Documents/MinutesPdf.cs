using BtsCcst.Domain;
using BtsCcst.Server.Planning.Documents;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using static BtsCcst.Server.Deliberation.Documents.DeliberationWording;

namespace BtsCcst.Server.Deliberation.Documents;

/// <summary>
/// The procès-verbal of one jury's deliberation (D643-26, deliberation.md "The jury") as a landscape
/// A4 PDF in French: every candidate's results, average and decision, the second group, every change
/// the jury made with its reason, the phases, the composition of the jury and the signatures. The
/// candidate table flows over as many pages as needed, its header repeated; every page carries the
/// jury and "Page x / n".
/// </summary>
public static class MinutesPdf
{
    public const string Title = "Procès-verbal de délibération";

    private const double PageWidth = 841.89;   // A4 landscape
    private const double PageHeight = 595.28;
    private const double Margin = 36;
    private const double TopMargin = 50;
    private const double NumberColumn = 52;
    private const double NameColumn = 120;
    private const double MinNameColumn = 70;

    /// <summary>The PDF of the minutes.</summary>
    /// <exception cref="ArgumentException">A required field is empty, there is no candidate, a candidate number is repeated,
    /// or a code (phase, decision, unit, result) is unknown or impossible where it stands.</exception>
    public static byte[] Build(MinutesInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var minutes = Minutes.Of(input);

        using var flow = new PageFlow(PageWidth, PageHeight, Margin, TopMargin, Margin, Margin);
        Heading(flow, minutes);
        CandidateTable(flow, minutes);
        SecondGroup(flow, minutes);
        Changes(flow, minutes);
        Phases(flow, minutes);
        Composition(flow, minutes);
        Signatures(flow, minutes);

        using var document = new PdfDocument();
        document.Info.Title = $"{Title} — {DocumentText.DiplomaShort} session {minutes.Session} — jury {minutes.Jury}";
        document.Info.Author = "Service des examens";
        document.Info.Subject = $"{DocumentText.Diploma} — session {minutes.Session}";
        var running = $"{Title} — {DocumentText.DiplomaShort} session {minutes.Session} — jury {minutes.Jury}";
        var headerFont = PageFlow.Font(8);
        flow.Render(document, (gfx, page, count) =>
        {
            var band = new XRect(Margin, 22, PageWidth - 2 * Margin, 12);
            gfx.DrawString(running, headerFont, XBrushes.Black, band, XStringFormats.TopLeft);
            gfx.DrawString($"Page {page} / {count}", headerFont, XBrushes.Black, band, XStringFormats.TopRight);
            gfx.DrawLine(new XPen(XColors.Gray, 0.6), Margin, 36, PageWidth - Margin, 36);
        });
        using var stream = new MemoryStream();
        document.Save(stream, false);
        return stream.ToArray();
    }

    private static XFont TitleFont => PageFlow.Font(18, bold: true);
    private static XFont SectionFont => PageFlow.Font(11, bold: true);
    private static XFont BodyFont => PageFlow.Font(9.5);
    private static XFont BoldFont => PageFlow.Font(9.5, bold: true);
    private static XFont NoteFont => PageFlow.Font(7.5);
    private static XFont TableHeaderFont => PageFlow.Font(7, bold: true);
    private static XFont TableFont => PageFlow.Font(7.5);

    private static void Heading(PageFlow flow, Minutes m)
    {
        flow.Paragraph(Title, TitleFont, align: Align.Center);
        flow.Paragraph($"{DocumentText.Diploma} — session {m.Session}", PageFlow.Font(11), before: 4, align: Align.Center);
        flow.Paragraph($"Jury {m.Jury} — {(m.Academies.Count > 1 ? "académies" : "académie")} : {string.Join(", ", m.Academies)}",
            PageFlow.Font(10), before: 2, align: Align.Center);
        flow.Rule(before: 8, after: 6);
        flow.Paragraph($"Président du jury : {m.President}", BodyFont);
        flow.Paragraph($"État de la délibération : {PhaseLabel(m.Phase)}", BodyFont);
        var note = m.Phase switch
        {
            JuryPhase.FirstOpen or JuryPhase.SecondOpen => "Document provisoire : la délibération n'est pas close, les résultats peuvent encore changer.",
            JuryPhase.FirstClosed when m.Candidates.Any(c => c.InSecondGroup) =>
                "Les résultats du premier groupe sont arrêtés ; le second groupe (épreuves de contrôle) reste à délibérer.",
            _ => null,
        };
        if (note is not null) flow.Paragraph(note, BoldFont);
        var counts = Enum.GetValues<Decision>()
            .Select(d => (Decision: d, Count: m.Candidates.Count(c => c.Decision == d)))
            .Where(x => x.Count > 0)
            .Select(x => $"{DecisionLabel(x.Decision)} : {x.Count}");
        flow.Paragraph($"Candidats : {m.Candidates.Count} — {string.Join(" ; ", counts)}", BodyFont);
    }

    private static void Section(PageFlow flow, string title)
    {
        // A title never ends a page alone: it goes with the room for a few lines.
        flow.Space(12);
        flow.Keep(SectionFont.GetHeight() + 40);
        flow.Paragraph(title, SectionFont);
        flow.Space(4);
    }

    private static void CandidateTable(PageFlow flow, Minutes m)
    {
        Section(flow, "1. Résultats des candidats");
        var (number, name) = NumberAndName(flow, m.Candidates, NameColumn);
        var columns = new List<Column> { number, name };
        foreach (var unit in FirstGroupUnits)
        {
            var definition = UnitCatalogue.Get(unit);
            columns.Add(new(definition.IsOptional ? $"{unit}\nfacult." : $"{unit}\ncoef. {Coefficient(definition.Coefficient)}", 35, Align.Center));
        }
        columns.AddRange([
            new("Points", 44, Align.Right), new("Moyenne\n/ 20", 42, Align.Right), new("Moy. pro\n/ 20", 40, Align.Right),
            new("Gr.", 18, Align.Center), new("Décision", 69)]);

        var rows = m.Candidates.Select(c =>
        {
            var cells = new List<string> { c.Number, c.Name };
            foreach (var unit in FirstGroupUnits)
                cells.Add(c.Results.TryGetValue(unit, out var result) ? ResultShort(result)
                    : UnitCatalogue.Get(unit).IsOptional ? "" : "—");
            cells.AddRange([Number(c.Source.Points), Number(c.Source.Average), Number(c.Source.ProAverage),
                c.Source.Group.ToString(), DecisionLabel(c.Decision)]);
            return (IReadOnlyList<IReadOnlyList<string>>)[cells];
        }).ToList();
        flow.Table(columns, rows, TableHeaderFont, TableFont);

        flow.Space(4);
        flow.Paragraph(ResultLegend, NoteFont);
        flow.Paragraph("Moyennes arrondies au centième, demi supérieur. Épreuves facultatives : seuls les points au-dessus de 10 s'ajoutent au total. "
                       + "Gr. : groupe d'épreuves à l'issue duquel la décision est prise (1 : premier groupe, 2 : second groupe).", NoteFont);
        flow.Paragraph(string.Join(" ; ", FirstGroupUnits.Select(u => $"{u} : {UnitCatalogue.Get(u).Title}")) + ".", NoteFont);
    }

    /// <summary>
    /// The number and name columns of a table: candidate numbers run up to 32 characters, so the number column takes
    /// what the longest needs from the name column.
    /// </summary>
    private static (Column Number, Column Name) NumberAndName(PageFlow flow, IReadOnlyList<Candidate> candidates, double nameWidth)
    {
        var width = Math.Clamp(candidates.Max(c => flow.TextWidth(c.Number, TableFont)) + 6, NumberColumn, NumberColumn + nameWidth - MinNameColumn);
        return (new Column("N°", width), new Column("Nom et prénom", nameWidth + NumberColumn - width));
    }

    private static void SecondGroup(PageFlow flow, Minutes m)
    {
        Section(flow, "2. Second groupe : épreuves de contrôle");
        var candidates = m.Candidates.Where(c => c.InSecondGroup).ToList();
        if (candidates.Count == 0)
        {
            flow.Paragraph("Aucun candidat n'a été admis à se présenter aux épreuves de contrôle.", BodyFont);
            return;
        }
        flow.Paragraph("Pour chaque épreuve de contrôle, la meilleure des deux notes (premier groupe, contrôle) est retenue ; "
                       + "pour C_E2 la note du premier groupe est la moyenne de E21 et E22.", NoteFont);
        flow.Space(3);
        var (number, name) = NumberAndName(flow, candidates, NameColumn + 10);
        Column[] columns =
        [
            number, name, new("Moyenne\n1er groupe", 58, Align.Right), new("Épreuve de contrôle", 190),
            new("Note du\n1er groupe", 58, Align.Right), new("Note de\ncontrôle", 62, Align.Right), new("Note\nretenue", 58, Align.Right),
            new("Moyenne\nfinale", 58, Align.Right), new("Décision", 104),
        ];
        var groups = candidates.Select(c =>
        {
            var firstAverage = Number(c.Source.FirstGroupAverage ?? (c.Source.Group == 1 ? c.Source.Average : null));
            var finalAverage = c.Source.Group == 2 ? Number(c.Source.Average) : "—";
            var decision = DecisionLabel(c.Decision);
            if (c.Controle.Count == 0)
                return (IReadOnlyList<IReadOnlyList<string>>)[[c.Number, c.Name, firstAverage, "—", "—", "—", "—", finalAverage, decision]];
            return c.Controle.Select((line, i) => (IReadOnlyList<string>)(i == 0
                ? [c.Number, c.Name, firstAverage, ControleTitle(line.Unit), Number(line.FirstGroupMark), ControleResult(line.Result), Number(line.KeptMark), finalAverage, decision]
                : ["", "", "", ControleTitle(line.Unit), Number(line.FirstGroupMark), ControleResult(line.Result), Number(line.KeptMark), "", ""])).ToList();
        }).ToList();
        flow.Table(columns, groups, TableHeaderFont, TableFont);
    }

    /// <summary>"C_E1 — culture générale et expression".</summary>
    internal static string ControleTitle(UnitCode unit)
    {
        var title = UnitCatalogue.Get(unit).Title;
        const string prefix = "Épreuve de contrôle : ";
        return $"{unit} — {(title.StartsWith(prefix, StringComparison.Ordinal) ? title[prefix.Length..] : title)}";
    }

    /// <summary>A contrôle result in words; "—" when not taken yet.</summary>
    internal static string ControleResult(UnitResult? result) => result switch
    {
        null => "—",
        { Kind: ResultKind.Mark } r => Number(r.Mark!.Value),
        _ => ResultLong(result),
    };

    private static void Changes(PageFlow flow, Minutes m)
    {
        Section(flow, "3. Modifications apportées par le jury");
        if (m.Changes.Count == 0)
        {
            flow.Paragraph("Aucune modification n'a été apportée par le jury.", BodyFont);
            return;
        }
        flow.Paragraph($"Heures locales ({m.Zone.Id}).", NoteFont);
        flow.Space(3);
        Column[] columns =
        [
            new("Date et heure", 76), new("Candidat", 110), new("Épreuve", 38, Align.Center), new("Action", 76),
            new("Ancienne\nvaleur", 52, Align.Center), new("Nouvelle\nvaleur", 52, Align.Center), new("Par", 116), new("Motif", 250),
        ];
        var rows = m.Changes.Select(c => (IReadOnlyList<IReadOnlyList<string>>)[[
            DateTime(c.Source.At, m.Zone), $"{c.Source.CandidateNumber}\n{c.CandidateName}", c.Unit?.ToString() ?? "—",
            c.Source.Action.Trim(), ChangeValue(c.Source.OldValue), ChangeValue(c.Source.NewValue),
            $"{c.Source.ByName.Trim()}\n{c.Source.ByRole.Trim()}", string.IsNullOrWhiteSpace(c.Source.Reason) ? "—" : c.Source.Reason.Trim()]]).ToList();
        flow.Table(columns, rows, TableHeaderFont, TableFont);
    }

    private static void Phases(PageFlow flow, Minutes m)
    {
        Section(flow, "4. Déroulement de la délibération");
        if (m.PhaseChanges.Count == 0)
        {
            flow.Paragraph("Aucun changement de phase enregistré.", BodyFont);
            return;
        }
        foreach (var change in m.PhaseChanges)
            flow.Paragraph($"{DateTime(change.At, m.Zone)} — {PhaseLabel(ParsePhase(change.Phase))} — par {change.By.Trim()}", BodyFont);
    }

    private static void Composition(PageFlow flow, Minutes m)
    {
        Section(flow, "5. Composition du jury");
        flow.Paragraph($"Président : {m.President}", BodyFont);
        flow.Paragraph(m.Members.Count == 0 ? "Membres : —" : "Membres :", BodyFont);
        foreach (var member in m.Members) flow.Paragraph($"– {member}", BodyFont, indent: 14);
    }

    private static void Signatures(PageFlow flow, Minutes m)
    {
        const int perRow = 3;
        const double signatureRoom = 34;
        var columnWidth = flow.ContentWidth / perRow;
        var nameHeight = BodyFont.GetHeight();
        var rowHeight = BoldFont.GetHeight() + nameHeight + signatureRoom + 14;
        var memberRows = m.Members.Chunk(perRow).ToList();
        // The whole block on one page when it can be: signatures are not split from their heading.
        flow.Space(14);
        flow.Keep(BodyFont.GetHeight() + 10 + rowHeight * (1 + memberRows.Count) + BoldFont.GetHeight());
        var date = m.SignedOn is { } d ? DocumentText.LongDate(d) : "____________________";
        flow.Paragraph($"Fait le {date}", BodyFont);
        flow.Space(10);

        SignatureRow(flow, [("Le président du jury", m.President)], columnWidth, signatureRoom);
        if (memberRows.Count == 0) return;
        flow.Keep(BoldFont.GetHeight() + rowHeight);
        flow.Paragraph("Les membres du jury", BoldFont);
        flow.Space(4);
        foreach (var row in memberRows)
            SignatureRow(flow, [.. row.Select(name => ((string?)null, name))], columnWidth, signatureRoom);
    }

    /// <summary>Up to three names side by side, each above a signature line.</summary>
    private static void SignatureRow(PageFlow flow, IReadOnlyList<(string? Caption, string Name)> people, double columnWidth, double signatureRoom)
    {
        var lines = people.Select(p => (p.Caption, Name: flow.Wrap(p.Name, BodyFont, columnWidth - 20))).ToList();
        var captionHeight = people.Any(p => p.Caption is not null) ? BoldFont.GetHeight() : 0;
        var height = captionHeight + lines.Max(l => l.Name.Count) * BodyFont.GetHeight() + signatureRoom + 14;
        flow.Keep(height);
        var top = flow.Y;
        for (var i = 0; i < lines.Count; i++)
        {
            var x = flow.Left + i * columnWidth;
            var (caption, name) = lines[i];
            var y = top;
            if (caption is not null)
            {
                var captionY = y;
                flow.Draw(g => g.DrawString(caption, BoldFont, XBrushes.Black, x, captionY, XStringFormats.TopLeft));
                y += BoldFont.GetHeight();
            }
            foreach (var part in name)
            {
                var lineY = y;
                flow.Draw(g => g.DrawString(part, BodyFont, XBrushes.Black, x, lineY, XStringFormats.TopLeft));
                y += BodyFont.GetHeight();
            }
            var signatureY = top + height - 12;
            flow.Draw(g =>
            {
                g.DrawString("Signature :", NoteFont, XBrushes.Gray, x, signatureY - NoteFont.GetHeight() - 1, XStringFormats.TopLeft);
                g.DrawLine(new XPen(XColors.Gray, 0.6), x + 45, signatureY, x + columnWidth - 20, signatureY);
            });
        }
        flow.Space(height);
    }

    /// <summary>The input checked and parsed once.</summary>
    private sealed record Minutes(
        string Session, string Jury, IReadOnlyList<string> Academies, string President, IReadOnlyList<string> Members,
        JuryPhase Phase, IReadOnlyList<PhaseChange> PhaseChanges, IReadOnlyList<Candidate> Candidates, IReadOnlyList<Change> Changes,
        DateOnly? SignedOn, TimeZoneInfo Zone)
    {
        public static Minutes Of(MinutesInput input)
        {
            var session = Required(input.SessionLabel, "Session");
            var jury = Required(input.JuryId, "Jury");
            var president = Required(input.PresidentName, "Président du jury");
            var academies = (input.Academies ?? []).Select(a => Required(a, "Académie")).ToList();
            if (academies.Count == 0) throw new ArgumentException("Le jury n'a pas d'académie.", nameof(input));
            var members = (input.MemberNames ?? []).Select(n => Required(n, "Nom de membre du jury")).ToList();
            var phase = ParsePhase(input.FinalPhase);
            var zone = DeliberationWording.Zone(input.TimeZone);
            var phases = (input.PhaseChanges ?? []).Select(p =>
            {
                ArgumentNullException.ThrowIfNull(p, nameof(input));
                ParsePhase(p.Phase);
                Required(p.By, $"Auteur du passage en {p.Phase}");
                return p;
            }).OrderBy(p => p.At).ToList();

            if (input.Candidates is null || input.Candidates.Count == 0)
                throw new ArgumentException($"Le jury {jury} n'a aucun candidat : pas de procès-verbal.", nameof(input));
            var candidates = input.Candidates.Select(Candidate.Of).OrderBy(c => c.Number, StringComparer.Ordinal).ToList();
            if (candidates.GroupBy(c => c.Number, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
                throw new ArgumentException($"Le candidat {duplicate.Key} figure plusieurs fois.", nameof(input));
            var byNumber = candidates.ToDictionary(c => c.Number, StringComparer.Ordinal);

            var changes = (input.Changes ?? []).Select(c =>
            {
                ArgumentNullException.ThrowIfNull(c, nameof(input));
                var number = Required(c.CandidateNumber, "Candidat d'une modification");
                if (!byNumber.TryGetValue(number, out var candidate))
                    throw new ArgumentException($"Modification pour le candidat {number}, qui n'est pas dans ce jury.", nameof(input));
                UnitCode? unit = string.IsNullOrWhiteSpace(c.Unit) ? null : ParseUnit(c.Unit.Trim());
                Required(c.ByName, $"Auteur d'une modification ({number})");
                Required(c.ByRole, $"Rôle de l'auteur d'une modification ({number})");
                Required(c.Action, $"Nature d'une modification ({number})");
                return new Change(c, unit, candidate.Name);
            }).OrderBy(c => c.Source.At).ToList();

            return new(session, jury, academies, president, members, phase, phases, candidates, changes,
                input.SignedOn ?? (phases.Count > 0 ? DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(phases[^1].At, zone).DateTime) : null), zone);
        }
    }

    private sealed record Change(JuryChange Source, UnitCode? Unit, string CandidateName);

    private sealed record Candidate(
        MinutesCandidate Source, string Number, string Name, IReadOnlyDictionary<UnitCode, UnitResult> Results, Decision Decision,
        Decision? FirstGroupDecision, IReadOnlyList<(UnitCode Unit, decimal FirstGroupMark, UnitResult? Result, decimal KeptMark)> Controle)
    {
        /// <summary>Admitted to the épreuves de contrôle, whether or not they are already decided.</summary>
        public bool InSecondGroup => Source.Group == 2 || Decision == Decision.SecondGroupe
                                     || FirstGroupDecision == Decision.SecondGroupe || Controle.Count > 0;

        public static Candidate Of(MinutesCandidate source)
        {
            ArgumentNullException.ThrowIfNull(source);
            var number = Required(source.CandidateNumber, "Numéro de candidat");
            var last = Required(source.LastName, $"Nom du candidat {number}");
            var name = FullName(last, source.FirstName ?? "");
            var results = new Dictionary<UnitCode, UnitResult>();
            foreach (var (code, text) in source.Results ?? new Dictionary<string, string>())
            {
                var unit = ParseUnit(code);
                if (UnitCatalogue.Get(unit).Kind == UnitKind.Controle)
                    throw new ArgumentException($"Candidat {number} : {code} est une épreuve de contrôle, elle va dans les lignes du second groupe.");
                if (ParseResult(text, $"Candidat {number}, {code}") is { } result) results[unit] = result;
            }
            var decision = ParseDecision(source.Decision, $"Décision du candidat {number}");
            Decision? first = string.IsNullOrWhiteSpace(source.FirstGroupDecision)
                ? null : ParseDecision(source.FirstGroupDecision, $"Décision du premier groupe du candidat {number}");
            if (source.Group is not (1 or 2))
                throw new ArgumentException($"Candidat {number} : groupe {source.Group} (attendu : 1 ou 2).");
            if (source.Group == 2 && decision is not (Decision.Admis or Decision.Ajourne))
                throw new ArgumentException($"Candidat {number} : une décision du second groupe est ADMIS ou AJOURNE, pas {source.Decision}.");
            var controle = (source.Controle ?? []).Select(line =>
            {
                ArgumentNullException.ThrowIfNull(line, nameof(source));
                return (ParseControleUnit(line.Unit), line.FirstGroupMark, ParseControleResult(line.Result, $"Candidat {number}, {line.Unit}"), line.KeptMark);
            }).ToList();
            if (controle.Count > 0 && source.Group == 1 && decision != Decision.SecondGroupe && first != Decision.SecondGroupe)
                throw new ArgumentException($"Candidat {number} : des épreuves de contrôle pour un candidat qui n'est pas au second groupe.");
            if (controle.GroupBy(c => c.Item1).FirstOrDefault(g => g.Count() > 1) is { } twice)
                throw new ArgumentException($"Candidat {number} : l'épreuve de contrôle {twice.Key} figure plusieurs fois.");
            return new(source, number, name, results, decision, first, controle);
        }
    }
}
