using System.Buffers.Binary;
using System.Text;

namespace SensorGateway.Profiles.Registers;

/// <summary>
/// Turns registers into raw numbers and back, per type and byte order. Pure and allocation-free on the
/// numeric path; the simulators use <see cref="Encode"/> to serve exactly what the gateway decodes.
/// </summary>
public static class RegisterCodec
{
    /// <summary>Decodes a numeric value from the registers (or bits as 0/1 registers) it occupies.</summary>
    public static double Decode(ReadOnlySpan<ushort> registers, RegisterLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        if (registers.Length < layout.Count)
        {
            throw new ArgumentException($"{layout.Type} needs {layout.Count} registers, got {registers.Length}.", nameof(registers));
        }

        Span<byte> bytes = stackalloc byte[8];
        var width = layout.Count * 2;
        if (layout.Type is RawType.Bool)
        {
            return registers[0] != 0 ? 1 : 0;
        }

        if (layout.Type is RawType.Bit)
        {
            return (registers[0] >> layout.Bit) & 1;
        }

        if (layout.Type is RawType.String)
        {
            throw new ArgumentException("String registers have no numeric value; use DecodeString.", nameof(layout));
        }

        ToBigEndian(registers[..layout.Count], layout.Order, bytes[..width]);
        return layout.Type switch
        {
            RawType.Int16 => BinaryPrimitives.ReadInt16BigEndian(bytes),
            RawType.UInt16 => BinaryPrimitives.ReadUInt16BigEndian(bytes),
            RawType.Int32 => BinaryPrimitives.ReadInt32BigEndian(bytes),
            RawType.UInt32 => BinaryPrimitives.ReadUInt32BigEndian(bytes),
            RawType.Int64 => BinaryPrimitives.ReadInt64BigEndian(bytes),
            RawType.UInt64 => BinaryPrimitives.ReadUInt64BigEndian(bytes),
            RawType.Float32 => BinaryPrimitives.ReadSingleBigEndian(bytes),
            RawType.Float64 => BinaryPrimitives.ReadDoubleBigEndian(bytes),
            _ => throw new ArgumentOutOfRangeException(nameof(layout), layout.Type, "unknown raw type"),
        };
    }

    /// <summary>Decodes ASCII text, two characters per register, high byte first; trailing NULs and spaces trimmed.</summary>
    public static string DecodeString(ReadOnlySpan<ushort> registers)
    {
        Span<byte> bytes = stackalloc byte[registers.Length * 2];
        for (var i = 0; i < registers.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(bytes[(i * 2)..], registers[i]);
        }

        return Encoding.ASCII.GetString(bytes).TrimEnd('\0', ' ');
    }

    /// <summary>Encodes a raw value into registers, the inverse of <see cref="Decode"/> (values are rounded and clamped to the type).</summary>
    public static void Encode(double value, RegisterLayout layout, Span<ushort> registers)
    {
        ArgumentNullException.ThrowIfNull(layout);
        Span<byte> bytes = stackalloc byte[8];
        switch (layout.Type)
        {
            case RawType.Bool:
                registers[0] = value != 0 ? (ushort)1 : (ushort)0;
                return;
            case RawType.Bit:
                registers[0] = value != 0 ? (ushort)(registers[0] | (1 << layout.Bit)) : (ushort)(registers[0] & ~(1 << layout.Bit));
                return;
            case RawType.Int16:
                BinaryPrimitives.WriteInt16BigEndian(bytes, (short)Math.Clamp(Math.Round(value), short.MinValue, short.MaxValue));
                break;
            case RawType.UInt16:
                BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)Math.Clamp(Math.Round(value), ushort.MinValue, ushort.MaxValue));
                break;
            case RawType.Int32:
                BinaryPrimitives.WriteInt32BigEndian(bytes, (int)Math.Clamp(Math.Round(value), int.MinValue, int.MaxValue));
                break;
            case RawType.UInt32:
                BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)Math.Clamp(Math.Round(value), uint.MinValue, uint.MaxValue));
                break;
            case RawType.Int64:
                BinaryPrimitives.WriteInt64BigEndian(bytes, (long)Math.Round(value));
                break;
            case RawType.UInt64:
                BinaryPrimitives.WriteUInt64BigEndian(bytes, (ulong)Math.Max(0, Math.Round(value)));
                break;
            case RawType.Float32:
                BinaryPrimitives.WriteSingleBigEndian(bytes, (float)value);
                break;
            case RawType.Float64:
                BinaryPrimitives.WriteDoubleBigEndian(bytes, value);
                break;
            default:
                throw new ArgumentException($"{layout.Type} cannot be encoded from a number.", nameof(layout));
        }

        FromBigEndian(bytes[..(layout.Count * 2)], layout.Order, registers[..layout.Count]);
    }

    // Registers arrive as 16-bit words; the order names where each big-endian byte of the value sits.
    private static void ToBigEndian(ReadOnlySpan<ushort> registers, ByteOrder order, Span<byte> bytes)
    {
        var words = registers.Length;
        for (var i = 0; i < words; i++)
        {
            var word = order is ByteOrder.CDAB or ByteOrder.DCBA ? registers[words - 1 - i] : registers[i];
            var swapBytes = order is ByteOrder.BADC or ByteOrder.DCBA;
            bytes[i * 2] = (byte)(swapBytes ? word : word >> 8);
            bytes[(i * 2) + 1] = (byte)(swapBytes ? word >> 8 : word);
        }
    }

    private static void FromBigEndian(ReadOnlySpan<byte> bytes, ByteOrder order, Span<ushort> registers)
    {
        var words = registers.Length;
        for (var i = 0; i < words; i++)
        {
            var swapBytes = order is ByteOrder.BADC or ByteOrder.DCBA;
            var word = swapBytes ? (ushort)(bytes[i * 2] | (bytes[(i * 2) + 1] << 8)) : (ushort)((bytes[i * 2] << 8) | bytes[(i * 2) + 1]);
            registers[order is ByteOrder.CDAB or ByteOrder.DCBA ? words - 1 - i : i] = word;
        }
    }
}
