namespace SensorGateway.Grpc.V1;

// Extends the generated message (protos/sensorgateway/v1/hazards.proto); nothing here is on the wire.
public sealed partial class HazardEvent
{
    private SubscribeResponse? _subscribeResponse;

    /// <summary>
    /// This event as a Subscribe stream message, made once and shared by every stream that sends it, so the fan-out
    /// encodes a committed event once instead of once per subscriber (see <see cref="SubscribeResponse.SharedPayload"/>).
    /// </summary>
    /// <remarks>Only for events that no longer change: committed events, or events read back from the store.</remarks>
    internal SubscribeResponse ToSubscribeResponse()
    {
        var response = Volatile.Read(ref _subscribeResponse);
        if (response is null)
        {
            // Several streams may get here at once; they agree on the first response stored.
            response = SubscribeResponse.ForCommittedEvent(this);
            response = Interlocked.CompareExchange(ref _subscribeResponse, response, null) ?? response;
        }

        return response;
    }
}
