using Google.Protobuf;

namespace SensorGateway.Grpc.V1;

// Extends the generated message (protos/sensorgateway/v1/hazards.proto); the wire form stays the proto's.
public sealed partial class SubscribeResponse
{
    private bool _shared;
    private byte[]? _payload;

    /// <summary>A response that many streams send as it is; <paramref name="hazardEvent"/> must no longer change.</summary>
    internal static SubscribeResponse ForCommittedEvent(HazardEvent hazardEvent) => new() { Event = hazardEvent, _shared = true };

    /// <summary>
    /// The encoded message when it is shared by several streams (made by <see cref="ForCommittedEvent"/>): encoded by the
    /// first stream that writes it, reused by the others. Null for any other response, which is encoded as usual.
    /// </summary>
    /// <remarks>
    /// The bytes are <c>ToByteArray()</c> of this message, so a client cannot tell the difference. Sharing needs a
    /// message that no longer changes, hence only responses made for committed events.
    /// </remarks>
    internal byte[]? SharedPayload()
    {
        if (!_shared)
        {
            return null;
        }

        var payload = Volatile.Read(ref _payload);
        if (payload is null)
        {
            // Two streams may encode at once; the bytes are the same, keep the first.
            payload = this.ToByteArray();
            payload = Interlocked.CompareExchange(ref _payload, payload, null) ?? payload;
        }

        return payload;
    }
}
