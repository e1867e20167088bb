namespace SensorGateway.IntegrationTests.Infrastructure;

internal static class TestSites
{
    /// <summary>One MQTT gas detector with a fixed level-1 threshold at 25 %LEL and level 2 at 50.</summary>
    public static string OneGasDetector(string siteId, string topic) => $$"""
        site:
          id: {{siteId}}
          name: Integration test site
          sector: fuel_stations
        devices:
          - id: gd-01
            location: Test bench
            mqtt:
              topic: {{topic}}
            channels:
              - id: lel
                quantity: gas.combustible
                unit: "%LEL"
                alarm:
                  limits:
                    - { name: L1, level: level1, direction: high, setpoint: 25, deadband: 2 }
                    - { name: L2, level: level2, direction: high, setpoint: 50, deadband: 2 }
        """;

    /// <summary>A unique name per test, so runs never see each other's data.</summary>
    public static string UniqueId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];
}
