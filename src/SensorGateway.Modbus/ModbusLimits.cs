namespace SensorGateway.Modbus;

/// <summary>Protocol maxima, checked before anything is sent (Modbus Application Protocol V1.1b3, sections 4.1 and 6).</summary>
public static class ModbusLimits
{
    /// <summary>A PDU is at most 253 bytes: the 256-byte RS-485 ADU minus address and CRC.</summary>
    public const int MaxPduLength = 253;

    /// <summary>MBAP length counts the unit id plus the PDU.</summary>
    public const int MaxMbapLength = MaxPduLength + 1;

    public const int MaxRtuFrameLength = 256;

    /// <summary>ASCII: ':' + two characters per address, PDU and LRC byte + CR LF (Modbus over Serial Line V1.02, 2.5.2).</summary>
    public const int MaxAsciiFrameLength = 1 + (2 * (MaxPduLength + 2)) + 2;
    public const int MaxReadRegisters = 125;
    public const int MaxWriteRegisters = 123;

    /// <summary>FC 23 leaves less room for the write part because the request also carries the read range.</summary>
    public const int MaxReadWriteWriteRegisters = 121;

    public const int MaxReadBits = 2000;
    public const int MaxWriteCoils = 1968;
}
