namespace SensorGateway.Edge.Mqtt;

/// <summary>
/// The sequence numbers of one device seen within the last <c>capacity</c> numbers below its highest: one bit each,
/// so a device costs about 150 bytes whatever its rate. (A set and a queue of the last 1,000 distinct numbers take
/// about 30 KB per device once full: 75 MB at 2,500 devices, reached only after 1,000 messages each, so the gateway
/// kept growing for the first 17 minutes at 1 Hz.)
/// </summary>
/// <remarks>
/// A number above the highest is new and moves the window up. One within the window is a duplicate when its bit is
/// set. One below the window is taken for a device that started counting again (a restart or a replaced unit): it
/// is new, and the window starts again from it.
/// </remarks>
internal sealed class SequenceWindow
{
    private readonly ulong[] _bits;
    private readonly int _capacity;
    private long _highest;
    private bool _empty = true;

    public SequenceWindow(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _bits = new ulong[(capacity + 63) / 64];
    }

    private int Slots => _bits.Length * 64;

    /// <summary>Records a sequence number; false when it was seen before within the window (a redelivery).</summary>
    public bool Add(long sequence)
    {
        if (_empty || _highest - sequence >= _capacity)
        {
            Array.Clear(_bits);
            _empty = false;
            _highest = sequence;
            Set(sequence);
            return true;
        }

        if (sequence > _highest)
        {
            if (sequence - _highest >= Slots)
            {
                Array.Clear(_bits);
            }
            else
            {
                for (var next = _highest + 1; next < sequence; next++)
                {
                    Clear(next);
                }
            }

            _highest = sequence;
            Set(sequence);
            return true;
        }

        if (IsSet(sequence))
        {
            return false;
        }

        Set(sequence);
        return true;
    }

    private int Slot(long sequence) => (int)(((sequence % Slots) + Slots) % Slots);

    private bool IsSet(long sequence) => (_bits[Slot(sequence) >> 6] & (1UL << (Slot(sequence) & 63))) != 0;

    private void Set(long sequence) => _bits[Slot(sequence) >> 6] |= 1UL << (Slot(sequence) & 63);

    private void Clear(long sequence) => _bits[Slot(sequence) >> 6] &= ~(1UL << (Slot(sequence) & 63));
}
