using BtsCcst.Server.Auth;
using Microsoft.IdentityModel.JsonWebTokens;

namespace BtsCcst.Cli.Tests;

/// <summary>btsccst token signs what the server's TokenService accepts, with the silos' key file and no cluster.</summary>
public sealed class TokenCommandTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "btsccst-cli-tests", "token-" + Guid.NewGuid().ToString("N"));

    private string KeyFile => Path.Combine(_folder, "jwt-signing.key");

    [Fact]
    public async Task A_token_signed_with_the_key_file_is_accepted_by_the_server_with_its_claims()
    {
        var server = new TokenService(KeyFile); // creates the key, as the first silo does
        var output = new StringWriter();
        var code = await Cli.RunAsync(["token", "--role", "jury-president", "--name", "président NORMANDIE", "--scope", "NORMANDIE", "--key-file", KeyFile],
            new CliContext(output, new StringWriter()) { Environment = new Dictionary<string, string?>() });

        Assert.Equal(ExitCodes.Ok, code);
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(output.ToString().Trim(), server.ValidationParameters);
        Assert.True(result.IsValid, result.Exception?.Message);
        var actor = TokenService.ActorOf(new System.Security.Claims.ClaimsPrincipal(result.ClaimsIdentity));
        Assert.Equal(new BtsCcst.Grains.Abstractions.Actor("jury-president", "président NORMANDIE", "NORMANDIE"), actor);
        var expires = ((JsonWebToken)result.SecurityToken).ValidTo;
        Assert.InRange(expires - DateTime.UtcNow, TimeSpan.FromHours(11.9), TimeSpan.FromHours(12.1));
    }

    [Fact]
    public async Task The_key_file_comes_from_the_servers_environment_variable_and_another_key_is_refused()
    {
        _ = new TokenService(KeyFile);
        var other = new TokenService(Path.Combine(_folder, "other.key"));
        var output = new StringWriter();
        var code = await Cli.RunAsync(["token", "--role", "organiser", "--name", "bureau-examens"],
            new CliContext(output, new StringWriter()) { Environment = new Dictionary<string, string?> { ["BtsCcst__TokenIssuerKeyFile"] = KeyFile } });

        Assert.Equal(ExitCodes.Ok, code);
        Assert.False((await new JsonWebTokenHandler().ValidateTokenAsync(output.ToString().Trim(), other.ValidationParameters)).IsValid);
        Assert.True((await new JsonWebTokenHandler().ValidateTokenAsync(output.ToString().Trim(), new TokenService(KeyFile).ValidationParameters)).IsValid);
    }

    [Theory]
    [InlineData("token", "--role", "jury-president", "--name", "p", "--key-file", "k")]
    [InlineData("token", "--role", "organiser", "--scope", "X", "--key-file", "k")]
    [InlineData("token", "--role", "chef", "--key-file", "k")]
    [InlineData("token", "--role", "examiner", "--name", "pas un id", "--key-file", "k")]
    [InlineData("token", "--role", "organiser")]
    [InlineData("token", "--role", "organiser", "--key-file", "k", "--hours", "0")]
    [InlineData("token", "--role", "organiser", "--key-file", "k", "--out", "x")]
    public async Task A_wrong_token_command_exits_64_with_a_french_message(params string[] args)
    {
        var error = new StringWriter();
        var code = await Cli.RunAsync(args, new CliContext(new StringWriter(), error) { Environment = new Dictionary<string, string?>() });
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("btsccst --help", error.ToString());
    }

    [Fact]
    public async Task A_missing_key_file_is_refused_and_not_created()
    {
        var error = new StringWriter();
        var code = await Cli.RunAsync(["token", "--role", "organiser", "--key-file", KeyFile],
            new CliContext(new StringWriter(), error) { Environment = new Dictionary<string, string?>() });
        Assert.Equal(ExitCodes.Refused, code);
        Assert.Contains("Clé illisible", error.ToString());
        Assert.False(File.Exists(KeyFile));
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }
}
