using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BtsCcst.Server.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace BtsCcst.Server.Tests.Auth;

/// <summary>A server of its own (fresh data folder: its first start prints the first organiser link), with helpers to sign in by link.</summary>
public class AccessHost : TestHost
{
    public AccessHost() : base(new Dictionary<string, string>())
    {
    }

    public AccessHost(IReadOnlyDictionary<string, string> settings) : base(settings)
    {
    }

    /// <summary>The organiser link the first start printed (issued once the server listens).</summary>
    public async Task<string> FirstOrganiserLinkAsync()
    {
        var first = Services.GetRequiredService<FirstOrganiserAccess>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (first.FirstLink is null && DateTime.UtcNow < deadline) await Task.Delay(100);
        return first.FirstLink ?? throw new InvalidOperationException("No first organiser link was printed.");
    }

    /// <summary>A client that keeps cookies, as a browser does.</summary>
    public HttpClient CookieClient() => new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = BaseAddress };

    public static string CodeOf(string link) => link[(link.IndexOf("#code=", StringComparison.Ordinal) + "#code=".Length)..];

    public static Task<HttpResponseMessage> SignInAsync(HttpClient http, string link) =>
        http.PostAsJsonAsync("/api/access/sign-in", new { code = CodeOf(link) });

    /// <summary>Issues links (POST …/accesses) as the given client and returns them.</summary>
    public static async Task<JsonElement[]> IssueAsync(HttpClient organiser, string session, object request)
    {
        var response = await organiser.PostAsJsonAsync($"/api/sessions/{session}/accesses", request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return [.. JsonDocument.Parse(body).RootElement.GetProperty("accesses").EnumerateArray()];
    }

    public const string JuriesCsv =
        "jury_id,academies,president,members,president_email\n"
        + "JURY-N,NORMANDIE,Mme Présidente,M. Membre;Mme Assesseure,presidente@ac-normandie.fr\n"
        + "JURY-P,LYON,M. Autre,,\n";

    public const string CentresWithManager =
        "centre_id,name,academies,time_zone,dates,day_start,day_end,lunch_start,lunch_end,exam_rooms,prep_seats,address,manager_name,manager_email\n"
        + "CAEN-1,Lycée Malherbe,NORMANDIE,Europe/Paris,2024-05-27,08:00,18:00,12:00,13:30,3,4,\"14 avenue Albert Sorel, 14000 Caen\",Mme Lefèvre,lefevre@ac-normandie.fr\n";
}
