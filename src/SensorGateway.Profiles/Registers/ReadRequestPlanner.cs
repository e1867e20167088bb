using SensorGateway.Profiles.Firmware;

namespace SensorGateway.Profiles.Registers;

/// <summary>
/// Coalesces a device's channels and status words into the fewest reads: per table, sorted by address,
/// merging neighbours while the read stays within the protocol limit (125 registers, 2000 bits) and the
/// gap between them is at most <c>maxGap</c> unused registers (reading a few unused registers is cheaper
/// than another round trip, but some devices answer an unmapped register with an exception).
/// </summary>
public static class ReadRequestPlanner
{
    public const int MaxRegisters = 125;
    public const int MaxBits = 2000;

    public static IReadOnlyList<ReadRequestPlan> Plan(IEnumerable<ProfileChannel> channels, int maxRegistersPerRequest = MaxRegisters, int maxGap = 10)
    {
        ArgumentNullException.ThrowIfNull(channels);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRegistersPerRequest, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(maxGap);
        var items = new List<(RegisterLayout Layout, ProfileChannel? Channel, StatusWord? Status)>();
        var seenStatus = new HashSet<StatusWord>(ReferenceEqualityComparer.Instance);
        foreach (var channel in channels)
        {
            if (channel.Register is { } layout)
            {
                items.Add((layout, channel, null));
            }

            if (channel.Status is { } status && seenStatus.Add(status))
            {
                items.Add((status.Layout, null, status));
            }
        }

        var plans = new List<ReadRequestPlan>();
        foreach (var table in items.GroupBy(i => i.Layout.Table).OrderBy(g => g.Key))
        {
            var limit = table.Key is RegisterTable.Coil or RegisterTable.Discrete ? MaxBits : Math.Min(maxRegistersPerRequest, MaxRegisters);
            var sorted = table.OrderBy(i => i.Layout.Address).ThenBy(i => i.Layout.Count).ToList();
            var start = sorted[0].Layout.Address;
            var end = sorted[0].Layout.End;
            var members = new List<(RegisterLayout Layout, ProfileChannel? Channel, StatusWord? Status)> { sorted[0] };
            foreach (var item in sorted.Skip(1))
            {
                var newEnd = Math.Max(end, item.Layout.End);
                if (item.Layout.Address - end <= maxGap && newEnd - start <= limit)
                {
                    end = newEnd;
                    members.Add(item);
                    continue;
                }

                plans.Add(Close(table.Key, start, end, members));
                (start, end, members) = (item.Layout.Address, item.Layout.End, [item]);
            }

            plans.Add(Close(table.Key, start, end, members));
        }

        return plans;
    }

    private static ReadRequestPlan Close(RegisterTable table, int start, int end, List<(RegisterLayout Layout, ProfileChannel? Channel, StatusWord? Status)> members) =>
        new(table, (ushort)start, (ushort)(end - start),
            members.Where(m => m.Channel is not null).Select(m => m.Channel!).ToArray(),
            members.Where(m => m.Status is not null).Select(m => m.Status!).ToArray());
}
