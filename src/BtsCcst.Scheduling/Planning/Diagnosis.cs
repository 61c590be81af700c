using BtsCcst.Domain;

namespace BtsCcst.Scheduling.Planning;

/// <summary>
/// Why the orals left unplaced in a centre-day could not be placed, in terms an organiser acts on: the examiners
/// of a discipline short of the demand (with the counts), the rooms, the preparation seats, the length of the
/// candidate's day. Checks of demand against capacity, made once the solver has done its best.
/// </summary>
internal static class Diagnosis
{
    public static Dictionary<Oral, string> Explain(CentreDayProblem p, Placement?[] placements)
    {
        var left = p.Jobs.Where(j => placements[j.Index] is null).ToList();
        if (left.Count == 0) return [];
        var day = new DayDiagnosis(p, placements);
        return left.ToDictionary(j => j.Oral, day.Reason);
    }

    /// <summary>One centre-day's demand against its capacity, each discipline's computed once.</summary>
    private sealed class DayDiagnosis(CentreDayProblem p, Placement?[] placements)
    {
        private readonly Dictionary<string, Demand> demands = [];
        private readonly string label = Capitalised(p.Day.Label);
        private readonly int examMinutes = p.Jobs.Sum(j => j.ExamSlots * CentreDayProblem.Slot);
        private readonly int prepMinutes = p.Jobs.Sum(j => j.PrepSlots * CentreDayProblem.Slot);
        private readonly int roomMinutes = Math.Max(0, p.Rooms) * p.Day.FreeMinutes;
        private readonly int seatMinutes = Math.Max(0, p.PrepSeats) * p.Day.FreeMinutes;

        /// <summary>Why the job was left out: the first of the causes below that holds, else the tightest resource.</summary>
        public string Reason(ExamJob job)
        {
            var (oral, day) = (job.Oral, p.Day);
            var seats = UnitCatalogue.Get(oral.Unit).Commission;
            var disciplines = seats.Where(s => !s.Optional && s.AnyOf.Count == 1).Select(s => DemandFor(job, s.AnyOf[0])).OrderByDescending(d => d.Ratio).ToList();
            if (job.Commissions.Length == 0) return NoCommission(p, job, seats);
            if (job.Starts.Length == 0) return $"{label} : aucune plage libre de {oral.BlockMinutes} min ({day.DescribeHours()}).";
            if (disciplines.FirstOrDefault(d => d.Ratio > 1) is { } shortage)
                return $"{label} : {shortage.Count} épreuves ({shortage.Units}) demandent un {shortage.Who}, soit {shortage.Minutes} min d'interrogation ; "
                    + $"{shortage.Examiners} {shortage.WhoPlural} disponibles ce jour-là, {shortage.Capacity} min au plus : {shortage.Placed} sur {shortage.Count} ont pu être placées. "
                    + $"Recruter des {shortage.WhoPlural} pour ce centre et cette date, ou leur ouvrir d'autres dates.";
            if (examMinutes > roomMinutes)
                return $"{label} : {examMinutes} min d'épreuves pour {p.Rooms} salles ouvertes {day.FreeMinutes} min : ajouter des salles (centres.csv, colonne exam_rooms) ou des dates.";
            if (job.PrepSlots > 0 && prepMinutes > seatMinutes)
                return $"{label} : {prepMinutes} min de préparation pour {p.PrepSeats} places de préparation ouvertes {day.FreeMinutes} min : ajouter des places (centres.csv, colonne prep_seats) ou des dates.";
            if (CandidateDay(p, job) is var busy && busy > day.FreeMinutes)
                return $"{label} : les oraux du candidat, préparations et 10 min entre deux épreuves comprises, durent {busy} min, plus que la journée ({day.FreeMinutes} min libres).";
            if (job.Follows >= 0 && placements[job.Follows] is not null)
                return $"{label} : l'EF3 suit l'U61 sans attente devant la même commission, et cette commission n'avait plus de temps libre à la suite de l'U61.";
            if (job.Follows >= 0) return "L'EF3 se passe à la suite de l'U61, qui n'a pas pu être placée (voir l'U61).";
            return Saturated(job, disciplines);
        }

        /// <summary>No single resource is short, but together they leave no slot: say which is the tightest.</summary>
        private string Saturated(ExamJob job, List<Demand> disciplines)
        {
            var oral = job.Oral;
            var tight = disciplines.Select(d => (Ratio: d.Ratio, What: $"{d.WhoPlural} : {d.Minutes} min demandées pour {d.Capacity} min")).ToList();
            tight.Add(((double)examMinutes / Math.Max(1, roomMinutes), $"salles : {examMinutes} min d'épreuves pour {roomMinutes} min"));
            if (job.PrepSlots > 0) tight.Add(((double)prepMinutes / Math.Max(1, seatMinutes), $"préparation : {prepMinutes} min pour {seatMinutes} min"));
            var (ratio, what) = tight.MaxBy(t => t.Ratio);
            var able = p.Commissions.Count(c => Composition.Fits(oral.Unit, c.Members, oral.Candidate.Ef1Language));
            var ownSchool = job.Commissions.Length < able
                ? (job.Commissions.Length == 1 ? " ; seule 1" : $" ; seules {job.Commissions.Length}")
                    + $" des {able} commissions de cette épreuve {(job.Commissions.Length == 1 ? "n'a" : "n'ont")} aucun membre de l'établissement du candidat ({oral.Candidate.EstablishmentUai.Trim()})"
                : "";
            return $"{label} : journée saturée ({what}, soit {Percent(ratio)}){ownSchool} ; aucun créneau ne réunit une commission pouvant examiner ce candidat, "
                + "une salle, une place de préparation et le candidat libre.";
        }

        /// <summary>The demand on the examiners of one discipline (or of one language for EF1) against what they can give.</summary>
        private Demand DemandFor(ExamJob job, Discipline discipline)
        {
            var language = job.Oral.Unit == UnitCode.EF1 ? OralRules.Fold(job.Oral.Candidate.Ef1Language) : "";
            var key = $"{discipline}/{language}";
            if (demands.TryGetValue(key, out var known)) return known;
            bool Needs(ExamJob j) => UnitCatalogue.Get(j.Oral.Unit).Commission.Any(s => !s.Optional && s.AnyOf.Count == 1 && s.AnyOf[0] == discipline)
                && (language.Length == 0 || OralRules.Fold(j.Oral.Candidate.Ef1Language) == language);
            var jobs = p.Jobs.Where(Needs).ToList();
            var supply = p.Examiners.Where(e => e.Discipline == discipline && (language.Length == 0 || e.Languages.Any(l => OralRules.Fold(l) == language))).ToList();
            var who = language.Length > 0 ? $"professeur {French.OfLanguage(job.Oral.Candidate.Ef1Language)}" : French.Examiner(discipline);
            var whoPlural = language.Length > 0 ? $"professeurs {French.OfLanguage(job.Oral.Candidate.Ef1Language)}" : French.Examiners(discipline);
            return demands[key] = new Demand(who, whoPlural, jobs.Count,
                string.Join(", ", jobs.GroupBy(j => j.Oral.Unit).OrderBy(g => g.Key).Select(g => $"{g.Key} ×{g.Count()}")),
                jobs.Sum(j => j.ExamSlots * CentreDayProblem.Slot),
                jobs.Count(j => placements[j.Index] is not null),
                supply.Count,
                supply.Sum(e => Math.Min(e.MaxMinutesPerDay, p.Day.FreeMinutes)));
        }
    }

    private sealed record Demand(string Who, string WhoPlural, int Count, string Units, int Minutes, int Placed, int Examiners, int Capacity)
    {
        public double Ratio => Capacity <= 0 ? double.PositiveInfinity : Minutes / (double)Capacity;
    }

    private static string Percent(double ratio) => $"{Math.Round(ratio * 100).ToString(System.Globalization.CultureInfo.InvariantCulture)} %";

    private static string NoCommission(CentreDayProblem p, ExamJob job, IReadOnlyList<CommissionSeat> seats)
    {
        var oral = job.Oral;
        var label = Capitalised(p.Day.Label);
        foreach (var seat in seats.Where(s => !s.Optional))
        {
            var able = p.Examiners.Where(e => OralRules.MayFill(seat, e.Discipline, e.Languages, oral.Unit, oral.Candidate.Ef1Language)).ToList();
            var who = oral.Unit == UnitCode.EF1 ? $"professeur {French.OfLanguage(oral.Candidate.Ef1Language)}" : string.Join(" ou ", seat.AnyOf.Select(French.Examiner));
            if (able.Count == 0)
                return $"{label} : aucun {who} n'est disponible pour ce centre ce jour-là (ceux qui pouvaient venir sont retenus ailleurs).";
            if (able.All(e => Schools.Same(e.EstablishmentUai, oral.Candidate.EstablishmentUai)))
                return $"{label} : les examinateurs présents pour le siège « {who} » sont tous de l'établissement {oral.Candidate.EstablishmentUai.Trim()} du candidat.";
        }
        return $"{label} : aucune commission formée ce jour-là ne peut examiner ce candidat sans membre de son établissement ({oral.Candidate.EstablishmentUai.Trim()}).";
    }

    private static int CandidateDay(CentreDayProblem p, ExamJob job)
    {
        var mine = p.JobsOf[job.Candidate].Select(i => p.Jobs[i]).ToList();
        return mine.Sum(j => (j.PrepSlots + j.ExamSlots) * CentreDayProblem.Slot) + OralRules.MinimumGapMinutes * (mine.Count(j => j.Follows < 0) - 1);
    }

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
