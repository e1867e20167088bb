using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using SensorGateway.IntegrationTests.Infrastructure;
using SensorGateway.Profiles.Firmware;
using SensorGateway.Profiles.Sites;

namespace SensorGateway.IntegrationTests;

/// <summary>
/// The README's run command, as an operator runs it: the real executable playing both demo sites (the fuel station's
/// MQTT detectors and the tank farm's Modbus RTUs) into one gateway, stopped with Ctrl-C (SIGINT).
/// </summary>
public sealed partial class DemoCommandTests
{
    // The last alarm of each site's story: the leak has reached island 1; tank 101's HH switch has tripped.
    private static readonly string[] s_lastAlarms = ["ALARM Raised Level1 demo-fuel-01/gd-01/lel", "ALARM Raised Level2 farm-03/tk-101/level_switch_hh"];

    [Fact]
    public async Task Demo_BothSitesPlayed_AlarmsHazardsAndReportPerSiteAndCtrlCExitsZero()
    {
        var ct = TestContext.Current.CancellationToken;
        var workDir = Directory.CreateTempSubdirectory("sensorgateway-demo-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            // Speed 4 keeps the tank farm's H and HH apart by more than one Modbus poll (see demo-farm-overfill.yaml).
            ArgumentList =
            {
                Path.Combine(AppContext.BaseDirectory, "sensorgateway.dll"), "demo", "--follow", "--Demo:Speed=4",
                $"--Gateway:HttpUrl=http://127.0.0.1:{FreePort.Next()}", $"--Gateway:GrpcUrl=http://127.0.0.1:{FreePort.Next()}",
            },
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = new List<string>();
        var storyTold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (output)
            {
                output.Add(e.Data);
                if (s_lastAlarms.All(alarm => output.Any(line => line.Contains(alarm, StringComparison.Ordinal))))
                {
                    storyTold.TrySetResult();
                }
            }
        };
        process.BeginOutputReadLine();
        var stderr = process.StandardError.ReadToEndAsync(ct);
        try
        {
            await storyTold.Task.WaitAsync(TimeSpan.FromSeconds(90), ct);
            using (var interrupt = Process.Start("kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)]))
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
        Assert.Equal(
            ["ALARM Raised Level1 demo-fuel-01/gd-02/lel", "ALARM Escalated Level2 demo-fuel-01/gd-02/lel", "ALARM Raised Level1 demo-fuel-01/gd-01/lel"],
            Alarms(lines, "demo-fuel-01/"));
        Assert.Equal(
            ["ALARM Raised Level1 farm-03/tk-101/level", "ALARM Escalated Level2 farm-03/tk-101/level", "ALARM Raised Level2 farm-03/tk-101/level_switch_hh"],
            Alarms(lines, "farm-03/"));
        Assert.Equal(
            ["demo-fuel-01/gd-01/lel", "demo-fuel-01/gd-02/lel", "farm-03/tk-101/level", "farm-03/tk-101/level_switch_hh"],
            lines.Select(l => HazardOpened().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal));

        Assert.Contains(lines, l => l.EndsWith("DEMO site farm-03 'Chemical tank farm 3' plays demo-farm-overfill: 5 devices, 4 over Modbus (127.0.0.1:15031 and 127.0.0.1:15032), "
            + "1 over MQTT; Transfer into tank 101 overfills it past H and HH; its HH switch trips", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith("DEMO site demo-fuel-01 'Demo fuel station No. 1' plays demo-fuel-leak: 4 devices, none over Modbus, 4 over MQTT; "
            + "Vapour leak at dispenser island 2 spreading to island 1", StringComparison.Ordinal));
        Assert.Contains(lines, l => SiteSummary().Match(l) is { Success: true } m && m.Groups[1].Value == "demo-fuel-01");
        Assert.Contains(lines, l => SiteSummary().Match(l) is { Success: true } m && m.Groups[1].Value == "farm-03");

        // Every device and channel of both sites was heard (both adapters delivered), and every expected alarm was seen.
        var (station, farm) = (ShippedChannels("demo-fuel-station"), ShippedChannels("chemical-tank-farm"));
        Assert.Equal(
            [
                $"DEMO report demo-fuel-01 (scenario demo-fuel-leak): readings from 4/4 devices and {station}/{station} channels; alarms raised 2, escalated 1; hazard records 2; expected alarms seen 3/3",
                $"DEMO report farm-03 (scenario demo-farm-overfill): readings from 5/5 devices and {farm}/{farm} channels; alarms raised 2, escalated 1; hazard records 2; expected alarms seen 3/3",
            ],
            lines.Select(l => SiteReport().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value + m.Groups[2].Value));
        Assert.Contains(lines, l => l.Contains("DEMO report: played ", StringComparison.Ordinal) && l.Contains(" of 2 sites; ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Reading pipeline stopped after", StringComparison.Ordinal));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(workDir, "data", "demo"), "*", SearchOption.AllDirectories)); // the local spool
        Directory.Delete(workDir, recursive: true);
    }

    private static string[] Alarms(string[] lines, string site) =>
        [.. lines.Where(l => l.Contains(" ALARM ", StringComparison.Ordinal) && l.Contains(" " + site, StringComparison.Ordinal))
            .Select(l => l[l.IndexOf("ALARM", StringComparison.Ordinal)..].Split(" = ")[0])];

    private static int ShippedChannels(string site)
    {
        var profiles = FirmwareProfileLoader.LoadDirectory(Path.Combine(AppContext.BaseDirectory, "firmware-profiles"));
        return SiteFileLoader.Load(Path.Combine(AppContext.BaseDirectory, "sites", site + ".yaml"), profiles).Channels.Count();
    }

    [GeneratedRegex(@"HAZARD record \S+ opened for (\S+) ")]
    private static partial Regex HazardOpened();

    [GeneratedRegex(@"DEMO t=\d+s (\S+): \d+ readings from \d+/\d+ devices; alarms raised \d+, escalated \d+; hazard records \d+$")]
    private static partial Regex SiteSummary();

    // The reading count depends on how long the demo ran; everything after it must match exactly.
    [GeneratedRegex(@"(DEMO report \S+ \(scenario \S+\): )\d+ (readings from .*)$")]
    private static partial Regex SiteReport();
}
