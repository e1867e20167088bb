using System.Globalization;

namespace SensorGateway.Profiles.Yaml;

/// <summary>Durations as integrators write them: <c>500ms</c>, <c>5s</c>, <c>2m</c>, <c>1h</c>.</summary>
internal static class Durations
{
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        (string suffix, double factorMs)[] units = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)];
        foreach (var (suffix, factor) in units)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal) &&
                double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var number) &&
                number >= 0 && double.IsFinite(number))
            {
                value = TimeSpan.FromMilliseconds(number * factor);
                return true;
            }
        }

        return false;
    }
}
