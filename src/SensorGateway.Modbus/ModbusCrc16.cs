using System.Buffers;

namespace SensorGateway.Modbus;

/// <summary>CRC-16/MODBUS (polynomial 0xA001 reflected, initial 0xFFFF), Modbus over Serial Line V1.02 section 6.2.2.</summary>
/// <remarks>On the wire the low byte goes first.</remarks>
public static class ModbusCrc16
{
    private static readonly ushort[] s_table = BuildTable();

    public static ushort Compute(ReadOnlySpan<byte> data) => Update(0xFFFF, data);

    public static ushort Compute(in ReadOnlySequence<byte> data)
    {
        ushort crc = 0xFFFF;
        foreach (var segment in data)
        {
            crc = Update(crc, segment.Span);
        }

        return crc;
    }

    public static ushort Update(ushort crc, ReadOnlySpan<byte> data)
    {
        var table = s_table;
        foreach (var b in data)
        {
            crc = (ushort)((crc >> 8) ^ table[(crc ^ b) & 0xFF]);
        }

        return crc;
    }

    private static ushort[] BuildTable()
    {
        var table = new ushort[256];
        for (var i = 0; i < 256; i++)
        {
            var value = (ushort)i;
            for (var bit = 0; bit < 8; bit++)
            {
                value = (value & 1) != 0 ? (ushort)((value >> 1) ^ 0xA001) : (ushort)(value >> 1);
            }

            table[i] = value;
        }

        return table;
    }
}
