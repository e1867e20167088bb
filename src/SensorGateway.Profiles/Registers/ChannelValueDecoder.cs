using SensorGateway.Core.Readings;
using SensorGateway.Profiles.Firmware;

namespace SensorGateway.Profiles.Registers;

/// <summary>
/// Turns a channel's raw registers into an engineering value and its quality, fail-safe: a fault value,
/// a status bit or code, a loop current outside the NAMUR NE 43 measuring band (3.8–20.5 mA) or a value
/// outside the valid range makes the reading bad, with the reason. The value is still reported.
/// </summary>
public static class ChannelValueDecoder
{
    /// <summary>Lowest loop current that is still a measurement (NE 43); below it the loop or sensor has failed.</summary>
    public const double LoopCurrentMin = 3.8;

    /// <summary>Highest loop current that is still a measurement (NE 43).</summary>
    public const double LoopCurrentMax = 20.5;

    /// <param name="channel">The profile channel (must have a register layout).</param>
    /// <param name="registers">The registers (or bits as 0/1) the channel occupies, from its address on.</param>
    /// <param name="statusWord">The channel's status word, when the profile gives one.</param>
    public static (double Value, Quality Quality) Decode(ProfileChannel channel, ReadOnlySpan<ushort> registers, ushort? statusWord = null)
    {
        ArgumentNullException.ThrowIfNull(channel);
        var layout = channel.Register ?? throw new ArgumentException($"Channel {channel.Name} has no register layout.", nameof(channel));
        var raw = RegisterCodec.Decode(registers, layout);
        foreach (var fault in channel.FaultValues)
        {
            if (raw == fault.Value)
            {
                return (raw, Quality.Bad(fault.Reason));
            }
        }

        var value = (raw * channel.Scale) + channel.Offset;
        var quality = Quality.Good;
        if (channel.LoopCurrent is { } loop)
        {
            var milliamps = value;
            value = loop.At4mA + ((milliamps - 4) / 16 * (loop.At20mA - loop.At4mA));
            if (milliamps is < LoopCurrentMin or > LoopCurrentMax || double.IsNaN(milliamps))
            {
                quality = Quality.Bad(QualityReason.LoopCurrentFault);
            }
        }

        if (quality.IsGood && channel.Status is { } status && statusWord is { } word)
        {
            quality = StatusQuality(status, word);
        }

        if (quality.IsGood && (!double.IsFinite(value) || (channel.Range is { } range && (value < range.Min || value > range.Max))))
        {
            quality = Quality.Bad(QualityReason.OutOfRange);
        }

        return (value, quality);
    }

    /// <summary>The quality a status word gives: the first set fault bit, else a matching code, else good.</summary>
    public static Quality StatusQuality(StatusWord status, ushort word)
    {
        ArgumentNullException.ThrowIfNull(status);
        foreach (var bit in status.Bits)
        {
            if (((word >> bit.Bit) & 1) == 1)
            {
                return Quality.Bad(bit.Reason);
            }
        }

        foreach (var code in status.Codes)
        {
            if (word == code.Value)
            {
                return Quality.Bad(code.Reason);
            }
        }

        return Quality.Good;
    }
}
