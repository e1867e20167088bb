using System.Globalization;
using SensorGateway.Simulators.Load;
using Spectre.Console;

namespace SensorGateway.Simulators.Cli;

/// <summary>A progress bar with live counters on a terminal, one plain line every few seconds otherwise; a summary at the end.</summary>
internal static class ProgressDisplay
{
    public static async Task RunAsync(string title, TimeSpan duration, Func<LoadCounters> counters, Task work, TimeProvider time)
    {
        if (!Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive)
        {
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask(title, maxValue: Math.Max(1, duration.TotalSeconds));
                    while (!work.IsCompleted)
                    {
                        await Task.WhenAny(work, Task.Delay(TimeSpan.FromMilliseconds(250), time)).ConfigureAwait(false);
                        var c = counters();
                        task.Value = Math.Min(c.Elapsed.TotalSeconds, task.MaxValue);
                        task.Description = Markup.Escape($"{title}: {c.Published:N0} sent ({c.PublishedPerSecond:N0}/s), {c.Failed:N0} failed, {c.ModbusRequests:N0} Modbus requests");
                    }

                    task.Value = task.MaxValue;
                }).ConfigureAwait(false);
        }
        else
        {
            while (!work.IsCompleted)
            {
                await Task.WhenAny(work, Task.Delay(TimeSpan.FromSeconds(5), time)).ConfigureAwait(false);
                var c = counters();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{title} t={c.Elapsed.TotalSeconds:0}s sent={c.Published} rate={c.PublishedPerSecond:0}/s failed={c.Failed} modbusRequests={c.ModbusRequests}"));
            }
        }

        await work.ConfigureAwait(false);
        Summary(title, counters());
    }

    private static void Summary(string title, LoadCounters c)
    {
        if (!Console.IsOutputRedirected)
        {
            var table = new Table().AddColumn("").AddColumn(new TableColumn("value").RightAligned());
            table.AddRow("devices", c.Devices.ToString("N0", CultureInfo.InvariantCulture));
            table.AddRow("elapsed", $"{c.Elapsed.TotalSeconds:0.0} s");
            table.AddRow("messages sent", c.Published.ToString("N0", CultureInfo.InvariantCulture));
            table.AddRow("send rate", $"{c.PublishedPerSecond:N0}/s");
            table.AddRow("failed", c.Failed.ToString("N0", CultureInfo.InvariantCulture));
            table.AddRow("Modbus requests served", c.ModbusRequests.ToString("N0", CultureInfo.InvariantCulture));
            AnsiConsole.Write(new Panel(table).Header(Markup.Escape(title + " summary")));
        }
        else
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"SUMMARY {title}: devices={c.Devices} elapsed={c.Elapsed.TotalSeconds:0.0}s sent={c.Published} rate={c.PublishedPerSecond:0}/s failed={c.Failed} modbusRequests={c.ModbusRequests}"));
        }
    }
}
