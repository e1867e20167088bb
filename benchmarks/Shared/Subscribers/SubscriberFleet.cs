using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Reflection;
using Grpc.Net.Client;
using SensorGateway.Grpc.V1;

namespace SensorGateway.Benchmarks.Subscribers;

/// <summary>
/// The benchmarks' hazard-stream subscribers: level-2 subscriptions (of one site, or all) that note each alarm's
/// RAISED or ESCALATED arrival as two monotonic timestamps (Stopwatch, CLOCK_MONOTONIC on Linux: the same clock in
/// every process): when their code got the event, and when its bytes reached their socket (the kernel's receive time,
/// <see cref="KernelStampedStream"/>). They run in the benchmark's process, or in a process of their own (optionally
/// pinned to the second core, or at the lowest CPU priority) so that their CPU is told apart from the gateway's.
/// </summary>
internal sealed class SubscriberFleet
{
    private readonly ConcurrentQueue<FleetArrival> _arrivals = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<GrpcChannel> _channels;
    private readonly List<Task> _reading;

    // The server sends a stream's headers with its first event, so whoever waits for the subscriptions to be open
    // asks the log for its count of them (HazardDesk.SubscriberCount), not this fleet.
    private SubscriberFleet(Uri address, int count, ulong afterSequence, bool shared, string site)
    {
        var sharedConnection = shared ? Connect(address) : default;
        var connections = Enumerable.Range(0, count).Select(_ => shared ? sharedConnection : Connect(address)).ToList();
        _channels = [.. connections.Select(c => c.Channel)];
        var request = new SubscribeRequest { AfterSequence = afterSequence, MinLevel = AlarmLevel._2, Site = site };
        _reading = [.. connections.Select(c => Task.Run(() => ReadAsync(c.Channel, c.Socket, request)))];
    }

    /// <summary>Opens <paramref name="count"/> subscriptions in this process, to <paramref name="site"/>'s events (all sites when empty).</summary>
    public static SubscriberFleet Open(Uri address, int count, ulong afterSequence, bool shared, string site = "") => new(address, count, afterSequence, shared, site);

    /// <summary>Ends the subscriptions and returns each arrival.</summary>
    public async Task<List<FleetArrival>> StopAsync()
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

    /// <summary>
    /// When <paramref name="args"/> are those <see cref="StartProcessAsync"/> gives its child: opens the fleet, prints
    /// "ready", and after a line on stdin prints one line per arrival; false for any other command line.
    /// </summary>
    public static async Task<bool> TryRunChildAsync(string[] args)
    {
        if (args is not ["subscribe", var address, var count, var afterSequence, var connections, var site])
        {
            return false;
        }

        var fleet = Open(new Uri(address), int.Parse(count, CultureInfo.InvariantCulture), ulong.Parse(afterSequence, CultureInfo.InvariantCulture), connections == "shared", site);
        Console.WriteLine("ready");
        await Console.In.ReadLineAsync();
        foreach (var arrival in await fleet.StopAsync())
        {
            Console.WriteLine(arrival.ToLine());
        }

        return true;
    }

    /// <summary>Starts a child process running <see cref="RunChildAsync"/> and waits for its "ready".</summary>
    /// <remarks>
    /// <paramref name="niced"/> starts it at the lowest CPU priority (nice 19, inherited by all its threads), so that the
    /// gateway side has the cores first, as it would with consoles on other machines.
    /// </remarks>
    public static async Task<Process> StartProcessAsync(string address, int count, ulong afterSequence, bool shared, bool pinned, bool niced, string site = "")
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

        foreach (var argument in new[] { "subscribe", address, count.ToString(CultureInfo.InvariantCulture), afterSequence.ToString(CultureInfo.InvariantCulture), shared ? "shared" : "separate", site })
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
    public static async Task<List<FleetArrival>> StopProcessAsync(Process child)
    {
        await child.StandardInput.WriteLineAsync("stop");
        await child.StandardInput.FlushAsync();
        var arrivals = new List<FleetArrival>();
        while (await child.StandardOutput.ReadLineAsync() is { } line)
        {
            arrivals.Add(FleetArrival.Parse(line));
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

    private async Task ReadAsync(GrpcChannel channel, TaskCompletionSource<KernelStampedStream> socket, SubscribeRequest request)
    {
        using var call = new HazardService.HazardServiceClient(channel).Subscribe(request, cancellationToken: _stop.Token);
        var arrivals = new List<FleetArrival>();
        try
        {
            while (await call.ResponseStream.MoveNext(_stop.Token))
            {
                var at = Stopwatch.GetTimestamp();
                var atSocket = (await socket.Task).LastArrival;
                var e = call.ResponseStream.Current.Event;
                // The socket's stamp is that of its newest read: if a later event (not the record an alarm opened in
                // the same commit) came with the same stamp, both arrived in one read, or the client read ahead before
                // handing over the alarm, and the alarm's own arrival is only known to be no later than that.
                if (arrivals.Count > 0 && arrivals[^1] is { SharedRead: false } previous && previous.AtSocket == atSocket && e.Kind != HazardEventKind.RecordOpened)
                {
                    arrivals[^1] = previous with { SharedRead = true };
                }

                if (e.Kind is HazardEventKind.Raised or HazardEventKind.Escalated && e.Alarm is { SourceTime: { } source, ReceivedTime: { } received } alarm)
                {
                    arrivals.Add(new FleetArrival(alarm.Device, source.ToDateTimeOffset(), received.ToDateTimeOffset(), at, atSocket, SharedRead: false));
                }
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
        }
        finally
        {
            foreach (var arrival in arrivals)
            {
                _arrivals.Enqueue(arrival);
            }
        }
    }
}

/// <summary>
/// An alarm's arrival at one subscriber: its device, source and received (reading accepted) times as the event
/// carries them, and the Stopwatch timestamps of its arrival in the subscriber's code and at its socket.
/// <paramref name="SharedRead"/>: the subscriber's next event had the same socket stamp, so <paramref name="AtSocket"/>
/// may be that event's arrival (a client that was not scheduled before the next event came), an upper bound.
/// </summary>
internal readonly record struct FleetArrival(string Device, DateTimeOffset SourceTime, DateTimeOffset ReceivedTime, long At, long AtSocket, bool SharedRead)
{
    public string ToLine() => string.Create(CultureInfo.InvariantCulture, $"{Device} {SourceTime.UtcTicks} {ReceivedTime.UtcTicks} {At} {AtSocket} {(SharedRead ? 1 : 0)}");

    public static FleetArrival Parse(string line)
    {
        var parts = line.Split(' ');
        return new FleetArrival(parts[0], new DateTimeOffset(Long(parts[1]), TimeSpan.Zero), new DateTimeOffset(Long(parts[2]), TimeSpan.Zero), Long(parts[3]), Long(parts[4]), parts[5] == "1");
    }

    private static long Long(string text) => long.Parse(text, CultureInfo.InvariantCulture);
}
