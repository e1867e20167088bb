using SensorGateway.Edge.Mqtt;

namespace SensorGateway.Edge.Tests.Mqtt;

/// <summary>Which sequence numbers of a device count as redeliveries.</summary>
public sealed class SequenceWindowTests
{
    [Fact]
    public void Add_InOrderThenRepeated_OnlyTheRepeatsAreDuplicates()
    {
        var window = new SequenceWindow(100);

        var firstPass = Enumerable.Range(1, 300).Select(s => window.Add(s)).ToArray();
        var repeats = Enumerable.Range(201, 100).Select(s => window.Add(s)).ToArray();

        Assert.All(firstPass, Assert.True);
        Assert.All(repeats, Assert.False);
    }

    [Fact]
    public void Add_OvertakenAndRedeliveredOutOfOrder_UnseenOnesAreNew()
    {
        var window = new SequenceWindow(100);

        // 502 overtakes 501 (an in-flight message redelivered after newer ones); 500 and 502 come twice.
        bool[] outcome = [window.Add(500), window.Add(502), window.Add(501), window.Add(500), window.Add(502), window.Add(503)];

        Assert.Equal([true, true, true, false, false, true], outcome);
    }

    [Fact]
    public void Add_GapInTheNumbers_SkippedNumbersArriveLaterAsNew()
    {
        var window = new SequenceWindow(1000);
        window.Add(10);

        Assert.True(window.Add(700)); // 11..699 are still to come
        Assert.True(window.Add(11));
        Assert.True(window.Add(699));
        Assert.False(window.Add(11));
    }

    [Fact]
    public void Add_FarBelowTheWindow_IsADeviceCountingAgainAndStartsANewWindow()
    {
        var window = new SequenceWindow(100);
        window.Add(5000);

        Assert.True(window.Add(1));
        Assert.True(window.Add(2));
        Assert.False(window.Add(1));
    }

    [Fact]
    public void Add_WindowEdges_OldestInsideIsADuplicateOneBelowIsNew()
    {
        var window = new SequenceWindow(64);
        window.Add(1);
        window.Add(2);
        window.Add(65); // 2 is the oldest number still inside: 65 - 2 < 64; 1 has left the window

        Assert.False(window.Add(2));
        Assert.True(window.Add(1));
    }

    [Fact]
    public void Add_JumpLongerThanTheWindow_ForgetsEverythingBefore()
    {
        var window = new SequenceWindow(128);
        for (var s = 1; s <= 128; s++)
        {
            window.Add(s);
        }

        window.Add(1000);

        Assert.True(window.Add(999));
        Assert.True(window.Add(1000 - 127));
        Assert.False(window.Add(999));
    }
}
