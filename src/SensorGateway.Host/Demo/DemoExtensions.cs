using Microsoft.Extensions.Options;
using SensorGateway.Core.Sites;
using SensorGateway.Profiles.Firmware;

namespace SensorGateway.Host.Demo;

internal static class DemoExtensions
{
    /// <summary>Registers the demo's simulated sites when <c>Demo:Enabled</c> is true (the <c>demo</c> command sets it).</summary>
    public static IHostApplicationBuilder AddDemoSimulator(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DemoOptions>()
            .Bind(builder.Configuration.GetSection(DemoOptions.SectionName))
            .Validate(o => o.Speed is > 0 and <= 1000, "Demo:Speed must be above 0 and at most 1000.")
            .Validate(o => o.StopAfter >= TimeSpan.Zero, "Demo:StopAfter cannot be negative.")
            .Validate(o => o.SummaryInterval > TimeSpan.Zero, "Demo:SummaryInterval must be positive.")
            .Validate(o => !o.Enabled || (o.Scenarios.Count > 0 && !o.Scenarios.Any(string.IsNullOrWhiteSpace)),
                "Demo:Scenarios must name one scenario file per site, e.g. --Demo:Scenarios:0=scenarios/demo-fuel-leak.yaml.")
            .ValidateOnStart();
        if (builder.Configuration.GetValue<bool>($"{DemoOptions.SectionName}:{nameof(DemoOptions.Enabled)}"))
        {
            // The scenarios are paired with the gateway's sites when the host starts, before any listener opens,
            // so a scenario for a site the gateway does not host stops start-up with the scenario file named.
            builder.Services.AddHostedService(sp => ActivatorUtilities.CreateInstance<DemoSimulatorService>(sp,
                DemoSite.Load(sp.GetRequiredService<IOptions<DemoOptions>>().Value.Scenarios, sp.GetRequiredService<GatewaySites>(),
                    sp.GetRequiredService<FirmwareProfileCatalog>())));
        }

        return builder;
    }
}
