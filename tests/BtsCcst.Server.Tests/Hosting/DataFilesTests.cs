using System.Net;

namespace BtsCcst.Server.Tests.Hosting;

/// <summary>The data folder holds every mark and name and the signing key: its owner only may read it.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // Unix file modes
public sealed class DataFilesTests
{
    private const UnixFileMode GroupAndOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    [Fact]
    public async Task A_first_start_creates_the_folder_0700_and_the_store_and_key_0600()
    {
        await using var host = new TestHost();
        Assert.False(Directory.Exists(host.DataDirectory));
        host.Start();
        // A write, so that SQLite has its -wal and -shm files.
        using var organiser = await host.OrganiserAsync();
        Assert.Equal(HttpStatusCode.OK, (await organiser.ImportAsync("files", "candidates", SampleFiles.Candidates(SampleFiles.Candidate("FIL001")))).StatusCode);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(host.DataDirectory));
        var files = Directory.GetFiles(host.DataDirectory);
        Assert.Contains(files, f => Path.GetFileName(f) == "btsccst.db");
        Assert.Contains(files, f => Path.GetFileName(f) == "btsccst.db-wal");
        Assert.Contains(files, f => Path.GetFileName(f) == "jwt-signing.key");
        Assert.All(files, f => Assert.True((File.GetUnixFileMode(f) & GroupAndOthers) == 0, $"{Path.GetFileName(f)}: {File.GetUnixFileMode(f)}"));
    }

    [Fact]
    public async Task A_store_left_readable_by_an_earlier_version_is_made_private_at_start()
    {
        await using var host = new TestHost();
        host.Start();
        await host.StopAsync();
        var database = Path.Combine(host.DataDirectory, "btsccst.db");
        File.SetUnixFileMode(database, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        host.Start();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(database));
    }
}
