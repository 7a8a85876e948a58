using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Scanport.Storage.Embedded;

/// <summary>What a verified access key may do, and the secret its signatures are checked with.</summary>
internal sealed record S3Principal(string AccessKeyId, string Secret, CredentialScope? Scope, DateTimeOffset? Expiration)
{
    public bool IsRoot => Scope is null;

    public bool Allows(string action, string bucket, string key) => Scope?.Allows(action, bucket, key) ?? true;
}

internal enum CredentialProblem { None, UnknownKey, InvalidToken, ExpiredToken }

/// <summary>
/// Mints and recognizes the embedded endpoint's credentials without storing any secret. A temporary key's
/// session token carries its scope and expiry, sealed with an HMAC under the node's storage master key; its
/// secret is derived from the same key and the token, so nothing that would let someone sign requests is
/// ever written down. The root key (the platform's own) is derived the same way.
/// </summary>
internal sealed class CredentialAuthority(byte[] masterKey, TimeProvider clock)
{
    private const string TemporaryPrefix = "ASIA";
    private const string RootPrefix = "AKIA";

    public string RootAccessKeyId { get; } = RootPrefix + Base32(HMACSHA256.HashData(masterKey, "root-id"u8))[..16];

    public string RootSecret => Derive("root-secret");

    public TemporaryCredentials Issue(CredentialScope scope, TimeSpan lifetime)
    {
        var expires = clock.GetUtcNow() + lifetime;
        var accessKeyId = TemporaryPrefix + Base32(RandomNumberGenerator.GetBytes(10));
        var payload = JsonSerializer.SerializeToUtf8Bytes(new TokenPayload(accessKeyId, scope.Bucket, scope.Prefix, scope.Actions.ToArray(), expires.ToUnixTimeSeconds()));
        var token = $"{B64(payload)}.{B64(HMACSHA256.HashData(masterKey, payload))}";
        return new TemporaryCredentials(accessKeyId, SecretFor(token), token, DateTimeOffset.FromUnixTimeSeconds(expires.ToUnixTimeSeconds()));
    }

    public (S3Principal? Principal, CredentialProblem Problem) Resolve(string accessKeyId, string? sessionToken)
    {
        if (accessKeyId == RootAccessKeyId && sessionToken is null)
            return (new S3Principal(accessKeyId, RootSecret, null, null), CredentialProblem.None);
        if (!accessKeyId.StartsWith(TemporaryPrefix, StringComparison.Ordinal)) return (null, CredentialProblem.UnknownKey);
        if (sessionToken is null) return (null, CredentialProblem.UnknownKey);
        var payload = Open(sessionToken);
        if (payload is null || payload.AccessKeyId != accessKeyId) return (null, CredentialProblem.InvalidToken);
        var expires = DateTimeOffset.FromUnixTimeSeconds(payload.Expires);
        if (expires <= clock.GetUtcNow()) return (null, CredentialProblem.ExpiredToken);
        var scope = new CredentialScope(payload.Bucket, payload.Prefix, payload.Actions);
        return (new S3Principal(accessKeyId, SecretFor(sessionToken), scope, expires), CredentialProblem.None);
    }

    private TokenPayload? Open(string token)
    {
        var dot = token.IndexOf('.');
        if (dot <= 0) return null;
        try
        {
            var payload = FromB64(token[..dot]);
            var mac = FromB64(token[(dot + 1)..]);
            if (!CryptographicOperations.FixedTimeEquals(mac, HMACSHA256.HashData(masterKey, payload))) return null;
            return JsonSerializer.Deserialize<TokenPayload>(payload);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    private string SecretFor(string token) => Derive("secret:" + token);

    private string Derive(string purpose) => B64(HMACSHA256.HashData(masterKey, Encoding.UTF8.GetBytes(purpose)))[..40];

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromB64(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
    }

    private static string Base32(ReadOnlySpan<byte> bytes)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var sb = new StringBuilder();
        int buffer = 0, bits = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5) { sb.Append(alphabet[(buffer >> (bits - 5)) & 31]); bits -= 5; }
        }
        return sb.ToString();
    }

    private sealed record TokenPayload(string AccessKeyId, string Bucket, string Prefix, string[] Actions, long Expires);
}
