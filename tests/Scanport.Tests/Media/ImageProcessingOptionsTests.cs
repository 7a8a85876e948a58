using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Scanport.Media;

namespace Scanport.Tests.Media;

public class ImageProcessingOptionsTests
{
    private static ImageProcessingOptions Bind(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection().AddMedia(configuration).BuildServiceProvider();
        return services.GetRequiredService<IOptions<ImageProcessingOptions>>().Value;
    }

    [Fact]
    public void Without_configuration_the_defaults_apply()
    {
        var options = Bind([]);

        Assert.Equal([150, 600, 1200], options.ThumbnailSizes);
        Assert.Equal(100_000_000, options.MaxPixels);
        Assert.Equal(82, options.ThumbnailQuality);
    }

    [Fact]
    public void Configured_thumbnail_sizes_replace_the_defaults()
    {
        var options = Bind(new() { ["Media:Images:ThumbnailSizes:0"] = "256", ["Media:Images:ThumbnailSizes:1"] = "1600", ["Media:Images:SharpnessWarn"] = "500" });

        Assert.Equal([256, 1600], options.ThumbnailSizes);
        Assert.Equal(500, options.SharpnessWarn);
    }

    [Theory]
    [InlineData("Media:Images:SharpnessFail", "400", "SharpnessFail must not exceed SharpnessWarn")]
    [InlineData("Media:Images:ThumbnailQuality", "0", "ThumbnailQuality")]
    [InlineData("Media:Images:ThumbnailSizes:0", "8", "ThumbnailSizes")]
    [InlineData("Media:Images:SharpnessLongEdge", "2048", "SharpnessLongEdge must not exceed the largest thumbnail size")]
    [InlineData("Media:Images:HighlightsClippedWarn", "0.5", "Warn thresholds must not exceed their Fail thresholds")]
    public void Bad_values_fail_validation_naming_the_key(string key, string value, string message)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind(new() { [key] = value }));

        Assert.Contains(message, failure.Message);
    }
}
