using System.Buffers;
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

    // One instance per distinct text (site, device, channel, quantity, unit): series share most of their parts, and a
    // string per part per series cost ~150 bytes per channel at 50k channels. Cleared with the entries.
    private readonly HashSet<string> _texts = new(StringComparer.Ordinal);
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _textLookup;

    public SeriesDecoder() => _textLookup = _texts.GetAlternateLookup<ReadOnlySpan<char>>();

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
            _texts.Clear();
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

    private string ReadString(ref ReadOnlySpan<byte> source)
    {
        var length = BinaryPrimitives.ReadUInt16LittleEndian(source);
        var utf8 = source.Slice(2, length);
        source = source[(2 + length)..];
        char[]? rented = null;
        Span<char> chars = length <= 256 ? stackalloc char[length] : (rented = ArrayPool<char>.Shared.Rent(length));
        try
        {
            var text = chars[..Encoding.UTF8.GetChars(utf8, chars)];
            if (!_textLookup.TryGetValue(text, out var value))
            {
                value = new string(text);
                _texts.Add(value);
            }

            return value;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    private sealed record Entry(byte[] Key, ChannelId Channel, string Quantity, string Unit, Entry? Next);
}
