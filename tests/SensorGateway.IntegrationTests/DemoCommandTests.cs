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
                Path.Combine(AppContext.BaseDirectory, "sensorgateway.dll"), "demo",
                "--Demo:LeakStartsAfter=00:00:01", "--Demo:LeakRatePerSecond=20",
                $"--Gateway:HttpUrl=http://127.0.0.1:{FreePort.Next()}", $"--Gateway:GrpcUrl=http://127.0.0.1:{FreePort.Next()}",
            },
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = new List<string>();
        var escalated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
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

            if (e.Data.Contains("ALARM Escalated Level2 demo-fuel-01/gd-02/lel", StringComparison.Ordinal))
            {
                escalated.TrySetResult();
            }
        };
        process.BeginOutputReadLine();
        var stderr = process.StandardError.ReadToEndAsync(ct);
        try
        {
            await escalated.Task.WaitAsync(TimeSpan.FromSeconds(60), ct);
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
        Assert.Contains(lines, l => l.Contains("ALARM Raised Level1 demo-fuel-01/gd-02/lel", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Reading pipeline stopped after", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("ALARM", StringComparison.Ordinal) && !l.Contains("gd-02/lel", StringComparison.Ordinal));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(workDir, "data", "demo"), "*.lp"));
        Directory.Delete(workDir, recursive: true);
    }
}
