using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace BtsCcst.Benchmarks;

/// <summary>The few routes of api.md the benchmark calls, over one pooled HttpClient.</summary>
public sealed class Api(Uri baseAddress, string sessionId) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = int.MaxValue,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        UseCookies = false,
    })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromMinutes(15),
    };

    public Uri BaseAddress => baseAddress;

    public string SessionId => sessionId;

    public async Task<string> TokenAsync(string role, string name, string? scope = null)
    {
        using var response = await _http.PostAsJsonAsync("api/dev/tokens", new { role, name, scope }, Json);
        await EnsureOk(response, "POST /api/dev/tokens");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Json);
        return body.GetProperty("token").GetString() ?? throw new InvalidOperationException("No token in the answer.");
    }

    public sealed record ImportAnswer(int Created, int Updated, int Unchanged, TimeSpan Elapsed);

    /// <summary>Posts a CSV file to the import route; the time covers sending the file to reading the answer.</summary>
    public async Task<ImportAnswer> ImportAsync(string kind, string csvPath, string token)
    {
        var bytes = await File.ReadAllBytesAsync(csvPath);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/sessions/{sessionId}/imports/{kind}")
        {
            Content = new ByteArrayContent(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("text/csv") { CharSet = "utf-8" } } },
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var watch = Stopwatch.StartNew();
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        watch.Stop();
        if (response.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"Import {kind} answered {(int)response.StatusCode}: {Shorten(text)}");
        var body = JsonSerializer.Deserialize<JsonElement>(text, Json);
        return new ImportAnswer(body.GetProperty("created").GetInt32(), body.GetProperty("updated").GetInt32(),
            body.GetProperty("unchanged").GetInt32(), watch.Elapsed);
    }

    /// <summary>PUT one result; returns the status code (the body is read and dropped).</summary>
    public async Task<HttpStatusCode> PutResultAsync(string candidate, string unit, string result, string token, string reason = "bench")
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"api/sessions/{sessionId}/candidates/{candidate}/results/{unit}")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { result, reason }, Json), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response.StatusCode;
    }

    public async Task<string> GetTextAsync(string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}: {Shorten(text)}");
        return text;
    }

    private static async Task EnsureOk(HttpResponseMessage response, string what)
    {
        if (response.IsSuccessStatusCode) return;
        throw new InvalidOperationException($"{what} answered {(int)response.StatusCode}: {Shorten(await response.Content.ReadAsStringAsync())}");
    }

    private static string Shorten(string text) => text.Length <= 600 ? text : text[..600] + "…";

    public void Dispose() => _http.Dispose();
}
