using Spectre.Console;

namespace SensorGateway.LoadHarness.Report;

/// <summary>A progress bar with the live status on a terminal; one plain status line every 5 s when output is redirected.</summary>
internal static class ProgressView
{
    public static async Task ShowAsync(string title, TimeSpan duration, Func<TimeSpan> elapsed, Func<string> status, Task work)
    {
        if (!Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive)
        {
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask(Markup.Escape(title), maxValue: Math.Max(1, duration.TotalSeconds));
                    while (!work.IsCompleted)
                    {
                        await Task.WhenAny(work, Task.Delay(TimeSpan.FromMilliseconds(500))).ConfigureAwait(false);
                        task.Value = Math.Min(elapsed().TotalSeconds, task.MaxValue);
                        task.Description = Markup.Escape($"{title}: {status()}");
                    }

                    task.Value = task.MaxValue;
                }).ConfigureAwait(false);
        }
        else
        {
            while (!work.IsCompleted)
            {
                await Task.WhenAny(work, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
                Console.WriteLine($"{title}: {status()}");
            }
        }

        await work.ConfigureAwait(false);
    }
}
