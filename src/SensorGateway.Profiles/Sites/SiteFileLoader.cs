using System.Globalization;
using SensorGateway.Core.Alarms;
using SensorGateway.Core.Readings;
using SensorGateway.Core.Sites;
using SensorGateway.Profiles.Firmware;
using SensorGateway.Profiles.Yaml;

namespace SensorGateway.Profiles.Sites;

/// <summary>
/// Loads a site file: strict YAML, then every semantic check, collecting all problems so an integrator
/// fixes the file in one pass. Throws <see cref="ConfigurationFileException"/> when anything is wrong.
/// </summary>
public static class SiteFileLoader
{
    /// <summary>Poll interval when a device gives none.</summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(1);

    /// <param name="path">The site file.</param>
    /// <param name="profiles">Firmware profiles by id, for devices that name one; null when none are loaded.</param>
    public static SiteDefinition Load(string path, IReadOnlyDictionary<string, FirmwareProfile>? profiles = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new ConfigurationFileException([new ConfigurationError(path, 0, 0, "(file)", "the site file does not exist; check Gateway:SiteFile")]);
        }

        return Parse(path, File.ReadAllText(path), profiles);
    }

    public static SiteDefinition Parse(string file, string yaml, IReadOnlyDictionary<string, FirmwareProfile>? profiles = null)
    {
        profiles ??= new Dictionary<string, FirmwareProfile>();
        var (document, reader) = StrictYamlReader.Read<SiteFileDocument>(file, yaml);
        var errors = new List<ConfigurationError>();
        var site = ValidateSite(document, reader, errors);
        var devices = new List<DeviceDefinition>();
        var deviceIds = new HashSet<string>(StringComparer.Ordinal);
        var topics = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < (document.Devices?.Count ?? 0); i++)
        {
            var device = ValidateDevice(document.Devices![i], $"devices[{i}]", site.Id, profiles, reader, errors);
            if (device is null)
            {
                continue;
            }

            if (!deviceIds.Add(device.Id))
            {
                errors.Add(reader.ErrorAt(document.Devices[i], $"devices[{i}].id", $"device id '{device.Id}' is used twice; ids must be unique within a site"));
            }

            if (device.Address is MqttDeviceAddress mqtt && !topics.TryAdd(mqtt.Topic, device.Id))
            {
                errors.Add(reader.ErrorAt(document.Devices[i].Mqtt, $"devices[{i}].mqtt.topic", $"topic '{mqtt.Topic}' is already used by device '{topics[mqtt.Topic]}'"));
            }

            devices.Add(device);
        }

        if (document.Devices is null || document.Devices.Count == 0)
        {
            errors.Add(new ConfigurationError(file, 0, 0, "devices", "a site needs at least one device under 'devices:'"));
        }

        if (errors.Count > 0)
        {
            throw new ConfigurationFileException(errors);
        }

        return new SiteDefinition(site.Id, site.Name, site.Sector!, SiteModelCompaction.Compact(site.Id, devices));
    }

    private static (string Id, string Name, Sector? Sector) ValidateSite(SiteFileDocument document, StrictYamlReader reader, List<ConfigurationError> errors)
    {
        var section = document.Site;
        if (section is null)
        {
            errors.Add(reader.ErrorAt(null, "site", "missing 'site:' with id, name and sector"));
            return ("site", "", null);
        }

        var id = Required(section.Id, section, "site.id", reader, errors) ?? "site";
        var sectorCode = Required(section.Sector, section, "site.sector", reader, errors);
        var sector = sectorCode is null ? null : Sectors.Find(sectorCode);
        if (sectorCode is not null && sector is null)
        {
            errors.Add(reader.ErrorAt(section, "site.sector",
                $"unknown sector '{sectorCode}'; use one of the 32 codes, e.g. fuel_stations, hazardous_chemicals, city_gas, chemical_industry"));
        }

        return (id, section.Name ?? id, sector);
    }

    private static DeviceDefinition? ValidateDevice(DeviceSection section, string path, string siteId,
        IReadOnlyDictionary<string, FirmwareProfile> profiles, StrictYamlReader reader, List<ConfigurationError> errors)
    {
        var before = errors.Count;
        var id = Required(section.Id, section, $"{path}.id", reader, errors) ?? "?";
        FirmwareProfile? profile = null;
        if (section.Profile is not null && !profiles.TryGetValue(section.Profile, out profile))
        {
            var known = profiles.Count == 0 ? "no profiles are loaded (check Gateway:ProfilesDirectory)" : "known: " + string.Join(", ", profiles.Keys.Order(StringComparer.Ordinal));
            errors.Add(reader.ErrorAt(section, $"{path}.profile", $"unknown firmware profile '{section.Profile}'; {known}"));
        }

        var address = ValidateAddress(section, path, id, siteId, profile, reader, errors);
        var poll = DefaultPollInterval;
        if (section.PollInterval is not null && (!Durations.TryParse(section.PollInterval, out poll) || poll <= TimeSpan.Zero))
        {
            errors.Add(reader.ErrorAt(section, $"{path}.pollInterval", $"'{section.PollInterval}' is not a positive duration; write e.g. 500ms, 1s, 1m"));
        }

        var channels = ValidateChannels(section, path, siteId, id, profile, reader, errors);
        return errors.Count > before || address is null
            ? null
            : new DeviceDefinition(id, section.Name ?? id, section.Location ?? "", profile?.Id, address, poll, channels,
                section.Tags ?? SiteModelCompaction.NoTags);
    }

    // Without a profile the site lists every channel; with one, the profile's channels are taken and the site's
    // entries override them by id (quantity, unit, alarm), so no channel of the device is ever silently left out.
    private static List<ChannelDefinition> ValidateChannels(DeviceSection section, string path, string siteId, string id, FirmwareProfile? profile,
        StrictYamlReader reader, List<ConfigurationError> errors)
    {
        var channels = new List<ChannelDefinition>();
        var overrides = new Dictionary<string, (ChannelSection Section, string Path)>(StringComparer.Ordinal);
        for (var i = 0; i < (section.Channels?.Count ?? 0); i++)
        {
            var channelSection = section.Channels![i];
            var channelPath = $"{path}.channels[{i}]";
            var channelId = Required(channelSection.Id, channelSection, $"{channelPath}.id", reader, errors);
            if (channelId is null)
            {
                continue;
            }

            if (!overrides.TryAdd(channelId, (channelSection, channelPath)))
            {
                errors.Add(reader.ErrorAt(channelSection, $"{channelPath}.id", $"channel id '{channelId}' is used twice on device '{id}'"));
            }
            else if (profile is not null && profile.Channel(channelId) is null)
            {
                errors.Add(reader.ErrorAt(channelSection, $"{channelPath}.id",
                    $"profile '{profile.Id}' has no channel '{channelId}'; its channels are: {string.Join(", ", profile.Channels.Take(12).Select(c => c.Name))}{(profile.Channels.Count > 12 ? ", ..." : "")}"));
            }
        }

        if (profile is not null)
        {
            foreach (var profileChannel in profile.Channels)
            {
                var site = overrides.GetValueOrDefault(profileChannel.Name);
                var alarm = site.Section?.Alarm is { } a ? ValidateAlarm(a, $"{site.Path}.alarm", $"{site.Section.Quantity ?? profileChannel.Quantity}.level", reader, errors) : null;
                if (id != "?")
                {
                    channels.Add(new ChannelDefinition(new ChannelId(siteId, id, profileChannel.Name),
                        site.Section?.Quantity ?? profileChannel.Quantity, site.Section?.Unit ?? profileChannel.Unit, alarm ?? profileChannel.Alarm));
                }
            }

            return channels;
        }

        foreach (var (_, (channelSection, channelPath)) in overrides)
        {
            if (ValidateChannel(channelSection, channelPath, siteId, id, reader, errors) is { } channel)
            {
                channels.Add(channel);
            }
        }

        // A device that names an unknown profile has that error already; "no channels" would only repeat it.
        if ((section.Channels is null || section.Channels.Count == 0) && section.Profile is null)
        {
            errors.Add(reader.ErrorAt(section, $"{path}.channels", $"device '{id}' has no channels; list at least one under 'channels:', or name a firmware profile"));
        }

        return channels;
    }

    private static DeviceAddress? ValidateAddress(DeviceSection section, string path, string id, string siteId, FirmwareProfile? profile,
        StrictYamlReader reader, List<ConfigurationError> errors)
    {
        if (section.Mqtt is null && section.Modbus is null)
        {
            errors.Add(reader.ErrorAt(section, $"{path}.address",
                $"device '{id}' has no address; add 'mqtt: {{ topic: ... }}' or 'modbus: {{ tcp: host:port, unit: 1 }}' (or serial / rtuOverTcp)"));
            return null;
        }

        if (section.Mqtt is not null && section.Modbus is not null)
        {
            errors.Add(reader.ErrorAt(section, $"{path}.address", $"device '{id}' has both 'mqtt' and 'modbus'; a device has exactly one address"));
            return null;
        }

        if (profile is not null && (section.Mqtt is null ? profile.Modbus is null : profile.Mqtt is null))
        {
            errors.Add(reader.ErrorAt(section, $"{path}.profile",
                $"profile '{profile.Id}' describes {(profile.Modbus is null ? "an MQTT" : "a Modbus")} device, but the device has {(section.Mqtt is null ? "a Modbus" : "an MQTT")} address"));
            return null;
        }

        if (section.Mqtt is { } mqtt)
        {
            var fromProfile = profile?.Mqtt?.TopicTemplate.Replace("{site}", siteId, StringComparison.Ordinal).Replace("{device}", id, StringComparison.Ordinal);
            var topic = mqtt.Topic is null && fromProfile is not null ? fromProfile : Required(mqtt.Topic, mqtt, $"{path}.mqtt.topic", reader, errors);
            if (topic is not null && (topic.Contains('+', StringComparison.Ordinal) || topic.Contains('#', StringComparison.Ordinal)))
            {
                errors.Add(reader.ErrorAt(mqtt, $"{path}.mqtt.topic", $"'{topic}' contains a wildcard; a device's topic names exactly one topic"));
                return null;
            }

            return topic is null ? null : new MqttDeviceAddress(topic);
        }

        if (section.Profile is null)
        {
            errors.Add(reader.ErrorAt(section, $"{path}.profile",
                $"device '{id}' speaks Modbus but names no firmware profile; add 'profile: family/model' (one of the files under firmware-profiles/) so the poller knows its registers"));
            return null;
        }

        return ValidateModbus(section.Modbus!, path, profile?.Modbus, reader, errors);
    }

    private static DeviceAddress? ValidateModbus(ModbusAddressSection modbus, string path, ModbusProfileDefaults? defaults, StrictYamlReader reader, List<ConfigurationError> errors)
    {
        // Stop bits follow the parity: the profile's only when the site keeps the profile's parity.
        modbus.StopBits ??= modbus.Parity is null ? defaults?.StopBits : null;
        modbus.Unit ??= defaults?.UnitId;
        modbus.Baud ??= defaults?.Baud;
        modbus.Parity ??= defaults?.Parity;
        var kinds = new[] { modbus.Tcp, modbus.RtuOverTcp, modbus.Serial }.Count(k => k is not null);
        if (kinds != 1)
        {
            errors.Add(reader.ErrorAt(modbus, $"{path}.modbus", "give exactly one of 'tcp: host:port', 'rtuOverTcp: host:port' or 'serial: /dev/ttyX'"));
            return null;
        }

        if (modbus.Unit is not (>= 0 and <= 247))
        {
            errors.Add(reader.ErrorAt(modbus, $"{path}.modbus.unit",
                modbus.Unit is null ? "missing 'unit:' (the Modbus unit id, 1-247)" : $"unit {modbus.Unit} is outside 0-247"));
            return null;
        }

        var unit = (byte)modbus.Unit.Value;
        if (modbus.Serial is { } serial)
        {
            var baud = modbus.Baud ?? 9600;
            var parity = (modbus.Parity ?? "even").ToLowerInvariant();
            if (parity is not ("none" or "even" or "odd"))
            {
                errors.Add(reader.ErrorAt(modbus, $"{path}.modbus.parity", $"'{modbus.Parity}' is not a parity; use none, even or odd"));
                return null;
            }

            if (baud is < 300 or > 1_000_000)
            {
                errors.Add(reader.ErrorAt(modbus, $"{path}.modbus.baud", $"baud {baud} is outside 300-1000000"));
                return null;
            }

            return new ModbusRtuDeviceAddress(serial, baud, parity, modbus.StopBits ?? (parity == "none" ? 2 : 1), unit);
        }

        var endpoint = modbus.Tcp ?? modbus.RtuOverTcp!;
        if (!TryParseEndpoint(endpoint, out var host, out var port))
        {
            errors.Add(reader.ErrorAt(modbus, $"{path}.modbus.{(modbus.Tcp is null ? "rtuOverTcp" : "tcp")}", $"'{endpoint}' is not host:port (port 1-65535)"));
            return null;
        }

        return modbus.Tcp is not null ? new ModbusTcpDeviceAddress(host, port, unit) : new ModbusRtuOverTcpDeviceAddress(host, port, unit);
    }

    private static ChannelDefinition? ValidateChannel(ChannelSection section, string path, string siteId, string deviceId, StrictYamlReader reader, List<ConfigurationError> errors)
    {
        var before = errors.Count;
        var id = Required(section.Id, section, $"{path}.id", reader, errors);
        var quantity = Required(section.Quantity, section, $"{path}.quantity", reader, errors);
        var unit = Required(section.Unit, section, $"{path}.unit", reader, errors);
        var alarm = section.Alarm is null ? null : ValidateAlarm(section.Alarm, $"{path}.alarm", $"{quantity}.level", reader, errors);
        return errors.Count > before || id is null || quantity is null || unit is null || deviceId == "?"
            ? null
            : new ChannelDefinition(new ChannelId(siteId, deviceId, id), quantity, unit, alarm);
    }

    internal static AlarmRuleDefinition? ValidateAlarm(AlarmSection section, string path, string defaultRuleId, StrictYamlReader reader, List<ConfigurationError> errors)
    {
        var before = errors.Count;
        var limits = new List<AlarmLimitDefinition>();
        for (var i = 0; i < (section.Limits?.Count ?? 0); i++)
        {
            var limit = ValidateLimit(section.Limits![i], $"{path}.limits[{i}]", reader, errors);
            if (limit is not null)
            {
                limits.Add(limit);
            }
        }

        if (section.Limits is null || section.Limits.Count == 0)
        {
            errors.Add(reader.ErrorAt(section, $"{path}.limits", "an alarm override needs at least one limit; remove 'alarm:' to use the sector rule pack"));
        }

        return errors.Count > before
            ? null
            : new AlarmRuleDefinition { Id = section.Rule ?? defaultRuleId, Limits = limits, Latching = section.Latching ?? false, Source = "site file" };
    }

    private static AlarmLimitDefinition? ValidateLimit(LimitSection section, string path, StrictYamlReader reader, List<ConfigurationError> errors)
    {
        var before = errors.Count;
        var name = Required(section.Name, section, $"{path}.name", reader, errors);
        var level = section.Level?.ToLowerInvariant() switch
        {
            "level1" or "1" => AlarmLevel.Level1,
            "level2" or "2" => AlarmLevel.Level2,
            "fault" => AlarmLevel.Fault,
            null => (AlarmLevel?)null,
            _ => null,
        };
        if (level is null)
        {
            errors.Add(reader.ErrorAt(section, $"{path}.level", section.Level is null ? "missing 'level:' (level1 or level2)" : $"'{section.Level}' is not a level; use level1 or level2"));
        }

        var direction = section.Direction?.ToLowerInvariant() switch
        {
            "high" or null => AlarmDirection.High,
            "low" => AlarmDirection.Low,
            _ => (AlarmDirection?)null,
        };
        if (direction is null)
        {
            errors.Add(reader.ErrorAt(section, $"{path}.direction", $"'{section.Direction}' is not a direction; use high or low"));
        }

        if (section.Setpoint is not { } setPoint || !double.IsFinite(setPoint))
        {
            errors.Add(reader.ErrorAt(section, $"{path}.setpoint", "missing 'setpoint:' (a number in the channel's unit)"));
            setPoint = double.NaN;
        }

        if (section.Deadband is < 0)
        {
            errors.Add(reader.ErrorAt(section, $"{path}.deadband", "the deadband cannot be negative"));
        }

        var onDelay = Duration(section.OnDelay, section, $"{path}.onDelay", reader, errors);
        var offDelay = Duration(section.OffDelay, section, $"{path}.offDelay", reader, errors);
        var reAlarm = Duration(section.ReAlarm, section, $"{path}.reAlarm", reader, errors);
        if (section.Priority is not null and not (>= 1 and <= 4))
        {
            errors.Add(reader.ErrorAt(section, $"{path}.priority", $"priority {section.Priority} is outside 1 (highest) to 4"));
        }

        return errors.Count > before
            ? null
            : new AlarmLimitDefinition
            {
                Name = name!,
                Level = level!.Value,
                Direction = direction!.Value,
                SetPoint = setPoint,
                Deadband = section.Deadband ?? 0,
                OnDelay = onDelay,
                OffDelay = offDelay,
                ReAlarmInterval = reAlarm,
                Priority = section.Priority ?? 2,
            };
    }

    internal static TimeSpan Duration(string? text, object node, string field, StrictYamlReader reader, List<ConfigurationError> errors)
    {
        if (text is null)
        {
            return TimeSpan.Zero;
        }

        if (Durations.TryParse(text, out var value))
        {
            return value;
        }

        errors.Add(reader.ErrorAt(node, field, $"'{text}' is not a duration; write e.g. 0s, 500ms, 5s, 1m"));
        return TimeSpan.Zero;
    }

    internal static string? Required(string? value, object node, string field, StrictYamlReader reader, List<ConfigurationError> errors)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            return value.Trim();
        }

        errors.Add(reader.ErrorAt(node, field, $"missing '{field[(field.LastIndexOf('.') + 1)..]}:'"));
        return null;
    }

    private static bool TryParseEndpoint(string text, out string host, out int port)
    {
        host = "";
        port = 0;
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
        {
            return false;
        }

        host = text[..colon].Trim('[', ']');
        return host.Length > 0;
    }
}
