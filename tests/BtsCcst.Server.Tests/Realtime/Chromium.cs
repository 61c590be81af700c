using Microsoft.Playwright;

namespace BtsCcst.Server.Tests.Realtime;

/// <summary>
/// Headless Chromium driven by Playwright. Playwright cannot download its own browser builds here,
/// so it drives the system's Chromium (Debian package <c>chromium</c>): <c>$CHROMIUM_PATH</c>, else
/// <c>/usr/bin/chromium</c>. Playwright's driver (node and its package) ships inside the NuGet
/// package and is copied to the test output under <c>.playwright/</c>: nothing else is fetched.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private static readonly string[] Arguments =
    [
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private readonly IPlaywright _playwright;

    private Chromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static async Task<Chromium> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
            throw new InvalidOperationException(
                $"Chromium not found at {ExecutablePath}: install it (apt-get install -y chromium) or set CHROMIUM_PATH.");
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args = Arguments,
                Timeout = 30_000,
            });
            return new Chromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A fresh page (own context: own sessionStorage) that records its console and errors.</summary>
    public async Task<BrowserPage> NewPageAsync(int? width = null, int? height = null)
    {
        var options = new BrowserNewContextOptions { Locale = "fr-FR" };
        if (width is { } w) options.ViewportSize = new ViewportSize { Width = w, Height = height ?? 900 };
        var context = await Browser.NewContextAsync(options);
        var page = await context.NewPageAsync();
        return new BrowserPage(context, page);
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}

/// <summary>A page and what its console said, to explain a failure.</summary>
public sealed class BrowserPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _log = [];

    public BrowserPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, message) => Record($"console.{message.Type}: {message.Text}");
        page.PageError += (_, error) => Record($"pageerror: {error}");
        page.RequestFailed += (_, request) => Record($"requestfailed: {request.Method} {request.Url} {request.Failure}");
        page.Response += (_, response) =>
        {
            if (response.Status >= 400) Record($"response {response.Status}: {response.Request.Method} {response.Url}");
        };
    }

    public IPage Page { get; }

    public IBrowserContext Context => _context;

    public string Log
    {
        get { lock (_log) return string.Join("\n", _log); }
    }

    private void Record(string line)
    {
        lock (_log) _log.Add($"{DateTime.UtcNow:HH:mm:ss.fff} {line}");
    }

    /// <summary>Runs one step of a scenario; a failing step reports the page's console with the cause.</summary>
    public async Task Step(string description, Func<Task> step)
    {
        try
        {
            await step();
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException or Xunit.Sdk.XunitException)
        {
            throw new Xunit.Sdk.XunitException($"{description}: {e.Message}\n--- page log ---\n{Log}");
        }
    }

    /// <summary>Marks the document, so a later check can tell it was never reloaded.</summary>
    public Task MarkDocumentAsync() => Page.EvaluateAsync("() => { window.__btsccstSameDocument = true; }");

    public async Task<bool> IsSameDocumentAsync() => await Page.EvaluateAsync<bool>("() => window.__btsccstSameDocument === true");

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
