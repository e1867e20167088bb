using System.Diagnostics.Metrics;
using System.Reactive.Linq;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;
using SensorGateway.Core.Pipeline;
using SensorGateway.Core.Readings;
using SensorGateway.Core.Sites;
using SensorGateway.Profiles.Firmware;

namespace SensorGateway.Edge.Mqtt;

/// <summary>
/// Subscribes to every MQTT device topic of the gateway's sites (QoS 1, persistent session) and turns messages into
/// readings. Owns its reconnect loop: capped exponential backoff with jitter, re-subscribing whenever the
/// broker did not keep the session. A message is acknowledged to the broker only after its readings
/// were handed downstream, so a crash in between means redelivery, not loss.
/// </summary>
public sealed class MqttReadingSource : IReadingSource
{
    private static readonly Meter s_meter = new("SensorGateway.Edge.Mqtt");
    private static readonly Counter<long> s_messages = s_meter.CreateCounter<long>("sg.mqtt.messages", description: "MQTT messages received");
    private static readonly Counter<long> s_rejected = s_meter.CreateCounter<long>("sg.mqtt.rejected", description: "MQTT payloads rejected, by device and reason");
    private static readonly Counter<long> s_duplicates = s_meter.CreateCounter<long>("sg.mqtt.duplicates", description: "Redelivered messages dropped by per-device sequence");
    private static readonly Counter<long> s_reconnects = s_meter.CreateCounter<long>("sg.mqtt.reconnects", description: "Reconnect attempts to the MQTT broker");
    private static readonly Counter<long> s_ackFailures = s_meter.CreateCounter<long>("sg.mqtt.ack_failures", description: "Acknowledgements not sent (disconnected or stopping); the broker redelivers those messages");

    private readonly MqttIngestOptions _options;
    private readonly MqttJsonReadingDecoder _decoder;
    private readonly EmbeddedMqttBroker? _embedded;
    private readonly TimeProvider _time;
    private readonly ILogger<MqttReadingSource> _logger;
    private readonly Dictionary<string, DateTimeOffset> _lastRejectionLog = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Site, string Device), SequenceWindow> _recent = [];
    private readonly DeadLetterFile _deadLetters;
    private readonly IReadingDurability? _durability;

    /// <param name="durability">
    /// When given, a message is acknowledged to the broker only after its readings are durable in storage, so a crash
    /// in between means redelivery (dropped again by sequence), never loss. Without it, acknowledgement is immediate.
    /// </param>
    public MqttReadingSource(IEnumerable<DeviceDefinition> devices, IOptions<MqttIngestOptions> options, TimeProvider time, ILogger<MqttReadingSource> logger,
        EmbeddedMqttBroker? embedded = null, FirmwareProfileCatalog? profiles = null, IReadingDurability? durability = null)
    {
        _durability = durability;
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _decoder = new MqttJsonReadingDecoder(devices, _options.MaxPayloadBytes, profiles);
        _deadLetters = new DeadLetterFile(_options.DeadLetterDirectory, time);
        _embedded = embedded;
        _time = time;
        _logger = logger;
        Readings = Observable.Create<Reading>(RunAsync);
        s_meter.CreateObservableGauge("sg.mqtt.awaiting_ack", () => Interlocked.Read(ref _awaitingAck),
            description: "Messages received and not yet acknowledged to the broker (their readings are not yet durable)");
    }

    public string Name => "mqtt";

    public IObservable<Reading> Readings { get; }

    /// <summary>True while connected to the broker with every device topic subscribed.</summary>
    public bool IsSubscribed => Volatile.Read(ref _subscribed);

    private bool _subscribed;

    /// <summary>Rejected payloads so far, for tests and the status page.</summary>
    public long RejectedCount => Interlocked.Read(ref _rejectedCount);

    /// <summary>Redelivered messages dropped so far.</summary>
    public long DuplicateCount => Interlocked.Read(ref _duplicateCount);

    /// <summary>
    /// Messages held unacknowledged until their readings are durable: at most the receive maximum the client announces
    /// (65,535 in MQTT 5) or the broker's in-flight window, whichever is smaller.
    /// </summary>
    public long AwaitingAcknowledgement => Interlocked.Read(ref _awaitingAck);

    private long _rejectedCount;
    private long _duplicateCount;
    private long _awaitingAck;

    private async Task RunAsync(IObserver<Reading> observer, CancellationToken cancellationToken)
    {
        if (_decoder.Topics.Count == 0)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, _time, cancellationToken).ConfigureAwait(false);
            return;
        }

        var factory = new MqttClientFactory();
        using var client = factory.CreateMqttClient();
        var batch = new List<Reading>(16);
        var lost = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.ApplicationMessageReceivedAsync += e =>
        {
            // Counted before its readings go downstream, so the gauge never shows fewer than those not yet acknowledged.
            if (_durability is not null)
            {
                e.AutoAcknowledge = false;
                Interlocked.Increment(ref _awaitingAck);
            }

            // MQTTnet delivers one message at a time per client, so observer calls stay serialised.
            HandleMessage(e.ApplicationMessage, observer, batch);
            if (_durability is not null)
            {
                _ = AcknowledgeWhenDurableAsync(e, _durability.Accepted, cancellationToken);
            }

            return Task.CompletedTask;
        };
        client.DisconnectedAsync += e =>
        {
            Volatile.Write(ref _subscribed, false);
            lost.TrySetResult(e.Exception is null ? $"{e.Reason}" : $"{e.Reason}: {e.Exception.Message}");
            return Task.CompletedTask;
        };

        var delay = _options.ReconnectMinDelay;
        var broker = "";
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var (host, port) = Endpoint();
                broker = $"{host}:{port}";
                lost = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
                var result = await client.ConnectAsync(ClientOptions(factory, host, port), cancellationToken).ConfigureAwait(false);
                if (!result.IsSessionPresent)
                {
                    var subscribe = factory.CreateSubscribeOptionsBuilder();
                    foreach (var topic in _decoder.Topics)
                    {
                        subscribe.WithTopicFilter(f => f.WithTopic(topic).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce));
                    }

                    await client.SubscribeAsync(subscribe.Build(), cancellationToken).ConfigureAwait(false);
                }

                Volatile.Write(ref _subscribed, true);
                MqttLog.Connected(_logger, broker, result.IsSessionPresent, _decoder.Topics.Count);
                delay = _options.ReconnectMinDelay;
                var reason = await lost.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                MqttLog.Disconnected(_logger, broker, reason);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or IOException or System.Net.Sockets.SocketException or OperationCanceledException or InvalidOperationException)
            {
                var wait = Jitter(delay);
                MqttLog.ConnectFailed(_logger, ex, broker, wait);
                s_reconnects.Add(1);
                try
                {
                    await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.ReconnectMaxDelay.Ticks));
            }
        }

        if (client.IsConnected)
        {
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await client.DisconnectAsync(new MqttClientDisconnectOptions(), grace.Token).ConfigureAwait(false);
        }
    }

    // Acknowledgements may go out of order; MQTT allows that for different packet ids. A message whose ack is lost
    // to a disconnect is redelivered and then dropped as a duplicate by its sequence.
    private async Task AcknowledgeWhenDurableAsync(MqttApplicationMessageReceivedEventArgs message, long accepted, CancellationToken cancellationToken)
    {
        try
        {
            await _durability!.WhenDurableAsync(accepted, cancellationToken).ConfigureAwait(false);
            await message.AcknowledgeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException or ObjectDisposedException)
        {
            // Disconnected or stopping: the broker redelivers what was not acknowledged.
            s_ackFailures.Add(1);
        }
        finally
        {
            Interlocked.Decrement(ref _awaitingAck);
        }
    }

    private void HandleMessage(MqttApplicationMessage message, IObserver<Reading> observer, List<Reading> batch)
    {
        s_messages.Add(1);
        batch.Clear();
        var rejection = _decoder.Decode(message.Topic, message.Payload, _time.GetUtcNow(), batch);
        if (rejection is not null)
        {
            Reject(message, rejection);
            return;
        }

        if (batch.Count > 0 && IsDuplicate(batch[0]))
        {
            Interlocked.Increment(ref _duplicateCount);
            s_duplicates.Add(1);
            return;
        }

        foreach (var reading in batch)
        {
            observer.OnNext(reading);
        }
    }

    // QoS 1 means at least once: a broker may redeliver after a reconnect, and not necessarily in the original order
    // (in-flight messages may come after newer queued ones), so duplicates are recognised by which numbers of a window
    // below the highest were seen, not by a high-water mark alone. Readings of one message share its sequence.
    private bool IsDuplicate(in Reading first)
    {
        if (first.Sequence <= 0)
        {
            return false;
        }

        // Keyed by site too: two sites of one gateway may both have a device 'gd-01'.
        var device = (first.Channel.Site, first.Channel.Device);
        if (!_recent.TryGetValue(device, out var recent))
        {
            recent = new SequenceWindow(_options.DuplicateWindow);
            _recent.Add(device, recent);
        }

        return !recent.Add(first.Sequence);
    }

    private void Reject(MqttApplicationMessage message, MqttPayloadRejection rejection)
    {
        Interlocked.Increment(ref _rejectedCount);
        var device = _decoder.DeviceOf(message.Topic) ?? "(unknown)";
        _deadLetters.Write(message.Topic, device, rejection, message.Payload);
        s_rejected.Add(1, new KeyValuePair<string, object?>("device", device), new KeyValuePair<string, object?>("reason", rejection.Reason));
        var now = _time.GetUtcNow();
        if (!_lastRejectionLog.TryGetValue(device, out var last) || now - last >= TimeSpan.FromMinutes(1))
        {
            _lastRejectionLog[device] = now;
            var sample = Encoding.UTF8.GetString(message.Payload.Length > 200 ? message.Payload.Slice(0, 200) : message.Payload);
            MqttLog.PayloadRejected(_logger, device, message.Topic, rejection.Reason, rejection.Detail, sample);
        }
    }

    private (string Host, int Port) Endpoint() =>
        _options.UsesEmbeddedBroker
            ? ("127.0.0.1", _embedded?.Port ?? _options.EmbeddedPort)
            : (_options.Host!, _options.Port);

    internal MqttClientOptions ClientOptions(MqttClientFactory factory, string host, int port)
    {
        var builder = factory.CreateClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithClientId(_options.ClientId ?? $"sensorgateway-{Environment.MachineName}")
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithCleanStart(false)
            .WithSessionExpiryInterval((uint)_options.SessionExpiry.TotalSeconds)
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (!string.IsNullOrEmpty(_options.Username))
        {
            builder.WithCredentials(_options.Username, _options.Password);
        }

        if (_options.UseTls)
        {
            builder.WithTlsOptions(o =>
            {
                o.UseTls();
                if (_options.CaCertificateFile is { } caFile)
                {
                    var ca = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(caFile);
                    o.WithCertificateValidationHandler(e => TrustedBy(ca, e.Certificate, e.SslPolicyErrors));
                }
            });
        }

        var options = builder.Build();
        if (options.ChannelOptions is MqttClientTcpOptions tcp)
        {
            tcp.BufferSize = _options.SocketBufferBytes;
        }

        return options;
    }

    // The broker's certificate must chain to the configured CA and name the host we dialled; nothing else is relaxed.
    private static bool TrustedBy(System.Security.Cryptography.X509Certificates.X509Certificate2 ca, System.Security.Cryptography.X509Certificates.X509Certificate? presented,
        System.Net.Security.SslPolicyErrors errors)
    {
        if (presented is null || errors.HasFlag(System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return false;
        }

        using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
        chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
        using var certificate = new System.Security.Cryptography.X509Certificates.X509Certificate2(presented);
        return chain.Build(certificate);
    }

    private static TimeSpan Jitter(TimeSpan delay) =>
        TimeSpan.FromTicks((long)(delay.Ticks * (0.5 + (Random.Shared.NextDouble() * 0.5))));
}
