using SensorGateway.Core.Sites;
using SensorGateway.Profiles;
using SensorGateway.Profiles.Sites;

namespace SensorGateway.Host.Cli;

/// <summary><c>check --site FILE</c>: validates a site file and lists what the gateway would watch.</summary>
internal static class CheckCommand
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var index = Array.IndexOf(args, "--site");
        if (index < 0 || index + 1 >= args.Length)
        {
            error.WriteLine("check: give the site file with --site FILE");
            return 2;
        }

        try
        {
            var site = SiteFileLoader.Load(args[index + 1]);
            output.WriteLine($"Site {site.Id} '{site.Name}', sector {site.Sector.Code} ({site.Sector.ChineseName}): {site.Devices.Count} devices");
            foreach (var device in site.Devices)
            {
                output.WriteLine($"  {device.Id} [{Describe(device.Address)}] every {device.PollInterval.TotalMilliseconds} ms");
                foreach (var channel in device.Channels)
                {
                    var rule = channel.Alarm is null ? "sector rule pack" : $"site rule {channel.Alarm.Id}";
                    output.WriteLine($"    {channel.Id.Channel}: {channel.Quantity} in {channel.Unit} ({rule})");
                }
            }

            return 0;
        }
        catch (ConfigurationFileException ex)
        {
            error.WriteLine(ex.Message);
            return 2;
        }
    }

    private static string Describe(DeviceAddress address) => address switch
    {
        MqttDeviceAddress m => $"mqtt {m.Topic}",
        ModbusTcpDeviceAddress t => $"modbus tcp {t.Host}:{t.Port} unit {t.UnitId}",
        ModbusRtuOverTcpDeviceAddress r => $"modbus rtu-over-tcp {r.Host}:{r.Port} unit {r.UnitId}",
        ModbusRtuDeviceAddress s => $"modbus rtu {s.SerialPort} {s.BaudRate} {s.Parity} unit {s.UnitId}",
        _ => address.ToString(),
    };
}
