using BtsCcst.Grains.Abstractions;

namespace BtsCcst.Grains.Sessions;

/// <summary>The session's people, as the imported files name them, for their personal access links.</summary>
public sealed partial class SessionGrain
{
    public Task<Person[]> GetPeople()
    {
        var people = new List<Person>();
        foreach (var jury in State.ImportedJuries)
        {
            if (jury.President.Length > 0)
                people.Add(new Person($"{Roles.JuryPresident}:{jury.JuryId}", Roles.JuryPresident, jury.President, jury.JuryId,
                    jury.President, jury.PresidentEmail ?? "", SessionId));
            people.AddRange(jury.Members.Select((member, i) => new Person($"{Person.JuryMemberRole}:{jury.JuryId}:{i + 1}",
                Person.JuryMemberRole, member, jury.JuryId, member, "", SessionId)));
        }
        people.AddRange(State.Examiners.Values.OrderBy(e => e.ExaminerId, StringComparer.Ordinal).Select(e =>
            new Person($"{Roles.Examiner}:{e.ExaminerId}", Roles.Examiner, e.ExaminerId, null, $"{e.FirstName} {e.LastName}", e.Email, SessionId)));
        people.AddRange(State.Centres.Values.Where(c => !string.IsNullOrEmpty(c.ManagerName)).OrderBy(c => c.CentreId, StringComparer.Ordinal)
            .Select(c => new Person($"{Roles.CentreManager}:{c.CentreId}", Roles.CentreManager, c.ManagerName!, c.CentreId,
                c.ManagerName!, c.ManagerEmail ?? "", SessionId)));
        return Task.FromResult(people.ToArray());
    }
}
