using System.Globalization;

namespace SensorGateway.LoadHarness.Measurement;

/// <summary>
/// A scrape of the gateway's <c>/metrics</c> (Prometheus text format), summed over label sets per metric name:
/// the harness wants totals (readings accepted, polls, GC pause time), not the per-device split.
/// </summary>
internal sealed class PrometheusText
{
    private readonly Dictionary<string, double> _totals = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Name, double UpperBound), double> _buckets = [];

    public PrometheusText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (line.IsEmpty || line[0] == '#')
            {
                continue;
            }

            var nameEnd = line.IndexOfAny('{', ' ');
            if (nameEnd <= 0)
            {
                continue;
            }

            // name{labels} value [timestamp]: label values may hold spaces, so the value starts after the last brace.
            var rest = line[((line[nameEnd] == '{' ? line.LastIndexOf('}') : nameEnd - 1) + 1)..].TrimStart();
            var space = rest.IndexOf(' ');
            var valueText = space < 0 ? rest : rest[..space];
            if (double.TryParse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
            {
                var name = line[..nameEnd].ToString();
                _totals[name] = _totals.GetValueOrDefault(name) + value;
                if (name.EndsWith("_bucket", StringComparison.Ordinal) && UpperBound(line) is { } le)
                {
                    _buckets[(name, le)] = _buckets.GetValueOrDefault((name, le)) + value;
                }
            }
        }
    }

    public IReadOnlyDictionary<string, double> Totals => _totals;

    /// <summary>
    /// The <paramref name="quantile"/> of a histogram over what was recorded between <paramref name="before"/> and
    /// <paramref name="after"/>, as the upper bound of the bucket it falls in (null when nothing was recorded).
    /// </summary>
    public static double? Quantile(PrometheusText before, PrometheusText after, string prefix, double quantile)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var buckets = after._buckets.Where(b => b.Key.Name.StartsWith(prefix, StringComparison.Ordinal))
            .Select(b => (b.Key.UpperBound, Count: b.Value - before._buckets.GetValueOrDefault(b.Key)))
            .OrderBy(b => b.UpperBound).ToArray();
        var total = buckets.Length == 0 ? 0 : buckets[^1].Count; // cumulative: the +Inf bucket holds every observation
        return total <= 0 ? null : buckets.First(b => b.Count >= quantile * total).UpperBound;
    }

    private static double? UpperBound(ReadOnlySpan<char> line)
    {
        var at = line.IndexOf("le=\"", StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var text = line[(at + 4)..];
        text = text[..text.IndexOf('"')];
        return text.SequenceEqual("+Inf") ? double.PositiveInfinity
            : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var bound) ? bound : null;
    }

    /// <summary>The total of the first metric whose name starts with one of <paramref name="prefixes"/> (exporters add unit and <c>_total</c> suffixes).</summary>
    public double Sum(params string[] prefixes)
    {
        foreach (var prefix in prefixes)
        {
            var match = _totals.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && !k.EndsWith("_bucket", StringComparison.Ordinal)
                && !k.EndsWith("_count", StringComparison.Ordinal) && !k.EndsWith("_sum", StringComparison.Ordinal)).Order(StringComparer.Ordinal).FirstOrDefault();
            if (match is not null)
            {
                return _totals[match];
            }
        }

        return 0;
    }
}
