using BtsCcst.Grains.Abstractions;
using BtsCcst.Server.Auth;
using Microsoft.IdentityModel.JsonWebTokens;

namespace BtsCcst.Server.Tests.Auth;

/// <summary>The signing key file: created once, 0600 from its creation, shared by silos starting together.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // Unix file modes
public sealed class TokenServiceTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "btsccst-tests", "key-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void The_key_is_created_0600_in_a_0700_folder_and_read_again_at_the_next_start()
    {
        var keyFile = Path.Combine(_folder, "cluster", "jwt-signing.key");
        var first = new TokenService(keyFile);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(keyFile)!));
        Assert.Equal(first.Key.Key, new TokenService(keyFile).Key.Key);
        Assert.Equal(["jwt-signing.key"], Directory.GetFiles(Path.GetDirectoryName(keyFile)!).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Silos_starting_together_all_sign_with_the_one_key_in_the_file()
    {
        // Each round: eight "silos" create their token service on a missing key file at the same moment.
        for (var round = 0; round < 30; round++)
        {
            var keyFile = Path.Combine(_folder, $"round-{round}", "jwt-signing.key");
            using var start = new Barrier(8);
            var services = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            {
                start.SignalAndWait();
                return new TokenService(keyFile);
            })));

            var inFile = new TokenService(keyFile);
            var token = inFile.Issue(new Actor("organiser", "bureau", null));
            foreach (var service in services)
            {
                Assert.Equal(inFile.Key.Key, service.Key.Key);
                Assert.True((await new JsonWebTokenHandler().ValidateTokenAsync(token, service.ValidationParameters)).IsValid);
            }
            Assert.Equal(["jwt-signing.key"], Directory.GetFiles(Path.GetDirectoryName(keyFile)!).Select(Path.GetFileName));
        }
    }
}
