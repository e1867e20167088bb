namespace SensorGateway.Core.Readings;

/// <summary>
/// One value of one channel, as every stage of the gateway sees it.
/// A value struct so that the detection stage runs without allocating per reading.
/// </summary>
/// <param name="Channel">Site, device and channel.</param>
/// <param name="Quantity">What is measured, e.g. <c>gas.combustible</c>, <c>tank.product_level</c>.</param>
/// <param name="Unit">Engineering unit, e.g. <c>%LEL</c>, <c>ppm</c>, <c>mm</c>, <c>MPa</c>.</param>
/// <param name="Value">Engineering value; meaningless unless <see cref="Quality"/> is good.</param>
/// <param name="Quality">Whether the value can be trusted, and why not.</param>
/// <param name="SourceTime">When the device measured it (or when it was polled, if the device gives no time).</param>
/// <param name="ReceivedTime">When the gateway accepted it.</param>
/// <param name="Sequence">Per-device sequence number: gaps and repeats reveal loss and duplicates.</param>
public readonly record struct Reading(
    ChannelId Channel,
    string Quantity,
    string Unit,
    double Value,
    Quality Quality,
    DateTimeOffset SourceTime,
    DateTimeOffset ReceivedTime,
    long Sequence)
{
    public override string ToString() =>
        $"{Channel} = {Value.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)} {Unit} [{Quality}] #{Sequence} @ {SourceTime:O}";
}
