namespace BtsCcst.Cli;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            // The first Ctrl+C stops following (a planning run goes on on the server); a second one kills.
            if (cancel.IsCancellationRequested) return;
            e.Cancel = true;
            cancel.Cancel();
        };
        var context = new CliContext(Console.Out, Console.Error) { Interactive = !Console.IsOutputRedirected };
        return await Cli.RunAsync(args, context, cancel.Token);
    }
}
