using System.Globalization;
using System.Text;

namespace SensorGateway.Simulators.Load;

/// <summary>
/// Writes the site file of a load test: <c>devices</c> gas detectors, a share of them Modbus TCP (the load
/// profile <see cref="ModbusProfile"/>: %LEL plus a per-read sequence, up to 247 unit ids behind each port, like
/// serial device servers) and the rest MQTT (generic JSON, one topic per device), then <c>probes</c> MQTT alarm
/// probes with non-latching limits at 25 / 50 %LEL. The gateway under test loads the same file.
/// With <c>points</c> above one, each MQTT device is a multi-point gas alarm controller that publishes all its
/// detector points (<c>lel</c>, <c>lel-02</c> … ) in one message, as such controllers do.
/// </summary>
public static class LoadSiteGenerator
{
    public const int UnitsPerPort = 247;

    public const string ModbusProfile = "load/sequenced-lel-detector";

    private const string ProbePrefix = "probe-";

    /// <param name="devices">Number of devices.</param>
    /// <param name="rate">Readings per second per device (poll/publish interval = 1 / rate).</param>
    /// <param name="modbusShare">Share of Modbus devices, 0–1.</param>
    /// <param name="firstModbusPort">Port of the first Modbus endpoint; further endpoints take the next ports.</param>
    /// <param name="probes">Alarm probes: MQTT devices that only publish when a probe crosses its limits.</param>
    /// <param name="points">Detector points (channels) of each MQTT device, all in one message.</param>
    public static string Generate(string siteId, int devices, double rate, double modbusShare, int firstModbusPort, int probes = 0, int points = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(points);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(devices);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rate);
        ArgumentOutOfRangeException.ThrowIfLessThan(modbusShare, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(modbusShare, 1);
        var interval = TimeSpan.FromSeconds(1 / rate);
        var modbus = (int)Math.Round(devices * modbusShare);
        var yaml = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"# Load test: {devices} devices ({modbus} Modbus TCP, {devices - modbus} MQTT) at {rate} readings/s each.")
            .AppendLine("site:")
            .AppendLine(CultureInfo.InvariantCulture, $"  id: {siteId}")
            .AppendLine(CultureInfo.InvariantCulture, $"  name: Load test {devices} x {rate}/s")
            .AppendLine("  sector: fuel_stations")
            .AppendLine("devices:");
        var pollInterval = $"{interval.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)}ms";
        for (var i = 0; i < devices; i++)
        {
            var id = DeviceId(i);
            yaml.AppendLine(CultureInfo.InvariantCulture, $"  - id: {id}");
            if (i < modbus)
            {
                var port = firstModbusPort + (i / UnitsPerPort);
                var unit = (i % UnitsPerPort) + 1;
                yaml.AppendLine(CultureInfo.InvariantCulture, $"    profile: {ModbusProfile}")
                    .AppendLine(CultureInfo.InvariantCulture, $"    modbus: {{ tcp: \"127.0.0.1:{port}\", unit: {unit} }}");
            }
            else
            {
                yaml.AppendLine(CultureInfo.InvariantCulture, $"    mqtt: {{ topic: load/{siteId}/{id} }}")
                    .AppendLine("    channels:");
                for (var point = 1; point <= points; point++)
                {
                    yaml.AppendLine(CultureInfo.InvariantCulture, $"      - {{ id: {PointId(point)}, quantity: gas.combustible, unit: \"%LEL\" }}");
                }
            }

            yaml.AppendLine(CultureInfo.InvariantCulture, $"    pollInterval: {pollInterval}");
        }

        for (var i = 0; i < probes; i++)
        {
            // Not latching, so every crossing raises a new alarm; a long interval, so a quiet probe is not stale.
            yaml.AppendLine(CultureInfo.InvariantCulture, $"  - id: {ProbeId(i)}")
                .AppendLine(CultureInfo.InvariantCulture, $"    mqtt: {{ topic: {ProbeTopic(siteId, i)} }}")
                .AppendLine("    pollInterval: 1h")
                .AppendLine("    channels:")
                .AppendLine("      - id: lel")
                .AppendLine("        quantity: gas.combustible")
                .AppendLine("        unit: \"%LEL\"")
                .AppendLine("        alarm:")
                .AppendLine("          latching: false")
                .AppendLine("          limits:")
                .AppendLine("            - { name: L1, level: level1, direction: high, setpoint: 25, deadband: 2 }")
                .AppendLine("            - { name: L2, level: level2, direction: high, setpoint: 50, deadband: 2 }");
        }

        return yaml.ToString();
    }

    public static string DeviceId(int index) => $"d{index:D5}";

    /// <summary>Channel id of detector point <paramref name="point"/> (1-based): the first is <c>lel</c>, which carries the message sequence the harness counts.</summary>
    public static string PointId(int point) => point == 1 ? "lel" : string.Create(CultureInfo.InvariantCulture, $"lel-{point:D2}");

    public static string ProbeId(int index) => $"{ProbePrefix}{index:D3}";

    public static string ProbeTopic(string siteId, int index) => $"load/{siteId}/{ProbeId(index)}";

    public static bool IsProbe(string deviceId) => deviceId.StartsWith(ProbePrefix, StringComparison.Ordinal);
}
