namespace SensorGateway.Core.Sites;

/// <summary>One of the 32 sectors (行业领域) of the safety-production campaign.</summary>
/// <param name="Number">Position in the campaign's list, 1–32.</param>
/// <param name="Code">Stable machine name used in site files and tags.</param>
/// <param name="ChineseName">The campaign's own name.</param>
/// <param name="EnglishName">An English rendering.</param>
public sealed record Sector(int Number, string Code, string ChineseName, string EnglishName);
