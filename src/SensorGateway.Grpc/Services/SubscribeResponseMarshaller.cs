using Google.Protobuf;
using Grpc.Core;
using SensorGateway.Grpc.V1;

namespace SensorGateway.Grpc.Services;

/// <summary>
/// The server's marshaller for Subscribe's stream messages: a committed event goes to every subscriber, so its
/// message is encoded once (<see cref="SubscribeResponse.SharedPayload"/>) and each stream copies the bytes, instead of
/// every stream walking the event and its record twice (size, then write). Other responses are encoded as the
/// generated marshaller does. Reading is the generated parser's.
/// </summary>
internal static class SubscribeResponseMarshaller
{
    public static Marshaller<SubscribeResponse> Instance { get; } = Marshallers.Create<SubscribeResponse>(Serialize, Deserialize);

    private static void Serialize(SubscribeResponse response, SerializationContext context)
    {
        if (response.SharedPayload() is { } payload)
        {
            // One span for the whole message: each GetSpan/Advance on Kestrel's response pipe takes the stream's
            // locks, which the connection's frame writer contends for (the largest server cost in a 100-subscriber profile).
            context.SetPayloadLength(payload.Length);
            var writer = context.GetBufferWriter();
            payload.CopyTo(writer.GetSpan(payload.Length));
            writer.Advance(payload.Length);
        }
        else
        {
            context.SetPayloadLength(response.CalculateSize());
            response.WriteTo(context.GetBufferWriter());
        }

        context.Complete();
    }

    private static SubscribeResponse Deserialize(DeserializationContext context) =>
        SubscribeResponse.Parser.ParseFrom(context.PayloadAsReadOnlySequence());
}
