using SensorGateway.Simulators.Load;

namespace SensorGateway.Simulators.Tests;

public sealed class SequenceLedgerTests
{
    [Fact]
    public void Counts_GapsDuplicatesAndSilentDevice_LostPerDeviceDuplicatesBeyondFirst()
    {
        var ledger = new SequenceLedger();
        ledger.Sent(new Dictionary<string, long> { ["d00000"] = 10, ["d00001"] = 10, ["d00002"] = 4 });

        ledger.Landed("d00000", distinct: 10, stored: 12); // everything, two stored twice
        ledger.Landed("d00001", distinct: 7, stored: 7);   // three gaps

        Assert.Equal((24L, 3L + 4L, 2L, 0L, 2), (ledger.Expected, ledger.Lost, ledger.Duplicates, ledger.Unexplained, ledger.DevicesWithLoss));
    }

    [Fact]
    public void Counts_MoreDistinctThanSentOrUnknownDevice_UnexplainedNotNegativeLoss()
    {
        var ledger = new SequenceLedger();
        ledger.Sent(new Dictionary<string, long> { ["d00000"] = 5 });

        ledger.Landed("d00000", distinct: 6, stored: 6);
        ledger.Landed("stranger", distinct: 2, stored: 2);

        Assert.Equal((0L, 3L), (ledger.Lost, ledger.Unexplained));
    }
}
