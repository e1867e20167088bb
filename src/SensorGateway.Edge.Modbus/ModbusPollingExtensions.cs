using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SensorGateway.Core.Pipeline;
using SensorGateway.Core.Sites;
using SensorGateway.Profiles.Firmware;

namespace SensorGateway.Edge.Modbus;

public static class ModbusPollingExtensions
{
    /// <summary>
    /// Registers the Modbus poller for the Modbus devices of every site (it idles when there are none).
    /// <code>"ModbusPolling": { "Jitter": 0.1, "MaxBackoff": "00:01:00", "PipelineDepth": 8 }</code>
    /// </summary>
    public static IHostApplicationBuilder AddModbusPolling(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<ModbusPollingOptions>()
            .Bind(builder.Configuration.GetSection(ModbusPollingOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.MaxBackoff > TimeSpan.Zero && o.ConnectTimeout > TimeSpan.Zero, "ModbusPolling:MaxBackoff and ModbusPolling:ConnectTimeout must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton(sp => new ModbusReadingSource(
            sp.GetRequiredService<GatewaySites>().Devices,
            sp.GetRequiredService<FirmwareProfileCatalog>(),
            sp.GetRequiredService<IOptions<ModbusPollingOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ModbusReadingSource>>()));
        builder.Services.AddSingleton<IReadingSource>(sp => sp.GetRequiredService<ModbusReadingSource>());
        return builder;
    }
}
