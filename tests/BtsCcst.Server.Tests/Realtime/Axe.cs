using System.Text.Json;
using Microsoft.Playwright;

namespace BtsCcst.Server.Tests.Realtime;

/// <summary>
/// axe-core (npm devDependency of ClientApp, installed by the server's build) injected into a page by the test:
/// the page itself never loads it. Checks WCAG 2.1 A and AA.
/// </summary>
public static class Axe
{
    private static readonly Lazy<string> Script = new(() => File.ReadAllText(Locate()));

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "src", "BtsCcst.Server", "ClientApp", "node_modules", "axe-core", "axe.min.js");
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException("axe-core not found: build src/BtsCcst.Server (its build runs npm ci in ClientApp).");
    }

    /// <summary>The WCAG A/AA violations of the page as it is now, one line each (rule, impact, elements); empty when none.</summary>
    public static async Task<string[]> ViolationsAsync(IPage page)
    {
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Content = Script.Value });
        var result = await page.EvaluateAsync<JsonElement>("""
            async () => {
              const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
              return r.violations.map(v => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 5).map(n => n.target.join(' ')).join(' | ')}`
                + (v.nodes.length > 5 ? ` … ${v.nodes.length} in all` : ''));
            }
            """);
        return [.. result.EnumerateArray().Select(v => v.GetString()!)];
    }
}
