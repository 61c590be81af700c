namespace BtsCcst.Server.Tests.Realtime;

[Collection(ServerCollection.Name)]
public sealed class ProbeTests(ServerFixture server)
{
    [Fact]
    public async Task Probe()
    {
        using var organiser = await server.OrganiserAsync();
        var r = await organiser.ImportAsync("rt-probe", "candidates", SampleFiles.Candidates(SampleFiles.Candidate("RTH-A1", lastName: "CORRIGE"), SampleFiles.Candidate("RTH-A2", lastName: "TEMOIN"), SampleFiles.Candidate("RTH-R1", academy: "RENNES", lastName: "BRETON")));
        File.WriteAllText("/tmp/probe/import.txt", r.StatusCode + "\n" + await r.Content.ReadAsStringAsync());
    }
}
