using System.ComponentModel.DataAnnotations;

namespace SensorGateway.Edge.Mqtt;

/// <summary>
/// Where MQTT readings come from. Without <see cref="Host"/> the gateway runs its own embedded broker
/// on <see cref="EmbeddedPort"/> and subscribes to it.
/// </summary>
/// <remarks>
/// <code>
/// "Mqtt": { "Host": "broker.site.local", "Port": 8883, "UseTls": true, "Username": "gw", "Password": "…" }
/// </code>
/// </remarks>
public sealed class MqttIngestOptions
{
    public const string SectionName = "Mqtt";

    /// <summary>External broker host name; null or empty runs the embedded broker.</summary>
    public string? Host { get; set; }

    /// <summary>External broker port. Defaults to 1883 (8883 is usual with TLS).</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 1883;

    /// <summary>Port of the embedded broker on 127.0.0.1. Defaults to 1883; 0 picks a free port.</summary>
    [Range(0, 65535)]
    public int EmbeddedPort { get; set; } = 1883;

    /// <summary>Address the embedded broker binds to. Defaults to loopback only.</summary>
    [Required]
    public string EmbeddedBindAddress { get; set; } = "127.0.0.1";

    public bool UseTls { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>Client id; a persistent session is kept under it. Defaults to <c>sensorgateway-{machine}</c>.</summary>
    public string? ClientId { get; set; }

    /// <summary>How long the broker keeps our session while we are away. Defaults to one hour.</summary>
    public TimeSpan SessionExpiry { get; set; } = TimeSpan.FromHours(1);

    /// <summary>First reconnect delay; doubled per failure up to <see cref="ReconnectMaxDelay"/>, with jitter.</summary>
    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest payload accepted; larger messages are rejected and counted. Defaults to 64 KiB.</summary>
    [Range(64, 16 * 1024 * 1024)]
    public int MaxPayloadBytes { get; set; } = 64 * 1024;

    /// <summary>Where rejected payloads are kept (<c>mqtt-YYYYMMDD.jsonl</c>). Defaults to <c>data/dead-letter</c>.</summary>
    [Required]
    public string DeadLetterDirectory { get; set; } = Path.Combine("data", "dead-letter");

    /// <summary>
    /// A message whose sequence was seen before among the this-many numbers up to the device's highest is a duplicate
    /// (QoS 1 redelivery) and dropped; anything else — including a device that restarted its count, which falls below
    /// that window — is new. One bit per number and device. Defaults to 1000.
    /// </summary>
    [Range(1, 1_000_000)]
    public int DuplicateWindow { get; set; } = 1000;

    /// <summary>
    /// Socket receive and send buffer of the broker connection. The MQTT client always sets the socket's buffers,
    /// which turns off the kernel's automatic sizing, and its own default (8 KiB) let the broker have only about
    /// 11 KB on the way to us: at 6,000 messages a second the gateway then took 1,500 while mosquitto_sub took all.
    /// The kernel caps it at <c>net.core.rmem_max</c>. Defaults to 1 MiB.
    /// </summary>
    [Range(64 * 1024, 64 * 1024 * 1024)]
    public int SocketBufferBytes { get; set; } = 1024 * 1024;

    /// <summary>PEM file of the CA that signed the broker's certificate, when it is not in the system store.</summary>
    public string? CaCertificateFile { get; set; }

    public bool UsesEmbeddedBroker => string.IsNullOrWhiteSpace(Host);
}
