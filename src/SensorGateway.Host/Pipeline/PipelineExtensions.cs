using System.Reactive.Concurrency;
using SensorGateway.Alarms;
using SensorGateway.Core.Sites;
using SensorGateway.Storage.Influx;

namespace SensorGateway.Host.Pipeline;

internal static class PipelineExtensions
{
    /// <summary>
    /// The alarm rules of every site's channels (site overrides, else sector rule packs), the one alarm engine (which also takes
    /// operator commands such as shelving) and the pipeline joining the stages.
    /// </summary>
    public static IHostApplicationBuilder AddReadingPipeline(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IScheduler>(DefaultScheduler.Instance);
        builder.Services.AddSingleton(sp => AlarmRuleBook.Create(
            sp.GetRequiredService<GatewaySites>().Channels.Select(c => new ChannelRule(c.Id, c.Quantity, c.Alarm) { Unit = c.Unit }),
            RulePacks.Default));
        // Alarm state (active, latched, shelved, acknowledged) survives a restart: restored here, saved on change.
        var stateFile = builder.Configuration["Alarms:StateFile"] is { Length: > 0 } file
            ? file
            : Path.Combine(StorageOptions.LocalDirectoryFrom(builder.Configuration), "alarm-state.json");
        builder.Services.AddSingleton<IAlarmStateStore>(new FileAlarmStateStore(stateFile));
        builder.Services.AddSingleton(sp =>
        {
            var restore = sp.GetRequiredService<IAlarmStateStore>().LoadAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
            return new AlarmEngine(sp.GetRequiredService<AlarmRuleBook>(), sp.GetRequiredService<IScheduler>(), restore: restore);
        });
        builder.Services.AddSingleton<ReadingPipeline>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ReadingPipeline>());
        return builder;
    }
}
