using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BtsCcst.Server.Api;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace BtsCcst.Server.Tests.Api;

/// <summary>
/// Every route that reads a JSON body, found in the running server's endpoints (a new route is probed without being
/// named here), receives bodies a careless or hostile client sends: each field null, missing, of the wrong type, a
/// list holding null, numbers too large or "NaN", malformed identifiers. A field the body cannot hold is a French 400
/// naming it; whatever the body, no answer is a 500.
/// </summary>
public sealed class EveryJsonBodyTests
{
    private const string Session = "json-probe";

    /// <summary>Well-formed values for the routes' parameters: a route with another parameter fails the test until it is named here.</summary>
    private static readonly Dictionary<string, string> RouteValues = new()
    {
        ["session"] = Session, ["jury"] = "NORMANDIE", ["number"] = "PRB001", ["unit"] = "E4", ["centre"] = "CAEN1",
        ["date"] = "2024-05-27", ["runId"] = "run-1", ["repairId"] = "rep-1", ["accessId"] = new string('a', 32),
        ["examinerId"] = "EX01", ["kind"] = "candidates", ["jobId"] = "job-1",
    };

    /// <summary>What an answer must be: a 400 naming the field (as the client wrote it), a 400, or anything but a server error.</summary>
    private sealed record Probe(string What, string Body, string? NamedField, bool BadRequest = false);

    private sealed record JsonRoute(string Method, string Path, Type BodyType, string? Role);

    [Fact]
    public async Task Every_json_route_refuses_a_bad_field_with_a_French_400_naming_it_and_never_answers_500()
    {
        await using var host = new TestHost();
        host.Start();
        var routes = JsonRoutes(host.Services);
        // The routes of the API that read JSON (a failure here means the endpoints were not found, not that they are sound).
        Assert.True(routes.Count >= 12, string.Join("\n", routes));
        var clients = new Dictionary<string, HttpClient>
        {
            [""] = host.Anonymous(),
            ["organiser"] = await host.OrganiserAsync(),
            ["jury-president"] = await host.PresidentAsync("NORMANDIE"),
        };
        // The candidate of the candidate routes exists, so that a body read whole reaches the candidate's rules (no
        // centres or examiners: a planning run it starts ends at once).
        (await clients["organiser"].ImportAsync(Session, "candidates", SampleFiles.Candidates(SampleFiles.Candidate("PRB001")))).EnsureSuccessStatusCode();

        var failures = new List<string>();
        var probes = 0;
        foreach (var route in routes)
        {
            foreach (var probe in Probes(route.BodyType))
            {
                probes++;
                if (await FailureOf(clients[route.Role ?? ""], route, probe) is { } failure) failures.Add(failure);
            }
        }

        foreach (var client in clients.Values) client.Dispose();
        Assert.True(failures.Count == 0, $"{failures.Count} of {probes} probes failed:\n{string.Join("\n", failures.Take(40))}");
    }

    private static async Task<string?> FailureOf(HttpClient client, JsonRoute route, Probe probe)
    {
        using var request = new HttpRequestMessage(new HttpMethod(route.Method), route.Path)
        {
            Content = new StringContent(probe.Body, Encoding.UTF8, "application/json"),
        };
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        var said = $"{route.Method} {route.Path} {probe.What} {Shorten(probe.Body)} -> {status} {Shorten(text)}";
        if (status >= 500) return said;
        if (status >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json") return said + " (not problem+json)";
        if (probe.BadRequest && response.StatusCode != HttpStatusCode.BadRequest) return said + " (expected 400)";
        if (probe.NamedField is not { } field) return null;
        if (response.StatusCode != HttpStatusCode.BadRequest) return said + $" (expected 400 naming « {field} »)";
        var detail = JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString() ?? "";
        return detail.Contains($"« {field} »", StringComparison.Ordinal) ? null : said + $" (expected « {field} » in the detail)";
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    /// <summary>The routes of the running server whose body is JSON, their parameters filled in, with the role that may call them.</summary>
    private static List<JsonRoute> JsonRoutes(IServiceProvider services)
    {
        var routes = new List<JsonRoute>();
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<IAcceptsMetadata>() is not { RequestType: { } bodyType } accepts
                || !accepts.ContentTypes.Contains("application/json")) continue;
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["POST"];
            var path = endpoint.RoutePattern.RawText!;
            foreach (var parameter in endpoint.RoutePattern.Parameters)
            {
                Assert.True(RouteValues.ContainsKey(parameter.Name), $"{path}: name a value for {{{parameter.Name}}} in RouteValues");
                path = path.Replace($"{{{parameter.Name}}}", RouteValues[parameter.Name], StringComparison.Ordinal);
            }
            var role = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null ? null
                : endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy == "jury-president") ? "jury-president"
                : "organiser";
            routes.AddRange(methods.Select(m => new JsonRoute(m, path, bodyType, role)));
        }
        return routes;
    }

    // --- The probes of a body type ---

    private static IEnumerable<Probe> Probes(Type bodyType)
    {
        var baseline = Sample(bodyType)!;
        foreach (var (what, body) in new[] { ("not JSON", "{ \"a\": "), ("an array", "[]"), ("a string", "\"texte\""), ("a number", "42") })
            yield return new(what, body, null, BadRequest: true);
        yield return new("null", "null", null);
        yield return new("{}", "{}", null);
        foreach (var site in Sites(bodyType, []))
        {
            foreach (var (what, value, named) in Mutations(site))
                yield return new($"{site.Field} {what}", Mutate(baseline, site.Path, value), named);
        }
    }

    /// <summary>A field of a body: its place in the JSON, its name as a client reads it, its type and whether it is required.</summary>
    private sealed record Site(object[] Path, string Field, Type Type, bool Required, bool Identifier);

    private static IEnumerable<Site> Sites(Type type, object[] path)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            var here = path.Append(name).ToArray();
            var site = new Site(here, FieldName(here), Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType,
                property.IsDefined(typeof(RequiredAttribute)), property.IsDefined(typeof(IdentifierAttribute)));
            yield return site;
            foreach (var inner in InnerSites(site)) yield return inner;
        }
    }

    private static IEnumerable<Site> InnerSites(Site site)
    {
        if (ElementType(site.Type) is { } element)
        {
            var first = site.Path.Append(0).ToArray();
            if (IsRequestType(element))
                foreach (var inner in Sites(element, first)) yield return inner;
            else if (element == typeof(string))
                yield return new Site(first, FieldName(first), element, true, site.Identifier);
        }
        else if (IsRequestType(site.Type))
        {
            foreach (var inner in Sites(site.Type, site.Path)) yield return inner;
        }
    }

    private static IEnumerable<(string What, string Value, string? Named)> Mutations(Site site)
    {
        var field = site.Field;
        if (site.Path[^1] is string)
        {
            yield return ("missing", Missing, site.Required ? field : null);
            yield return ("null", "null", site.Required ? field : null);
        }
        if (ElementType(site.Type) is not null)
        {
            yield return ("an object for a list", "{}", field);
            yield return ("a string for a list", "\"texte\"", field);
            yield return ("a list of null", "[null]", $"{field}[0]");
            yield return ("an empty list", "[]", null);
            yield break;
        }
        if (IsRequestType(site.Type))
        {
            yield return ("a list for an object", "[]", field);
            yield return ("a number for an object", "12", field);
            yield break;
        }
        yield return ("an object for a value", "{}", field);
        yield return ("a list for a value", "[1]", field);
        foreach (var mutation in ValueMutations(site.Type, site.Identifier)) yield return (mutation.What, mutation.Value, mutation.Named ? field : null);
    }

    private static IEnumerable<(string What, string Value, bool Named)> ValueMutations(Type type, bool identifier)
    {
        if (type == typeof(string))
        {
            yield return ("a number for a text", "12", true);
            yield return ("a long text", JsonSerializer.Serialize(new string('W', 100_000)), false);
            if (identifier)
            {
                yield return ("an identifier with a final newline", "\"X1\\n\"", true);
                yield return ("an identifier starting like a formula", "\"-2-3\"", true);
            }
        }
        else if (type == typeof(bool))
        {
            yield return ("a text for a boolean", "\"vrai\"", true);
        }
        else if (type == typeof(DateOnly))
        {
            yield return ("an impossible date", "\"2024-13-45\"", true);
            yield return ("a French date", "\"27/05/2024\"", true);
        }
        else if (type == typeof(int) || type == typeof(double) || type == typeof(decimal))
        {
            yield return ("a number too large for any type", "1e400", true);
            yield return ("NaN", "\"NaN\"", true);
            yield return ("Infinity", "\"Infinity\"", true);
            yield return ("a text for a number", "\"douze\"", true);
            var (largest, smallest) = type == typeof(int) ? ("2147483647", "-2147483648")
                : type == typeof(double) ? ("1.7976931348623157e308", "-1.7976931348623157e308")
                : ("79228162514264337593543950335", "-79228162514264337593543950335");
            yield return ("the largest number of its type", largest, false);
            yield return ("the smallest number of its type", smallest, false);
        }
    }

    // --- JSON of a body type ---

    private const string Missing = "<missing>";

    /// <summary>Texts a route accepts for fields of these names, so that a probe of another field gets past them.</summary>
    private static readonly Dictionary<string, string> SampleTexts = new()
    {
        ["from"] = "08:00", ["to"] = "09:00", ["unit"] = "E4", ["result"] = "12", ["role"] = "organiser", ["replan"] = "minimal",
        ["kind"] = "candidate-late", ["candidateNumber"] = "PRB001", ["reason"] = "motif",
    };

    /// <summary>A well-formed sample of <paramref name="type"/>: every field present, lists of one item.</summary>
    private static JsonNode? Sample(Type type, string? name = null)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string)) return name is not null && SampleTexts.TryGetValue(name, out var text) ? text : "X1";
        if (type == typeof(bool)) return true;
        if (type == typeof(DateOnly)) return "2024-05-27";
        if (type == typeof(int) || type == typeof(double) || type == typeof(decimal)) return 1;
        if (ElementType(type) is { } element) return new JsonArray(Sample(element));
        if (!IsRequestType(type)) throw new InvalidOperationException($"No sample for {type}: add one.");
        var json = new JsonObject();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var field = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            json[field] = Sample(property.PropertyType, field);
        }
        return json;
    }

    private static string Mutate(JsonNode baseline, object[] path, string value)
    {
        var root = baseline.DeepClone();
        var parent = path[..^1].Aggregate(root, (node, step) => step is int i ? node[i]! : node[(string)step]!);
        var replacement = value == Missing ? null : JsonNode.Parse(value);
        switch (path[^1])
        {
            case string name when value == Missing:
                parent.AsObject().Remove(name);
                break;
            case string name:
                parent[name] = replacement;
                break;
            case int index:
                parent[index] = replacement;
                break;
        }
        return root.ToJsonString();
    }

    private static string FieldName(object[] path) =>
        string.Concat(path.Select((step, i) => step is int index ? $"[{index}]" : i == 0 ? (string)step : $".{step}"));

    private static Type? ElementType(Type type) =>
        type == typeof(string) ? null
        : type.IsArray ? type.GetElementType()
        : typeof(IEnumerable).IsAssignableFrom(type) && type.IsGenericType ? type.GetGenericArguments()[0]
        : null;

    private static bool IsRequestType(Type type) =>
        type.Assembly == typeof(JsonBodies).Assembly && type.IsClass && !type.IsAbstract;
}
