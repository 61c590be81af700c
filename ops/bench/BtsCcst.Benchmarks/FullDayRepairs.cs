using System.Diagnostics;
using System.Globalization;
using System.Text;
using BtsCcst.Scheduling;

namespace BtsCcst.Benchmarks;

/// <summary>
/// Exam-day repairs through the server on full days (issue 13, <c>--full-days 25,45,60</c>): per size N, a session of 2N
/// candidates in ponctual form at one centre over two days (the shape of the server's full-day test, examiners scaled),
/// planned by a planning run, whose busiest day gets a centre manager's day of events one after the other (a candidate
/// 40 min late, an excused one re-convoked, a teacher absent from 13:30, a professional absent all day, in turn), each
/// recorded, repaired and accepted as the centre page does; then the other day gets requests of those four events
/// together, each accepted. Every request is timed wall-clock around <c>POST …/repairs</c>.
/// </summary>
public static class FullDayRepairs
{
    private const string Centre = "PLEIN-1";
    private static readonly string[] Dates = ["2024-05-27", "2024-05-28"];

    /// <summary>A full day's session is small (one centre, two days): its planning run needs less than the sample's.</summary>
    private const int PlanSeconds = 30;

    public static async Task<List<ServerRepairs.Line>> RunAsync(Deployment deployment, int[] sizes, int requests, int planSeconds, string folder, Action<string> say)
    {
        var lines = new List<ServerRepairs.Line>();
        foreach (var size in sizes)
        {
            using var api = new Api(deployment.Apis[0].BaseAddress, $"journee-pleine-{size}");
            var organiser = await deployment.TokenAsync("organiser", "bench");
            var manager = await deployment.TokenAsync("centre-manager", "bench", Centre);
            Directory.CreateDirectory(folder);
            foreach (var (kind, text) in new[] { ("candidates", Candidates(2 * size)), ("centres", Centres()), ("examiners", Examiners(size)) })
            {
                var path = Path.Combine(folder, $"{size}-{kind}.csv");
                await File.WriteAllTextAsync(path, text);
                await api.ImportAsync(kind, path, organiser);
            }
            var schedule = await ServerRepairs.PlanAsync(api, organiser, Math.Min(planSeconds, PlanSeconds));
            var busiest = schedule.GroupBy(e => e.Date).OrderByDescending(g => g.Count()).First().Key;
            say($"full day {size}: {schedule.Count(e => e.Date == busiest)} exams of {schedule.Where(e => e.Date == busiest).Select(e => e.CandidateNumber).Distinct().Count()} candidates on {busiest:yyyy-MM-dd}");
            var used = new HashSet<string>(StringComparer.Ordinal);
            var random = new Random(size);
            foreach (var date in new[] { busiest, schedule.Select(e => e.Date).Distinct().Single(d => d != busiest) })
                for (var k = 0; k < (date == busiest ? requests : 2); k++)
                {
                    var day = (await ServerRepairs.ScheduleAsync(api, organiser)).Where(e => e.Date == date).ToList();
                    var kinds = date == busiest ? [k % 4] : new[] { 0, 1, 2, 3 };
                    var events = kinds.Select(kind => ServerRepairs.Draw(day, Discipline, random, kind, used)).ToList();
                    var line = await ServerRepairs.RepairAsync(api, manager, Centre, date, day, events, accept: true);
                    lines.Add(line with { Scope = $"full day of {size}" });
                    say($"  {lines[^1]}");
                }
        }
        return lines;
    }

    /// <summary>The discipline an examiner's identifier gives (ECO, STI, PRO, ANG prefixes).</summary>
    private static Domain.Discipline Discipline(string id) => id[..3] switch
    {
        "ECO" => Domain.Discipline.EcoGestion,
        "STI" => Domain.Discipline.Sti,
        "PRO" => Domain.Discipline.Professionnel,
        _ => Domain.Discipline.Anglais,
    };

    private static string Candidates(int count)
    {
        var text = new StringBuilder("candidate_number,last_name,first_name,birth_date,academy,establishment_uai,category,form,optional_units,ef1_language,dispensed_units,extra_time_percent,livret,kept_units\n");
        for (var i = 1; i <= count; i++)
            text.Append(CultureInfo.InvariantCulture, $"JP-{i:000},NOM{i},Léa,2004-03-12,NORMANDIE,0141234X,SCOLAIRE_PUBLIC,PONCTUEL,,,,0,non,\n");
        return text.ToString();
    }

    private static string Centres() =>
        "centre_id,name,academies,time_zone,dates,day_start,day_end,lunch_start,lunch_end,exam_rooms,prep_seats,address\n"
        + $"{Centre},Lycée plein,NORMANDIE,Europe/Paris,{string.Join(';', Dates)},08:00,18:00,12:00,13:30,24,18,\"1 rue du Lycée, 14000 Caen\"\n";

    /// <summary>The full-day test's team for 50 candidates a day (20 ECO, 20 STI, 14 PRO, 5 ANG), scaled to the day's size.</summary>
    private static string Examiners(int perDay)
    {
        var text = new StringBuilder("examiner_id,last_name,first_name,email,discipline,languages,establishment_uai,centre_ids,available_dates,max_minutes_per_day\n");
        void Add(string prefix, int forFifty, string discipline, string languages)
        {
            for (var i = 1; i <= (forFifty * perDay + 49) / 50; i++)
                text.Append(CultureInfo.InvariantCulture, $"{prefix}{i:00},Nom{prefix}{i},Prénom,{prefix.ToLowerInvariant()}{i}@ac-normandie.fr,{discipline},{languages},"
                                                          + $"{(discipline == "PROFESSIONNEL" ? "" : $"01400{i:00}B")},{Centre},{string.Join(';', Dates)},\n");
        }
        Add("ECO", 20, "ECO_GESTION", "");
        Add("STI", 20, "STI", "");
        Add("PRO", 14, "PROFESSIONNEL", "");
        Add("ANG", 5, "ANGLAIS", "anglais");
        return text.ToString();
    }
}
