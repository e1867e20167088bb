using System.Globalization;
using System.Text.Json;
using SensorGateway.Core.Readings;
using SensorGateway.Core.Sites;
using SensorGateway.Profiles.Firmware;

namespace SensorGateway.Edge.Mqtt;

/// <summary>
/// Decodes a device's own JSON layout as its firmware profile describes it: dotted paths to the timestamp,
/// the sequence number and each channel's value and status. One message may carry any of the device's
/// channels; a channel whose path is absent is simply not in that message.
/// </summary>
internal sealed class ProfileJsonDecoder
{
    private readonly MqttPayloadProfile _layout;
    private readonly List<(ChannelDefinition Site, ProfileChannel Profile)> _channels;

    public ProfileJsonDecoder(FirmwareProfile profile, IEnumerable<ChannelDefinition> channels)
    {
        _layout = profile.Mqtt!;
        var byName = profile.Channels.ToDictionary(c => c.Name, StringComparer.Ordinal);
        _channels = channels.Select(c => (c, byName[c.Id.Channel])).Where(c => c.Item2.Mqtt is not null).ToList();
    }

    public MqttPayloadRejection? Decode(JsonElement root, DateTimeOffset receivedAt, List<Reading> output)
    {
        long sequence = 0;
        if (_layout.SequencePath is { } seqPath && Find(root, seqPath) is { } seq &&
            (seq.ValueKind != JsonValueKind.Number || !seq.TryGetInt64(out sequence) || sequence < 0))
        {
            return new(MqttPayloadRejection.WrongType, $"'{seqPath}' must be a non-negative whole number");
        }

        var sourceTime = receivedAt;
        if (_layout.TimestampPath is { } tsPath && Find(root, tsPath) is { } ts && !TryTime(ts, _layout.TimestampFormat, out sourceTime))
        {
            return new(MqttPayloadRejection.BadTimestamp, $"'{tsPath}' is not a {_layout.TimestampFormat} timestamp");
        }

        foreach (var (site, profile) in _channels)
        {
            if (Find(root, profile.Mqtt!.ValuePath) is not { } value)
            {
                continue;
            }

            double number;
            if (value.ValueKind == JsonValueKind.Number)
            {
                number = value.GetDouble();
            }
            else if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                number = value.GetBoolean() ? 1 : 0;
            }
            else
            {
                return new(MqttPayloadRejection.WrongType, $"'{profile.Mqtt.ValuePath}' must be a number or boolean, found {value.ValueKind}");
            }

            if (!double.IsFinite(number))
            {
                return new(MqttPayloadRejection.NonFinite, $"'{profile.Mqtt.ValuePath}' is not finite");
            }

            output.Add(new Reading(site.Id, site.Quantity, site.Unit, number, QualityOf(root, profile, number), sourceTime, receivedAt, sequence));
        }

        return output.Count == 0
            ? new(MqttPayloadRejection.MissingField, $"none of the profile's value paths ({string.Join(", ", _channels.Select(c => c.Profile.Mqtt!.ValuePath))}) is in the message")
            : null;
    }

    private static Quality QualityOf(JsonElement root, ProfileChannel channel, double value)
    {
        var mqtt = channel.Mqtt!;
        if (mqtt.StatusPath is { } path && Find(root, path) is { } status)
        {
            var key = status.ValueKind == JsonValueKind.String ? status.GetString()! : status.GetRawText();
            // A status the profile does not know cannot vouch for the value.
            var quality = mqtt.StatusMap.TryGetValue(key, out var mapped) ? mapped : Quality.Bad(QualityReason.DecodeError);
            if (!quality.IsGood)
            {
                return quality;
            }
        }

        return channel.Range is { } range && (value < range.Min || value > range.Max) ? Quality.Bad(QualityReason.OutOfRange) : Quality.Good;
    }

    private static JsonElement? Find(JsonElement root, string path)
    {
        var current = root;
        foreach (var part in path.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out current))
            {
                return null;
            }
        }

        return current.ValueKind == JsonValueKind.Null ? null : current;
    }

    private static bool TryTime(JsonElement element, string format, out DateTimeOffset time)
    {
        time = default;
        switch (format)
        {
            case "unix-ms" when element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var ms) && ms is > 0 and < 253402300799999:
                time = DateTimeOffset.FromUnixTimeMilliseconds(ms);
                return true;
            case "unix-s" when element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out var s) && s is > 0 and < 253402300799:
                time = DateTimeOffset.FromUnixTimeMilliseconds((long)(s * 1000));
                return true;
            case "iso8601" when element.ValueKind == JsonValueKind.String:
                var text = element.GetString()!;
                return (text.EndsWith('Z') || text.Contains('+', StringComparison.Ordinal) || text.LastIndexOf('-') > 10) &&
                       DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out time);
            default:
                return false;
        }
    }
}
