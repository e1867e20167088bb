using System.Globalization;
using SensorGateway.Profiles.Registers;

namespace SensorGateway.Profiles.Tests;

/// <summary>
/// A device's tables as recorded in a test case: lines <c>holding 0: 00FB 0000</c> (hex registers) or
/// <c>coil 0: 1 0</c> (bits), <c>#</c> comments. Unrecorded addresses read as zero.
/// </summary>
internal sealed class RecordedRegisters
{
    private readonly Dictionary<(RegisterTable, int), ushort> _values = [];

    public static RecordedRegisters Parse(IEnumerable<string> lines)
    {
        var space = new RecordedRegisters();
        foreach (var line in lines.Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var head = line[..colon].Split(' ');
            var table = Enum.Parse<RegisterTable>(head[0], ignoreCase: true);
            var address = int.Parse(head[1], CultureInfo.InvariantCulture);
            var words = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            for (var i = 0; i < words.Length; i++)
            {
                space._values[(table, address + i)] = ushort.Parse(words[i], table is RegisterTable.Coil or RegisterTable.Discrete ? NumberStyles.Integer : NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            }
        }

        return space;
    }

    public ushort[] Read(RegisterTable table, int address, int count) =>
        Enumerable.Range(address, count).Select(a => _values.GetValueOrDefault((table, a))).ToArray();
}
