using BtsCcst.Grains.Abstractions;
using BtsCcst.Grains.Storage;
using Orleans.Serialization;

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
    [PersistentState("commission", StorageNames.Grains)] IPersistentState<CommissionState> store,
    DeepCopier copier) : Grain, ICommissionGrain
{
    private DurableState<CommissionState>? _stored;

    /// <summary>Write, then change (<see cref="DurableState{T}"/>): every change goes through here.</summary>
    private DurableState<CommissionState> Stored => _stored ??= new(store, this, copier);

    public Task SetPlan(ScheduleRow[] slots)
    {
        var first = slots.FirstOrDefault();
        return Stored.Update(s =>
        {
            s.CentreId = first?.CentreId ?? "";
            s.Date = first?.Date ?? default;
            // A row lists only the members who examine it (no professional on a U62 row): the members are the union.
            s.Members = [.. slots.OrderByDescending(r => r.ExaminerIds.Length).SelectMany(r => r.ExaminerIds).Distinct()];
            s.Slots = [.. slots.OrderBy(r => r.ExamStart)];
        });
    }

    public Task<CommissionView> GetView()
    {
        var state = Stored.State;
        return Task.FromResult(new CommissionView(
            GrainKeys.Split(this.GetPrimaryKeyString()).Id, state.CentreId, state.Date, state.Members, [.. state.Slots]));
    }
}
