using System.ComponentModel.DataAnnotations;
using System.Net;

namespace SensorGateway.Host.Configuration;

/// <summary>The gateway's own settings.</summary>
/// <remarks>
/// <code>
/// "Gateway": { "SiteFile": "sites/my-site.yaml", "HttpUrl": "http://127.0.0.1:5080", "GrpcUrl": "http://127.0.0.1:5081" }
/// "Gateway": { "SiteFiles": [ "sites/fuel-station.yaml", "sites/tank-farm.yaml" ] }
/// </code>
/// </remarks>
public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    public const string EmptySiteFileEntry = "Gateway:SiteFiles has an empty entry; give the path of each site file.";

    public const string NoSiteFile =
        "no site file given; set Gateway:SiteFile (or the list Gateway:SiteFiles) in appsettings.json, SG_Gateway__SiteFile, or --Gateway:SiteFile=path";

    /// <summary>The YAML site file listing the devices. Relative paths are taken from the working directory, then the program's folder.</summary>
    public string SiteFile { get; set; } = "";

    /// <summary>
    /// Several site files, for one gateway watching several sites; when given, they replace <see cref="SiteFile"/>
    /// (which appsettings.json sets to the demo site). The first is the home site of the gateway's own channels.
    /// </summary>
    public List<string> SiteFiles { get; set; } = [];

    /// <summary>The site files the gateway hosts: <see cref="SiteFiles"/> when given, else <see cref="SiteFile"/>.</summary>
    public IReadOnlyList<string> HostedSiteFiles =>
        SiteFiles.Count > 0 ? SiteFiles : string.IsNullOrWhiteSpace(SiteFile) ? [] : [SiteFile];

    /// <summary>Folder of firmware profiles (<c>family/model.yaml</c>). Relative paths are taken from the working directory, then the program's folder. Defaults to <c>firmware-profiles</c>.</summary>
    public string ProfilesDirectory { get; set; } = "firmware-profiles";

    /// <summary>HTTP/1.1 endpoint for /health/live, /health/ready and /metrics. Defaults to http://127.0.0.1:5080.</summary>
    [Required]
    public Uri HttpUrl { get; set; } = new("http://127.0.0.1:5080");

    /// <summary>HTTP/2 endpoint for gRPC. Defaults to http://127.0.0.1:5081.</summary>
    [Required]
    public Uri GrpcUrl { get; set; } = new("http://127.0.0.1:5081");

    /// <summary>Serve plaintext (http) on an address other than loopback. Off by default: use https there.</summary>
    public bool AllowPlaintextOnNetwork { get; set; }

    public IEnumerable<string> Validate()
    {
        if (HostedSiteFiles.Count == 0)
        {
            yield return NoSiteFile;
        }

        if (SiteFiles.Any(string.IsNullOrWhiteSpace))
        {
            yield return EmptySiteFileEntry;
        }

        foreach (var (key, url) in new[] { ("Gateway:HttpUrl", HttpUrl), ("Gateway:GrpcUrl", GrpcUrl) })
        {
            if (url.Scheme is not ("http" or "https"))
            {
                yield return $"{key} must be an http:// or https:// URL, found '{url}'.";
            }
            else if (url.Scheme == "http" && !AllowPlaintextOnNetwork && !IsLoopback(url))
            {
                yield return $"{key} '{url}' serves plaintext beyond loopback; use https, bind 127.0.0.1, or set Gateway:AllowPlaintextOnNetwork=true.";
            }
        }

        if (HttpUrl.Port == GrpcUrl.Port && HttpUrl.Port != 0 && string.Equals(HttpUrl.Host, GrpcUrl.Host, StringComparison.OrdinalIgnoreCase))
        {
            yield return $"Gateway:HttpUrl and Gateway:GrpcUrl both use port {HttpUrl.Port}; give each its own port.";
        }
    }

    private static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
