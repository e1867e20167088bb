using SensorGateway.Profiles.Registers;

namespace SensorGateway.Profiles.Tests;

public sealed class RegisterMapAdvisorTests
{
    [Fact]
    public void Suggest_FloatWithSwappedWordsOneRegisterLater_FindsOffsetAndOrder()
    {
        // Read from address 99 (window 2 around the believed 101): the transmitter's 12.75 m sits at 102..103 as CDAB.
        ushort[] registers = [0x0000, 0x0001, 0x0000, 0x0000, 0x414C, 0x0000, 0x0000];

        var suggestions = RegisterMapAdvisor.Suggest(registers, window: 2, knownValue: 12.75);

        Assert.Equal("address +1, type float32, byteOrder CDAB, scale 1 -> 12.75", suggestions[0].ToString());
    }

    [Fact]
    public void Suggest_ScaledInteger_ProposesTheScale()
    {
        ushort[] registers = [0, 251, 0];

        var suggestions = RegisterMapAdvisor.Suggest(registers, window: 1, knownValue: 25.1);

        Assert.Equal(new RegisterMapSuggestion(0, RawType.UInt16, ByteOrder.ABCD, 0.1, 251 * 0.1), suggestions[0]);
    }

    [Fact]
    public void Suggest_OneBasedManualAddress_PointsOneRegisterBack()
    {
        // The manual says 40002; the integrator typed 2 but the value lives at protocol address 1.
        ushort[] registers = [0, 35, 8, 0];

        var suggestions = RegisterMapAdvisor.Suggest(registers, window: 1, knownValue: 35);

        Assert.Equal((0, RawType.UInt16), (suggestions[0].AddressOffset, suggestions[0].Type));
        Assert.DoesNotContain(suggestions, s => s.AddressOffset == 1 && s.Type == RawType.UInt16 && s.Scale == 1);
    }

    [Fact]
    public void Suggest_ValueNowhere_ReturnsNothing() =>
        Assert.Empty(RegisterMapAdvisor.Suggest([1, 2, 3], window: 1, knownValue: 777.7));
}
