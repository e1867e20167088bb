using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Grpc.Net.Client;
using SensorGateway.Grpc.V1;

/// <summary>
/// The benchmark's subscribers: level-2 subscriptions that note each probe's RAISED arrival as a monotonic timestamp
/// (Stopwatch, CLOCK_MONOTONIC on Linux: the same clock in every process), which the benchmark takes from the probe's
/// send time. They run in the benchmark's process, or in a process of their own (optionally pinned to the second
/// core) so that their CPU is told apart from the gateway's.
/// </summary>
internal sealed class SubscriberFleet
{
    private readonly ConcurrentQueue<(long Probe, long At)> _arrivals = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<GrpcChannel> _channels;
    private readonly List<Task> _reading;

    // The server sends a stream's headers with its first event, so whoever waits for the subscriptions to be open
    // asks the log for its count of them (HazardDesk.SubscriberCount), not this fleet.
    private SubscriberFleet(Uri address, int count, ulong afterSequence, bool shared)
    {
        var sharedChannel = shared ? GrpcChannel.ForAddress(address) : null;
        _channels = [.. Enumerable.Range(0, count).Select(_ => sharedChannel ?? GrpcChannel.ForAddress(address))];
        _reading = [.. _channels.Select(channel => Task.Run(() => ReadAsync(channel, afterSequence)))];
    }

    /// <summary>Opens <paramref name="count"/> subscriptions in this process.</summary>
    public static SubscriberFleet Open(Uri address, int count, ulong afterSequence, bool shared) => new(address, count, afterSequence, shared);

    /// <summary>Ends the subscriptions and returns each arrival: probe number and monotonic timestamp.</summary>
    public async Task<List<(long Probe, long At)>> StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_reading);
        foreach (var channel in _channels.Distinct())
        {
            channel.Dispose();
        }

        _stop.Dispose();
        return [.. _arrivals];
    }

    /// <summary>In the child process: opens the fleet, prints "ready", and after a line on stdin prints one "probe timestamp" line per arrival.</summary>
    public static async Task RunChildAsync(Uri address, int count, ulong afterSequence, bool shared)
    {
        var fleet = Open(address, count, afterSequence, shared);
        Console.WriteLine("ready");
        await Console.In.ReadLineAsync();
        foreach (var (probe, at) in await fleet.StopAsync())
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{probe} {at}"));
        }
    }

    /// <summary>Starts a child process running <see cref="RunChildAsync"/> and waits for its "ready".</summary>
    public static async Task<Process> StartProcessAsync(string address, int count, ulong afterSequence, bool shared, bool pinned)
    {
        var host = Environment.ProcessPath!;
        var start = new ProcessStartInfo(host) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }

        foreach (var argument in new[] { "subscribe", address, count.ToString(CultureInfo.InvariantCulture), afterSequence.ToString(CultureInfo.InvariantCulture), shared ? "shared" : "separate" })
        {
            start.ArgumentList.Add(argument);
        }

        var child = Process.Start(start) ?? throw new InvalidOperationException("the subscriber process did not start");
        if (pinned && OperatingSystem.IsLinux())
        {
            child.ProcessorAffinity = 2;
        }

        var line = await child.StandardOutput.ReadLineAsync();
        return line == "ready" ? child : throw new InvalidOperationException($"the subscriber process said '{line}' instead of 'ready'");
    }

    /// <summary>Stops the child process and returns its arrivals.</summary>
    public static async Task<List<(long Probe, long At)>> StopProcessAsync(Process child)
    {
        await child.StandardInput.WriteLineAsync("stop");
        await child.StandardInput.FlushAsync();
        var arrivals = new List<(long, long)>();
        while (await child.StandardOutput.ReadLineAsync() is { } line)
        {
            var parts = line.Split(' ');
            arrivals.Add((long.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture)));
        }

        await child.WaitForExitAsync();
        child.Dispose();
        return arrivals;
    }

    /// <summary>Waits until <paramref name="open"/> counts <paramref name="count"/> subscriptions (30 s at most).</summary>
    public static async Task WaitUntilOpenAsync(int count, Func<int> open)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (open() < count)
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    private async Task ReadAsync(GrpcChannel channel, ulong afterSequence)
    {
        using var call = new HazardService.HazardServiceClient(channel)
            .Subscribe(new SubscribeRequest { AfterSequence = afterSequence, MinLevel = AlarmLevel._2 }, cancellationToken: _stop.Token);
        try
        {
            while (await call.ResponseStream.MoveNext(_stop.Token))
            {
                var e = call.ResponseStream.Current.Event;
                if (e.Kind == HazardEventKind.Raised && e.Alarm.Device.StartsWith("probe-", StringComparison.Ordinal))
                {
                    var at = Stopwatch.GetTimestamp();
                    _arrivals.Enqueue((long.Parse(e.Alarm.Device.AsSpan(6), CultureInfo.InvariantCulture), at));
                }
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
        }
    }
}
