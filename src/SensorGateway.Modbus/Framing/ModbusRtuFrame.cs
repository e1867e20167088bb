using System.Buffers;

namespace SensorGateway.Modbus.Framing;

/// <summary>An RTU ADU whose CRC has been checked; the PDU is a slice of the input.</summary>
public readonly struct ModbusRtuFrame
{
    public ModbusRtuFrame(byte unitId, ReadOnlySequence<byte> pdu)
    {
        UnitId = unitId;
        Pdu = pdu;
    }

    public byte UnitId { get; }

    public ReadOnlySequence<byte> Pdu { get; }
}
