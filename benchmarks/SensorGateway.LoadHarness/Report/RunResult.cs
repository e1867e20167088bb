using SensorGateway.LoadHarness.Measurement;

namespace SensorGateway.LoadHarness.Report;

/// <summary>Everything one load run measured; written as JSON and shown as tables. Rates are per second of load time.</summary>
internal sealed record RunResult
{
    public required DateTimeOffset Started { get; init; }
    public required string Database { get; init; }
    public required int Sensors { get; init; }
    public required double RatePerSensor { get; init; }

    /// <summary>Detector points of each MQTT device, published in one message.</summary>
    public required int PointsPerMqttDevice { get; init; }

    /// <summary>Whether every MQTT device reported at the start of each interval (a burst) rather than at its own offset.</summary>
    public required bool PhasesAligned { get; init; }
    public required int ModbusDevices { get; init; }
    public required int MqttDevices { get; init; }
    public required int Channels { get; init; }
    public required double LoadSeconds { get; init; }

    // Throughput: offered by the simulators, accepted by the gateway, landed in the database.
    public required double OfferedPerSecond { get; init; }
    public required double AcceptedPerSecond { get; init; }
    public required long Offered { get; init; }
    public required long Accepted { get; init; }
    public required long Landed { get; init; }
    public required double LandedPerSecond { get; init; }
    public required double DrainSeconds { get; init; }

    // Loss by (device, sequence).
    public required long SequencesSent { get; init; }
    public required long Lost { get; init; }
    public required long LostMqtt { get; init; }
    public required long LostModbus { get; init; }
    public required long Duplicates { get; init; }
    public required long Unexplained { get; init; }
    public required long MqttPublishFailures { get; init; }

    // Alarm latency: probe send time → hazard event received over gRPC, for the alarms sent after the start-up window.
    public required long ProbesSent { get; init; }
    public required int AlarmsReceived { get; init; }
    public required double AlarmP50Ms { get; init; }
    public required double AlarmP99Ms { get; init; }
    public required double AlarmMaxMs { get; init; }

    /// <summary>The load's first seconds, whose alarms time the start-up transient and are counted here instead.</summary>
    public required double StartUpSeconds { get; init; }

    public required int StartUpAlarms { get; init; }

    public required double StartUpAlarmP99Ms { get; init; }

    public required double StartUpAlarmMaxMs { get; init; }

    /// <summary>Probe sent → reading received by the gateway, p50 / p99 (publisher, broker, socket).</summary>
    public required double AlarmToGatewayP50Ms { get; init; }

    public required double AlarmToGatewayP99Ms { get; init; }

    /// <summary>Probe sent → the same message at an idle second subscriber of the broker, p50 / p99 (publisher and broker).</summary>
    public required double AlarmToBrokerP50Ms { get; init; }

    public required double AlarmToBrokerP99Ms { get; init; }

    /// <summary>That second subscriber's arrival → the gateway's received_time, p50 / p99 (the gateway's connection and intake).</summary>
    public required double AlarmBrokerToGatewayP50Ms { get; init; }

    public required double AlarmBrokerToGatewayP99Ms { get; init; }

    /// <summary>Reading received by the gateway → alarm event at the subscriber, p50 / p99 (detection, commit, stream).</summary>
    public required double AlarmInGatewayP50Ms { get; init; }

    public required double AlarmInGatewayP99Ms { get; init; }

    /// <summary>Hazard-log group commit p50 / p99 during the load, as bucket upper bounds of the gateway's histogram (NaN: none).</summary>
    public required double HazardCommitP50Ms { get; init; }

    public required double HazardCommitP99Ms { get; init; }

    // The gateway process alone.
    public required double GatewayCpuPercent { get; init; }
    public required double GatewayPeakRssMiB { get; init; }
    public required double GatewayRssAtQuarterMiB { get; init; }
    public required double GatewayRssAtEndMiB { get; init; }
    public required double BytesPerChannel { get; init; }

    /// <summary>Resident memory with the site loaded and polling started, before the load: the process's fixed cost.</summary>
    public required double GatewayRssBeforeLoadMiB { get; init; }

    /// <summary>(peak − before load) / channels: what the load adds per channel.</summary>
    public required double LoadBytesPerChannel { get; init; }
    public required double GcPauseMs { get; init; }
    public required double GcPausePercent { get; init; }
    public required double GcCollections { get; init; }
    public required double MaxStorageQueue { get; init; }
    public required double MaxSpoolPending { get; init; }

    // The other processes, to name the stage that saturates.
    public required double BrokerCpuPercent { get; init; }
    public required double DatabaseCpuPercent { get; init; }
    public required double SimulatorsCpuPercent { get; init; }
    public required double MosquittoSubCpuPercent { get; init; }

    // Reference peers and ratios.
    public required double GatewayModbusPollsPerSecond { get; init; }
    public required double LibModbusRequestsPerSecond { get; init; }
    public required double LibModbusP99Microseconds { get; init; }
    public required double GatewayMqttMessagesPerSecond { get; init; }
    public required double MosquittoSubMessagesPerSecond { get; init; }
    public required double DatabaseCeilingPerSecond { get; init; }

    /// <summary>Per subscriber fleet size (--fan-out), the alarm latency in the gateway at the subscribers' sockets.</summary>
    public required IReadOnlyList<FanOutResult> FanOut { get; init; }

    /// <summary>What went wrong or limited the run, in words.</summary>
    public required IReadOnlyList<string> Notes { get; init; }

    public double ModbusRatio => Ratio(GatewayModbusPollsPerSecond, LibModbusRequestsPerSecond);

    public double MqttRatio => Ratio(GatewayMqttMessagesPerSecond, MosquittoSubMessagesPerSecond);

    public double DatabaseRatio => Ratio(LandedPerSecond, DatabaseCeilingPerSecond);

    private static double Ratio(double ours, double reference) => reference > 0 ? ours / reference : double.NaN;
}
