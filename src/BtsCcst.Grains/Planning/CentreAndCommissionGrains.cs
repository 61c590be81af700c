using BtsCcst.Grains.Abstractions;
using BtsCcst.Grains.Storage;

namespace BtsCcst.Grains.Planning;

[GenerateSerializer]
public sealed class OralCentreState
{
    [Id(0)] public CentreDefinition? Definition { get; set; }
    [Id(1)] public List<ScheduleRow> Plan { get; set; } = [];
}

/// <summary>An oral centre: rooms, preparation seats, days and hours, and its day schedules in the current plan.</summary>
public sealed class OralCentreGrain(
    [PersistentState("centre", StorageNames.Grains)] IPersistentState<OralCentreState> store) : Grain, IOralCentreGrain
{
    public async Task Define(CentreDefinition definition)
    {
        store.State.Definition = definition;
        await store.WriteStateAsync();
    }

    public async Task SetPlan(ScheduleRow[] rows, int group)
    {
        store.State.Plan = [.. store.State.Plan.Where(r => PlanningGroups.Of(r.Unit) != group).Concat(rows)
            .OrderBy(r => r.Date).ThenBy(r => r.Room, StringComparer.Ordinal).ThenBy(r => r.ExamStart)];
        await store.WriteStateAsync();
    }

    public Task<CentreDefinition?> GetDefinition() => Task.FromResult(store.State.Definition);

    public Task<ScheduleRow[]> GetDay(DateOnly date) => Task.FromResult(store.State.Plan.Where(r => r.Date == date).ToArray());
}

[GenerateSerializer]
public sealed class CommissionState
{
    [Id(0)] public string CentreId { get; set; } = "";
    [Id(1)] public DateOnly Date { get; set; }
    [Id(2)] public string[] Members { get; set; } = [];
    [Id(3)] public List<ScheduleRow> Slots { get; set; } = [];
}

/// <summary>A commission: a fixed set of members for one centre and day, its slots and the candidates it examines.</summary>
public sealed class CommissionGrain(
    [PersistentState("commission", StorageNames.Grains)] IPersistentState<CommissionState> store) : Grain, ICommissionGrain
{
    public async Task SetPlan(ScheduleRow[] slots)
    {
        var first = slots.FirstOrDefault();
        store.State.CentreId = first?.CentreId ?? "";
        store.State.Date = first?.Date ?? default;
        store.State.Members = first?.ExaminerIds ?? [];
        store.State.Slots = [.. slots.OrderBy(s => s.ExamStart)];
        await store.WriteStateAsync();
    }

    public Task<CommissionView> GetView() => Task.FromResult(new CommissionView(
        GrainKeys.Split(this.GetPrimaryKeyString()).Id, store.State.CentreId, store.State.Date, store.State.Members, [.. store.State.Slots]));
}
