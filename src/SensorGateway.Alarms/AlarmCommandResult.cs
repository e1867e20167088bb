namespace SensorGateway.Alarms;

/// <summary>Whether the engine took a command; if not, why (for the operator and the audit log).</summary>
/// <param name="Accepted">True when at least one alarm changed.</param>
/// <param name="Problem">Why not, when rejected.</param>
public readonly record struct AlarmCommandResult(bool Accepted, string? Problem)
{
    public static AlarmCommandResult Ok { get; } = new(true, null);

    public static AlarmCommandResult Rejected(string problem) => new(false, problem);
}
