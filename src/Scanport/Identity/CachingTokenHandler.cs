using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Scanport.Identity;

/// <summary>
/// Validates a JWT once and remembers the result for that exact token string, for at most a minute and never
/// past the token's expiry: a device posting frames many times a second would otherwise verify the same ES256
/// signature on every request. Only successful validations are kept, so a forged token is checked every time.
/// </summary>
internal sealed class CachingTokenHandler(TimeProvider clock) : JsonWebTokenHandler
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);
    private readonly MemoryCache _validated = new(new MemoryCacheOptions { SizeLimit = 20_000 });

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = clock.GetUtcNow();
        if (_validated.TryGetValue(token, out TokenValidationResult? known) && known!.SecurityToken.ValidTo > now.UtcDateTime)
            return known;
        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid)
        {
            var expires = new DateTimeOffset(result.SecurityToken.ValidTo, TimeSpan.Zero);
            _validated.Set(token, result, new MemoryCacheEntryOptions
            {
                Size = 1,
                AbsoluteExpiration = expires < now + MaxAge ? expires : now + MaxAge,
            });
        }
        return result;
    }
}
