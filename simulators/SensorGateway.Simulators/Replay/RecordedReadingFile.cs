using System.Globalization;

namespace SensorGateway.Simulators.Replay;

/// <summary>
/// Reads a recording: the gateway's own line protocol (<c>reading,site=…,device=d,channel=c,… value=1.5,quality="good",seq=7i 1764390000000</c>,
/// timestamps in ms) or CSV with a header naming at least <c>time</c> (ISO 8601 or unix ms), <c>device</c>,
/// <c>channel</c>, <c>value</c>, and optionally <c>seq</c>. Sorted by time.
/// </summary>
public static class RecordedReadingFile
{
    /// <exception cref="FormatException">A line cannot be read; the message names the file and line.</exception>
    public static IReadOnlyList<RecordedReading> Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var lines = File.ReadAllLines(path);
        var readings = path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? ParseCsv(path, lines) : ParseLineProtocol(path, lines);
        return [.. readings.OrderBy(r => r.Time)];
    }

    public static List<RecordedReading> ParseLineProtocol(string file, IReadOnlyList<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var result = new List<RecordedReading>();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var parts = line.Split(' ');
            if (parts.Length < 3)
            {
                throw new FormatException($"{file}:{i + 1}: expected 'measurement,tags fields timestamp'");
            }

            var tags = parts[0].Split(',').Skip(1).Select(t => t.Split('=', 2)).Where(t => t.Length == 2).ToDictionary(t => t[0], t => t[1], StringComparer.Ordinal);
            var fields = string.Join(' ', parts[1..^1]).Split(',').Select(f => f.Split('=', 2)).Where(f => f.Length == 2).ToDictionary(f => f[0], f => f[1], StringComparer.Ordinal);
            if (!tags.TryGetValue("device", out var device) || !tags.TryGetValue("channel", out var channel)
                || !fields.TryGetValue("value", out var valueText) || !double.TryParse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                || !long.TryParse(parts[^1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms))
            {
                throw new FormatException($"{file}:{i + 1}: needs device and channel tags, a numeric value field and a timestamp in ms");
            }

            var seq = fields.TryGetValue("seq", out var seqText) && long.TryParse(seqText.TrimEnd('i'), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : 0;
            result.Add(new RecordedReading(DateTimeOffset.FromUnixTimeMilliseconds(ms), device, channel, value, seq));
        }

        return result;
    }

    public static List<RecordedReading> ParseCsv(string file, IReadOnlyList<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        if (lines.Count == 0)
        {
            return [];
        }

        var header = lines[0].Split(',').Select(h => h.Trim().ToLowerInvariant()).ToList();
        int Column(string name) => header.IndexOf(name) is var index and >= 0 ? index : throw new FormatException($"{file}:1: the header needs a '{name}' column");
        int time = Column("time"), device = Column("device"), channel = Column("channel"), value = Column("value"), seq = header.IndexOf("seq");
        var result = new List<RecordedReading>();
        for (var i = 1; i < lines.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                continue;
            }

            var cells = lines[i].Split(',').Select(c => c.Trim()).ToArray();
            if (cells.Length < header.Count || !double.TryParse(cells[value], NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
            {
                throw new FormatException($"{file}:{i + 1}: expected {header.Count} cells with a numeric value");
            }

            var at = long.TryParse(cells[time], NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms)
                ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
                : DateTimeOffset.TryParse(cells[time], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
                    ? t
                    : throw new FormatException($"{file}:{i + 1}: time '{cells[time]}' is neither ISO 8601 nor unix milliseconds");
            result.Add(new RecordedReading(at, cells[device], cells[channel], v,
                seq >= 0 && long.TryParse(cells[seq], NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : 0));
        }

        return result;
    }
}
