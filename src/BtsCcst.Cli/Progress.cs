using System.Diagnostics;
using System.Globalization;
using BtsCcst.Grains.Abstractions;

namespace BtsCcst.Cli;

/// <summary>Progress on long work: redrawn in place on a terminal, a line per step otherwise.</summary>
public static class Progress
{
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    public const int BarWidth = 30;

    /// <summary>Shows the elapsed time of work that reports no progress of its own (terminal only).</summary>
    public static async Task<T> WhileAsync<T>(CliContext context, string label, Task<T> work)
    {
        if (!context.Interactive) return await work;
        var clock = Stopwatch.StartNew();
        var frames = "|/-\\";
        var frame = 0;
        while (!work.IsCompleted)
        {
            await context.Out.WriteAsync($"\r{frames[frame++ % frames.Length]} {label}… {clock.Elapsed.TotalSeconds:0} s");
            // An import is not cancelled half-way: it finishes on the server whatever the tool does.
            await Task.WhenAny(work, Task.Delay(250, CancellationToken.None));
        }
        await context.Out.WriteAsync("\r" + new string(' ', label.Length + 16) + "\r");
        return await work;
    }

    /// <summary>"[#########---------------------]  30 %  résolution  4/13 placés  écart 2,1 %  3 s"</summary>
    public static string Bar(PlanningRunView view)
    {
        var fraction = view.Total > 0 ? Math.Clamp((double)view.Placed / view.Total, 0, 1) : 0;
        var filled = (int)Math.Round(fraction * BarWidth);
        var gap = view.Gap is { } g ? string.Create(French, $"  écart {g * 100:0.0} %") : "";
        return string.Create(French,
            $"[{new string('#', filled)}{new string('-', BarWidth - filled)}] {fraction * 100,3:0} %  {view.Phase}  {view.Placed}/{view.Total} placés{gap}  {view.ElapsedSeconds:0} s");
    }

    /// <summary>Draws a planning run's progress: in place on a terminal, else a line when the phase or the tenth changes.</summary>
    public sealed class PlanningBar(CliContext context)
    {
        private string? _lastPhase;
        private int _lastTenth = -1;
        private int _lastWidth;

        public async Task ShowAsync(PlanningRunView view)
        {
            var text = Bar(view);
            if (context.Interactive)
            {
                await context.Out.WriteAsync("\r" + text.PadRight(_lastWidth));
                _lastWidth = text.Length;
                return;
            }
            var tenth = view.Total > 0 ? view.Placed * 10 / view.Total : 0;
            if (view.Phase == _lastPhase && tenth == _lastTenth) return;
            _lastPhase = view.Phase;
            _lastTenth = tenth;
            await context.Out.WriteLineAsync(text);
        }

        public async Task EndAsync()
        {
            if (context.Interactive && _lastWidth > 0) await context.Out.WriteLineAsync();
        }
    }
}
