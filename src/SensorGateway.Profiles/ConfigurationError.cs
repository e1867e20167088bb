namespace SensorGateway.Profiles;

/// <summary>One problem in a configuration file, located precisely enough to fix it without searching.</summary>
/// <param name="File">The file's path as given.</param>
/// <param name="Line">1-based line, or 0 when the problem is about the whole file.</param>
/// <param name="Column">1-based column, or 0.</param>
/// <param name="Field">The key path, e.g. <c>devices[2].modbus.unit</c>.</param>
/// <param name="Problem">What is wrong and how to fix it.</param>
public sealed record ConfigurationError(string File, int Line, int Column, string Field, string Problem)
{
    public override string ToString() =>
        Line > 0 ? $"{File}:{Line}:{Column}: {Field}: {Problem}" : $"{File}: {Field}: {Problem}";
}
