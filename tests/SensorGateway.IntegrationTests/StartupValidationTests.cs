using Microsoft.Extensions.Options;
using SensorGateway.Host;
using SensorGateway.IntegrationTests.Infrastructure;
using SensorGateway.Profiles;

namespace SensorGateway.IntegrationTests;

/// <summary>A configuration mistake stops start-up before any listener opens, with one message naming the place.</summary>
public sealed class StartupValidationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sensorgateway-cfg-").FullName;
    private readonly int _httpPort = FreePort.Next();
    private readonly int _grpcPort = FreePort.Next();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("unknown_key", "    pollIntervall: 1s", "site.yaml:8:5: pollIntervall: unknown key 'pollIntervall'")]
    [InlineData("wrong_type", "    pollInterval: [1, 2]", "site.yaml:8:19: pollInterval: expected a text value here, found a list or mapping")]
    public void Build_SiteFileMistake_ThrowsNamingFileLineAndFieldAndOpensNoListener(string name, string badLine, string expected)
    {
        var siteFile = WriteSite(name, badLine);

        var ex = Assert.Throws<ConfigurationFileException>(() => GatewayApplication.Build(Args(siteFile)));

        Assert.StartsWith(Path.Combine(_directory, expected), ex.Message, StringComparison.Ordinal);
        Assert.Single(ex.Errors);
        Assert.False(FreePort.IsListening(_httpPort));
        Assert.False(FreePort.IsListening(_grpcPort));
    }

    [Fact]
    public void Build_DeviceWithoutAddress_ThrowsNamingDeviceLine()
    {
        var siteFile = Path.Combine(_directory, "no-address.yaml");
        File.WriteAllText(siteFile, """
            site: { id: s1, sector: fuel_stations }
            devices:
              - id: gd-01
                channels:
                  - { id: lel, quantity: gas.combustible, unit: "%LEL" }
            """);

        var ex = Assert.Throws<ConfigurationFileException>(() => GatewayApplication.Build(Args(siteFile)));

        Assert.Equal($"{siteFile}:3:5: devices[0].address: device 'gd-01' has no address; add 'mqtt: {{ topic: ... }}' or 'modbus: {{ tcp: host:port, unit: 1 }}' (or serial / rtuOverTcp)", ex.Message);
    }

    [Fact]
    public async Task Start_InconsistentStorageOptions_FailsNamingKeysAndOpensNoListener()
    {
        var siteFile = WriteSite("valid", "    pollInterval: 1s");
        await using var app = GatewayApplication.Build([.. Args(siteFile), "--Storage:Mode=InfluxV2", "--Storage:Bucket="]);

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        Assert.Equal(
            ["Storage:Url is required when Storage:Mode is InfluxV2 (e.g. http://127.0.0.1:8086).", "Storage:Bucket is required when Storage:Mode is InfluxV2.", "Storage:Org is required when Storage:Mode is InfluxV2."],
            ex.Failures);
        Assert.False(FreePort.IsListening(_httpPort));
        Assert.False(FreePort.IsListening(_grpcPort));
    }

    [Fact]
    public async Task Start_PlaintextGrpcBeyondLoopback_IsRefused()
    {
        var siteFile = WriteSite("valid", "    pollInterval: 1s");
        await using var app = GatewayApplication.Build([.. Args(siteFile), $"--Gateway:GrpcUrl=http://0.0.0.0:{_grpcPort}"]);

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        Assert.Equal($"Gateway:GrpcUrl 'http://0.0.0.0:{_grpcPort}/' serves plaintext beyond loopback; use https, bind 127.0.0.1, or set Gateway:AllowPlaintextOnNetwork=true.", Assert.Single(ex.Failures));
    }

    private string[] Args(string siteFile) =>
    [
        $"--Gateway:SiteFile={siteFile}", $"--Gateway:HttpUrl=http://127.0.0.1:{_httpPort}", $"--Gateway:GrpcUrl=http://127.0.0.1:{_grpcPort}",
        "--Mqtt:Host=", "--Mqtt:EmbeddedPort=0", $"--Storage:LocalDirectory={_directory}",
    ];

    private string WriteSite(string name, string line7)
    {
        var path = Path.Combine(_directory, "site.yaml");
        File.WriteAllText(path, $"""
            site:
              id: {name}
              sector: fuel_stations
            devices:
              - id: gd-01
                mqtt:
                  topic: t/gd-01
            {line7}
                channels:
                  - {"{"} id: lel, quantity: gas.combustible, unit: "%LEL" {"}"}
            """);
        return path;
    }
}
