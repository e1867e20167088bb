using System.Buffers;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using SensorGateway.Grpc.Services;
using SensorGateway.Grpc.V1;

namespace SensorGateway.Grpc.Tests;

/// <summary>Subscribe's stream messages: a committed event is encoded once for every stream, in the proto's own encoding.</summary>
public sealed class SubscribeResponseMarshallerTests
{
    private static HazardEvent Committed() => new()
    {
        Sequence = 42,
        Time = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 29, 8, 0, 0, TimeSpan.Zero)),
        Kind = HazardEventKind.Raised,
        Alarm = new AlarmDetail { Site = "site-a", Device = "gd-01", Channel = "lel", Level = V1.AlarmLevel._2, Value = 60, Message = "Raised 60 %LEL" },
        Record = new V1.HazardRecord { Id = "YH-20261129-0001", Site = "site-a", Sector = "fuel_stations", Status = V1.HazardStatus.Open, Level = V1.AlarmLevel._2 },
    };

    [Fact]
    public void Serialize_CommittedEventToTwoStreams_SameBytesAsTheGeneratedEncodingComputedOnce()
    {
        var hazardEvent = Committed();
        var expected = new SubscribeResponse { Event = Committed() }.ToByteArray();
        var response = hazardEvent.ToSubscribeResponse();

        var first = Serialize(response);
        var second = Serialize(hazardEvent.ToSubscribeResponse());

        Assert.Same(response, hazardEvent.ToSubscribeResponse());
        Assert.Equal(expected, first);
        Assert.Equal(expected, second);
        Assert.Same(response.SharedPayload(), response.SharedPayload());
    }

    [Fact]
    public void Serialize_ResponseBuiltByHand_NotSharedAndEncodedAsGenerated()
    {
        var response = new SubscribeResponse { Event = Committed() };

        var bytes = Serialize(response);

        Assert.Null(response.SharedPayload());
        Assert.Equal(response.ToByteArray(), bytes);
    }

    [Fact]
    public void Deserialize_SharedResponseBytes_GivesTheEventBack()
    {
        var bytes = Serialize(Committed().ToSubscribeResponse());

        var parsed = SubscribeResponseMarshaller.Instance.ContextualDeserializer(new BytesDeserializationContext(bytes));

        Assert.Equal(Committed(), parsed.Event);
    }

    private static byte[] Serialize(SubscribeResponse response)
    {
        var context = new BufferSerializationContext();
        SubscribeResponseMarshaller.Instance.ContextualSerializer(response, context);
        Assert.True(context.Completed);
        Assert.Equal(context.PayloadLength, context.Written.WrittenCount);
        return context.Written.WrittenSpan.ToArray();
    }

    /// <summary>Collects a serialized message the way Grpc.AspNetCore's context does: length first, then the payload.</summary>
    private sealed class BufferSerializationContext : SerializationContext
    {
        public ArrayBufferWriter<byte> Written { get; } = new();

        public int PayloadLength { get; private set; } = -1;

        public bool Completed { get; private set; }

        public override void SetPayloadLength(int payloadLength) => PayloadLength = payloadLength;

        public override IBufferWriter<byte> GetBufferWriter() => Written;

        public override void Complete() => Completed = true;

        public override void Complete(byte[] payload)
        {
            ArgumentNullException.ThrowIfNull(payload);
            PayloadLength = payload.Length;
            Written.Write(payload);
            Completed = true;
        }
    }

    private sealed class BytesDeserializationContext(byte[] payload) : DeserializationContext
    {
        public override int PayloadLength => payload.Length;

        public override byte[] PayloadAsNewBuffer() => payload.ToArray();

        public override ReadOnlySequence<byte> PayloadAsReadOnlySequence() => new(payload);
    }
}
