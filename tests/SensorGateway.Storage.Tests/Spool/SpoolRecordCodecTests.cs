using System.Text;
using SensorGateway.Storage.Spool;
using static SensorGateway.Storage.Tests.Spool.TestReadings;

namespace SensorGateway.Storage.Tests.Spool;

/// <summary>
/// The record format seen from outside: a spool file written by one spool is read back by another, frame by
/// frame, and the frame bytes are the documented ones (docs/SPOOL.md).
/// </summary>
public sealed class SpoolRecordCodecTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task AppendAsync_OneReading_WritesTheDocumentedFrame()
    {
        var directory = Path.Combine(_temp.Path, "frame");
        await using (var spool = FileReadingSpool.Open(new FileSpoolOptions { Directory = directory }))
        {
            await spool.AppendAsync(new[] { Make(1) }, Token);
        }

        var bytes = File.ReadAllBytes(Directory.GetFiles(directory, "*.seg").Single());

        Assert.Equal("SGSPOOL1"u8.ToArray(), bytes[..8]);
        Assert.Equal(16 + GasFrameBytes, bytes.Length);
        var frame = bytes.AsSpan(16);
        Assert.Equal("44-52-47-53", BitConverter.ToString(frame[..4].ToArray())); // magic 0x53475244 little-endian
        Assert.Equal(GasFrameBytes - 20, BitConverter.ToInt32(frame[4..]));      // payload length
        Assert.Equal(0L, BitConverter.ToInt64(frame[8..]));                       // record id
        Assert.Equal("06-00-73-69-74-65-2D-61", BitConverter.ToString(frame.Slice(20, 8).ToArray())); // u16 6, "site-a"
        Assert.Equal(Crc32C(frame[4..16], frame[20..]), BitConverter.ToUInt32(frame[16..]));
    }

    [Fact]
    public void Crc32C_CheckString_IsTheCastagnoliCheckValue() =>
        Assert.Equal(0xE3069283u, Crc32C("123456789"u8, []));

    /// <summary>Reference CRC-32C, bit by bit (reflected polynomial 0x82F63B78), independent of the spool's.</summary>
    private static uint Crc32C(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        var crc = uint.MaxValue;
        foreach (var part in new[] { first.ToArray(), second.ToArray() })
        {
            foreach (var b in part)
            {
                crc ^= b;
                for (var k = 0; k < 8; k++)
                {
                    crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
                }
            }
        }

        return ~crc;
    }

    [Fact]
    public void GasFrameBytes_MatchesTheStrings() =>
        Assert.Equal(34, Encoding.UTF8.GetByteCount("site-a" + "gas-01" + "lel" + "gas.combustible" + "%LEL"));
}
