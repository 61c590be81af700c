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
        var reasons = new Dictionary<Oral, string>();
        var left = p.Jobs.Where(j => placements[j.Index] is null).ToList();
        if (left.Count == 0) return reasons;
        var day = p.Day;
        var shortages = new Dictionary<string, (double Ratio, string Text)>();

        (double Ratio, string Text)? Shortage(ExamJob job, CommissionSeat seat)
        {
            if (seat.Optional || seat.AnyOf.Count != 1) return null;
            var discipline = seat.AnyOf[0];
            var language = job.Oral.Unit == UnitCode.EF1 ? OralRules.Fold(job.Oral.Candidate.Ef1Language) : "";
            var key = $"{discipline}/{language}";
            if (shortages.TryGetValue(key, out var known)) return known.Ratio > 1 ? known : null;
            bool Needs(ExamJob j) => UnitCatalogue.Get(j.Oral.Unit).Commission.Any(s => !s.Optional && s.AnyOf.Count == 1 && s.AnyOf[0] == discipline)
                && (language.Length == 0 || OralRules.Fold(j.Oral.Candidate.Ef1Language) == language);
            var demand = p.Jobs.Where(Needs).ToList();
            var minutes = demand.Sum(j => j.ExamSlots * CentreDayProblem.Slot);
            var supply = p.Examiners.Where(e => e.Discipline == discipline && (language.Length == 0 || e.Languages.Any(l => OralRules.Fold(l) == language))).ToList();
            var capacity = supply.Sum(e => Math.Min(e.MaxMinutesPerDay, day.FreeMinutes));
            var who = language.Length > 0 ? $"un professeur de {job.Oral.Candidate.Ef1Language.Trim()}" : French.Examiner(discipline);
            var whoPlural = language.Length > 0 ? $"professeurs de {job.Oral.Candidate.Ef1Language.Trim()}" : French.Examiners(discipline);
            var units = string.Join(", ", demand.GroupBy(j => j.Oral.Unit).OrderBy(g => g.Key).Select(g => $"{g.Key} ×{g.Count()}"));
            var done = demand.Count(j => placements[j.Index] is not null);
            var text = $"{Capitalised(day.Label)} : {demand.Count} épreuves ({units}) demandent {who}, soit {minutes} min d'interrogation ; "
                + $"{supply.Count} {whoPlural} disponibles ce jour-là, {capacity} min au plus : {done} sur {demand.Count} ont pu être placées. "
                + $"Recruter des {whoPlural} pour ce centre et cette date, ou leur ouvrir d'autres dates.";
            var ratio = capacity <= 0 ? double.PositiveInfinity : minutes / (double)capacity;
            shortages[key] = (ratio, text);
            return ratio > 1 ? (ratio, text) : null;
        }

        var examMinutes = p.Jobs.Sum(j => j.ExamSlots * CentreDayProblem.Slot);
        var prepMinutes = p.Jobs.Sum(j => j.PrepSlots * CentreDayProblem.Slot);
        foreach (var job in left)
        {
            var oral = job.Oral;
            var seats = UnitCatalogue.Get(oral.Unit).Commission;
            string reason;
            if (job.Commissions.Length == 0)
                reason = NoCommission(p, job, seats);
            else if (job.Starts.Length == 0)
                reason = $"{Capitalised(day.Label)} : aucune plage libre de {oral.BlockMinutes} min ({day.DescribeHours()}).";
            else if (seats.Select(s => Shortage(job, s)).Where(s => s is not null).OrderByDescending(s => s!.Value.Ratio).FirstOrDefault() is { } shortage)
                reason = shortage.Text;
            else if (p.Rooms <= 0 || examMinutes > p.Rooms * day.FreeMinutes)
                reason = $"{Capitalised(day.Label)} : {examMinutes} min d'épreuves pour {p.Rooms} salles ouvertes {day.FreeMinutes} min : ajouter des salles (centres.csv, colonne exam_rooms) ou des dates.";
            else if (job.PrepSlots > 0 && (p.PrepSeats <= 0 || prepMinutes > p.PrepSeats * day.FreeMinutes))
                reason = $"{Capitalised(day.Label)} : {prepMinutes} min de préparation pour {p.PrepSeats} places de préparation ouvertes {day.FreeMinutes} min : ajouter des places (centres.csv, colonne prep_seats) ou des dates.";
            else if (CandidateDay(p, job) is { } busy && busy > day.FreeMinutes)
                reason = $"{Capitalised(day.Label)} : les oraux du candidat, préparations et 10 min entre deux épreuves comprises, durent {busy} min, plus que la journée ({day.FreeMinutes} min libres).";
            else if (job.Follows >= 0 && placements[job.Follows] is not null)
                reason = $"{Capitalised(day.Label)} : l'EF3 suit l'U61 sans attente devant la même commission, et cette commission n'avait plus de temps libre à la suite de l'U61.";
            else if (job.Follows >= 0)
                reason = "L'EF3 se passe à la suite de l'U61, qui n'a pas pu être placée (voir l'U61).";
            else
                reason = $"{Capitalised(day.Label)} : aucun créneau ne réunit à la fois une des {job.Commissions.Length} commissions pouvant examiner ce candidat, "
                    + "une salle, une place de préparation et le candidat libre ; la journée est saturée.";
            reasons[oral] = reason;
        }
        return reasons;
    }

    private static string NoCommission(CentreDayProblem p, ExamJob job, IReadOnlyList<CommissionSeat> seats)
    {
        var oral = job.Oral;
        var label = Capitalised(p.Day.Label);
        foreach (var seat in seats.Where(s => !s.Optional))
        {
            var able = p.Examiners.Where(e => OralRules.MayFill(seat, e.Discipline, e.Languages, oral.Unit, oral.Candidate.Ef1Language)).ToList();
            var who = oral.Unit == UnitCode.EF1 ? $"professeur de {oral.Candidate.Ef1Language.Trim()}" : string.Join(" ou ", seat.AnyOf.Select(d => French.Examiner(d)[3..]));
            if (able.Count == 0)
                return $"{label} : aucun {who} n'est disponible pour ce centre ce jour-là (ceux qui pouvaient venir sont retenus ailleurs).";
            if (able.All(e => Schools.Same(e.EstablishmentUai, oral.Candidate.EstablishmentUai)))
                return $"{label} : les examinateurs présents pour le siège « {who} » sont tous de l'établissement {oral.Candidate.EstablishmentUai.Trim()} du candidat.";
        }
        return $"{label} : aucune commission formée ce jour-là ne peut examiner ce candidat sans membre de son établissement ({oral.Candidate.EstablishmentUai.Trim()}).";
    }

    private static int? CandidateDay(CentreDayProblem p, ExamJob job)
    {
        var mine = p.JobsOf[job.Candidate].Select(i => p.Jobs[i]).ToList();
        return mine.Sum(j => (j.PrepSlots + j.ExamSlots) * CentreDayProblem.Slot) + OralRules.MinimumGapMinutes * (mine.Count(j => j.Follows < 0) - 1);
    }

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
