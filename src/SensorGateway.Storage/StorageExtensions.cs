using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SensorGateway.Core.Pipeline;
using SensorGateway.Core.Sites;
using SensorGateway.Storage.Forwarding;
using SensorGateway.Storage.Influx;
using SensorGateway.Storage.Spool;

namespace SensorGateway.Storage;

public static class StorageExtensions
{
    /// <summary>
    /// Registers the storage queue, the durable spool behind it and, when <c>Storage:Mode</c> names a database,
    /// the forwarder that drains the spool into it.
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
            sp.GetRequiredService<GatewaySites>().SectorOf,
            sp.GetRequiredService<IOptions<StorageOptions>>().Value.Precision));
        builder.Services.AddSingleton(sp => new ReadingQueue(sp.GetRequiredService<IOptions<StorageOptions>>().Value.QueueCapacity));
        builder.Services.AddSingleton<IReadingDurability>(sp => sp.GetRequiredService<ReadingQueue>());
        builder.Services.AddHttpClient<InfluxV1ReadingSink>();

        // The pipeline's storage stage appends to the durable spool; a forwarder drains it into the database.
        // Without a database (Mode Local) the spool is the local store, readable and exportable later.
        var spoolSection = builder.Configuration.GetSection(FileSpoolOptions.SectionName);
        builder.Services.AddOptions<FileSpoolOptions>()
            .Bind(spoolSection)
            .Configure<IOptions<StorageOptions>>((spool, storage) =>
            {
                if (spoolSection[nameof(FileSpoolOptions.Directory)] is null)
                {
                    spool.Directory = Path.Combine(storage.Value.LocalDirectory, "spool");
                }
            })
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<FileSpoolOptions>, FileSpoolOptionsValidator>();
        builder.Services.AddSingleton<IReadingSpool>(sp => FileReadingSpool.Open(
            sp.GetRequiredService<IOptions<FileSpoolOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<FileReadingSpool>>(),
            sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        builder.Services.AddSingleton<IReadingSink>(sp => new SpoolReadingSink(sp.GetRequiredService<IReadingSpool>()));
        builder.Services.AddSingleton(sp => new QuarantineFile(
            sp.GetRequiredService<IOptions<StorageOptions>>().Value is var storage && storage.QuarantineDirectory is { Length: > 0 } quarantine
                ? quarantine
                : Path.Combine(storage.LocalDirectory, "quarantine"),
            sp.GetRequiredService<LineProtocol>(),
            sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            IReadingSink database = options.Mode == StorageMode.InfluxV2
                ? ActivatorUtilities.CreateInstance<InfluxV2ReadingSink>(sp)
                : sp.GetRequiredService<InfluxV1ReadingSink>();
            return new SpoolForwarder(sp.GetRequiredService<IReadingSpool>(), database, sp.GetRequiredService<QuarantineFile>(),
                options.BatchSize, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SpoolForwarder>>(), options.WritesInFlight);
        });
        builder.Services.AddSingleton<StorageForwarder>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StorageForwarder>());
        if (builder.Configuration.GetValue<StorageMode>($"{StorageOptions.SectionName}:{nameof(StorageOptions.Mode)}") != StorageMode.Local)
        {
            builder.Services.AddHostedService(sp => sp.GetRequiredService<SpoolForwarder>());
        }

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
