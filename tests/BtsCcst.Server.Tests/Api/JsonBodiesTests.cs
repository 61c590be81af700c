using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace BtsCcst.Server.Tests.Api;

/// <summary>
/// Every JSON body is checked before its route runs: a null in a list, a required field missing or
/// null, a value of the wrong type is a French 400 naming the field, never a 500.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class JsonBodiesTests(ServerFixture server)
{
    private const string Session = "json-bodies";
    private const string Candidate = "JSB001";

    public static TheoryData<string, string, string, string> Refused => new()
    {
        // The probe's 500: a null item where the route expected an object.
        { "PUT", "pins", """{"orals":[null]}""", "orals[0]" },
        { "PUT", "pins", """{"commissions":[null]}""", "commissions[0]" },
        { "PUT", "pins", """{"orals":[{"unit":"E4"}]}""", "orals[0].candidateNumber" },
        { "PUT", "pins", """{"commissions":[{"centreId":"CAEN1","date":"2024-05-27","examinerIds":["EX01",null]}]}""", "commissions[0].examinerIds[1]" },
        { "PUT", "pins", """{"orals":[{"candidateNumber":"JSB001","unit":"E4","date":"27/05/2024"}]}""", "orals[0].date" },
        { "POST", "planning-runs", """{"secondGroup":{"dates":[null],"centreIds":["CAEN1"]}}""", "secondGroup.dates[0]" },
        { "POST", "planning-runs", """{"secondGroup":{"dates":["2024-06-24"]}}""", "secondGroup.centreIds" },
        { "PUT", "settings/deliberation", """{"passAverage":10,"secondGroupAverage":8,"professionalAverage":10,"nearThresholdMargin":0.5,"controleUnits":[null]}""", "controleUnits[0]" },
        { "PUT", "settings/deliberation", """{"passAverage":10,"secondGroupAverage":8,"professionalAverage":10}""", "nearThresholdMargin" },
        { "PUT", $"candidates/{Candidate}/controle-choices", """{"units":[null,"C_E1"]}""", "units[0]" },
        { "PUT", $"candidates/{Candidate}/examiners/E4", """{"examinerIds":[null]}""", "examinerIds[0]" },
        { "PUT", $"candidates/{Candidate}/results/E4", """{"reason":"motif"}""", "result" },
        { "PUT", $"candidates/{Candidate}/results/E4", """{"result":12}""", "result" },
        { "POST", "centres/CAEN1/days/2024-05-27/events", """{"kind":null}""", "kind" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_body_with_a_null_or_a_missing_or_unreadable_field_is_a_400_naming_it(string method, string route, string json, string field)
    {
        using var organiser = await server.OrganiserAsync();
        (await organiser.ImportAsync(Session, "candidates", SampleFiles.Candidates(SampleFiles.Candidate(Candidate)))).EnsureSuccessStatusCode();
        using var request = new HttpRequestMessage(new HttpMethod(method), $"/api/sessions/{Session}/{route}")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };

        var response = await organiser.SendAsync(request);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"« {field} »", JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Text_that_is_not_json_says_where_it_stops_being_json()
    {
        using var organiser = await server.OrganiserAsync();
        var response = await organiser.PutAsync($"/api/sessions/{Session}/pins", new StringContent("{ not json", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.StartsWith("Le corps de la requête n'est pas un JSON lisible (ligne 1, position", detail);
    }

    [Fact]
    public async Task The_dev_token_route_names_its_missing_field_too()
    {
        using var anonymous = server.Anonymous();
        var response = await anonymous.PostAsync("/api/dev/tokens", new StringContent("""{"name":"x"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("« role » est requis", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }
}
