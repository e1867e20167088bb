namespace SensorGateway.IntegrationTests.Infrastructure;

/// <summary>
/// Addresses of the real servers that scripts/test.sh starts. A test that needs one fails — it never skips —
/// when the variable is missing, naming the script that provides it.
/// </summary>
internal static class TestServers
{
    public static string MqttHost => Required("SG_TEST_MQTT_HOST");

    public static int MqttPort => int.Parse(Required("SG_TEST_MQTT_PORT"), System.Globalization.CultureInfo.InvariantCulture);

    public static Uri InfluxDb1 => new(Required("SG_TEST_INFLUXDB1_URL"));

    public static Uri VictoriaMetrics => new(Required("SG_TEST_VICTORIAMETRICS_URL"));

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: this test needs a real server; run it through scripts/test.sh, which starts one.");
}
