using System.ComponentModel.DataAnnotations;

namespace SensorGateway.Edge.Modbus;

/// <summary>How the poller schedules devices.</summary>
/// <remarks><code>"ModbusPolling": { "Jitter": 0.1, "MaxBackoff": "00:01:00", "PipelineDepth": 8 }</code></remarks>
public sealed class ModbusPollingOptions
{
    public const string SectionName = "ModbusPolling";

    /// <summary>Each device's first poll is delayed by a random part of its interval up to this fraction, so devices do not poll in lock-step. Defaults to 0.1.</summary>
    [Range(0.0, 1.0)]
    public double Jitter { get; set; } = 0.1;

    /// <summary>Longest wait between polls of a device that stopped answering (the wait doubles per failed cycle from its interval). Defaults to 1 minute.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Requests outstanding at once on one Modbus TCP connection (devices behind one gateway). Defaults to 8.</summary>
    [Range(1, 64)]
    public int PipelineDepth { get; set; } = 8;

    /// <summary>Time to open a TCP connection. Defaults to 3 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(3);
}
