namespace SensorGateway.Host.Demo;

internal static class DemoExtensions
{
    public static IHostApplicationBuilder AddDemoSimulator(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DemoOptions>()
            .Bind(builder.Configuration.GetSection(DemoOptions.SectionName))
            .Validate(o => o.LeakRatePerSecond > 0 && o.LeakStartsAfter >= TimeSpan.Zero && o.StopAfter >= TimeSpan.Zero,
                "Demo:LeakRatePerSecond must be positive; Demo:LeakStartsAfter and Demo:StopAfter cannot be negative.")
            .ValidateOnStart();
        if (builder.Configuration.GetValue<bool>($"{DemoOptions.SectionName}:{nameof(DemoOptions.Enabled)}"))
        {
            builder.Services.AddHostedService<DemoSimulatorService>();
        }

        return builder;
    }
}
