using SensorGateway.Core.Sites;

namespace SensorGateway.Core.Tests;

public sealed class SectorsTests
{
    [Fact]
    public void All_ListsThe32CampaignSectorsInOrder()
    {
        Assert.Equal(32, Sectors.All.Count);
        Assert.Equal(Enumerable.Range(1, 32), Sectors.All.Select(s => s.Number));
        Assert.Equal("宗教活动场所", Sectors.All[0].ChineseName);
        Assert.Equal("农业机械", Sectors.All[31].ChineseName);
    }

    [Fact]
    public void All_CodesAndNamesAreUniqueAndFilled()
    {
        Assert.Equal(32, Sectors.All.Select(s => s.Code).Distinct().Count());
        Assert.Equal(32, Sectors.All.Select(s => s.ChineseName).Distinct().Count());
        Assert.All(Sectors.All, s => Assert.Matches("^[a-z_]+$", s.Code));
        Assert.All(Sectors.All, s => Assert.False(string.IsNullOrWhiteSpace(s.EnglishName)));
    }

    [Theory]
    [InlineData("fuel_stations", "加油站和非法流动加油")]
    [InlineData("hazardous_chemicals", "危险化学品")]
    [InlineData("city_gas", "城镇燃气")]
    [InlineData("chemical_industry", "化工")]
    public void Find_KnownCode_ReturnsSector(string code, string chinese) =>
        Assert.Equal(chinese, Sectors.Find(code)?.ChineseName);

    [Fact]
    public void Find_UnknownCode_ReturnsNull() => Assert.Null(Sectors.Find("fuel-stations"));
}
