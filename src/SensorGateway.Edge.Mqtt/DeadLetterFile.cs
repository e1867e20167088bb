using System.Buffers;
using System.Text;
using System.Text.Json;

namespace SensorGateway.Edge.Mqtt;

/// <summary>
/// Keeps every rejected payload, one JSON object a line in <c>mqtt-YYYYMMDD.jsonl</c>, so an integrator can see
/// exactly what a device sent and why it was refused. Text payloads are stored as text, others in base64.
/// </summary>
internal sealed class DeadLetterFile(string directory, TimeProvider time)
{
    private readonly Lock _gate = new();

    public void Write(string topic, string device, MqttPayloadRejection rejection, ReadOnlySequence<byte> payload)
    {
        var bytes = payload.ToArray();
        string text;
        string encoding;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            encoding = "utf-8";
        }
        catch (DecoderFallbackException)
        {
            text = Convert.ToBase64String(bytes);
            encoding = "base64";
        }

        var now = time.GetUtcNow();
        var line = JsonSerializer.Serialize(new DeadLetter(now, topic, device, rejection.Reason, rejection.Detail, encoding, text), DeadLetterJson.Default.DeadLetter);
        lock (_gate)
        {
            Directory.CreateDirectory(directory);
            File.AppendAllText(Path.Combine(directory, $"mqtt-{now:yyyyMMdd}.jsonl"), line + "\n");
        }
    }
}

internal sealed record DeadLetter(DateTimeOffset Time, string Topic, string Device, string Reason, string Detail, string Encoding, string Payload);

[System.Text.Json.Serialization.JsonSerializable(typeof(DeadLetter))]
[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class DeadLetterJson : System.Text.Json.Serialization.JsonSerializerContext;
