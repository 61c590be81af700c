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
}
