using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Grpc.Net.Client;
using SensorGateway.Grpc.V1;

/// <summary>
/// The subscribers in a process of their own, so that their CPU is told apart from the gateway's (and, pinned, kept
/// off the gateway's core). Each probe's arrival is reported as a monotonic timestamp (Stopwatch, CLOCK_MONOTONIC on
/// Linux: the same clock in both processes), which the benchmark takes from the probe's send time.
/// </summary>
internal static class SubscriberFleet
{
    /// <summary>In the child: opens the subscriptions, prints "ready", and after "stop" on stdin prints one "probe timestamp" line per arrival.</summary>
    public static async Task RunAsync(Uri address, int count, ulong afterSequence, bool shared)
    {
        var arrivals = new ConcurrentQueue<(long Probe, long At)>();
        using var stop = new CancellationTokenSource();
        var sharedChannel = shared ? GrpcChannel.ForAddress(address) : null;
        var channels = Enumerable.Range(0, count).Select(_ => sharedChannel ?? GrpcChannel.ForAddress(address)).ToList();
        // The server sends a stream's headers with its first event, so the benchmark learns that every subscription
        // is open from its own count of them, not from this process.
        var subscribed = channels.Select(channel => new HazardService.HazardServiceClient(channel)
            .Subscribe(new SubscribeRequest { AfterSequence = afterSequence, MinLevel = AlarmLevel._2 }, cancellationToken: stop.Token)).ToList();
        var reading = subscribed.Select(call => Task.Run(async () =>
        {
            try
            {
                while (await call.ResponseStream.MoveNext(stop.Token))
                {
                    var e = call.ResponseStream.Current.Event;
                    if (e.Kind == HazardEventKind.Raised && e.Alarm.Device.StartsWith("probe-", StringComparison.Ordinal))
                    {
                        var at = Stopwatch.GetTimestamp();
                        arrivals.Enqueue((long.Parse(e.Alarm.Device.AsSpan(6), CultureInfo.InvariantCulture), at));
                    }
                }
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
            }
        })).ToList();
        Console.WriteLine("ready");
        await Console.In.ReadLineAsync();
        await stop.CancelAsync();
        await Task.WhenAll(reading);
        foreach (var (probe, at) in arrivals)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{probe} {at}"));
        }

        foreach (var call in subscribed)
        {
            call.Dispose();
        }

        foreach (var channel in channels.Distinct())
        {
            channel.Dispose();
        }
    }

    /// <summary>In the benchmark: starts the child and waits until <paramref name="open"/> counts every subscription.</summary>
    public static async Task<Process> StartAsync(string address, int count, ulong afterSequence, bool shared, bool pinned, Func<int> open)
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
        if (line != "ready")
        {
            throw new InvalidOperationException($"the subscriber process said '{line}' instead of 'ready'");
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (open() < count)
        {
            await Task.Delay(10, timeout.Token);
        }

        return child;
    }

    /// <summary>Stops the child and returns each arrival: probe number and monotonic timestamp.</summary>
    public static async Task<List<(long Probe, long At)>> StopAsync(Process child)
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
}
