using System.Globalization;
using SensorGateway.Core.Readings;
using SensorGateway.Profiles.Registers;
using SensorGateway.Profiles.Sites;
using SensorGateway.Profiles.Yaml;

namespace SensorGateway.Profiles.Firmware;

/// <summary>
/// Loads firmware profiles: strict YAML (unknown keys and wrong types located by line and column), then
/// every semantic check, all problems reported together.
/// </summary>
public static class FirmwareProfileLoader
{
    /// <summary>Defaults for what a profile's <c>modbus:</c> section leaves out.</summary>
    public static readonly ModbusProfileDefaults ModbusDefaults = new(1, 9600, "even", 1, TimeSpan.FromSeconds(1), 2, 125, 10, 1, TimeSpan.Zero);

    /// <summary>Loads every <c>*.yaml</c> under <paramref name="root"/>; ids are the relative paths without extension.</summary>
    public static IReadOnlyDictionary<string, FirmwareProfile> LoadDirectory(string root)
    {
        var profiles = new Dictionary<string, FirmwareProfile>(StringComparer.Ordinal);
        var errors = new List<ConfigurationError>();
        foreach (var path in Directory.EnumerateFiles(root, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var id = Path.ChangeExtension(Path.GetRelativePath(root, path), null).Replace('\\', '/');
            try
            {
                profiles.Add(id, Parse(path, File.ReadAllText(path), id));
            }
            catch (ConfigurationFileException ex)
            {
                errors.AddRange(ex.Errors);
            }
        }

        return errors.Count > 0 ? throw new ConfigurationFileException(errors) : profiles;
    }

    public static FirmwareProfile Parse(string file, string yaml, string id)
    {
        var (document, reader) = StrictYamlReader.Read<ProfileDocument>(file, yaml);
        var errors = new List<ConfigurationError>();
        var identity = document.Identity;
        if (identity is null)
        {
            errors.Add(reader.ErrorAt(null, "identity", "missing 'identity:' with vendor and model"));
        }

        var vendor = identity is null ? null : SiteFileLoader.Required(identity.Vendor, identity, "identity.vendor", reader, errors);
        var model = identity is null ? null : SiteFileLoader.Required(identity.Model, identity, "identity.model", reader, errors);
        var modbus = document.Modbus is null ? null : ValidateModbus(document.Modbus, reader, errors);
        var oneBased = string.Equals(document.Modbus?.Addressing, "one-based", StringComparison.Ordinal);
        var channels = new List<ProfileChannel>();
        var context = new ChannelContext(reader, errors, oneBased, modbus is not null);
        var statusWords = ValidateStatusWords(document.StatusRegisters, "statusRegisters", 0, context);
        for (var i = 0; i < (document.Channels?.Count ?? 0); i++)
        {
            AddChannel(channels, document.Channels![i], $"channels[{i}]", "", 0, statusWords, context);
        }

        for (var g = 0; g < (document.Groups?.Count ?? 0); g++)
        {
            ExpandGroup(document.Groups![g], $"groups[{g}]", channels, context);
        }

        var mqtt = document.Mqtt is null ? null : ValidateMqtt(document.Mqtt, channels, context);
        if (document.Modbus is null && document.Mqtt is null)
        {
            errors.Add(reader.ErrorAt(null, "(profile)", "a profile needs a 'modbus:' or an 'mqtt:' section saying how the device talks"));
        }

        var declared = (document.Channels?.Count ?? 0) + (document.Groups?.Count ?? 0) + (document.Mqtt?.Channels?.Count ?? 0);
        if (declared == 0)
        {
            errors.Add(reader.ErrorAt(null, "channels", "the profile defines no channels"));
        }

        foreach (var duplicate in channels.GroupBy(c => c.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add(reader.ErrorAt(null, "channels", $"channel name '{duplicate.Key}' is defined {duplicate.Count()} times"));
        }

        if (errors.Count > 0)
        {
            throw new ConfigurationFileException(errors);
        }

        var deviceId = identity!.DeviceId is { } d ? new DeviceIdentity(d.VendorName, d.ProductCode, d.Revision) : null;
        return new FirmwareProfile(id, vendor!, model!, identity.Description ?? "", identity.Firmware ?? [], deviceId, modbus, channels, mqtt, file);
    }

    private sealed record ChannelContext(StrictYamlReader Reader, List<ConfigurationError> Errors, bool OneBased, bool HasModbus);

    private static ModbusProfileDefaults? ValidateModbus(ModbusSection section, StrictYamlReader reader, List<ConfigurationError> errors)
    {
        var before = errors.Count;
        if (section.Addressing is not ("zero-based" or "one-based"))
        {
            errors.Add(reader.ErrorAt(section, "modbus.addressing", section.Addressing is null
                ? "missing 'addressing:'; say whether the addresses below are zero-based (protocol addresses) or one-based (as in many manuals)"
                : $"'{section.Addressing}' is not an addressing convention; use zero-based or one-based"));
        }

        Check(section.UnitId is null or (>= 0 and <= 247), section, "modbus.unitId", "must be 0-247", reader, errors);
        Check(section.Parity is null or "none" or "even" or "odd", section, "modbus.parity", "use none, even or odd", reader, errors);
        Check(section.StopBits is null or 1 or 2, section, "modbus.stopBits", "use 1 or 2", reader, errors);
        Check(section.Retries is null or (>= 0 and <= 10), section, "modbus.retries", "must be 0-10", reader, errors);
        Check(section.MaxRegistersPerRequest is null or (>= 1 and <= 125), section, "modbus.maxRegistersPerRequest", "must be 1-125 (the protocol limit)", reader, errors);
        Check(section.MaxGap is null or (>= 0 and <= 124), section, "modbus.maxGap", "must be 0-124", reader, errors);
        Check(section.MaxConnections is null or (>= 1 and <= 16), section, "modbus.maxConnections", "must be 1-16", reader, errors);
        Check(section.Baud is null or (>= 300 and <= 1_000_000), section, "modbus.baud", "must be 300-1000000", reader, errors);
        var timeout = section.Timeout is null ? ModbusDefaults.Timeout : SiteFileLoader.Duration(section.Timeout, section, "modbus.timeout", reader, errors);
        var delay = section.RequestDelay is null ? ModbusDefaults.RequestDelay : SiteFileLoader.Duration(section.RequestDelay, section, "modbus.requestDelay", reader, errors);
        var parity = section.Parity ?? ModbusDefaults.Parity;
        return errors.Count > before
            ? null
            : new ModbusProfileDefaults((byte)(section.UnitId ?? ModbusDefaults.UnitId), section.Baud ?? ModbusDefaults.Baud, parity,
                section.StopBits ?? (parity == "none" ? 2 : 1), timeout, section.Retries ?? ModbusDefaults.Retries,
                section.MaxRegistersPerRequest ?? ModbusDefaults.MaxRegistersPerRequest, section.MaxGap ?? ModbusDefaults.MaxGap,
                section.MaxConnections ?? ModbusDefaults.MaxConnections, delay);
    }

    private static Dictionary<string, StatusWord> ValidateStatusWords(List<StatusRegisterSection>? sections, string path, int shift, ChannelContext context)
    {
        var words = new Dictionary<string, StatusWord>(StringComparer.Ordinal);
        for (var i = 0; i < (sections?.Count ?? 0); i++)
        {
            var section = sections![i];
            var field = $"{path}[{i}]";
            var before = context.Errors.Count;
            var name = SiteFileLoader.Required(section.Name, section, $"{field}.name", context.Reader, context.Errors);
            var table = ParseTable(section.Table, section, $"{field}.table", context);
            var address = ParseAddress(section.Address, section, $"{field}.address", shift, 1, context);
            var bits = new List<StatusBit>();
            for (var b = 0; b < (section.Bits?.Count ?? 0); b++)
            {
                var bit = section.Bits![b];
                Check(bit.Bit is >= 0 and <= 15, bit, $"{field}.bits[{b}].bit", "a bit is 0-15", context.Reader, context.Errors);
                var reason = ParseReason(bit.Reason, bit, $"{field}.bits[{b}].reason", context);
                bits.Add(new StatusBit(bit.Bit ?? 0, reason));
            }

            var codes = (section.Codes ?? []).Select((c, k) => new StatusValue(c.Value ?? 0, ParseReason(c.Reason, c, $"{field}.codes[{k}].reason", context))).ToList();
            if (context.Errors.Count == before && name is not null)
            {
                words[name] = new StatusWord(name, new RegisterLayout(table, address, RawType.UInt16), bits, codes);
            }
        }

        return words;
    }

    private static void ExpandGroup(ChannelGroupSection group, string path, List<ProfileChannel> channels, ChannelContext context)
    {
        var (reader, errors) = (context.Reader, context.Errors);
        var before = errors.Count;
        Check(group.Repeat is >= 1 and <= 1024, group, $"{path}.repeat", "give how many times the group repeats, 1-1024", reader, errors);
        Check(group.Stride is >= 1, group, $"{path}.stride", "give the registers between repetitions (at least 1)", reader, errors);
        Check(group.Name?.Contains("{n}", StringComparison.Ordinal) == true, group, $"{path}.name", "give a name with {n}, e.g. tank{n} or detector{n}", reader, errors);
        if (errors.Count > before)
        {
            return;
        }

        for (var n = 1; n <= group.Repeat!.Value; n++)
        {
            var shift = (n - 1) * group.Stride!.Value;
            var prefix = group.Name!.Replace("{n}", n.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal) + ".";
            var words = ValidateStatusWords(group.StatusRegisters, $"{path}.statusRegisters", shift, context);
            for (var i = 0; i < (group.Channels?.Count ?? 0); i++)
            {
                AddChannel(channels, group.Channels![i], $"{path}.channels[{i}]", prefix, shift, words, context);
            }

            if (errors.Count > before)
            {
                return; // One report per mistake, not one per repetition.
            }
        }
    }

    private static void AddChannel(List<ProfileChannel> channels, ProfileChannelSection section, string path, string prefix, int shift,
        Dictionary<string, StatusWord> statusWords, ChannelContext context)
    {
        var (reader, errors) = (context.Reader, context.Errors);
        var before = errors.Count;
        var name = SiteFileLoader.Required(section.Name, section, $"{path}.name", reader, errors);
        var quantity = SiteFileLoader.Required(section.Quantity, section, $"{path}.quantity", reader, errors);
        var unit = SiteFileLoader.Required(section.Unit, section, $"{path}.unit", reader, errors);
        RegisterLayout? layout = null;
        if (context.HasModbus)
        {
            layout = ValidateLayout(section, path, shift, context);
        }

        Check(section.Scale is null || (double.IsFinite(section.Scale.Value) && section.Scale != 0), section, $"{path}.scale", "must be a finite, non-zero number", reader, errors);
        Check(section.Range is null || (section.Range.Min < section.Range.Max), section, $"{path}.range", "give min below max", reader, errors);
        Check(section.LoopCurrent is null || (section.LoopCurrent.At4mA is { } a && section.LoopCurrent.At20mA is { } b && a != b), section, $"{path}.loopCurrent",
            "give different engineering values for at4mA and at20mA", reader, errors);
        StatusWord? status = null;
        if (section.Status is not null && !statusWords.TryGetValue(section.Status, out status))
        {
            errors.Add(reader.ErrorAt(section, $"{path}.status", $"no status register named '{section.Status}'; define it under statusRegisters"));
        }

        var faults = (section.FaultValues ?? []).Select((f, k) => new StatusValue(f.Value ?? 0, ParseReason(f.Reason, f, $"{path}.faultValues[{k}].reason", context))).ToList();
        var alarm = section.Alarm is null ? null : SiteFileLoader.ValidateAlarm(section.Alarm, $"{path}.alarm", $"{quantity}.level", reader, errors);
        if (errors.Count > before)
        {
            return;
        }

        channels.Add(new ProfileChannel
        {
            Name = prefix + name,
            Quantity = quantity!,
            Unit = unit!,
            Register = layout,
            Scale = section.Scale ?? 1,
            Offset = section.Offset ?? 0,
            Range = section.Range is { Min: { } min, Max: { } max } ? new ValueRange(min, max) : null,
            LoopCurrent = section.LoopCurrent is { At4mA: { } at4, At20mA: { } at20 } ? new LoopCurrentScaling(at4, at20) : null,
            Status = status,
            FaultValues = faults,
            Alarm = alarm,
        });
    }

    private static RegisterLayout? ValidateLayout(ProfileChannelSection section, string path, int shift, ChannelContext context)
    {
        var (reader, errors) = (context.Reader, context.Errors);
        var before = errors.Count;
        var table = ParseTable(section.Table, section, $"{path}.table", context);
        var type = section.Type?.ToLowerInvariant() switch
        {
            "bool" => RawType.Bool,
            "int16" => RawType.Int16,
            "uint16" => RawType.UInt16,
            "int32" => RawType.Int32,
            "uint32" => RawType.UInt32,
            "int64" => RawType.Int64,
            "uint64" => RawType.UInt64,
            "float32" => RawType.Float32,
            "float64" => RawType.Float64,
            "bit" => RawType.Bit,
            "string" => RawType.String,
            null => table is RegisterTable.Coil or RegisterTable.Discrete ? RawType.Bool : (RawType?)null,
            _ => null,
        };
        if (type is null)
        {
            errors.Add(reader.ErrorAt(section, $"{path}.type", section.Type is null
                ? "missing 'type:' (bool, int16, uint16, int32, uint32, int64, uint64, float32, float64, bit, string)"
                : $"'{section.Type}' is not a raw type; use bool, int16, uint16, int32, uint32, int64, uint64, float32, float64, bit or string"));
            return null;
        }

        var bitTable = table is RegisterTable.Coil or RegisterTable.Discrete;
        Check(bitTable == (type == RawType.Bool), section, $"{path}.type",
            bitTable ? $"coils and discrete inputs hold single bits; use type bool, not {section.Type}" : "bool belongs to coils and discrete inputs; for one bit of a register use type bit with bit: 0-15",
            reader, errors);
        Check(type != RawType.Bit || section.Bit is >= 0 and <= 15, section, $"{path}.bit", "type bit needs 'bit:' 0-15", reader, errors);
        Check(type != RawType.String || section.Length is >= 1 and <= 125, section, $"{path}.length", "type string needs 'length:' in registers, 1-125", reader, errors);
        var order = section.ByteOrder?.ToUpperInvariant() switch
        {
            null or "ABCD" or "AB" => ByteOrder.ABCD,
            "BADC" or "BA" => ByteOrder.BADC,
            "CDAB" => ByteOrder.CDAB,
            "DCBA" => ByteOrder.DCBA,
            _ => (ByteOrder?)null,
        };
        if (order is null)
        {
            errors.Add(reader.ErrorAt(section, $"{path}.byteOrder", $"'{section.ByteOrder}' is not a byte order; use ABCD, BADC, CDAB or DCBA"));
        }

        var provisional = new RegisterLayout(table, 0, type.Value, order ?? ByteOrder.ABCD, section.Bit ?? 0, section.Length ?? 0);
        var address = ParseAddress(section.Address, section, $"{path}.address", shift, provisional.Count, context);
        return errors.Count > before ? null : provisional with { Address = address };
    }

    private static ushort ParseAddress(int? address, object node, string field, int shift, int count, ChannelContext context)
    {
        if (address is null)
        {
            context.Errors.Add(context.Reader.ErrorAt(node, field, "missing 'address:'"));
            return 0;
        }

        var zeroBased = address.Value - (context.OneBased ? 1 : 0) + shift;
        if (context.OneBased && address < 1)
        {
            context.Errors.Add(context.Reader.ErrorAt(node, field, $"address {address} is below 1, but the profile says addressing: one-based"));
            return 0;
        }

        if (zeroBased < 0 || zeroBased + count > 65536)
        {
            context.Errors.Add(context.Reader.ErrorAt(node, field, $"address {address} (+{count} registers) falls outside the 65536-register table"));
            return 0;
        }

        return (ushort)zeroBased;
    }

    private static RegisterTable ParseTable(string? text, object node, string field, ChannelContext context)
    {
        switch (text)
        {
            case "coil": return RegisterTable.Coil;
            case "discrete": return RegisterTable.Discrete;
            case "holding": return RegisterTable.Holding;
            case "input": return RegisterTable.Input;
            default:
                context.Errors.Add(context.Reader.ErrorAt(node, field, text is null
                    ? "missing 'table:' (coil, discrete, holding or input)"
                    : $"'{text}' is not a table; use coil, discrete, holding or input"));
                return RegisterTable.Holding;
        }
    }

    private static QualityReason ParseReason(string? text, object node, string field, ChannelContext context)
    {
        var reason = ParseReason(text);
        if (reason is null)
        {
            context.Errors.Add(context.Reader.ErrorAt(node, field,
                $"'{text}' is not a reason; use sensor_fault, calibration, warm_up, out_of_service, comm_failure or out_of_range"));
        }

        return reason ?? QualityReason.SensorFault;
    }

    internal static QualityReason? ParseReason(string? text) => text switch
    {
        "sensor_fault" => QualityReason.SensorFault,
        "calibration" => QualityReason.Calibration,
        "warm_up" => QualityReason.WarmUp,
        "out_of_service" => QualityReason.OutOfService,
        "comm_failure" => QualityReason.CommFailure,
        "out_of_range" => QualityReason.OutOfRange,
        _ => null,
    };

    private static MqttPayloadProfile? ValidateMqtt(MqttPayloadSection section, List<ProfileChannel> channels, ChannelContext context)
    {
        var (reader, errors) = (context.Reader, context.Errors);
        var before = errors.Count;
        var topic = SiteFileLoader.Required(section.Topic, section, "mqtt.topic", reader, errors);
        Check(section.TimestampFormat is null or "iso8601" or "unix-ms" or "unix-s", section, "mqtt.timestampFormat", "use iso8601, unix-ms or unix-s", reader, errors);
        for (var i = 0; i < (section.Channels?.Count ?? 0); i++)
        {
            var c = section.Channels![i];
            var path = $"mqtt.channels[{i}]";
            var name = SiteFileLoader.Required(c.Name, c, $"{path}.name", reader, errors);
            var quantity = SiteFileLoader.Required(c.Quantity, c, $"{path}.quantity", reader, errors);
            var unit = SiteFileLoader.Required(c.Unit, c, $"{path}.unit", reader, errors);
            var value = SiteFileLoader.Required(c.Value, c, $"{path}.value", reader, errors);
            var map = new Dictionary<string, Quality>(StringComparer.Ordinal);
            foreach (var (raw, meaning) in c.StatusMap ?? [])
            {
                if (meaning == "ok")
                {
                    map[raw] = Quality.Good;
                }
                else if (ParseReason(meaning) is { } reason)
                {
                    map[raw] = Quality.Bad(reason);
                }
                else
                {
                    errors.Add(reader.ErrorAt(c, $"{path}.statusMap.{raw}", $"'{meaning}' is not a status; use ok, sensor_fault, calibration, warm_up or out_of_service"));
                }
            }

            var alarm = c.Alarm is null ? null : SiteFileLoader.ValidateAlarm(c.Alarm, $"{path}.alarm", $"{quantity}.level", reader, errors);
            if (name is not null && quantity is not null && unit is not null && value is not null)
            {
                channels.Add(new ProfileChannel
                {
                    Name = name,
                    Quantity = quantity,
                    Unit = unit,
                    Range = c.Range is { Min: { } min, Max: { } max } ? new ValueRange(min, max) : null,
                    Alarm = alarm,
                    Mqtt = new MqttValuePath(value, c.Status, map),
                });
            }
        }

        return errors.Count > before ? null : new MqttPayloadProfile(topic!, section.Timestamp, section.TimestampFormat ?? "iso8601", section.Sequence);
    }

    private static void Check(bool ok, object node, string field, string problem, StrictYamlReader reader, List<ConfigurationError> errors)
    {
        if (!ok)
        {
            errors.Add(reader.ErrorAt(node, field, problem));
        }
    }
}
