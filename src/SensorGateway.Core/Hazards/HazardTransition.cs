namespace SensorGateway.Core.Hazards;

/// <summary>One step of a record's history: who did what, when, and why (如实记录).</summary>
public sealed record HazardTransition(
    HazardAction Action,
    HazardStatus From,
    HazardStatus To,
    string Actor,
    DateTimeOffset Time,
    string Note);
