using Microsoft.Extensions.Options;

namespace Scanport.Tests.ModelDerivatives;

/// <summary>The <c>ModelDerivatives</c> section is validated: a limit that could not hold a converter is refused.</summary>
public sealed class ModelDerivativesOptionsTests
{
    [Theory]
    [InlineData("MemoryLimitMegabytes", "256")]
    [InlineData("TimeLimit", "00:00:00")]
    [InlineData("MaxConvertedMegabytes", "0")]
    public void An_unusable_limit_is_refused_naming_it(string key, string value)
    {
        var error = Assert.Throws<OptionsValidationException>(() =>
            TranslationTest.Translator(new Dictionary<string, string?> { [$"ModelDerivatives:{key}"] = value }));

        Assert.Contains(key, error.Message);
    }
}
