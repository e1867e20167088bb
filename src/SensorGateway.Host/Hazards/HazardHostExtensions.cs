using System.Net;
using Microsoft.Extensions.Options;
using SensorGateway.Alarms;
using SensorGateway.Alarms.Hazards;
using SensorGateway.Core.Sites;
using SensorGateway.Grpc;
using SensorGateway.Grpc.Hazards;
using SensorGateway.Grpc.Security;
using SensorGateway.Host.Configuration;
using SensorGateway.Storage.Influx;

namespace SensorGateway.Host.Hazards;

internal static class HazardHostExtensions
{
    /// <summary>
    /// The hazard service as this gateway runs it: records take their site's sector and the devices' locations,
    /// shelve/unshelve go to the pipeline's alarm engine, the database sits beside the local storage folder
    /// unless <c>Hazards:DatabasePath</c> is given, and the anonymous mode is refused on a non-loopback binding.
    /// </summary>
    public static IHostApplicationBuilder AddGatewayHazards(this IHostApplicationBuilder builder)
    {
        builder.AddHazardService();
        builder.Services.AddSingleton(sp =>
        {
            var sites = sp.GetRequiredService<GatewaySites>();
            return new HazardTrackerOptions
            {
                SectorOf = channel => sites.SectorOf(channel.Site),
                LocationOf = ChannelLocations.Of(sites),
            };
        });
        builder.Services.AddSingleton<IAlarmOperator>(sp => new EngineAlarmOperator(sp.GetRequiredService<AlarmEngine>()));

        if (string.IsNullOrWhiteSpace(builder.Configuration[$"{HazardStoreOptions.SectionName}:{nameof(HazardStoreOptions.DatabasePath)}"]))
        {
            var local = StorageOptions.LocalDirectoryFrom(builder.Configuration);
            var beside = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(local)) ?? ".", "hazards.db");
            builder.Services.PostConfigure<HazardStoreOptions>(o => o.DatabasePath = beside);
        }

        var grpcUrl = builder.Configuration[$"{GatewayOptions.SectionName}:{nameof(GatewayOptions.GrpcUrl)}"];
        var plaintextAllowed = builder.Configuration.GetValue<bool>($"{GatewayOptions.SectionName}:{nameof(GatewayOptions.AllowPlaintextOnNetwork)}");
        builder.Services.AddSingleton<IValidateOptions<HazardApiOptions>>(new AnonymousBindingValidator(grpcUrl, plaintextAllowed));
        return builder;
    }

    private sealed class EngineAlarmOperator(AlarmEngine engine) : IAlarmOperator
    {
        public AlarmCommandResult Execute(AlarmCommand command) => engine.Execute(command);
    }

    /// <summary>No keys means anonymous access: only acceptable when the gRPC endpoint listens on loopback alone.</summary>
    /// <remarks>Reads the URL itself (not <see cref="GatewayOptions"/>): a plaintext URL beyond loopback is already refused there, once.</remarks>
    private sealed class AnonymousBindingValidator(string? grpcUrl, bool plaintextAllowed) : IValidateOptions<HazardApiOptions>
    {
        public ValidateOptionsResult Validate(string? name, HazardApiOptions options)
        {
            if (!Uri.TryCreate(grpcUrl ?? "http://127.0.0.1:5081", UriKind.Absolute, out var url) || (url.Scheme == Uri.UriSchemeHttp && !plaintextAllowed))
            {
                return ValidateOptionsResult.Skip;
            }

            var loopback = url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
            return options.Anonymous && !loopback
                ? ValidateOptionsResult.Fail(
                    $"Gateway:GrpcUrl '{url}' is reachable beyond loopback but HazardApi:Keys is empty; add API keys (sensorgateway apikey new) or bind 127.0.0.1.")
                : ValidateOptionsResult.Success;
        }
    }
}
