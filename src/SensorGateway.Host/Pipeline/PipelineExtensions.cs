using System.Reactive.Concurrency;
using SensorGateway.Alarms;
using SensorGateway.Core.Sites;

namespace SensorGateway.Host.Pipeline;

internal static class PipelineExtensions
{
    /// <summary>The alarm rules of the site's channels (site overrides, else sector rule packs) and the pipeline joining the stages.</summary>
    public static IHostApplicationBuilder AddReadingPipeline(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IScheduler>(DefaultScheduler.Instance);
        builder.Services.AddSingleton(sp => AlarmRuleBook.Create(
            sp.GetRequiredService<SiteDefinition>().Channels.Select(c => new ChannelRule(c.Id, c.Quantity, c.Alarm) { Unit = c.Unit }),
            RulePacks.Default));
        builder.Services.AddSingleton<ReadingPipeline>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ReadingPipeline>());
        return builder;
    }
}
