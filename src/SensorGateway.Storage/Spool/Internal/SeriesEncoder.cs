using SensorGateway.Core.Readings;

namespace SensorGateway.Storage.Spool.Internal;

/// <summary>
/// Caches the encoded strings of each series (channel, quantity, unit) so that appending a reading is a copy,
/// not five UTF-8 encodings. Not thread-safe: the spool uses it under its append lock.
/// </summary>
internal sealed class SeriesEncoder
{
    private const int MaxEntries = 1 << 16;
    private readonly Dictionary<SeriesKey, byte[]> _cache = [];

    public byte[] Get(in Reading reading)
    {
        var key = new SeriesKey(reading.Channel, reading.Quantity ?? string.Empty, reading.Unit ?? string.Empty);
        if (_cache.TryGetValue(key, out var bytes))
        {
            return bytes;
        }

        ArgumentNullException.ThrowIfNull(reading.Channel, "reading.Channel");
        bytes = SpoolRecordCodec.EncodeSeries(key.Channel, key.Quantity, key.Unit);
        if (_cache.Count >= MaxEntries)
        {
            _cache.Clear();
        }

        _cache[key] = bytes;
        return bytes;
    }

    private readonly record struct SeriesKey(ChannelId Channel, string Quantity, string Unit);
}
