namespace SensorGateway.Modbus.Framing;

/// <summary>An ASCII ADU whose LRC has been checked; its PDU was decoded into the buffer given to the parser.</summary>
public readonly struct ModbusAsciiFrame
{
    public ModbusAsciiFrame(byte unitId, int pduLength)
    {
        UnitId = unitId;
        PduLength = pduLength;
    }

    public byte UnitId { get; }

    /// <summary>Bytes of the PDU at the start of the parser's destination.</summary>
    public int PduLength { get; }
}
