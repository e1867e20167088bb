namespace SensorGateway.Core.Hazards;

/// <summary>
/// The plan a 重大 hazard needs before rectification starts (令16: measures, funds, responsible person,
/// deadline, interim safety measures — the "五到位").
/// </summary>
public sealed record RectificationPlan(
    string Measures,
    string Funds,
    string ResponsiblePerson,
    DateTimeOffset Deadline,
    string InterimMeasures)
{
    /// <summary>Names the first missing item, or null when the plan is complete.</summary>
    public string? FirstMissingItem() =>
        string.IsNullOrWhiteSpace(Measures) ? "measures"
        : string.IsNullOrWhiteSpace(Funds) ? "funds"
        : string.IsNullOrWhiteSpace(ResponsiblePerson) ? "responsible person"
        : string.IsNullOrWhiteSpace(InterimMeasures) ? "interim measures"
        : null;
}
