using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SensorGateway.Alarms;
using SensorGateway.Alarms.Hazards;
using SensorGateway.Core.Pipeline;
using SensorGateway.Grpc.Hazards;
using SensorGateway.Grpc.Security;
using SensorGateway.Grpc.Services;

namespace SensorGateway.Grpc;

public static class GrpcServiceExtensions
{
    /// <summary>
    /// Registers the durable hazard log (SQLite), the hazard desk (the alarm publisher: alarm events → hazard records →
    /// events), the gRPC hazard service behind the API-key interceptor, the TLS certificate, reflection and gRPC health.
    /// Uses <see cref="HazardTrackerOptions"/>, <see cref="AlarmRuleBook"/> and <see cref="IAlarmOperator"/> when registered.
    /// <code>
    /// "Hazards":   { "DatabasePath": "data/hazards.db", "Synchronous": "Full", "RetainedEvents": 1000000, "SubscriberBuffer": 10000, "BacklogPageSize": 500 },
    /// "HazardApi": { "Keys": [ { "Name": "…", "Role": "officer", "Salt": "…", "Hash": "…" } ], "AllowAnonymousOnLoopback": true,
    ///                "CertificateFile": "grpc.pem", "CertificateKeyFile": "grpc.key" }
    /// </code>
    /// </summary>
    public static IHostApplicationBuilder AddHazardService(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<HazardStoreOptions>()
            .Bind(builder.Configuration.GetSection(HazardStoreOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<HazardApiOptions>()
            .Bind(builder.Configuration.GetSection(HazardApiOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<HazardApiOptions>, HazardApiOptionsValidator>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IHazardStore>(sp =>
        {
            var store = sp.GetRequiredService<IOptions<HazardStoreOptions>>().Value;
            return new SqliteHazardStore(store.DatabasePath, store.Synchronous);
        });
        builder.Services.AddSingleton<HazardEventLog>();
        builder.Services.AddSingleton(sp =>
        {
            var stored = sp.GetRequiredService<HazardEventLog>().State;
            return new HazardTracker(sp.GetService<HazardTrackerOptions>(), sp.GetService<AlarmRuleBook>(), stored.Records, stored.LastRecordId);
        });
        builder.Services.AddSingleton(sp => new HazardDesk(
            sp.GetRequiredService<HazardEventLog>(),
            sp.GetRequiredService<HazardTracker>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<IAlarmOperator>(),
            sp.GetRequiredService<ILogger<HazardDesk>>()));
        builder.Services.AddSingleton<IHazardDesk>(sp => sp.GetRequiredService<HazardDesk>());
        builder.Services.AddSingleton<IAlarmPublisher>(sp => sp.GetRequiredService<HazardDesk>());
        builder.Services.AddSingleton<ApiKeyInterceptor>();
        builder.Services.AddGrpc(o => o.EnableDetailedErrors = false)
            .AddServiceOptions<HazardGrpcService>(o => o.Interceptors.Add<ApiKeyInterceptor>());
        builder.Services.AddGrpcReflection();
        builder.Services.AddGrpcHealthChecks().AddCheck("gateway", () => Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy());

        // TLS: the configured certificate becomes Kestrel's https default, so every https endpoint serves it. Inserted
        // first, because an endpoint configured earlier with UseHttps() takes the https defaults at that moment.
        var api = builder.Configuration.GetSection(HazardApiOptions.SectionName).Get<HazardApiOptions>() ?? new HazardApiOptions();
        if (api.CertificateFile is { Length: > 0 } certificateFile)
        {
            builder.Services.Insert(0, ServiceDescriptor.Singleton<IConfigureOptions<KestrelServerOptions>>(
                new ConfigureNamedOptions<KestrelServerOptions>(Options.DefaultName, kestrel => kestrel.ConfigureHttpsDefaults(https =>
                    https.ServerCertificate = LoadCertificate(certificateFile, api.CertificateKeyFile, api.CertificatePassword)))));
        }

        return builder;
    }

    public static IEndpointRouteBuilder MapHazardService(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<HazardGrpcService>();
        endpoints.MapGrpcReflectionService();
        endpoints.MapGrpcHealthChecksService();
        return endpoints;
    }

    private static X509Certificate2 LoadCertificate(string file, string? keyFile, string? password)
    {
        if (file.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".p12", StringComparison.OrdinalIgnoreCase))
        {
            return X509CertificateLoader.LoadPkcs12FromFile(file, password);
        }

        var pem = password is { Length: > 0 }
            ? X509Certificate2.CreateFromEncryptedPemFile(file, password, keyFile)
            : X509Certificate2.CreateFromPemFile(file, keyFile);

        // Kestrel on Linux needs the key in an exportable form it can hand to the TLS stack.
        using (pem)
        {
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
    }

    private sealed class HazardApiOptionsValidator : IValidateOptions<HazardApiOptions>
    {
        public ValidateOptionsResult Validate(string? name, HazardApiOptions options)
        {
            var failures = options.Validate().ToList();
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
