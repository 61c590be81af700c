namespace BtsCcst.Domain;

/// <summary>Preparation and exam minutes of one oral for one candidate.</summary>
public readonly record struct OralTiming(int PreparationMinutes, int ExamMinutes)
{
    public int TotalMinutes => PreparationMinutes + ExamMinutes;
}

/// <summary>The rules of planning an oral exam (domain.md "Which orals are planned", §2 of the circular).</summary>
public static class OralRules
{
    /// <summary>domain.md: at least 10 minutes from the end of an exam to the next preparation or exam of the same candidate.</summary>
    public const int MinimumGapMinutes = 10;

    /// <summary>Planning grain: every time is a multiple of 5 minutes (extra time is rounded up to it).</summary>
    public const int SlotMinutes = 5;

    /// <summary>Default examining time per day of an examiner when examiners.csv leaves it empty (formats.md).</summary>
    public const int DefaultMaxMinutesPerDay = 420;

    /// <summary>
    /// §2 durations, preparation and exam each stretched by the candidate's extra time (disability
    /// accommodation) and rounded up to 5 minutes. E4's hour of preparation is planned right before
    /// its hour of oral; E22's two 10-minute preparations are grouped into one (domain.md interpretations).
    /// </summary>
    public static OralTiming Timing(UnitCode unit, int extraTimePercent)
    {
        var definition = UnitCatalogue.Get(unit);
        if (definition.PonctualMode != ExamMode.Oral)
            throw new ArgumentException($"{unit} n'est pas une épreuve orale.", nameof(unit));
        if (extraTimePercent is < 0 or > 100)
            throw new ArgumentOutOfRangeException(nameof(extraTimePercent), extraTimePercent, "Le tiers temps est un pourcentage de 0 à 100.");
        return new(Stretch(definition.PreparationMinutes, extraTimePercent), Stretch(definition.DurationMinutes, extraTimePercent));
    }

    private static int Stretch(int minutes, int extraTimePercent)
    {
        var stretched = (minutes * (100 + extraTimePercent) + 99) / 100;
        return (stretched + SlotMinutes - 1) / SlotMinutes * SlotMinutes;
    }

    /// <summary>EF3 is planned right after the candidate's U61, before the same commission, with no gap (§2 EF3).</summary>
    public static bool FollowsAtOnce(UnitCode previous, UnitCode next) => previous == UnitCode.U61 && next == UnitCode.EF3;

    /// <summary>
    /// The orals a candidate sits (domain.md "Which orals are planned"): in ponctual form E22, E4,
    /// U61, U62 and their chosen EF2 and EF3; EF1 for everyone who chose it (it is ponctual only);
    /// never a dispensed, kept or non-conforming unit. EF3 goes with U61: without a planned U61 it
    /// cannot be planned (reported by <see cref="UnplaceableOrals"/>).
    /// </summary>
    public static IReadOnlyList<UnitCode> OralsToPlan(
        ExamForm form,
        IReadOnlySet<UnitCode> optionalUnits,
        IReadOnlySet<UnitCode> dispensedUnits,
        IReadOnlySet<UnitCode> keptUnits,
        IReadOnlySet<UnitCode> nonConformingUnits)
    {
        var wanted = new List<UnitCode>();
        if (form == ExamForm.Ponctuel)
        {
            wanted.AddRange([UnitCode.E22, UnitCode.E4, UnitCode.U61, UnitCode.U62]);
            wanted.AddRange(new[] { UnitCode.EF2, UnitCode.EF3 }.Where(optionalUnits.Contains));
        }
        if (optionalUnits.Contains(UnitCode.EF1)) wanted.Add(UnitCode.EF1);
        var planned = wanted
            .Where(u => !dispensedUnits.Contains(u) && !keptUnits.Contains(u) && !nonConformingUnits.Contains(u))
            .ToList();
        if (planned.Contains(UnitCode.EF3) && !planned.Contains(UnitCode.U61)) planned.Remove(UnitCode.EF3);
        return planned;
    }

    /// <summary>Orals a candidate wants but that cannot be planned, with the French reason: an EF3 whose U61 is not planned.</summary>
    public static IReadOnlyList<(UnitCode Unit, string Reason)> UnplaceableOrals(
        ExamForm form,
        IReadOnlySet<UnitCode> optionalUnits,
        IReadOnlySet<UnitCode> dispensedUnits,
        IReadOnlySet<UnitCode> keptUnits,
        IReadOnlySet<UnitCode> nonConformingUnits)
    {
        var planned = OralsToPlan(form, optionalUnits, dispensedUnits, keptUnits, nonConformingUnits);
        return form == ExamForm.Ponctuel && optionalUnits.Contains(UnitCode.EF3) && !nonConformingUnits.Contains(UnitCode.EF3) && !planned.Contains(UnitCode.EF3)
            ? [(UnitCode.EF3, "L'engagement étudiant (EF3) se passe à la suite de l'U61, qui n'est pas planifiée pour ce candidat.")]
            : [];
    }

    /// <summary>
    /// Whether one examiner may fill a commission seat for a unit. EF1 is examined by a teacher of
    /// the chosen language (§2 EF1); languages are compared case- and accent-insensitively.
    /// </summary>
    public static bool MayFill(CommissionSeat seat, Discipline discipline, IReadOnlyCollection<string> languages, UnitCode unit, string ef1Language)
    {
        if (!seat.AnyOf.Contains(discipline)) return false;
        if (unit != UnitCode.EF1) return true;
        var wanted = Fold(ef1Language);
        return languages.Any(l => Fold(l) == wanted);
    }

    /// <summary>
    /// Who of a commission examines one exam: the seat of <see cref="UnitDefinition.Commission"/> each member takes,
    /// or -1 for a member who takes none and so does not examine it; null when the required seats cannot all be filled.
    /// The composition is exact (§2, each unit's "Composition de la commission d'évaluation"): a member whom the unit's
    /// seats do not name never examines it. So the professional of an E4/U61 commission is off during its U62 exams
    /// (§ U62: one STI teacher and one économie-gestion teacher), and in EF2 (§ EF2: a teacher of the professional
    /// courses and a professional, "ou à défaut" a second teacher) a commission of two teachers and a professional seats
    /// the professional and one teacher. Among the seatings, the one seating most members, then most professionals.
    /// </summary>
    public static int[]? Seating(UnitCode unit, IReadOnlyList<(Discipline Discipline, IReadOnlyCollection<string> Languages)> members, string ef1Language)
    {
        var seats = UnitCatalogue.Get(unit).Commission;
        int[]? best = null;
        var bestScore = -1;
        var current = new int[members.Count];
        Try(0, new bool[seats.Count]);
        return best;

        void Try(int member, bool[] taken)
        {
            if (member == members.Count)
            {
                if (seats.Where((s, i) => !s.Optional && !taken[i]).Any()) return;
                var seated = current.Count(s => s >= 0);
                var professionals = current.Where((s, i) => s >= 0 && members[i].Discipline == Discipline.Professionnel).Count();
                var score = seated * (members.Count + 1) + professionals;
                if (score > bestScore) (best, bestScore) = ([.. current], score);
                return;
            }
            for (var s = 0; s < seats.Count; s++)
            {
                if (taken[s] || !MayFill(seats[s], members[member].Discipline, members[member].Languages, unit, ef1Language)) continue;
                (taken[s], current[member]) = (true, s);
                Try(member + 1, taken);
                taken[s] = false;
            }
            current[member] = -1;
            Try(member + 1, taken);
        }
    }

    /// <summary>Lower case without accents, for language names.</summary>
    public static string Fold(string text)
    {
        var decomposed = text.Trim().ToLowerInvariant().Normalize(System.Text.NormalizationForm.FormD);
        return new string(decomposed.Where(c => System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.NonSpacingMark).ToArray());
    }
}
