namespace SensorGateway.Core.Hazards;

/// <summary>A step that the lifecycle does not allow from the record's current state, or that lacks what it needs.</summary>
public sealed class HazardTransitionException : InvalidOperationException
{
    public HazardTransitionException()
    {
    }

    public HazardTransitionException(string message)
        : base(message)
    {
    }

    public HazardTransitionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public HazardTransitionException(string recordId, HazardStatus current, HazardAction action, string problem)
        : base($"Hazard {recordId} is {current}: cannot {action}. {problem}")
    {
        RecordId = recordId;
        Current = current;
        Action = action;
    }

    public string RecordId { get; } = "";

    public HazardStatus Current { get; }

    public HazardAction Action { get; }
}
