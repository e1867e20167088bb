namespace SensorGateway.Profiles.Registers;

/// <summary>Where and how one value is stored: table, zero-based address, raw type and byte order.</summary>
/// <param name="Table">The Modbus table.</param>
/// <param name="Address">Zero-based protocol address (the PDU address), whatever convention the profile was written in.</param>
/// <param name="Type">Raw type.</param>
/// <param name="Order">Byte order of multi-byte values.</param>
/// <param name="Bit">For <see cref="RawType.Bit"/>: the bit, 0–15.</param>
/// <param name="Length">For <see cref="RawType.String"/>: registers; otherwise derived from the type.</param>
public sealed record RegisterLayout(RegisterTable Table, ushort Address, RawType Type, ByteOrder Order = ByteOrder.ABCD, int Bit = 0, int Length = 0)
{
    /// <summary>How many registers (or bits, for coils and discrete inputs) the value occupies.</summary>
    public int Count => Type switch
    {
        RawType.Bool or RawType.Int16 or RawType.UInt16 or RawType.Bit => 1,
        RawType.Int32 or RawType.UInt32 or RawType.Float32 => 2,
        RawType.Int64 or RawType.UInt64 or RawType.Float64 => 4,
        RawType.String => Length,
        _ => 1,
    };

    public bool IsBitTable => Table is RegisterTable.Coil or RegisterTable.Discrete;

    /// <summary>The first address after the value.</summary>
    public int End => Address + Count;
}
