using System.Collections.Concurrent;
using System.Globalization;
using BtsCcst.Domain.Imports;
using BtsCcst.Grains.Abstractions;
using BtsCcst.Server.Auth;
using BtsCcst.Server.Realtime;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace BtsCcst.Server.ExamDays;

/// <summary>
/// Live exam days. A client calls <see cref="Watch"/> once connected (and again after each
/// reconnection): it receives the day as <c>GET …/centres/{centre}/days/{date}</c> gives it to that
/// user, then a "dayChanged" with the whole day (as that user sees it) after every change.
/// </summary>
[Authorize]
public sealed class ExamDayHub(ExamDayRelay relay, IGrainFactory grains) : Hub
{
    public const string Path = "/hubs/exam-day";
    public const string UpdateMethod = "dayChanged";

    /// <summary>One group per day and view: the whole day (organiser, centre manager), or one examiner's exams.</summary>
    public static string Group(string sessionId, string centreId, DateOnly date, string examinerId) =>
        $"day:{sessionId}/{centreId}/{date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}/{examinerId}";

    public async Task<CentreDayResponse> Watch(string sessionId, string centreId, string date)
    {
        if (!FieldRules.IsId(sessionId) || !FieldRules.IsId(centreId))
            throw new HubException("Identifiant de session ou de centre invalide.");
        if (!ExamDayEndpoints.TryParseDate(date, out var day))
            throw new HubException($"Date « {date} » invalide : attendu AAAA-MM-JJ.");
        var actor = TokenService.ActorOf(Context.User!);
        try
        {
            var centre = grains.OralCentre(sessionId, centreId);
            // Refuses whoever may not read the day, in French.
            await centre.GetExamDay(day, actor);
            var view = ExamDayRelay.ViewOf(actor);
            await relay.WatchAsync(sessionId, centreId, day, view);
            await Groups.AddToGroupAsync(Context.ConnectionId, Group(sessionId, centreId, day, view));
            // Read again once in the group, so no change can fall between the day and the group.
            return await ExamDayEndpoints.ResponseOf(sessionId, await centre.GetExamDay(day, actor), grains);
        }
        catch (RefusedException refused)
        {
            throw new HubException(refused.Message);
        }
    }
}

/// <summary>
/// This silo's observer of oral centres: a centre tells it which day changed, and it reads that day
/// once per view its clients watch (the whole day, or an examiner's exams) and sends it to the view's group.
/// </summary>
public sealed class ExamDayRelay(IGrainFactory grains, IHubContext<ExamDayHub> hub, ILogger<ExamDayRelay> logger)
    : SubscriptionRelay<(string Session, string Centre)>(logger), IExamDayObserver
{
    private readonly record struct View(string Session, string Centre, DateOnly Date, string Examiner);

    /// <summary>The views this silo's clients watch, each with a gate so that its reads and sends keep their order.</summary>
    private readonly ConcurrentDictionary<View, SemaphoreSlim> _views = new();
    private IExamDayObserver? _reference;

    /// <summary>Reads the whole day for the organiser's and the centre manager's views.</summary>
    private static readonly Actor Reader = new(Roles.Organiser, "relais des journées");

    private IExamDayObserver Reference => _reference ??= grains.CreateObjectReference<IExamDayObserver>(this);

    /// <summary>"" for the whole day; the examiner's id for their own exams.</summary>
    public static string ViewOf(Actor actor) => actor.Role == Roles.Examiner ? actor.Name : "";

    public Task WatchAsync(string sessionId, string centreId, DateOnly date, string view)
    {
        _views.TryAdd(new View(sessionId, centreId, date, view), new SemaphoreSlim(1, 1));
        return WatchKeyAsync((sessionId, centreId));
    }

    protected override Task<bool> SubscribeAsync((string Session, string Centre) key) =>
        grains.OralCentre(key.Session, key.Centre).Subscribe(Reference);

    protected override Task RefreshAsync((string Session, string Centre) key) => SendAsync(key.Session, key.Centre, null);

    public Task DayChanged(ExamDayChange change) => SendAsync(change.SessionId, change.CentreId, change.Date);

    private async Task SendAsync(string sessionId, string centreId, DateOnly? date)
    {
        var views = _views.Where(v => v.Key.Session == sessionId && v.Key.Centre == centreId && (date is null || v.Key.Date == date)).ToArray();
        foreach (var (view, gate) in views)
        {
            await gate.WaitAsync();
            try
            {
                var actor = view.Examiner.Length == 0 ? Reader : new Actor(Roles.Examiner, view.Examiner);
                var day = await grains.OralCentre(sessionId, centreId).GetExamDay(view.Date, actor);
                var response = await ExamDayEndpoints.ResponseOf(sessionId, day, grains);
                await hub.Clients.Group(ExamDayHub.Group(sessionId, centreId, view.Date, view.Examiner)).SendAsync(ExamDayHub.UpdateMethod, response);
            }
            catch (RefusedException refused)
            {
                // E.g. a new plan no longer calls this examiner that day: nothing of it to show.
                logger.LogInformation("Exam day {Session}/{Centre}/{Date} for {Examiner}: {Refusal}", sessionId, centreId, view.Date, view.Examiner, refused.Message);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Sending exam day {Session}/{Centre}/{Date} failed", sessionId, centreId, view.Date);
            }
            finally
            {
                gate.Release();
            }
        }
    }
}

/// <summary>Keeps this silo's exam-day subscriptions alive (oral centres expire observers after 3 minutes).</summary>
public sealed class ExamDaySubscriptionRenewal(ExamDayRelay relay) : SubscriptionRenewal(relay);
