using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using BtsCcst.Server.Deliberation;
using Microsoft.AspNetCore.SignalR.Client;

namespace BtsCcst.Server.Tests.Realtime;

/// <summary>
/// The livret rule (Annexe 3): the jury deliberates without knowing the candidates' schools. No establishment
/// code or name reaches the board, neither in its snapshot (API and hub) nor in its pushed updates, in either group.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class AnonymityTests(ServerFixture server)
{
    private const string Session = "anonymity";
    private const string Jury = "NORMANDIE";
    private static readonly string[] Schools = ["0141234X", "0759876K"];
    private static readonly string[] SchoolWords = ["establishment", "etablissement", "uai", "school", "ecole", "lycee"];

    [Fact]
    public async Task No_establishment_code_or_name_reaches_the_board_snapshots_or_updates()
    {
        using var organiser = await server.OrganiserAsync();
        var candidates = SampleFiles.Candidates(SampleFiles.Candidate("ANO-1"), SampleFiles.Candidate("ANO-2"))
            .Replace("ANO-2,MARTIN,Léa,2004-03-12,NORMANDIE,0141234X", "ANO-2,MARTIN,Léa,2004-03-12,NORMANDIE,0759876K");
        Assert.Contains(Schools[1], candidates);
        (await organiser.ImportAsync(Session, "candidates", candidates)).EnsureSuccessStatusCode();
        (await organiser.ImportAsync(Session, "marks", SampleFiles.Marks(["ANO-1"], "12"))).EnsureSuccessStatusCode();
        // ANO-2: the second group (worked case 2 without EF1: 9.88, pro 10.75).
        (await organiser.ImportAsync(Session, "marks", "candidate_number,unit,result\n"
            + string.Join("\n", "E1=8 E21=9 E22=11 E3=7 E4=12 E5=10 U61=11 U62=9".Split(' ').Select(m => "ANO-2," + m.Replace('=', ','))) + "\n"))
            .EnsureSuccessStatusCode();

        var token = await server.TokenAsync("jury-president", $"président {Jury}", Jury);
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, BoardHub.Path.TrimStart('/')), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();
        var updates = Channel.CreateUnbounded<JsonElement>();
        hub.On<JsonElement>(BoardHub.UpdateMethod, u => updates.Writer.TryWrite(u));
        await hub.StartAsync();
        AssertAnonymous(await hub.InvokeAsync<JsonElement>("Watch", Session, Jury));

        using var president = await server.PresidentAsync(Jury);
        (await president.PutResultAsync(Session, "ANO-1", "E1", "13", "Erreur de report")).EnsureSuccessStatusCode();
        (await president.PostAsync($"/api/sessions/{Session}/juries/{Jury}/close", null)).EnsureSuccessStatusCode();
        (await president.PutAsJsonAsync($"/api/sessions/{Session}/candidates/ANO-2/controle-choices", new { units = new[] { "C_E1", "C_E2" } })).EnsureSuccessStatusCode();
        (await president.PostAsync($"/api/sessions/{Session}/juries/{Jury}/second-group/open", null)).EnsureSuccessStatusCode();
        (await president.PutResultAsync(Session, "ANO-2", "C_E1", "14", "Oral de contrôle")).EnsureSuccessStatusCode();

        var snapshot = await president.GetFromJsonAsync<JsonElement>($"/api/sessions/{Session}/juries/{Jury}/board");
        Assert.Equal(2, snapshot.GetProperty("candidates").GetArrayLength());
        Assert.Equal("C_E1", snapshot.GetProperty("candidates")[1].GetProperty("controles")[0].GetProperty("unit").GetString());
        AssertAnonymous(snapshot);
        AssertAnonymous(await hub.InvokeAsync<JsonElement>("Watch", Session, Jury));
        // Every update pushed since: the correction, the closing, the choices, the opening and the contrôle mark.
        var received = new List<JsonElement>();
        using (var patience = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            while (!received.Any(u => u.GetProperty("changed").EnumerateArray()
                       .Any(c => c.GetProperty("controles").EnumerateArray().Any(k => k.GetProperty("result").ValueKind == JsonValueKind.String))))
                received.Add(await updates.Reader.ReadAsync(patience.Token));
        }
        Assert.All(received, AssertAnonymous);
    }

    private static void AssertAnonymous(JsonElement payload)
    {
        var text = payload.GetRawText();
        Assert.All(Schools, school => Assert.DoesNotContain(school, text, StringComparison.OrdinalIgnoreCase));
        Assert.All(PropertyNames(payload), name =>
            Assert.DoesNotContain(SchoolWords, word => name.Contains(word, StringComparison.OrdinalIgnoreCase)));
    }

    private static IEnumerable<string> PropertyNames(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => PropertyNames(p.Value).Prepend(p.Name)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(PropertyNames),
        _ => [],
    };
}
