using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SensorGateway.Core.Pipeline;
using SensorGateway.Core.Sites;
using SensorGateway.Storage.Forwarding;
using SensorGateway.Storage.Influx;

namespace SensorGateway.Storage;

public static class StorageExtensions
{
    /// <summary>
    /// Registers the storage queue, the sink chosen by <c>Storage:Mode</c> and the forwarder between them.
    /// <code>"Storage": { "Mode": "InfluxV2", "Url": "http://127.0.0.1:8428", "Org": "site", "Bucket": "readings", "Token": "" }</code>
    /// </summary>
    public static IHostApplicationBuilder AddReadingStorage(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<StorageOptions>()
            .Bind(builder.Configuration.GetSection(StorageOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        builder.Services.AddSingleton(sp => new LineProtocol(
            sp.GetRequiredService<SiteDefinition>().Sector.Code,
            sp.GetRequiredService<IOptions<StorageOptions>>().Value.Precision));
        builder.Services.AddSingleton(sp => new ReadingQueue(sp.GetRequiredService<IOptions<StorageOptions>>().Value.QueueCapacity));
        builder.Services.AddHttpClient<InfluxV1ReadingSink>();
        builder.Services.AddSingleton<IReadingSink>(sp => sp.GetRequiredService<IOptions<StorageOptions>>().Value.Mode switch
        {
            StorageMode.InfluxV2 => ActivatorUtilities.CreateInstance<InfluxV2ReadingSink>(sp),
            StorageMode.InfluxV1 => sp.GetRequiredService<InfluxV1ReadingSink>(),
            _ => ActivatorUtilities.CreateInstance<LocalLineProtocolSink>(sp),
        });
        builder.Services.AddSingleton<StorageForwarder>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StorageForwarder>());
        return builder;
    }

    /// <summary>Reports each inconsistency with the key and the fix, instead of one generic message.</summary>
    private sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
    {
        public ValidateOptionsResult Validate(string? name, StorageOptions options)
        {
            var failures = options.Validate().ToList();
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
