using BtsCcst.Grains.Storage;
using BtsCcst.Scheduling;
using BtsCcst.Server.Api;
using BtsCcst.Server.Auth;
using BtsCcst.Server.Deliberation;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

namespace BtsCcst.Server.Hosting;

/// <summary>One process hosts the silo, the API, the hubs and the pages; configuration branches here only.</summary>
public static class HostSetup
{
    public static void AddBtsCcst(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(BtsCcstOptions.Section);
        builder.Services.Configure<BtsCcstOptions>(section);
        var options = section.Get<BtsCcstOptions>() ?? new BtsCcstOptions();
        options.Validate();

        // Serve wwwroot through the build's static web assets manifest in every environment, so the
        // built server finds its pages whatever directory it is started from.
        builder.WebHost.UseStaticWebAssets();
        // One limit for every request body, the imports' (Kestrel's default, 30 MB, would refuse a file
        // the imports accept); past it the answer is a French 413 (ProblemExceptionHandler).
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = Imports.MaxBytes);
        // Request logs would carry hub tokens (they travel in the query string): keep them out even
        // when appsettings.json is not beside the working directory.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Orleans", LogLevel.Warning);
        builder.Logging.AddFilter("Polly", LogLevel.Warning);

        // The data folder 0700 and the SQLite store 0600, created so before anything is written there.
        DataFiles.CreatePrivateFolder(options.FullDataDirectory());
        if (!options.IsPostgreSqlCluster) DataFiles.PrepareSqliteDatabase(options.SqliteDatabaseFile());

        builder.UseOrleans(silo =>
        {
            if (options.IsPostgreSqlCluster)
            {
                silo.UseBtsCcstPostgreSqlCluster(options.ToPostgreSqlCluster());
                if (options.Membership.IsSet)
                    silo.Configure<Orleans.Configuration.ClusterMembershipOptions>(options.Membership.ApplyTo);
            }
            else
            {
                silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort);
                silo.AddBtsCcstSqliteStorage(options.SqliteConnectionString());
            }
        });
        builder.Services.AddSingleton(TimeProvider.System);
        // Created by the container, so that it is disposed (its waiting spare process ended) at shutdown; SolverSpare starts it.
        builder.Services.AddSingleton(_ => OutOfProcessPlanner.Beside(keepSpare: true));
        builder.Services.AddHostedService<BtsCcst.Server.Planning.SolverSpare>();

        // Silos of one PostgreSQL cluster accept each other's tokens when they share TokenIssuerKeyFile.
        var tokens = new TokenService(options.SigningKeyFile());
        builder.Services.AddSingleton(tokens);
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(jwt =>
        {
            jwt.MapInboundClaims = false;
            jwt.TokenValidationParameters = tokens.ValidationParameters;
            // The token comes from the Authorization header, a hub's query (browsers cannot set headers on WebSocket
            // requests) or the sign-in cookie of a personal access, which is checked against the access at every use.
            jwt.Events = new JwtBearerEvents
            {
                OnMessageReceived = AccessCookie.OnMessageReceived,
                OnTokenValidated = AccessCookie.OnTokenValidated,
            };
        });
        builder.Services.AddAuthorization(Policies.Add);
        builder.Services.AddBtsCcstAccess();

        builder.Services.AddProblemDetails(problems => problems.CustomizeProblemDetails = Problems.InFrench);
        // A body that does not read as JSON throws (in every environment, not only Development), so that
        // ProblemExceptionHandler answers it in French, naming the field.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.AddOpenApi();
        // Failed hub calls are logged once, by HubInvocationLogging: a refusal on one line, an error with its exception.
        builder.Services.AddSignalR(hubs =>
        {
            hubs.AddFilter<BtsCcst.Server.Realtime.HubInvocationLogging>();
            hubs.AddFilter<AccessHubWatch>();
        });
        builder.Logging.AddFilter(BtsCcst.Server.Realtime.HubInvocationLogging.DispatcherCategory, LogLevel.None);
        builder.Services.AddSingleton<BoardRelay>();
        builder.Services.AddHostedService<BoardSubscriptionRenewal>();
        builder.Services.AddSingleton<BtsCcst.Server.ExamDays.ExamDayRelay>();
        builder.Services.AddHostedService<BtsCcst.Server.ExamDays.ExamDaySubscriptionRenewal>();
        builder.Services.AddSingleton<BtsCcst.Server.Planning.PlanningRelay>();
        builder.Services.AddHostedService<BtsCcst.Server.Planning.PlanningSubscriptionRenewal>();
        builder.Services.AddHealthChecks();
        builder.AddBtsCcstOperations(options);
    }

    public static void UseBtsCcst(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        app.Use((http, next) => AccessCookie.CheckAntiforgery(http, () => next(http)));

        app.MapOpenApi();
        app.MapScalarApiReference();
        app.MapHealthChecks("/health/live");
        app.MapBtsCcstOperations();
        app.MapBtsCcstApi();
        app.MapBtsCcstAccess();
        app.MapHub<BoardHub>(BoardHub.Path);
        app.MapHub<BtsCcst.Server.Planning.PlanningHub>(BtsCcst.Server.Planning.PlanningHub.Path);
        app.MapHub<BtsCcst.Server.ExamDays.ExamDayHub>(BtsCcst.Server.ExamDays.ExamDayHub.Path);
        app.MapBtsCcstPages();
    }
}
