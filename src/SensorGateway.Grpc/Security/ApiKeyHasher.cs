using System.Security.Cryptography;
using System.Text;

namespace SensorGateway.Grpc.Security;

/// <summary>
/// API keys are 32 random bytes (base64url, 43 characters) and are stored only as SHA-256(salt ‖ key) with a
/// 16-byte random salt per key. A fast hash is enough for keys of that entropy (no dictionary to attack); the
/// salt keeps equal keys from having equal hashes. Comparison is constant-time.
/// </summary>
public static class ApiKeyHasher
{
    /// <summary>A new random key, its salt (base64) and its hash (hex).</summary>
    public static (string Key, string Salt, string Hash) Create()
    {
        var key = Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var salt = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        return (key, salt, Hash(salt, key));
    }

    /// <summary>Hex SHA-256 of the salt's bytes followed by the key's UTF-8 bytes.</summary>
    public static string Hash(string saltBase64, string key)
    {
        ArgumentNullException.ThrowIfNull(saltBase64);
        ArgumentNullException.ThrowIfNull(key);
        var salt = Convert.FromBase64String(saltBase64);
        var keyBytes = Encoding.UTF8.GetBytes(key);
        var buffer = new byte[salt.Length + keyBytes.Length];
        salt.CopyTo(buffer, 0);
        keyBytes.CopyTo(buffer, salt.Length);
        return Convert.ToHexStringLower(SHA256.HashData(buffer));
    }

    /// <summary>True when <paramref name="key"/> hashes to <paramref name="expectedHashHex"/> with that salt (constant-time).</summary>
    public static bool Matches(string saltBase64, string expectedHashHex, string key)
    {
        ArgumentNullException.ThrowIfNull(expectedHashHex);
        var actual = Convert.FromHexString(Hash(saltBase64, key));
        var expected = Convert.FromHexString(expectedHashHex);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static string Base64UrlEncode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
