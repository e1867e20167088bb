using System.ComponentModel.DataAnnotations;

namespace SensorGateway.Grpc.Hazards;

/// <summary>Where and how long hazard events and records are kept, and how far a live subscriber may fall behind.</summary>
/// <remarks>
/// <code>
/// "Hazards": { "DatabasePath": "data/hazards.db", "RetainedEvents": 1000000, "SubscriberBuffer": 10000 }
/// </code>
/// </remarks>
public sealed class HazardStoreOptions
{
    public const string SectionName = "Hazards";

    /// <summary>
    /// The SQLite database file (WAL mode, synchronous=FULL). Relative paths are taken from the working directory.
    /// Defaults to <c>data/hazards.db</c>.
    /// </summary>
    [Required(ErrorMessage = "Hazards:DatabasePath is required: the SQLite file of the hazard log.")]
    public string DatabasePath { get; set; } = "data/hazards.db";

    /// <summary>
    /// Events kept in the log for resuming clients; older ones are pruned (records are never pruned).
    /// A resume point older than that fails with OUT_OF_RANGE. Defaults to 1,000,000.
    /// </summary>
    [Range(100, 1_000_000_000, ErrorMessage = "Hazards:RetainedEvents must be between 100 and 1,000,000,000.")]
    public long RetainedEvents { get; set; } = 1_000_000;

    /// <summary>
    /// Events a live subscriber may fall behind before it is cut off with RESOURCE_EXHAUSTED; it then resumes
    /// from its last sequence and loses nothing. Bounds the memory per subscriber. Defaults to 10,000.
    /// </summary>
    [Range(10, 1_000_000, ErrorMessage = "Hazards:SubscriberBuffer must be between 10 and 1,000,000.")]
    public int SubscriberBuffer { get; set; } = 10_000;

    /// <summary>
    /// SQLite <c>synchronous</c> setting: <c>Full</c> (default) fsyncs every commit, so a committed event survives a power
    /// loss; <c>Normal</c> survives a killed process (SIGKILL) but may lose the last commits on power loss, and
    /// fsyncs only at WAL checkpoints. See docs/HAZARDS.md for the trade-off.
    /// </summary>
    [RegularExpression("^(Full|Normal)$", ErrorMessage = "Hazards:Synchronous must be Full or Normal.")]
    public string Synchronous { get; set; } = "Full";

    /// <summary>Events read from the database per backlog page when a client resumes. Defaults to 500.</summary>
    [Range(1, 100_000, ErrorMessage = "Hazards:BacklogPageSize must be between 1 and 100,000.")]
    public int BacklogPageSize { get; set; } = 500;
}
