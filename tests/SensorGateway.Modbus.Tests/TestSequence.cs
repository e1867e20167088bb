using System.Buffers;

namespace SensorGateway.Modbus.Tests;

/// <summary>Builds multi-segment sequences so parsers see frames split across pipe buffers.</summary>
internal static class TestSequence
{
    public static ReadOnlySequence<byte> Split(byte[] data, params int[] cuts)
    {
        var bounds = cuts.Where(c => c > 0 && c < data.Length).Distinct().Order().Prepend(0).Append(data.Length).ToArray();
        Segment? first = null;
        Segment? last = null;
        for (var i = 0; i < bounds.Length - 1; i++)
        {
            var memory = data.AsMemory(bounds[i], bounds[i + 1] - bounds[i]);
            if (first is null)
            {
                first = last = new Segment(memory, 0);
            }
            else
            {
                last = last!.Append(memory);
            }
        }

        return first is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(first, 0, last!, last!.Memory.Length);
    }

    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
