namespace SensorGateway.Profiles.Firmware;

/// <summary>The firmware profiles loaded at start-up, by id (their path under the profiles folder, without extension).</summary>
public sealed class FirmwareProfileCatalog(IReadOnlyDictionary<string, FirmwareProfile> profiles)
{
    public static FirmwareProfileCatalog Empty { get; } = new(new Dictionary<string, FirmwareProfile>());

    public IReadOnlyDictionary<string, FirmwareProfile> Profiles { get; } = profiles;

    /// <summary>The profile, or throws naming the id (site validation has already checked every id it uses).</summary>
    public FirmwareProfile Get(string id) =>
        Profiles.TryGetValue(id, out var profile) ? profile : throw new KeyNotFoundException($"No firmware profile '{id}' is loaded.");
}
