using SensorGateway.Core.Sites;
using SensorGateway.Profiles;
using SensorGateway.Profiles.Firmware;
using SensorGateway.Profiles.Sites;

namespace SensorGateway.Host.Configuration;

internal static class SiteConfigurationExtensions
{
    /// <summary>
    /// Binds and validates the gateway options and loads the firmware profiles and the site files now, while the host is being built,
    /// so that a broken site file (or two files naming one site) stops start-up before any listener opens.
    /// </summary>
    public static IHostApplicationBuilder AddGatewaySite(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(GatewayOptions.SectionName);
        builder.Services.AddOptions<GatewayOptions>()
            .Bind(section)
            .ValidateDataAnnotations()
            .ValidateWith(o => o.Validate())
            .ValidateOnStart();
        var gateway = section.Get<GatewayOptions>() ?? new GatewayOptions();
        if (gateway.HostedSiteFiles.Count == 0 || gateway.SiteFiles.Any(string.IsNullOrWhiteSpace))
        {
            throw new ConfigurationFileException([new ConfigurationError("(configuration)", 0, 0, gateway.SiteFiles.Count > 0 ? "Gateway:SiteFiles" : "Gateway:SiteFile",
                gateway.SiteFiles.Count > 0 ? GatewayOptions.EmptySiteFileEntry : GatewayOptions.NoSiteFile)]);
        }

        var profilesDirectory = Resolve(gateway.ProfilesDirectory);
        var profiles = Directory.Exists(profilesDirectory)
            ? new FirmwareProfileCatalog(FirmwareProfileLoader.LoadDirectory(profilesDirectory))
            : FirmwareProfileCatalog.Empty;
        var sites = SiteFileSet.Load([.. gateway.HostedSiteFiles.Select(Resolve)], profiles.Profiles);
        builder.Services.AddSingleton(profiles);
        builder.Services.AddSingleton(sites);
        return builder;
    }

    /// <summary>Relative to the working directory first (what an operator typed), then to the program (shipped files).</summary>
    public static string Resolve(string path)
    {
        if (Path.IsPathRooted(path) || File.Exists(path) || Directory.Exists(path))
        {
            return path;
        }

        var besideProgram = Path.Combine(AppContext.BaseDirectory, path);
        return File.Exists(besideProgram) || Directory.Exists(besideProgram) ? besideProgram : path;
    }
}
