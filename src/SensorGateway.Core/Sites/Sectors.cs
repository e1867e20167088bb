using System.Collections.Frozen;

namespace SensorGateway.Core.Sites;

/// <summary>
/// The 32 sectors named by the municipal safety-production campaign (整治重点), in the campaign's order.
/// </summary>
public static class Sectors
{
    public static IReadOnlyList<Sector> All { get; } =
    [
        new(1, "religious_venues", "宗教活动场所", "Religious venues"),
        new(2, "culture_tourism_sports", "文化旅游和体育场所", "Culture, tourism and sports venues"),
        new(3, "oil_gas_pipelines", "油气输送管道", "Oil and gas pipelines"),
        new(4, "hazardous_chemicals", "危险化学品", "Hazardous chemicals"),
        new(5, "metallurgy_industry_trade", "冶金等工贸(含非煤矿山)", "Metallurgy and other industry and trade (incl. non-coal mines)"),
        new(6, "fireworks", "烟花爆竹", "Fireworks and firecrackers"),
        new(7, "fire_prevention", "火灾防控", "Fire prevention and control"),
        new(8, "education", "教育(校园和校车)", "Education (campuses and school buses)"),
        new(9, "health", "卫生", "Health care"),
        new(10, "road_traffic", "道路交通", "Road traffic"),
        new(11, "group_rentals", "群租房", "Multi-tenant rental housing"),
        new(12, "construction", "建筑施工", "Building construction"),
        new(13, "dilapidated_buildings", "危旧房屋", "Dangerous and dilapidated buildings"),
        new(14, "underground_pipe_networks", "城市地下管网", "Urban underground pipe networks"),
        new(15, "city_gas", "城镇燃气", "City gas"),
        new(16, "transport_port_chemicals", "交通运输及港口危险化学品", "Transport and port hazardous chemicals"),
        new(17, "waterway_transport", "水上交通运输", "Waterway transport"),
        new(18, "outdoor_advertising", "户外广告", "Outdoor advertising"),
        new(19, "railway", "铁路运输", "Railway transport"),
        new(20, "social_services", "社会服务机构", "Social service institutions"),
        new(21, "development_zones_commerce_recycling", "开发区、商业场所和废品回收站", "Development zones, commercial premises and scrap recycling stations"),
        new(22, "fuel_stations", "加油站和非法流动加油", "Fuel stations and illegal mobile refuelling"),
        new(23, "forest_fire", "森林防火", "Forest fire prevention"),
        new(24, "civil_aviation", "民用航空", "Civil aviation"),
        new(25, "electric_power", "电力", "Electric power"),
        new(26, "chemical_industry", "化工", "Chemical industry"),
        new(27, "civil_explosives", "民爆物品", "Civil explosives"),
        new(28, "shipbuilding", "船舶修造", "Ship building and repair"),
        new(29, "special_equipment", "特种设备", "Special equipment"),
        new(30, "hazardous_solid_waste", "危废固废", "Hazardous and solid waste"),
        new(31, "fishery", "渔业", "Fishery"),
        new(32, "agricultural_machinery", "农业机械", "Agricultural machinery"),
    ];

    private static readonly FrozenDictionary<string, Sector> s_byCode =
        All.ToFrozenDictionary(s => s.Code, StringComparer.Ordinal);

    /// <summary>Finds a sector by its code, or null.</summary>
    public static Sector? Find(string code) => s_byCode.GetValueOrDefault(code);
}
