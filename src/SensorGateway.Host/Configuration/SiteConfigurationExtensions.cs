using SensorGateway.Core.Sites;
using SensorGateway.Profiles.Firmware;
using SensorGateway.Profiles.Sites;

namespace SensorGateway.Host.Configuration;

internal static class SiteConfigurationExtensions
{
    /// <summary>
    /// Binds and validates the gateway options and loads the firmware profiles and the site file now, while the host is being built,
    /// so that a broken site file stops start-up before any listener opens.
    /// </summary>
    public static IHostApplicationBuilder AddGatewaySite(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<GatewayOptions>()
            .Bind(builder.Configuration.GetSection(GatewayOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateWith(o => o.Validate())
            .ValidateOnStart();
        var siteFile = builder.Configuration[$"{GatewayOptions.SectionName}:{nameof(GatewayOptions.SiteFile)}"];
        if (string.IsNullOrWhiteSpace(siteFile))
        {
            throw new Profiles.ConfigurationFileException([new Profiles.ConfigurationError("(configuration)", 0, 0, "Gateway:SiteFile",
                "no site file given; set Gateway:SiteFile in appsettings.json, SG_Gateway__SiteFile, or --Gateway:SiteFile=path")]);
        }

        var profilesDirectory = Resolve(builder.Configuration[$"{GatewayOptions.SectionName}:{nameof(GatewayOptions.ProfilesDirectory)}"] ?? "firmware-profiles");
        var profiles = Directory.Exists(profilesDirectory)
            ? new FirmwareProfileCatalog(FirmwareProfileLoader.LoadDirectory(profilesDirectory))
            : FirmwareProfileCatalog.Empty;
        var site = SiteFileLoader.Load(Resolve(siteFile), profiles.Profiles);
        builder.Services.AddSingleton(profiles);
        builder.Services.AddSingleton(site);
        return builder;
    }

    // Relative to the working directory first (what an operator typed), then to the program (shipped files).
    private static string Resolve(string path)
    {
        if (Path.IsPathRooted(path) || File.Exists(path) || Directory.Exists(path))
        {
            return path;
        }

        var besideProgram = Path.Combine(AppContext.BaseDirectory, path);
        return File.Exists(besideProgram) || Directory.Exists(besideProgram) ? besideProgram : path;
    }
}
