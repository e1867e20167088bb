using SensorGateway.Host.Cli;

namespace SensorGateway.IntegrationTests.Tools;

/// <summary>The <c>demo</c> verb's defaults: both demo sites and their scenarios, unless the command line names its own.</summary>
public sealed class GatewayCommandTests
{
    [Fact]
    public void Parse_Demo_HostsBothDemoSitesAndPlaysTheirScenarios()
    {
        var command = GatewayCommand.Parse(["demo", "--follow"]);

        Assert.Equal(GatewayCommand.Demo, command.Verb);
        Assert.Equal(
            [
                "--Gateway:SiteFiles:0=sites/demo-fuel-station.yaml", "--Gateway:SiteFiles:1=sites/chemical-tank-farm.yaml",
                "--Demo:Scenarios:0=scenarios/demo-fuel-leak.yaml", "--Demo:Scenarios:1=scenarios/demo-farm-overfill.yaml",
            ],
            command.ConfigurationArgs.Where(a => a.StartsWith("--Gateway:SiteFile", StringComparison.Ordinal) || a.StartsWith("--Demo:Scenario", StringComparison.Ordinal)));
        Assert.Contains("--Demo:Follow=true", command.ConfigurationArgs);
        Assert.DoesNotContain("--follow", command.ConfigurationArgs);
    }

    [Fact]
    public void Parse_DemoNamingItsOwnSiteAndScenario_ReplacesBothListsWhole()
    {
        var command = GatewayCommand.Parse(["demo", "--Gateway:SiteFiles:0=sites/fuel-station.yaml", "--demo:scenarios:0=scenarios/fuel-station-delivery-leak.yaml"]);

        Assert.Equal(
            ["--Gateway:SiteFiles:0=sites/fuel-station.yaml", "--demo:scenarios:0=scenarios/fuel-station-delivery-leak.yaml"],
            command.ConfigurationArgs.Where(a => a.StartsWith("--Gateway:SiteFile", StringComparison.OrdinalIgnoreCase) || a.StartsWith("--Demo:Scenario", StringComparison.OrdinalIgnoreCase)));
    }
}
