using System.Globalization;
using System.Text;

namespace BtsCcst.Grains.Abstractions.Operations;

/// <summary>
/// results.csv (formats.md): points exact with 3 decimals, averages half-up to 2 decimals. Shared by
/// the HTTP export and the btsccst command-line tool, so both write the same bytes.
/// </summary>
public static class ResultsCsv
{
    public const string Header = "candidate_number,jury_id,points,average,pro_average,decision,group";

    /// <summary>The boards of every jury of the session (the organiser's export).</summary>
    public static async Task<BoardSnapshot[]> AllJuriesAsync(IGrainFactory grains, string sessionId)
    {
        var juries = (await grains.Session(sessionId).GetOverview()).Juries.Select(j => j.JuryId).ToArray();
        return await Task.WhenAll(juries.Select(j => grains.Jury(sessionId, j).GetBoard()));
    }

    public static string Write(IEnumerable<BoardSnapshot> boards)
    {
        var csv = new StringBuilder().Append(Header).Append("\r\n");
        foreach (var board in boards)
        {
            foreach (var row in board.Candidates)
            {
                csv.Append(row.CandidateNumber).Append(',')
                    .Append(board.JuryId).Append(',')
                    .Append(Format(row.Points, "0.000")).Append(',')
                    .Append(Format(row.Average, "0.00")).Append(',')
                    .Append(Format(row.ProAverage, "0.00")).Append(',')
                    .Append(row.Decision).Append(',')
                    .Append(row.Group.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
            }
        }
        return csv.ToString();
    }

    private static string Format(decimal? value, string format) =>
        value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "";
}
