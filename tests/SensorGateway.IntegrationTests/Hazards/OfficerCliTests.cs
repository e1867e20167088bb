using SensorGateway.Host.Cli;

namespace SensorGateway.IntegrationTests.Hazards;

/// <summary>The duty officers' verbs against a running gateway.</summary>
public sealed class OfficerCliTests
{
    [Fact]
    public async Task HazardsAckAndShow_RunningGateway_AcknowledgesAndPrintsHistory()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var gateway = await HazardTestGateway.StartAsync(ct);
        var id = await gateway.OpenRecordAsync("lel", ct);
        var server = gateway.GrpcUrl.ToString();
        using var ackOut = new StringWriter();
        using var showOut = new StringWriter();
        using var error = new StringWriter();

        var ack = await HazardsCommand.RunAsync(["ack", id, "--server", server, "--operator", "Wang Wei", "--note", "on site", "--request-id", "cli-1"], ackOut, error, ct);
        var show = await HazardsCommand.RunAsync(["show", id, "--server", server], showOut, error, ct);

        Assert.Equal((0, 0, ""), (ack, show, error.ToString()));
        Assert.Equal($"{id} acknowledged (event #3, request cli-1){Environment.NewLine}", ackOut.ToString());
        Assert.Contains("Acknowledge open -> acknowledged by Wang Wei (anonymous): on site", showOut.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HazardsClose_OpenRecord_ExitsOneWithFailedPrecondition()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var gateway = await HazardTestGateway.StartAsync(ct);
        var id = await gateway.OpenRecordAsync("lel", ct);
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await HazardsCommand.RunAsync(["close", id, "--server", gateway.GrpcUrl.ToString()], output, error, ct);

        Assert.Equal(1, code);
        Assert.Equal($"FailedPrecondition: Hazard {id} is Open: cannot Close. Allowed from: Verified.{Environment.NewLine}", error.ToString());
    }

    [Fact]
    public async Task AlarmsWatch_StoppedAndRestarted_ResumesFromStateFileWithoutRepeats()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var gateway = await HazardTestGateway.StartAsync(ct);
        var stateFile = Path.Combine(gateway.Directory, "watch.seq");
        string[] args = ["watch", "--server", gateway.GrpcUrl.ToString(), "--state-file", stateFile];
        await gateway.OpenRecordAsync("lel", ct);
        await gateway.OpenRecordAsync("h2s", ct);

        // Each opening alarm is two events: the alarm, then the record opened.
        var first = await WatchUntilAsync(args, 4, ct);
        await gateway.OpenRecordAsync("co", ct);
        var second = await WatchUntilAsync(args, 6, ct);

        Assert.Equal(["#1", "#2", "#3", "#4"], first.Select(l => l.Split(' ')[0]));
        Assert.Equal(["#5", "#6"], second.Select(l => l.Split(' ')[0]));
        Assert.Equal("6", await File.ReadAllTextAsync(stateFile, ct));
    }

    // Runs the watch until the state file reaches the sequence, then stops it as Ctrl-C would.
    private static async Task<List<string>> WatchUntilAsync(string[] args, ulong sequence, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var output = new SignalingWriter(line => line.StartsWith($"#{sequence} ", StringComparison.Ordinal), stop);
        using var error = new StringWriter();
        var code = await AlarmsWatchCommand.RunAsync(args, output, error, colour: false, stop.Token);
        Assert.Equal(0, code);
        return output.Lines;
    }

    private sealed class SignalingWriter(Func<string, bool> done, CancellationTokenSource stop) : StringWriter
    {
        public List<string> Lines { get; } = [];

        public override void WriteLine(string? value)
        {
            Lines.Add(value ?? "");
            if (done(value ?? ""))
            {
                stop.Cancel();
            }
        }
    }
}
