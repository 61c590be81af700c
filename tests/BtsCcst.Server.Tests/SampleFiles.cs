using System.Text;

namespace BtsCcst.Server.Tests;

/// <summary>Small hand-written session files for API scenarios.</summary>
public static class SampleFiles
{
    public const string CandidatesHeader =
        "candidate_number,last_name,first_name,birth_date,academy,establishment_uai,category,form,optional_units,ef1_language,dispensed_units,extra_time_percent,livret,kept_units";

    public static string Candidate(string number, string academy = "NORMANDIE", string form = "PONCTUEL", string category = "SCOLAIRE_PUBLIC",
        string optional = "", string ef1 = "", string dispensed = "", bool livret = false, string kept = "", string lastName = "MARTIN") =>
        $"{number},{lastName},Léa,2004-03-12,{academy},0141234X,{category},{form},{optional},{ef1},{dispensed},0,{(livret ? "oui" : "non")},{kept}";

    public static string Candidates(params string[] rows) => CandidatesHeader + "\n" + string.Join("\n", rows) + "\n";

    public static readonly string[] MandatoryUnits = ["E1", "E21", "E22", "E3", "E4", "E5", "U61", "U62"];

    /// <summary>marks.csv giving every mandatory unit of each candidate the same mark.</summary>
    public static string Marks(IEnumerable<string> candidates, string mark, params string[] exceptUnits)
    {
        var csv = new StringBuilder("candidate_number,unit,result\n");
        foreach (var c in candidates)
            foreach (var u in MandatoryUnits.Except(exceptUnits))
                csv.Append(c).Append(',').Append(u).Append(',').Append(mark).Append('\n');
        return csv.ToString();
    }

    /// <summary>centres.csv: one centre (CAEN-1, NORMANDIE) open one day, 2024-05-27.</summary>
    public const string OneDayCentre =
        "centre_id,name,academies,time_zone,dates,day_start,day_end,lunch_start,lunch_end,exam_rooms,prep_seats,address\n"
        + "CAEN-1,Lycée Malherbe,NORMANDIE,Europe/Paris,2024-05-27,08:00,18:00,12:00,13:30,3,4,\"14 avenue Albert Sorel, 14000 Caen\"\n";

    /// <summary>examiners.csv for that day; ECO1 teaches in the school (0141234X) of the sample candidates.</summary>
    public const string OneDayExaminers =
        "examiner_id,last_name,first_name,email,discipline,languages,establishment_uai,centre_ids,available_dates,max_minutes_per_day\n"
        + "ECO1,Martin,Anne,anne.martin@ac-normandie.fr,ECO_GESTION,,0141234X,CAEN-1,2024-05-27,\n"
        + "ECO2,Bernard,Luc,luc.bernard@ac-normandie.fr,ECO_GESTION,,0140001A,CAEN-1,2024-05-27,\n"
        + "ECO3,Petit,Marc,marc.petit@ac-normandie.fr,ECO_GESTION,,0140002B,CAEN-1,2024-05-27,\n"
        + "STI1,Durand,Paul,paul.durand@ac-normandie.fr,STI,,0140001A,CAEN-1,2024-05-27,\n"
        + "STI2,Leroy,Julie,julie.leroy@ac-normandie.fr,STI,,0140003C,CAEN-1,2024-05-27,\n"
        + "ANG1,Moreau,Sarah,sarah.moreau@ac-normandie.fr,ANGLAIS,anglais,0140002B,CAEN-1,2024-05-27,\n"
        + "ESP1,Garcia,Elena,elena.garcia@ac-normandie.fr,LANGUE,espagnol,0140003C,CAEN-1,2024-05-27,\n"
        + "PRO1,Roux,Denis,denis.roux@entreprise.fr,PROFESSIONNEL,,,CAEN-1,2024-05-27,\n";
}
