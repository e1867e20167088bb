using System.Buffers.Binary;
using System.Text;
using SensorGateway.Core.Readings;

namespace SensorGateway.Storage.Spool.Internal;

/// <summary>
/// Maps the encoded series strings of a record back to a shared <see cref="ChannelId"/> and shared quantity and
/// unit strings, keyed by the bytes, so reading a backlog allocates a series' strings once, not once per record.
/// Bounded: past <see cref="MaxEntries"/> series it starts over. Not thread-safe.
/// </summary>
internal sealed class SeriesDecoder
{
    private const int MaxEntries = 1 << 17;
    private readonly Dictionary<int, Entry> _entries = [];

    public (ChannelId Channel, string Quantity, string Unit) Decode(ReadOnlySpan<byte> series)
    {
        var hash = new HashCode();
        hash.AddBytes(series);
        var key = hash.ToHashCode();
        _entries.TryGetValue(key, out var first);
        for (var entry = first; entry is not null; entry = entry.Next)
        {
            if (series.SequenceEqual(entry.Key))
            {
                return (entry.Channel, entry.Quantity, entry.Unit);
            }
        }

        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
            first = null;
        }

        var bytes = series.ToArray();
        var site = ReadString(ref series);
        var device = ReadString(ref series);
        var channel = ReadString(ref series);
        var quantity = ReadString(ref series);
        var unit = ReadString(ref series);
        var added = new Entry(bytes, new ChannelId(site, device, channel), quantity, unit, first);
        _entries[key] = added;
        return (added.Channel, added.Quantity, added.Unit);
    }

    private static string ReadString(ref ReadOnlySpan<byte> source)
    {
        var length = BinaryPrimitives.ReadUInt16LittleEndian(source);
        var value = Encoding.UTF8.GetString(source.Slice(2, length));
        source = source[(2 + length)..];
        return value;
    }

    private sealed record Entry(byte[] Key, ChannelId Channel, string Quantity, string Unit, Entry? Next);
}
