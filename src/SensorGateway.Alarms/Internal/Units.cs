namespace SensorGateway.Alarms.Internal;

/// <summary>Unit spellings compared loosely: case, spaces and superscript digits do not matter (mg/m³ = mg/m3).</summary>
internal static class Units
{
    public static bool Same(string? a, string? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        if (ReferenceEquals(a, b) || string.Equals(a, b, StringComparison.Ordinal))
        {
            return true;
        }

        return string.Equals(Normalize(a), Normalize(b), StringComparison.OrdinalIgnoreCase);
    }

    private static string Normalize(string unit) =>
        unit.Replace(" ", "", StringComparison.Ordinal)
            .Replace("³", "3", StringComparison.Ordinal)
            .Replace("²", "2", StringComparison.Ordinal)
            .Replace("·", "", StringComparison.Ordinal)
            .Replace("*", "", StringComparison.Ordinal);
}
