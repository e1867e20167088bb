using SensorGateway.Profiles.Firmware;

namespace SensorGateway.Profiles.Registers;

/// <summary>One read the poller sends: a table, a start address and a count, and what it serves.</summary>
/// <param name="Table">The Modbus table (and so the function code: 01, 02, 03 or 04).</param>
/// <param name="Address">Zero-based start address.</param>
/// <param name="Count">Registers or bits to read.</param>
/// <param name="Channels">The channels whose values lie inside this read.</param>
/// <param name="StatusWords">The status words inside this read.</param>
public sealed record ReadRequestPlan(RegisterTable Table, ushort Address, ushort Count, IReadOnlyList<ProfileChannel> Channels, IReadOnlyList<StatusWord> StatusWords)
{
    public byte FunctionCode => Table switch
    {
        RegisterTable.Coil => 1,
        RegisterTable.Discrete => 2,
        RegisterTable.Holding => 3,
        _ => 4,
    };

    public override string ToString() =>
        $"FC{FunctionCode:00} {Table.ToString().ToLowerInvariant()} {Address}..{Address + Count - 1} ({Count}) -> {string.Join(", ", Channels.Select(c => c.Name).Concat(StatusWords.Select(s => "[" + s.Name + "]")))}";
}
