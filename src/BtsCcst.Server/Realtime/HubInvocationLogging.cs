using BtsCcst.Server.Auth;
using Microsoft.AspNetCore.SignalR;

namespace BtsCcst.Server.Realtime;

/// <summary>
/// The log of failed hub calls, for every hub. A refusal (<see cref="HubException"/>, whose French
/// message the client receives: a jury or a day that is not the caller's, an invalid identifier) is
/// an ordinary answer, logged at Information on one line without stack trace, since anyone holding
/// a token can call <c>Watch</c> in a loop; any other failure is an error, logged with its exception.
/// SignalR's own log of failed calls (an error with stack trace for each, refusals included) is
/// turned off in <see cref="Hosting.HostSetup"/> (<see cref="DispatcherCategory"/>).
/// </summary>
public sealed partial class HubInvocationLogging(ILogger<HubInvocationLogging> logger) : IHubFilter
{
    /// <summary>The category of SignalR's DefaultHubDispatcher, which logs every failed hub call at Error with its stack trace.</summary>
    public const string DispatcherCategory = "Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher";

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocation, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocation);
        }
        catch (HubException refused)
        {
            var actor = TokenService.ActorOf(invocation.Context.User ?? new());
            Refused(invocation.Hub.GetType().Name, invocation.HubMethodName, actor.Role, actor.Name, OneLine(refused.Message));
            throw;
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            Failed(failure, invocation.Hub.GetType().Name, invocation.HubMethodName);
            throw;
        }
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    [LoggerMessage(1, LogLevel.Information, "{Hub}.{Method} refused to {Role} {Name}: {Reason}")]
    private partial void Refused(string hub, string method, string role, string name, string reason);

    [LoggerMessage(2, LogLevel.Error, "{Hub}.{Method} failed.")]
    private partial void Failed(Exception exception, string hub, string method);
}
