using System.Buffers;

namespace SensorGateway.Modbus.Framing;

/// <summary>A Modbus TCP ADU as parsed: the PDU is a slice of the input and is valid until the reader advances.</summary>
public readonly struct ModbusMbapFrame
{
    public ModbusMbapFrame(ushort transactionId, byte unitId, ReadOnlySequence<byte> pdu)
    {
        TransactionId = transactionId;
        UnitId = unitId;
        Pdu = pdu;
    }

    public ushort TransactionId { get; }

    public byte UnitId { get; }

    public ReadOnlySequence<byte> Pdu { get; }
}
