namespace SensorGateway.Modbus;

/// <summary>
/// Longitudinal redundancy check of Modbus ASCII (Modbus over Serial Line V1.02, section 6.2.1): the two's complement
/// of the 8-bit sum of address and PDU bytes, so that the sum of all bytes including the LRC is zero.
/// </summary>
public static class ModbusLrc
{
    public static byte Compute(ReadOnlySpan<byte> data)
    {
        byte sum = 0;
        foreach (var value in data)
        {
            sum += value;
        }

        return (byte)-sum;
    }
}
