using System.ComponentModel.DataAnnotations;

namespace SensorGateway.Grpc.Hazards;

/// <summary>Bounds of the hazard event log and of each live subscriber.</summary>
public sealed class HazardEventLogOptions
{
    public const string SectionName = "HazardLog";

    /// <summary>Events kept for resuming clients. Defaults to 100,000.</summary>
    [Range(100, 10_000_000)]
    public int RetainedEvents { get; set; } = 100_000;

    /// <summary>
    /// Events a subscriber may fall behind before it is cut off with RESOURCE_EXHAUSTED; it then resumes
    /// from its last sequence and loses nothing. Defaults to 10,000.
    /// </summary>
    [Range(10, 1_000_000)]
    public int SubscriberBuffer { get; set; } = 10_000;
}
