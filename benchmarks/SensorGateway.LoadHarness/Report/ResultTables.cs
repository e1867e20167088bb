using System.Globalization;
using SensorGateway.LoadHarness.Measurement;
using Spectre.Console;

namespace SensorGateway.LoadHarness.Report;

/// <summary>The report: one column per run (one for a single run, one per size for a scaling run).</summary>
internal static class ResultTables
{
    private static readonly (string Label, Func<RunResult, string> Value)[] s_throughput =
    [
        ("sensors (Modbus / MQTT)", r => $"{r.Sensors:N0} ({r.ModbusDevices:N0} / {r.MqttDevices:N0})"),
        ("channels", r => N(r.Channels)),
        ("load time", r => $"{r.LoadSeconds:0} s"),
        ("readings/s offered", r => N(r.OfferedPerSecond)),
        ("readings/s accepted (gateway)", r => N(r.AcceptedPerSecond)),
        ("readings landed in database", r => $"{N(r.Landed)} of {N(r.Offered)} offered"),
        ("readings/s landed", r => N(r.LandedPerSecond)),
        ("drain after load", r => $"{r.DrainSeconds:0.0} s"),
        ("lost (by sequence): MQTT + Modbus", r => $"{N(r.LostMqtt)} + {N(r.LostModbus)} of {N(r.SequencesSent)}"),
        ("duplicates", r => N(r.Duplicates)),
        ("unexplained / publish failures", r => $"{N(r.Unexplained)} / {N(r.MqttPublishFailures)}"),
        ("start-up: alarms in first seconds, p99 / max", r => $"{r.StartUpAlarms} in {r.StartUpSeconds:0} s, {r.StartUpAlarmP99Ms:0.0} / {r.StartUpAlarmMaxMs:0.0} ms"),
        ("alarm latency p50 / p99 / max (after start-up)", r => $"{r.AlarmP50Ms:0.0} / {r.AlarmP99Ms:0.0} / {r.AlarmMaxMs:0.0} ms"),
        ("  of it: to the gateway p50 / p99", r => $"{r.AlarmToGatewayP50Ms:0.0} / {r.AlarmToGatewayP99Ms:0.0} ms"),
        ("    publisher + broker (idle subscriber) p50 / p99", r => $"{r.AlarmToBrokerP50Ms:0.0} / {r.AlarmToBrokerP99Ms:0.0} ms"),
        ("    broker → gateway's intake p50 / p99", r => $"{r.AlarmBrokerToGatewayP50Ms:0.0} / {r.AlarmBrokerToGatewayP99Ms:0.0} ms"),
        ("  of it: in the gateway p50 / p99", r => $"{r.AlarmInGatewayP50Ms:0.0} / {r.AlarmInGatewayP99Ms:0.0} ms"),
        ("  hazard-log commit p50 / p99 (≤ bucket)", r => $"{r.HazardCommitP50Ms:0} / {r.HazardCommitP99Ms:0} ms"),
        ("alarms received / probes", r => $"{r.AlarmsReceived} / {r.ProbesSent}"),
        ("gateway CPU (% of one core)", r => P(r.GatewayCpuPercent)),
        ("gateway peak RSS", r => $"{r.GatewayPeakRssMiB:0} MiB"),
        ("gateway RSS at 1/4 → end", r => $"{r.GatewayRssAtQuarterMiB:0} → {r.GatewayRssAtEndMiB:0} MiB"),
        ("peak RSS per channel (all / added by load)", r => $"{r.BytesPerChannel:N0} / {r.LoadBytesPerChannel:N0} B"),
        ("gateway RSS before load", r => $"{r.GatewayRssBeforeLoadMiB:0} MiB"),
        ("GC pause total (% of time)", r => $"{r.GcPauseMs:0} ms ({r.GcPausePercent:0.00} %)"),
        ("GC collections", r => N(r.GcCollections)),
        ("max storage queue / spool backlog", r => $"{N(r.MaxStorageQueue)} / {N(r.MaxSpoolPending)}"),
        ("CPU: broker / database / simulators / mosquitto_sub", r => $"{P(r.BrokerCpuPercent)} / {P(r.DatabaseCpuPercent)} / {P(r.SimulatorsCpuPercent)} / {P(r.MosquittoSubCpuPercent)}"),
    ];

    private static readonly (string Label, Func<RunResult, string> Value)[] s_peers =
    [
        ("Modbus: gateway polls/s (at the offered rate)", r => N(r.GatewayModbusPollsPerSecond)),
        ("Modbus: libmodbus poller reqs/s (1 connection, flat out)", r => $"{N(r.LibModbusRequestsPerSecond)} (p99 {r.LibModbusP99Microseconds:0} µs)"),
        ("Modbus: ratio", r => R(r.ModbusRatio)),
        ("MQTT: gateway messages/s", r => N(r.GatewayMqttMessagesPerSecond)),
        ("MQTT: mosquitto_sub messages/s (same time)", r => N(r.MosquittoSubMessagesPerSecond)),
        ("MQTT: ratio", r => R(r.MqttRatio)),
        ("DB: gateway landed readings/s", r => N(r.LandedPerSecond)),
        ("DB: ingest ceiling, 5,000-point batches", r => N(r.DatabaseCeilingPerSecond)),
        ("DB: ratio", r => R(r.DatabaseRatio)),
    ];

    private static readonly (string Label, Func<FanOutResult, string> Value)[] s_fanOut =
    [
        ("phases / alarms timed", f => $"{f.Phases} / {N(f.Alarms)}"),
        ("deliveries (missing / read with the next event)", f => $"{N(f.Deliveries)} ({N(f.Missing)} / {N(f.SharedReads)})"),
        ("in the gateway p50 / p99 / max, at the socket", f => $"{f.P50Ms:0.0} / {f.P99Ms:0.0} / {f.MaxMs:0.0} ms"),
        ("  p99 in the subscribers' code", f => $"{f.CodeP99Ms:0.0} ms"),
        ("p99 ratio to the first (95 % interval)", f => $"{R(f.Ratio)} ({f.RatioLow:0.00}–{f.RatioHigh:0.00})"),
        ("spread of one alarm's arrivals p50 / p99", f => $"{f.SpreadP50Ms:0.00} / {f.SpreadP99Ms:0.00} ms"),
    ];

    public static void Write(IReadOnlyList<RunResult> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        AnsiConsole.Write(Table("End to end", "", s_throughput, runs, Column));
        AnsiConsole.Write(Table("Reference peers (ours / reference)", "", s_peers, runs, Column));
        foreach (var run in runs.Where(r => r.FanOut.Count > 0))
        {
            // One column per fleet size: the alarm latency from the reading's acceptance to each subscriber.
            AnsiConsole.Write(Table($"Fan-out, {Column(run)}", "subscribers", s_fanOut, run.FanOut, f => N(f.Subscribers)));
        }

        foreach (var run in runs)
        {
            foreach (var note in run.Notes)
            {
                AnsiConsole.WriteLine($"{run.Sensors:N0} sensors: {note}");
            }
        }
    }

    private static Table Table<T>(string title, string corner, (string Label, Func<T, string> Value)[] rows, IReadOnlyList<T> columns, Func<T, string> heading)
    {
        var table = new Table { Title = new TableTitle(Markup.Escape(title)) }.AddColumn(corner);
        foreach (var column in columns)
        {
            table.AddColumn(new TableColumn(Markup.Escape(heading(column))).RightAligned());
        }

        foreach (var (label, value) in rows)
        {
            table.AddRow([Markup.Escape(label), .. columns.Select(c => Markup.Escape(value(c)))]);
        }

        return table;
    }

    private static string Column(RunResult run) =>
        (run.PointsPerMqttDevice > 1
            ? $"{run.Sensors:N0} × {run.RatePerSensor:0.##}/s × {run.PointsPerMqttDevice} points"
            : $"{run.Sensors:N0} × {run.RatePerSensor:0.##}/s")
        + (run.PhasesAligned ? ", aligned" : "");

    private static string N(double value) => double.IsFinite(value) ? value.ToString("N0", CultureInfo.InvariantCulture) : "—";

    private static string P(double value) => $"{value:0} %";

    private static string R(double value) => double.IsFinite(value) ? $"{value:0.00}×" : "—";
}
