using SensorGateway.Core.Readings;

namespace SensorGateway.Alarms.Internal;

internal enum EngineInputKind
{
    Reading = 0,
    Tick,
    Flush,
}

/// <summary>What the fold consumes: a reading, a timer tick (time-based rules), or a flush after an operator command.</summary>
internal readonly record struct EngineInput(EngineInputKind Kind, Reading Reading)
{
    public static EngineInput Tick { get; } = new(EngineInputKind.Tick, default);

    public static EngineInput Flush { get; } = new(EngineInputKind.Flush, default);

    public static EngineInput Of(Reading reading) => new(EngineInputKind.Reading, reading);
}
