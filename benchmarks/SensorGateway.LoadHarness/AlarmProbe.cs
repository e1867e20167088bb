using System.Collections.Concurrent;
using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;
using MQTTnet;
using MQTTnet.Protocol;
using SensorGateway.Grpc.V1;
using SensorGateway.LoadHarness.Measurement;
using SensorGateway.Simulators.Load;

namespace SensorGateway.LoadHarness;

/// <summary>
/// Alarm latency under load: probe devices publish a reading above their level-2 limit at a fixed cadence (each
/// followed by a normal reading that clears it), stamped with the send time; a gRPC subscriber of the hazard stream
/// takes the event's <c>source_time</c> (that stamp) from its arrival time. Probes take turns so none chatters
/// (ISA-18.2: three activations a minute would be suppressed). Alarms sent in the load's first
/// <paramref name="startUp"/> are kept apart: they time the gateway's start-up transient (its code still being
/// compiled to the optimised tier under full load), not the steady state a site runs in.
/// </summary>
internal sealed class AlarmProbe(string siteId, int probes, double perSecond, TimeSpan startUp, TimeProvider time)
{
    /// <summary>Above the probes' level-2 set-point of 50 %LEL.</summary>
    public const double Alarming = 80;

    private readonly ConcurrentDictionary<(string Device, DateTimeOffset Sent), double> _latencies = new();
    private readonly ConcurrentDictionary<(string Device, DateTimeOffset Sent), double> _startUp = new();

    // Where the gateway received each timed probe's reading (its received_time) splits the latency: before it are the
    // publisher, the broker and the socket; after it, detection, the hazard log's commit and the stream.
    private readonly ConcurrentDictionary<(string Device, DateTimeOffset Sent), DateTimeOffset> _atGateway = new();
    private readonly ConcurrentDictionary<(string Device, DateTimeOffset Sent), byte> _alarming = new();
    private long _sent;
    private long _published;
    private long _resumes;
    private long _publishTimeouts;
    private DateTimeOffset _measureFrom = DateTimeOffset.MaxValue;
    private readonly long[] _sequences = new long[probes];

    /// <summary>Probe devices needed so that each activates at most once every 40 s at <paramref name="perSecond"/>.</summary>
    public static int ProbesFor(double perSecond) => Math.Max(1, (int)Math.Ceiling(perSecond * 40));

    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Probe messages published (alarming and clearing), for the count of readings offered.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Times the gateway ended the subscription as too slow and the probe resumed it after its last event.</summary>
    public long Resumes => Interlocked.Read(ref _resumes);

    /// <summary>Probe messages the broker did not confirm within the client's timeout.</summary>
    public long PublishTimeouts => Interlocked.Read(ref _publishTimeouts);

    public int Received => _latencies.Count + _startUp.Count;

    /// <summary>
    /// Every probe reports normal once (a channel that never reported is stale 30 s after the gateway started, and
    /// its fault alarm would hold the hazard record the level-2 alarms should open), then one alarm goes through the
    /// whole path before anything is timed: the first hazard record of a run opens the database and compiles the
    /// path, which is start-up cost, not latency under load.
    /// </summary>
    public async Task WarmUpAsync(string mqttHost, int mqttPort, CancellationToken cancellationToken)
    {
        using var mqtt = await ConnectAsync(mqttHost, mqttPort, cancellationToken).ConfigureAwait(false);
        for (var probe = 0; probe < probes; probe++)
        {
            await PublishAsync(mqtt, probe, 0, cancellationToken).ConfigureAwait(false);
        }

        await PublishAsync(mqtt, probes - 1, Alarming, cancellationToken).ConfigureAwait(false);
        await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken).ConfigureAwait(false);
        await PublishAsync(mqtt, probes - 1, 0, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Probe sent → alarm event received, after the start-up window.</summary>
    public LatencySummary Latency() => LatencySummary.Of(_latencies.Values.ToArray());

    /// <summary>The alarms timed after the start-up window: device and send time (the event's source_time).</summary>
    public IReadOnlySet<(string Device, DateTimeOffset Sent)> Timed() => _latencies.Keys.ToHashSet();

    /// <summary>The same for the alarms sent in the load's start-up window.</summary>
    public LatencySummary StartUpLatency() => LatencySummary.Of(_startUp.Values.ToArray());

    /// <summary>Probe sent → the gateway received its reading.</summary>
    public LatencySummary ToGateway() =>
        LatencySummary.Of([.. _latencies.Keys.Where(_atGateway.ContainsKey).Select(k => (_atGateway[k] - k.Sent).TotalMilliseconds)]);

    /// <summary>The gateway received the reading → its alarm event reached this subscriber.</summary>
    public LatencySummary InGateway() =>
        LatencySummary.Of([.. _latencies.Where(l => _atGateway.ContainsKey(l.Key)).Select(l => l.Value - (_atGateway[l.Key] - l.Key.Sent).TotalMilliseconds)]);

    /// <summary>
    /// The time before the gateway, split at the arrival of the same probe messages at an idle subscriber of the same
    /// broker: before it, this process's publish and the broker; after it, the gateway's connection and intake.
    /// </summary>
    public (LatencySummary ToBroker, LatencySummary BrokerToGateway) SplitAt(IReadOnlyDictionary<(string Device, DateTimeOffset Sent), DateTimeOffset> witnessed)
    {
        List<double> toBroker = [], brokerToGateway = [];
        foreach (var (key, atGateway) in _atGateway)
        {
            if (_latencies.ContainsKey(key) && witnessed.TryGetValue((key.Device, Millisecond(key.Sent)), out var arrived))
            {
                toBroker.Add((arrived - key.Sent).TotalMilliseconds);
                brokerToGateway.Add((atGateway - arrived).TotalMilliseconds);
            }
        }

        return (LatencySummary.Of(toBroker), LatencySummary.Of(brokerToGateway));
    }

    /// <summary>One line per timed alarm, in send order: when it was sent and each share of its latency, for a kept run's folder.</summary>
    public void WriteTimeline(string path, IReadOnlyDictionary<(string Device, DateTimeOffset Sent), DateTimeOffset> witnessed)
    {
        using var file = new StreamWriter(path);
        file.WriteLine("sent,device,total_ms,to_broker_ms,broker_to_gateway_ms,in_gateway_ms");
        foreach (var (key, total) in _startUp.Concat(_latencies).OrderBy(l => l.Key.Sent))
        {
            var arrived = witnessed.TryGetValue((key.Device, Millisecond(key.Sent)), out var a) ? a : (DateTimeOffset?)null;
            var atGateway = _atGateway.TryGetValue(key, out var g) ? g : (DateTimeOffset?)null;
            file.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{key.Sent:O},{key.Device},{total:0.0},{(arrived - key.Sent)?.TotalMilliseconds:0.0},{(atGateway - arrived)?.TotalMilliseconds:0.0},{total - (atGateway - key.Sent)?.TotalMilliseconds:0.0}"));
        }
    }

    /// <summary>The probe topics, for a second subscriber to them.</summary>
    public IEnumerable<string> Topics() => Enumerable.Range(0, probes).Select(i => LoadSiteGenerator.ProbeTopic(siteId, i));

    /// <summary>Subscribes, then probes until <paramref name="cancellationToken"/> fires; the subscription ends with <paramref name="listenUntil"/>.</summary>
    public async Task RunAsync(string mqttHost, int mqttPort, Uri grpcUrl, CancellationToken cancellationToken, CancellationToken listenUntil)
    {
        _measureFrom = time.GetUtcNow();
        using var channel = GrpcChannel.ForAddress(grpcUrl);
        var client = new HazardService.HazardServiceClient(channel);
        var listening = ListenAsync(client, listenUntil);
        using var mqtt = await ConnectAsync(mqttHost, mqttPort, cancellationToken).ConfigureAwait(false);
        var interval = TimeSpan.FromSeconds(1 / perSecond);
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            for (var n = 0; await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false); n++)
            {
                var probe = n % probes;
                // Half a round away from its alarm, each probe also reports normal, so it is never silent for the
                // 30 s after which the gas packs call a channel stale (the turn itself comes every 40 s).
                var quiet = (probe + (probes / 2)) % probes;
                await PublishAsync(mqtt, quiet, 0, cancellationToken).ConfigureAwait(false);
                await PublishAsync(mqtt, probe, Alarming, cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _sent);
                // Back to normal half an interval later, so the next turn of this probe raises a new alarm.
                await Task.Delay(interval / 2, time, cancellationToken).ConfigureAwait(false);
                await PublishAsync(mqtt, probe, 0, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The run's load time is over.
        }

        await listening.ConfigureAwait(false);
    }

    // The stamp's round trip through JSON, the gateway and protobuf keeps at least milliseconds.
    public static DateTimeOffset Millisecond(DateTimeOffset time) => new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);

    private static async Task<IMqttClient> ConnectAsync(string host, int port, CancellationToken cancellationToken)
    {
        var mqtt = new MqttClientFactory().CreateMqttClient();
        await mqtt.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(host, port).WithClientId($"sensorgateway-probe-{Guid.NewGuid():N}").Build(), cancellationToken).ConfigureAwait(false);
        return mqtt;
    }

    /// <summary>One reading of a probe, with the probe's next sequence; an alarming one is remembered for timing.</summary>
    private async Task PublishAsync(IMqttClient mqtt, int probe, double value, CancellationToken cancellationToken)
    {
        var sequence = ++_sequences[probe];
        var sent = time.GetUtcNow();
        if (value >= Alarming)
        {
            _alarming[(LoadSiteGenerator.ProbeId(probe), Millisecond(sent))] = 0;
        }

        var payload = string.Create(CultureInfo.InvariantCulture,
            $$"""{"seq":{{sequence}},"ts":"{{sent:O}}","readings":[{"channel":"lel","value":{{value}},"status":"ok"}]}""");
        try
        {
            await mqtt.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(LoadSiteGenerator.ProbeTopic(siteId, probe)).WithPayload(payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _published);
        }
        catch (MQTTnet.Exceptions.MqttCommunicationTimedOutException)
        {
            // An overloaded broker did not confirm within the client's timeout; the message may still arrive. Counted, not fatal.
            Interlocked.Increment(ref _publishTimeouts);
        }
    }

    /// <summary>Subscribed until the run is over, resuming after the last event seen whenever the gateway ends the stream.</summary>
    private async Task ListenAsync(HazardService.HazardServiceClient client, CancellationToken cancellationToken)
    {
        ulong last = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                // Level 2 only: under load the stream also carries every stale-channel fault, which is not what is timed here.
                using var call = client.Subscribe(new SubscribeRequest { Site = siteId, MinLevel = AlarmLevel._2, AfterSequence = last }, cancellationToken: cancellationToken);
                while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
                {
                    last = call.ResponseStream.Current.Event.Sequence;
                    Time(call.ResponseStream.Current.Event, time.GetUtcNow());
                }
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.ResourceExhausted)
            {
                // An alarm storm (every channel stale once the load stops) outran this subscriber: resume as a console would.
                Interlocked.Increment(ref _resumes);
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled || cancellationToken.IsCancellationRequested)
            {
                return; // The run is over.
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return; // The run is over.
            }
        }
    }

    private void Time(HazardEvent e, DateTimeOffset received)
    {
        if (e.Kind is HazardEventKind.Raised or HazardEventKind.Escalated && e.Alarm is { } alarm
            && LoadSiteGenerator.IsProbe(alarm.Device) && alarm.SourceTime is { } source)
        {
            var sent = source.ToDateTimeOffset();
            if (sent >= _measureFrom && _alarming.ContainsKey((alarm.Device, Millisecond(sent))))
            {
                // Not the warm-up alarm, and one of the timed crossings.
                (sent < _measureFrom + startUp ? _startUp : _latencies).TryAdd((alarm.Device, sent), (received - sent).TotalMilliseconds);
                if (alarm.ReceivedTime is { } atGateway)
                {
                    _atGateway.TryAdd((alarm.Device, sent), atGateway.ToDateTimeOffset());
                }
            }
        }
    }
}
