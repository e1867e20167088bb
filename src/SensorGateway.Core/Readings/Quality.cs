namespace SensorGateway.Core.Readings;

/// <summary>The quality of a reading: a status and, unless good, the reason.</summary>
public readonly record struct Quality(QualityStatus Status, QualityReason Reason)
{
    public static Quality Good { get; } = new(QualityStatus.Good, QualityReason.None);

    public bool IsGood => Status == QualityStatus.Good;

    public static Quality Bad(QualityReason reason) => new(QualityStatus.Bad, reason);

    public static Quality Uncertain(QualityReason reason) => new(QualityStatus.Uncertain, reason);

    public override string ToString() => IsGood ? "good" : $"{Status.ToString().ToLowerInvariant()}:{Reason}";
}
