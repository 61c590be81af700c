using BtsCcst.Domain.Imports;

namespace BtsCcst.Server.Hosting;

/// <summary>The French pages: static files that fetch their data and hub connection with the user's token.</summary>
public static class Pages
{
    public static void MapBtsCcstPages(this WebApplication app)
    {
        app.MapGet("/jury/{juryId}", (string juryId, IWebHostEnvironment env) =>
            FieldRules.IsId(juryId)
                ? Results.File(env.WebRootFileProvider.GetFileInfo("jury.html").CreateReadStream(), "text/html; charset=utf-8")
                : Results.NotFound()).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/centre/{centreId}", (string centreId, IWebHostEnvironment env) => Page(env, "centre.html", centreId, FieldRules.IsId)).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/commission/{commissionId}", (string commissionId, IWebHostEnvironment env) => Page(env, "commission.html", commissionId, id => id.Length <= 100)).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/connexion", (IWebHostEnvironment env) => Results.File(env.WebRootFileProvider.GetFileInfo("connexion.html").CreateReadStream(), "text/html; charset=utf-8")).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/acces", (IWebHostEnvironment env) => Results.File(env.WebRootFileProvider.GetFileInfo("acces.html").CreateReadStream(), "text/html; charset=utf-8")).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/planning", (IWebHostEnvironment env) => Results.File(env.WebRootFileProvider.GetFileInfo("planning.html").CreateReadStream(), "text/html; charset=utf-8")).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/workspace", (IWebHostEnvironment env) => Results.File(env.WebRootFileProvider.GetFileInfo("workspace.html").CreateReadStream(), "text/html; charset=utf-8")).AllowAnonymous().ExcludeFromDescription();
    }

    private static IResult Page(IWebHostEnvironment env, string file, string id, Func<string, bool> valid) =>
        valid(id)
            ? Results.File(env.WebRootFileProvider.GetFileInfo(file).CreateReadStream(), "text/html; charset=utf-8")
            : Results.NotFound();
}
