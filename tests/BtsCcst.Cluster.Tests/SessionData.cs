using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace BtsCcst.Cluster.Tests;

/// <summary>Small session files (the shapes of tests/BtsCcst.Server.Tests/SampleFiles.cs) and the API calls the tests make.</summary>
public static class SessionData
{
    public static readonly string[] MandatoryUnits = ["E1", "E21", "E22", "E3", "E4", "E5", "U61", "U62"];

    /// <summary>candidates.csv: <paramref name="count"/> candidates of <paramref name="academy"/> (one jury per academy), numbered PREFIX001…</summary>
    public static (string Csv, string[] Numbers) Candidates(string academy, string prefix, int count)
    {
        var numbers = Enumerable.Range(1, count).Select(i => $"{prefix}{i:000}").ToArray();
        var csv = new StringBuilder("candidate_number,last_name,first_name,birth_date,academy,establishment_uai,category,form,optional_units,ef1_language,dispensed_units,extra_time_percent,livret,kept_units\n");
        foreach (var number in numbers)
            csv.Append($"{number},MARTIN,Léa,2004-03-12,{academy},0141234X,SCOLAIRE_PUBLIC,PONCTUEL,,,,0,non,\n");
        return (csv.ToString(), numbers);
    }

    /// <summary>marks.csv giving every mandatory unit of each candidate the same mark.</summary>
    public static string Marks(IEnumerable<string> candidates, string mark)
    {
        var csv = new StringBuilder("candidate_number,unit,result\n");
        foreach (var c in candidates)
            foreach (var u in MandatoryUnits)
                csv.Append(c).Append(',').Append(u).Append(',').Append(mark).Append('\n');
        return csv.ToString();
    }

    public static async Task ImportAsync(this HttpClient http, string session, string kind, string csv)
    {
        using var response = await http.PostAsync($"api/sessions/{session}/imports/{kind}", new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.True(response.IsSuccessStatusCode, $"import {kind}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public static Task<HttpResponseMessage> PutResultAsync(this HttpClient http, string session, string candidate, string unit, string result, string reason = "Saisie du jury") =>
        http.PutAsJsonAsync($"api/sessions/{session}/candidates/{candidate}/results/{unit}", new { result, reason, underReserve = false });

    /// <summary>unit → result of a candidate, read through the API.</summary>
    public static async Task<Dictionary<string, string>> ResultsAsync(this HttpClient http, string session, string candidate)
    {
        using var response = await http.GetAsync($"api/sessions/{session}/candidates/{candidate}");
        Assert.True(response.IsSuccessStatusCode, $"GET candidate {candidate}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var view = await response.Content.ReadFromJsonAsync<JsonElement>();
        return view.GetProperty("summary").GetProperty("results").EnumerateArray()
            .ToDictionary(c => c.GetProperty("unit").GetString()!, c => c.GetProperty("result").GetString()!);
    }

    public static async Task<BtsCcst.Grains.Abstractions.BoardSnapshot> BoardAsync(this HttpClient http, string session, string jury)
    {
        using var response = await http.GetAsync($"api/sessions/{session}/juries/{jury}/board");
        Assert.True(response.IsSuccessStatusCode, $"GET board {jury}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<BtsCcst.Grains.Abstractions.BoardSnapshot>())!;
    }
}
