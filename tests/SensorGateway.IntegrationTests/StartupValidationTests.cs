using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SensorGateway.Core.Readings;
using SensorGateway.Core.Sites;
using SensorGateway.Host;
using SensorGateway.IntegrationTests.Infrastructure;
using SensorGateway.Profiles;
using SensorGateway.Simulators.Scenarios;
using SensorGateway.Storage.Influx;

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

    [Fact]
    public void Build_SeveralSiteFiles_HostsEverySiteWithItsOwnSector()
    {
        var station = WriteSite("station-1", "    pollInterval: 1s");
        var farm = Path.Combine(_directory, "farm.yaml");
        File.WriteAllText(farm, File.ReadAllText(station).Replace("id: station-1", "id: farm-3", StringComparison.Ordinal)
            .Replace("fuel_stations", "hazardous_chemicals", StringComparison.Ordinal).Replace("t/gd-01", "t/farm-3/gd-01", StringComparison.Ordinal));

        using var app = GatewayApplication.Build([.. Args(station), $"--Gateway:SiteFiles:0={station}", $"--Gateway:SiteFiles:1={farm}"]);

        var sites = app.Services.GetRequiredService<GatewaySites>();
        Assert.Equal(["station-1", "farm-3"], sites.Sites.Select(s => s.Id));
        var lineProtocol = app.Services.GetRequiredService<LineProtocol>();
        var reading = new Reading(sites.Find("farm-3")!.Channels.Single().Id, "gas.combustible", "%LEL", 1.5, Quality.Good,
            DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 1);
        Assert.Equal("reading,site=farm-3,sector=hazardous_chemicals,device=gd-01,channel=lel,quantity=gas.combustible,unit=%LEL value=1.5,quality=\"good\",seq=1i 0",
            lineProtocol.AppendLines(new StringBuilder(), [reading]).ToString().TrimEnd('\n'));
    }

    [Fact]
    public void Build_SameSiteIdInTwoSiteFiles_ThrowsNamingSecondFileAndLine()
    {
        var first = WriteSite("station-1", "    pollInterval: 1s");
        var second = Path.Combine(_directory, "copy.yaml");
        File.WriteAllText(second, File.ReadAllText(first).Replace("t/gd-01", "t/copy/gd-01", StringComparison.Ordinal));

        var ex = Assert.Throws<ConfigurationFileException>(() => GatewayApplication.Build([.. Args(first), $"--Gateway:SiteFiles:0={first}", $"--Gateway:SiteFiles:1={second}"]));

        Assert.Equal($"{second}:2:3: site.id: site id 'station-1' is already used by {first}; each site file needs its own site id", ex.Message);
        Assert.False(FreePort.IsListening(_httpPort));
    }

    [Fact]
    public async Task Start_DemoScenarioOfSiteNotHosted_FailsNamingScenarioAndOpensNoListener()
    {
        var siteFile = WriteSite("station-1", "    pollInterval: 1s");
        var scenario = ScenarioLoader.Load(Path.Combine(AppContext.BaseDirectory, "scenarios", "demo-farm-overfill.yaml"));
        await using var app = GatewayApplication.Build([.. Args(siteFile), "--Demo:Enabled=true", $"--Demo:Scenarios:0={scenario.File}"]);

        var ex = await Assert.ThrowsAsync<ConfigurationFileException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        Assert.Equal($"{scenario.File}: scenario.site: plays site 'farm-03' ({scenario.SiteFile}), which the gateway does not host; add that file to Gateway:SiteFiles", ex.Message);
        Assert.False(FreePort.IsListening(_httpPort));
        Assert.False(FreePort.IsListening(_grpcPort));
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
