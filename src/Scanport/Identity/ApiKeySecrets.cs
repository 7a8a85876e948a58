using System.Security.Cryptography;
using System.Text;

namespace Scanport.Identity;

/// <summary>
/// API key secrets look like <c>spk_{key id}_{random}</c>: the id inside lets a secret alone act as a bearer
/// token, and only its SHA-256 is stored (a 256-bit random secret needs no slow hash).
/// </summary>
public static class ApiKeySecrets
{
    public const string Prefix = "spk_";

    public static string Create(Guid keyId) =>
        $"{Prefix}{keyId:N}_{Base64UrlEncode(RandomNumberGenerator.GetBytes(32))}";

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    public static bool Matches(string secret, byte[] storedHash) =>
        CryptographicOperations.FixedTimeEquals(Hash(secret), storedHash);

    public static bool TryParseKeyId(string? secret, out Guid keyId)
    {
        keyId = Guid.Empty;
        return secret is { Length: > 37 } && secret.StartsWith(Prefix, StringComparison.Ordinal) && secret[36] == '_'
            && Guid.TryParseExact(secret.AsSpan(4, 32), "N", out keyId);
    }

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
