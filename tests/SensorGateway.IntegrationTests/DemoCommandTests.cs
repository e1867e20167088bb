using System.Diagnostics;
using SensorGateway.IntegrationTests.Infrastructure;

namespace SensorGateway.IntegrationTests;

/// <summary>The README's run command, as an operator runs it: the real executable, stopped with Ctrl-C (SIGINT).</summary>
public sealed class DemoCommandTests
{
    [Fact]
    public async Task Demo_LeakCrossesBothLevels_AlarmsShownAndCtrlCExitsZero()
    {
        var ct = TestContext.Current.CancellationToken;
        var workDir = Directory.CreateTempSubdirectory("sensorgateway-demo-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                Path.Combine(AppContext.BaseDirectory, "sensorgateway.dll"), "demo", "--follow", "--Demo:Speed=10",
                $"--Gateway:HttpUrl=http://127.0.0.1:{FreePort.Next()}", $"--Gateway:GrpcUrl=http://127.0.0.1:{FreePort.Next()}",
            },
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = new List<string>();
        var spread = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (output)
            {
                output.Add(e.Data);
            }

            // The last alarm of the story: the leak has reached island 1.
            if (e.Data.Contains("ALARM Raised Level1 demo-fuel-01/gd-01/lel", StringComparison.Ordinal))
            {
                spread.TrySetResult();
            }
        };
        process.BeginOutputReadLine();
        var stderr = process.StandardError.ReadToEndAsync(ct);
        try
        {
            await spread.Task.WaitAsync(TimeSpan.FromSeconds(60), ct);
            using (var interrupt = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await interrupt.WaitForExitAsync(ct);
            }

            await process.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(30), ct);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        string[] lines;
        lock (output)
        {
            lines = [.. output];
        }

        Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}; stderr: {await stderr}");
        string[] alarms = [.. lines.Where(l => l.Contains(" ALARM ", StringComparison.Ordinal)).Select(l => l[l.IndexOf("ALARM", StringComparison.Ordinal)..].Split(" = ")[0])];
        Assert.Equal(
            ["ALARM Raised Level1 demo-fuel-01/gd-02/lel", "ALARM Escalated Level2 demo-fuel-01/gd-02/lel", "ALARM Raised Level1 demo-fuel-01/gd-01/lel"],
            alarms);
        Assert.Contains(lines, l => l.Contains("HAZARD record", StringComparison.Ordinal) && l.Contains("opened for demo-fuel-01/gd-02/lel", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("DEMO report: scenario demo-fuel-leak", StringComparison.Ordinal) && l.Contains("expected alarms seen 3/3", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Reading pipeline stopped after", StringComparison.Ordinal));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(workDir, "data", "demo"), "*", SearchOption.AllDirectories)); // the local spool
        Directory.Delete(workDir, recursive: true);
    }
}
