using System.Text.Json;
using BtsCcst.Grains.Abstractions;
using BtsCcst.Server.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace BtsCcst.Server.Tests.Api;

/// <summary>What a user sees when a silo of the cluster dies under their request: a French 503 that says to retry.</summary>
public sealed class ProblemHandlerTests
{
    public static TheoryData<Exception> Unavailable => new()
    {
        new SiloUnavailableException("silo S127.0.0.1:11111:1 is dead"),
        new TimeoutException("Response did not arrive on time"),
        new OperationCanceledException("Message expired before placement could complete for grain session/cl-import-kill."),
    };

    [Theory]
    [MemberData(nameof(Unavailable))]
    public async Task A_dead_or_silent_silo_is_a_503_problem_telling_to_retry(Exception exception)
    {
        var (problem, retryAfter) = await Unavailable503(exception);
        Assert.Equal("5", retryAfter);
        Assert.Contains("Réessayez", problem.GetProperty("detail").GetString());
    }

    /// <summary>Handles <paramref name="exception"/> as the server would; it must be a 503 problem. Returns the problem and Retry-After.</summary>
    private static async Task<(JsonElement Problem, string RetryAfter)> Unavailable503(Exception exception)
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Response.Body = new MemoryStream();
        var handler = new ProblemExceptionHandler(services.GetRequiredService<IProblemDetailsService>());

        Assert.True(await handler.TryHandleAsync(context, exception, CancellationToken.None));

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.StartsWith("application/problem+json", context.Response.ContentType);
        context.Response.Body.Position = 0;
        return (await JsonSerializer.DeserializeAsync<JsonElement>(context.Response.Body), context.Response.Headers.RetryAfter.ToString());
    }

    public static TheoryData<Exception> StorageFailures => new()
    {
        new StorageUnavailableException(StorageUnavailableException.NotStoredMessage, "Npgsql.PostgresException: 53300: too many connections"),
        // A read failing when a grain activates reaches the API wrapped by Orleans.
        new Orleans.Runtime.OrleansException("Error activating grain", new Microsoft.Data.Sqlite.SqliteException("database is locked", 5)),
        new Orleans.Storage.InconsistentStateException("Version conflict", "3", "2"),
    };

    [Theory]
    [MemberData(nameof(StorageFailures))]
    public async Task A_storage_failure_is_a_503_problem_saying_nothing_was_stored_and_when_to_send_it_again(Exception exception)
    {
        var (problem, retryAfter) = await Unavailable503(exception);
        Assert.Equal("2", retryAfter);
        Assert.Equal("Service momentanément indisponible", problem.GetProperty("title").GetString());
        Assert.Contains("rien n'a été enregistré", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Other_failures_are_left_to_the_default_handler()
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var handler = new ProblemExceptionHandler(services.GetRequiredService<IProblemDetailsService>());
        Assert.False(await handler.TryHandleAsync(new DefaultHttpContext { RequestServices = services }, new InvalidOperationException(), CancellationToken.None));
    }
}
