using SensorGateway.Core.Alarms;

namespace SensorGateway.Simulators.Scenarios;

/// <summary>
/// An alarm event the gateway must report for a scenario: on which channel, what happened, at which level,
/// and when in scenario time (± <see cref="Tolerance"/>, which covers poll intervals and scheduling).
/// </summary>
public sealed record ExpectedAlarm(string Device, string Channel, AlarmEventKind Kind, AlarmLevel Level, TimeSpan At, TimeSpan Tolerance)
{
    public override string ToString() =>
        $"{Kind} {Level} {Device}/{Channel} at {At.TotalSeconds:0.#}s ± {Tolerance.TotalSeconds:0.#}s";
}
