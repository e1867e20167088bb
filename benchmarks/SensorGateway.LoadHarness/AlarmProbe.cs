using System.Collections.Concurrent;
using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Protocol;
using SensorGateway.Grpc.V1;
using SensorGateway.LoadHarness.Measurement;
using SensorGateway.Simulators.Load;

namespace SensorGateway.LoadHarness;

/// <summary>
/// Alarm latency under load: probe devices publish a reading above their level-2 limit at a fixed cadence (each
/// followed by a normal reading that clears it), stamped with the send time; a gRPC subscriber of the hazard stream
/// takes the event's <c>source_time</c> (that stamp) from its arrival time. Probes take turns so none chatters
/// (ISA-18.2: three activations a minute would be suppressed).
/// </summary>
internal sealed class AlarmProbe(string siteId, int probes, double perSecond, TimeProvider time)
{
    /// <summary>Above the probes' level-2 set-point of 50 %LEL.</summary>
    private const double Alarming = 80;

    private readonly ConcurrentDictionary<(string Device, DateTimeOffset Sent), double> _latencies = new();
    private readonly ConcurrentDictionary<(string Device, DateTimeOffset Sent), byte> _alarming = new();
    private long _sent;
    private long _published;
    private long _resubscribed;
    private long _publishTimeouts;
    private DateTimeOffset _measureFrom = DateTimeOffset.MaxValue;
    private readonly long[] _sequences = new long[probes];

    /// <summary>Probe devices needed so that each activates at most once every 40 s at <paramref name="perSecond"/>.</summary>
    public static int ProbesFor(double perSecond) => Math.Max(1, (int)Math.Ceiling(perSecond * 40));

    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Probe messages published (alarming and clearing), for the count of readings offered.</summary>
    public long Published => Interlocked.Read(ref _published);

    public int Received => _latencies.Count;

    /// <summary>Probe turns skipped because the broker did not acknowledge a publish in time.</summary>
    public long PublishTimeouts => Interlocked.Read(ref _publishTimeouts);

    /// <summary>Times the gateway dropped the hazard stream for falling behind and the probe subscribed again.</summary>
    public long Resubscribed => Interlocked.Read(ref _resubscribed);

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

    public LatencySummary Latency() => LatencySummary.Of(_latencies.Values.ToArray());

    /// <summary>Subscribes, then probes until <paramref name="cancellationToken"/> fires; the subscription ends with <paramref name="listenUntil"/>.</summary>
    public async Task RunAsync(string mqttHost, int mqttPort, Uri grpcUrl, CancellationToken cancellationToken, CancellationToken listenUntil)
    {
        _measureFrom = time.GetUtcNow();
        using var channel = GrpcChannel.ForAddress(grpcUrl);
        var client = new HazardService.HazardServiceClient(channel);
        // Level 2 only: under load the stream also carries every stale-channel fault, which is not what is timed here.
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
                try
                {
                    await PublishAsync(mqtt, quiet, 0, cancellationToken).ConfigureAwait(false);
                    await PublishAsync(mqtt, probe, Alarming, cancellationToken).ConfigureAwait(false);
                    Interlocked.Increment(ref _sent);
                    // Back to normal half an interval later, so the next turn of this probe raises a new alarm.
                    await Task.Delay(interval / 2, time, cancellationToken).ConfigureAwait(false);
                    await PublishAsync(mqtt, probe, 0, cancellationToken).ConfigureAwait(false);
                }
                catch (MqttCommunicationTimedOutException)
                {
                    // The broker did not acknowledge in time (a saturated machine): this turn is not timed, the run goes on.
                    Interlocked.Increment(ref _publishTimeouts);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The run's load time is over.
        }

        await listening.ConfigureAwait(false);
    }

    // The stamp's round trip through JSON, the gateway and protobuf keeps at least milliseconds.
    private static DateTimeOffset Millisecond(DateTimeOffset time) => new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);

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
        await mqtt.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(LoadSiteGenerator.ProbeTopic(siteId, probe)).WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _published);
    }

    /// <summary>
    /// Listens until <paramref name="cancellationToken"/>; when the gateway drops the stream because this subscriber
    /// fell behind (an alarm storm fills its window), subscribes again after the last event seen: nothing is lost.
    /// </summary>
    private async Task ListenAsync(HazardService.HazardServiceClient client, CancellationToken cancellationToken)
    {
        ulong after = 0;
        while (true)
        {
            // Level 2 only: under load the stream also carries every stale-channel fault, which is not what is timed here.
            using var call = client.Subscribe(new SubscribeRequest { Site = siteId, MinLevel = AlarmLevel._2, AfterSequence = after }, cancellationToken: cancellationToken);
            try
            {
                var events = call.ResponseStream;
                while (await events.MoveNext(cancellationToken).ConfigureAwait(false))
                {
                    after = events.Current.Event.Sequence;
                    Take(events.Current.Event);
                }

                return;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled || cancellationToken.IsCancellationRequested)
            {
                return; // The run is over.
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return; // The run is over.
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.ResourceExhausted)
            {
                Interlocked.Increment(ref _resubscribed);
            }
        }
    }

    private void Take(HazardEvent e)
    {
        var received = time.GetUtcNow();
        if (e.Kind is HazardEventKind.Raised or HazardEventKind.Escalated && e.Alarm is { } alarm
            && LoadSiteGenerator.IsProbe(alarm.Device) && alarm.SourceTime is { } source)
        {
            var sent = source.ToDateTimeOffset();
            if (sent < _measureFrom || !_alarming.ContainsKey((alarm.Device, Millisecond(sent))))
            {
                return; // the warm-up alarm, or not one of the timed crossings
            }

            _latencies.TryAdd((alarm.Device, sent), (received - sent).TotalMilliseconds);
        }
    }
}
