namespace SensorGateway.Profiles.Registers;

/// <summary>One way of reading registers that yields the known value.</summary>
/// <param name="AddressOffset">Registers to add to the address the integrator tried (−1 / +1 reveal the one-based/zero-based slip).</param>
/// <param name="Type">Raw type.</param>
/// <param name="Order">Byte order.</param>
/// <param name="Scale">Scale that turns the raw value into the known value.</param>
/// <param name="Decoded">The engineering value this reading gives.</param>
public sealed record RegisterMapSuggestion(int AddressOffset, RawType Type, ByteOrder Order, double Scale, double Decoded)
{
    public override string ToString() =>
        FormattableString.Invariant($"address {(AddressOffset >= 0 ? "+" : "")}{AddressOffset}, type {Type.ToString().ToLowerInvariant()}, byteOrder {Order}, scale {Scale:G} -> {Decoded:G6}");
}
