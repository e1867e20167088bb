namespace SensorGateway.Core.Hazards;

/// <summary>An operator's step on a hazard record, with who did it and why.</summary>
/// <param name="Action">The step.</param>
/// <param name="Actor">The person (or API key owner) doing it.</param>
/// <param name="Note">Free text kept in the history.</param>
/// <param name="Grade">For <see cref="HazardAction.Grade"/>: the grade given.</param>
/// <param name="Plan">For <see cref="HazardAction.Grade"/> of a 重大 hazard: the rectification plan.</param>
/// <param name="Reason">For <see cref="HazardAction.Withdraw"/>: why it was a false alarm.</param>
/// <param name="Approver">For <see cref="HazardAction.Withdraw"/>: who approved the withdrawal.</param>
public sealed record HazardCommand(
    HazardAction Action,
    string Actor,
    string Note = "",
    HazardGrade Grade = HazardGrade.Unassessed,
    RectificationPlan? Plan = null,
    string? Reason = null,
    string? Approver = null);
