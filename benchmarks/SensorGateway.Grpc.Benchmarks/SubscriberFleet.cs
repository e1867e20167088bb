using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Reflection;
using Grpc.Net.Client;
using SensorGateway.Grpc.V1;

/// <summary>
/// The benchmark's subscribers: level-2 subscriptions that note each probe's RAISED arrival as two monotonic
/// timestamps (Stopwatch, CLOCK_MONOTONIC on Linux: the same clock in every process), which the benchmark takes from
/// the probe's send time: when their code got the event, and when its bytes reached their socket (the kernel's receive
/// time, <see cref="KernelStampedStream"/>). They run in the benchmark's process, or in a process of their own
/// (optionally pinned to the second core, or at the lowest CPU priority) so that their CPU is told apart from the gateway's.
/// </summary>
internal sealed class SubscriberFleet
{
    private readonly ConcurrentQueue<(long Probe, long At, long AtSocket)> _arrivals = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<GrpcChannel> _channels;
    private readonly List<Task> _reading;

    // The server sends a stream's headers with its first event, so whoever waits for the subscriptions to be open
    // asks the log for its count of them (HazardDesk.SubscriberCount), not this fleet.
    private SubscriberFleet(Uri address, int count, ulong afterSequence, bool shared)
    {
        var sharedConnection = shared ? Connect(address) : default;
        var connections = Enumerable.Range(0, count).Select(_ => shared ? sharedConnection : Connect(address)).ToList();
        _channels = [.. connections.Select(c => c.Channel)];
        _reading = [.. connections.Select(c => Task.Run(() => ReadAsync(c.Channel, c.Socket, afterSequence)))];
    }

    /// <summary>Opens <paramref name="count"/> subscriptions in this process.</summary>
    public static SubscriberFleet Open(Uri address, int count, ulong afterSequence, bool shared) => new(address, count, afterSequence, shared);

    /// <summary>Ends the subscriptions and returns each arrival: probe number, and monotonic timestamps in the code and at the socket.</summary>
    public async Task<List<(long Probe, long At, long AtSocket)>> StopAsync()
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
        foreach (var (probe, at, atSocket) in await fleet.StopAsync())
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{probe} {at} {atSocket}"));
        }
    }

    /// <summary>Starts a child process running <see cref="RunChildAsync"/> and waits for its "ready".</summary>
    /// <remarks>
    /// <paramref name="niced"/> starts it at the lowest CPU priority (nice 19, inherited by all its threads), so that the
    /// gateway side has the cores first, as it would with consoles on other machines.
    /// </remarks>
    public static async Task<Process> StartProcessAsync(string address, int count, ulong afterSequence, bool shared, bool pinned, bool niced)
    {
        var host = Environment.ProcessPath!;
        var start = new ProcessStartInfo(niced ? "nice" : host) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (niced)
        {
            foreach (var argument in new[] { "-n", "19", host })
            {
                start.ArgumentList.Add(argument);
            }
        }

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
    public static async Task<List<(long Probe, long At, long AtSocket)>> StopProcessAsync(Process child)
    {
        await child.StandardInput.WriteLineAsync("stop");
        await child.StandardInput.FlushAsync();
        var arrivals = new List<(long, long, long)>();
        while (await child.StandardOutput.ReadLineAsync() is { } line)
        {
            var parts = line.Split(' ');
            arrivals.Add((long.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture)));
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

    /// <summary>A channel whose one HTTP/2 connection is read through a <see cref="KernelStampedStream"/>, and that stream once open.</summary>
    private static (GrpcChannel Channel, TaskCompletionSource<KernelStampedStream> Socket) Connect(Uri address)
    {
        var socket = new TaskCompletionSource<KernelStampedStream>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var connection = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await connection.ConnectAsync(context.DnsEndPoint, cancellationToken);
                KernelStampedStream.EnableStamps(connection);
                var stream = new KernelStampedStream(connection);
                socket.TrySetResult(stream);
                return stream;
            },
        };
        return (GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = handler }), socket);
    }

    private async Task ReadAsync(GrpcChannel channel, TaskCompletionSource<KernelStampedStream> socket, ulong afterSequence)
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
                    _arrivals.Enqueue((long.Parse(e.Alarm.Device.AsSpan(6), CultureInfo.InvariantCulture), at, (await socket.Task).LastArrival));
                }
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
        }
    }
}
