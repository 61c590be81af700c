using BtsCcst.Grains.Abstractions;
using BtsCcst.Grains.Storage;

namespace BtsCcst.Grains.Planning;

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
