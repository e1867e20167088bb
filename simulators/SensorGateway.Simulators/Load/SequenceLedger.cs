namespace SensorGateway.Simulators.Load;

/// <summary>
/// Loss and duplicates of a load run, by (device, sequence): the simulators know the last sequence each device
/// handed out (sequences run 1..last), the database says how many values of a device's sequence it holds and how
/// many of them are distinct. A sequence missing from the database is lost; a sequence stored twice is a duplicate.
/// </summary>
public sealed class SequenceLedger
{
    private readonly Dictionary<string, long> _sent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Distinct, long Stored)> _landed = new(StringComparer.Ordinal);

    /// <summary>Devices whose last sequence was <c>sent[device]</c>.</summary>
    public void Sent(IReadOnlyDictionary<string, long> sent)
    {
        ArgumentNullException.ThrowIfNull(sent);
        foreach (var (device, last) in sent)
        {
            _sent[device] = last;
        }
    }

    /// <summary>What the database holds of one device's sequence.</summary>
    public void Landed(string device, long distinct, long stored) => _landed[device] = (distinct, stored);

    /// <summary>Sequences the simulators sent.</summary>
    public long Expected => _sent.Values.Sum();

    /// <summary>Sent sequences missing from the database, over all devices (a device that never landed loses all of its).</summary>
    public long Lost => _sent.Sum(d => Math.Max(0, d.Value - Distinct(d.Key)));

    /// <summary>Stored values beyond the first of each sequence.</summary>
    public long Duplicates => _landed.Values.Sum(l => l.Stored - l.Distinct);

    /// <summary>
    /// Sequences in the database that no device sent (more distinct values than the device's last sequence, or a
    /// device the simulators do not know): a counting error of the harness, never expected.
    /// </summary>
    public long Unexplained => _landed.Sum(l => Math.Max(0, l.Value.Distinct - _sent.GetValueOrDefault(l.Key)));

    /// <summary>Devices with at least one lost sequence.</summary>
    public int DevicesWithLoss => _sent.Count(d => d.Value > Distinct(d.Key));

    private long Distinct(string device) => _landed.TryGetValue(device, out var landed) ? landed.Distinct : 0;
}
