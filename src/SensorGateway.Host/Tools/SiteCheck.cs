using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SensorGateway.Core.Sites;
using SensorGateway.Edge.Modbus;
using SensorGateway.Profiles;
using SensorGateway.Profiles.Firmware;
using SensorGateway.Profiles.Sites;

namespace SensorGateway.Host.Tools;

/// <summary>
/// <c>check --site FILE [--profiles DIR] [--device ID]</c>: validates profiles and a site file, lists what the gateway
/// would watch, and prints the exact Modbus requests the poller will send (a dry run; nothing is contacted).
/// </summary>
internal static class SiteCheck
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var site = Option(args, "--site");
        if (site is null)
        {
            error.WriteLine("check: give the site file with --site FILE (and --profiles DIR when the profiles are elsewhere than ./firmware-profiles)");
            return 2;
        }

        var profilesDirectory = Option(args, "--profiles") ?? Locate("firmware-profiles");
        var only = Option(args, "--device");
        try
        {
            var profiles = Directory.Exists(profilesDirectory)
                ? new FirmwareProfileCatalog(FirmwareProfileLoader.LoadDirectory(profilesDirectory))
                : FirmwareProfileCatalog.Empty;
            var definition = SiteFileLoader.Load(site, profiles.Profiles);
            if (only is not null && definition.Devices.All(d => d.Id != only))
            {
                error.WriteLine($"check: the site has no device '{only}'; its devices are: {string.Join(", ", definition.Devices.Select(d => d.Id))}");
                return 2;
            }

            output.WriteLine($"Site {definition.Id} '{definition.Name}', sector {definition.Sector.Code} ({definition.Sector.ChineseName}): {definition.Devices.Count} devices, {profiles.Profiles.Count} profiles loaded");
            foreach (var device in definition.Devices.Where(d => only is null || d.Id == only))
            {
                output.WriteLine($"  {device.Id} [{Describe(device.Address)}] every {device.PollInterval.TotalMilliseconds} ms{(device.Profile is null ? "" : ", profile " + device.Profile)}");
                foreach (var channel in device.Channels)
                {
                    var rule = channel.Alarm is null ? "sector rule pack" : $"rule {channel.Alarm.Id} ({channel.Alarm.Source})";
                    output.WriteLine($"    {channel.Id.Channel}: {channel.Quantity} in {channel.Unit}, {rule}");
                }
            }

            var poller = new ModbusReadingSource(definition.Devices.Where(d => only is null || d.Id == only), profiles, Options.Create(new ModbusPollingOptions()), TimeProvider.System, NullLogger<ModbusReadingSource>.Instance);
            var plan = poller.DescribePlan().ToList();
            if (plan.Count > 0)
            {
                output.WriteLine("Modbus requests per poll (dry run):");
                plan.ForEach(line => output.WriteLine("  " + line));
            }

            return 0;
        }
        catch (ConfigurationFileException ex)
        {
            error.WriteLine(ex.Message);
            return 2;
        }
    }

    internal static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static string Locate(string relative) =>
        Directory.Exists(relative) ? relative : Path.Combine(AppContext.BaseDirectory, relative);

    private static string Describe(DeviceAddress address) => address switch
    {
        MqttDeviceAddress m => $"mqtt {m.Topic}",
        ModbusTcpDeviceAddress t => $"modbus tcp {t.Host}:{t.Port} unit {t.UnitId}",
        ModbusRtuOverTcpDeviceAddress r => $"modbus rtu-over-tcp {r.Host}:{r.Port} unit {r.UnitId}",
        ModbusRtuDeviceAddress s => $"modbus rtu {s.SerialPort} {s.BaudRate} {s.Parity} unit {s.UnitId}",
        _ => address.ToString(),
    };
}
