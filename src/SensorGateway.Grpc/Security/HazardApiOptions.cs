using System.Globalization;

namespace SensorGateway.Grpc.Security;

/// <summary>Who may call the hazard service, and the TLS certificate of the gRPC endpoint.</summary>
/// <remarks>
/// <code>
/// "HazardApi": {
///   "Keys": [ { "Name": "duty-desk-1", "Role": "officer", "Salt": "base64…", "Hash": "hex sha-256…" } ],
///   "AllowAnonymousOnLoopback": true,
///   "CertificateFile": "/etc/sensorgateway/grpc.pem", "CertificateKeyFile": "/etc/sensorgateway/grpc.key"
/// }
/// </code>
/// Create a key with <c>sensorgateway apikey new --name duty-desk-1 --role officer</c>: it prints the key once
/// and the configuration entry (salt and hash only).
/// </remarks>
public sealed class HazardApiOptions
{
    public const string SectionName = "HazardApi";

    /// <summary>Metadata entry that carries the key.</summary>
    public const string ApiKeyHeader = "x-api-key";

    /// <summary>The accepted keys, stored hashed. Empty (default): the loopback-only anonymous mode, if allowed.</summary>
    public List<ApiKeyEntry> Keys { get; set; } = [];

    /// <summary>
    /// With no keys configured, let callers from loopback in as admin (the embedded demo). Calls from other
    /// addresses are refused, and start-up refuses a non-loopback gRPC binding without keys. Defaults to true.
    /// </summary>
    public bool AllowAnonymousOnLoopback { get; set; } = true;

    /// <summary>PEM (or PFX) certificate file for the https gRPC endpoint; null to use Kestrel's defaults.</summary>
    public string? CertificateFile { get; set; }

    /// <summary>PEM private key of <see cref="CertificateFile"/>; null when the key is inside it (PFX or combined PEM).</summary>
    public string? CertificateKeyFile { get; set; }

    /// <summary>Password of a PFX certificate or encrypted PEM key; null for none.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>True when the gateway runs in the anonymous mode.</summary>
    public bool Anonymous => Keys.Count == 0;

    public IEnumerable<string> Validate()
    {
        for (var i = 0; i < Keys.Count; i++)
        {
            var key = Keys[i];
            var at = string.Create(CultureInfo.InvariantCulture, $"HazardApi:Keys:{i}");
            if (string.IsNullOrWhiteSpace(key.Name))
            {
                yield return $"{at}:Name is required (it is recorded as who took each step).";
            }

            if (!Enum.TryParse<HazardRole>(key.Role, ignoreCase: true, out var role) || role == HazardRole.None || !Enum.IsDefined(role))
            {
                yield return $"{at}:Role '{key.Role}' is not one of viewer, officer, supervisor, admin.";
            }

            if (!IsBase64(key.Salt))
            {
                yield return $"{at}:Salt must be base64 (as printed by 'sensorgateway apikey new').";
            }

            if (key.Hash is not { Length: 64 } || !key.Hash.All(Uri.IsHexDigit))
            {
                yield return $"{at}:Hash must be 64 hex digits (SHA-256, as printed by 'sensorgateway apikey new').";
            }
        }

        if (Keys.Select(k => k.Name).Distinct(StringComparer.Ordinal).Count() != Keys.Count)
        {
            yield return "HazardApi:Keys: every key needs its own Name.";
        }

        if (CertificateFile is { Length: > 0 } file && !File.Exists(file))
        {
            yield return $"HazardApi:CertificateFile '{file}' does not exist.";
        }

        if (CertificateKeyFile is { Length: > 0 } keyFile && !File.Exists(keyFile))
        {
            yield return $"HazardApi:CertificateKeyFile '{keyFile}' does not exist.";
        }
    }

    private static bool IsBase64(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        Span<byte> buffer = stackalloc byte[value.Length];
        return Convert.TryFromBase64String(value, buffer, out _);
    }
}

/// <summary>One accepted API key, stored hashed.</summary>
public sealed class ApiKeyEntry
{
    /// <summary>Who holds the key; recorded as the actor of each step.</summary>
    public string Name { get; set; } = "";

    /// <summary>viewer, officer, supervisor or admin.</summary>
    public string Role { get; set; } = "";

    /// <summary>Base64 salt.</summary>
    public string Salt { get; set; } = "";

    /// <summary>Hex SHA-256(salt ‖ key).</summary>
    public string Hash { get; set; } = "";
}
