namespace SensorGateway.Host.Demo;

internal static class DemoExtensions
{
    /// <summary>Registers the demo's simulated site when <c>Demo:Enabled</c> is true (the <c>demo</c> command sets it).</summary>
    public static IHostApplicationBuilder AddDemoSimulator(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DemoOptions>()
            .Bind(builder.Configuration.GetSection(DemoOptions.SectionName))
            .Validate(o => o.Speed is > 0 and <= 1000, "Demo:Speed must be above 0 and at most 1000.")
            .Validate(o => o.StopAfter >= TimeSpan.Zero, "Demo:StopAfter cannot be negative.")
            .Validate(o => o.SummaryInterval > TimeSpan.Zero, "Demo:SummaryInterval must be positive.")
            .Validate(o => !o.Enabled || !string.IsNullOrWhiteSpace(o.Scenario), "Demo:Scenario must name a scenario file.")
            .ValidateOnStart();
        if (builder.Configuration.GetValue<bool>($"{DemoOptions.SectionName}:{nameof(DemoOptions.Enabled)}"))
        {
            builder.Services.AddHostedService<DemoSimulatorService>();
        }

        return builder;
    }
}
