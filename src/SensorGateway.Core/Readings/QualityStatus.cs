namespace SensorGateway.Core.Readings;

/// <summary>Whether a reading can be trusted. Only <see cref="Good"/> may ever count as normal.</summary>
public enum QualityStatus
{
    Good = 0,
    Uncertain = 1,
    Bad = 2,
}
