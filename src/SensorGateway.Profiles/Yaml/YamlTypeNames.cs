namespace SensorGateway.Profiles.Yaml;

/// <summary>Type names as an integrator writing YAML thinks of them.</summary>
internal static class YamlTypeNames
{
    public static string Describe(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t == typeof(int) || t == typeof(long) || t == typeof(byte) || t == typeof(ushort) ? "a whole number"
            : t == typeof(double) || t == typeof(float) || t == typeof(decimal) ? "a number"
            : t == typeof(bool) ? "true or false"
            : t == typeof(string) ? "a text value"
            : t.IsGenericType && t.GetGenericTypeDefinition() == typeof(List<>) ? "a list"
            : t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Dictionary<,>) ? "a mapping of keys to values"
            : "a mapping";
    }
}
