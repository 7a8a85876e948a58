using MetadataExtractor;
using Scanport.Media;

namespace Scanport.Tests.Media;

public class ExifFormattingTests
{
    [Theory]
    [InlineData(1, 250, "1/250")]
    [InlineData(10, 2500, "1/250")]
    [InlineData(333, 100000, "1/300")]
    [InlineData(1, 3, "1/3")]
    [InlineData(3, 10, "0.3")]
    [InlineData(4, 5, "0.8")]
    [InlineData(1, 1, "1")]
    [InlineData(2, 1, "2")]
    [InlineData(5, 2, "2.5")]
    [InlineData(30, 1, "30")]
    [InlineData(0, 1, null)]
    [InlineData(1, 0, null)]
    public void Exposure_times_read_as_photographers_write_them(long numerator, long denominator, string? expected)
    {
        Assert.Equal(expected, ExifReader.Shutter(new Rational(numerator, denominator)));
    }

    [Theory]
    [InlineData(1.8, "f/1.8")]
    [InlineData(1.78, "f/1.8")]
    [InlineData(2.0, "f/2")]
    [InlineData(5.6, "f/5.6")]
    [InlineData(11.0, "f/11")]
    [InlineData(0.0, null)]
    public void F_numbers_read_as_photographers_write_them(double fNumber, string? expected)
    {
        Assert.Equal(expected, ExifReader.Aperture(fNumber));
    }

    [Theory]
    [InlineData("+01:00", 60)]
    [InlineData("-05:30", -330)]
    [InlineData("+00:00", 0)]
    [InlineData("+14:00", 840)]
    [InlineData("+1:00", null)]
    [InlineData("01:00", null)]
    [InlineData("+15:00", null)]
    [InlineData("   :  ", null)]
    [InlineData(null, null)]
    public void Offsets_are_exif_231_plus_or_minus_hh_mm(string? text, int? minutes)
    {
        Assert.Equal(minutes is { } m ? TimeSpan.FromMinutes(m) : null, ExifReader.Offset(text));
    }
}
