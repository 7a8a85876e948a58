using Scanport.PointClouds;

namespace Scanport.Tests.PointClouds;

/// <summary>
/// Expected values come from an independent implementation of the inverse transverse Mercator (Karney's 6th-order
/// Krüger series on WGS 84), computed outside this code base.
/// </summary>
public class UtmCoordinatesTests
{
    private const double Tolerance = 1e-4;

    [Fact]
    public void A_point_on_the_central_meridian_of_zone_32n()
    {
        var p = UtmCoordinates.ToWgs84(new UtmZone(32, UtmHemisphere.North), 500_000, 5_650_000);

        Assert.Equal(51.001574692, p.Latitude, Tolerance);
        Assert.Equal(9.0, p.Longitude, Tolerance);
    }

    [Fact]
    public void A_point_off_the_central_meridian_in_zone_33n()
    {
        var p = UtmCoordinates.ToWgs84(new UtmZone(33, UtmHemisphere.North), 400_000, 5_000_000);

        Assert.Equal(45.146392876, p.Latitude, Tolerance);
        Assert.Equal(13.727967040, p.Longitude, Tolerance);
    }

    [Fact]
    public void A_southern_hemisphere_point_in_zone_56s_is_sydney()
    {
        var p = UtmCoordinates.ToWgs84(new UtmZone(56, UtmHemisphere.South), 334_369, 6_250_948);

        Assert.Equal(-33.868803171, p.Latitude, Tolerance);
        Assert.Equal(151.209303894, p.Longitude, Tolerance);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(61)]
    public void Zones_outside_1_to_60_are_refused(int zone) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new UtmZone(zone, UtmHemisphere.North));

    [Theory]
    [InlineData(32632, "32N")]
    [InlineData(32756, "56S")]
    [InlineData(26910, "10N")]
    public void Utm_epsg_codes_name_their_zone(int epsg, string zone) => Assert.Equal(zone, UtmZone.FromEpsg(epsg)?.ToString());

    [Theory]
    [InlineData(2992)]
    [InlineData(4326)]
    [InlineData(32661)]
    [InlineData(26924)]
    public void Other_epsg_codes_name_no_zone(int epsg) => Assert.Null(UtmZone.FromEpsg(epsg));

    [Fact]
    public async Task A_file_in_nad83_utm_10n_is_placed_from_its_own_crs_near_eugene_oregon()
    {
        var header = await Header("point-color-time.las.laz");

        var placement = UtmCoordinates.Place(header, callerZone: new UtmZone(32, UtmHemisphere.North));

        Assert.NotNull(placement);
        Assert.True(placement.ZoneFromCrs);
        Assert.Equal(new UtmZone(10, UtmHemisphere.North), placement.Zone);
        Assert.Equal(44.056255296, placement.Position.Latitude, Tolerance);
        Assert.Equal(-123.068737085, placement.Position.Longitude, Tolerance);
    }

    [Fact]
    public async Task A_file_in_state_plane_feet_falls_back_to_the_callers_zone_after_converting_feet()
    {
        var header = await Header("autzen_trim.las");

        var placement = UtmCoordinates.Place(header, callerZone: new UtmZone(10, UtmHemisphere.North));

        // Honest, not useful: the State Plane feet, read as UTM 10N metres, land in the Pacific.
        Assert.NotNull(placement);
        Assert.False(placement.ZoneFromCrs);
        Assert.Equal(2.339090782, placement.Position.Latitude, Tolerance);
        Assert.Equal(-125.750866734, placement.Position.Longitude, Tolerance);
        Assert.Null(UtmCoordinates.Place(header, callerZone: null));
    }

    [Fact]
    public void Us_survey_feet_are_converted_before_projecting()
    {
        var crs = new LasCrs(null, null, null, "US survey foot", LasCrs.UsSurveyFoot, null, null);
        var centreFeet = new LasXyz(500_000 / LasCrs.UsSurveyFoot, 5_650_000 / LasCrs.UsSurveyFoot, 0);
        var header = HeaderWith(new LasBounds(centreFeet, centreFeet), crs);

        var p = UtmCoordinates.CentreOf(header, new UtmZone(32, UtmHemisphere.North));

        Assert.Equal(51.001574692, p.Latitude, Tolerance);
        Assert.Equal(9.0, p.Longitude, Tolerance);
        Assert.Equal(0.3048006096012192, LasCrs.UsSurveyFoot, 1e-15);
    }

    private static async Task<LasHeader> Header(string name)
    {
        await using var file = File.OpenRead(SampleFiles.PathOf(name));
        var result = await LasHeaderReader.ReadAsync(file, CancellationToken.None);
        Assert.True(result.Succeeded, result.Error);
        return result.Header;
    }

    private static LasHeader HeaderWith(LasBounds bounds, LasCrs crs) => new(
        new LasVersion(1, 2), 0, 0, Guid.Empty, "", "", null, 227, 227, 0, false, 20, 0, 0, [], new(1, 1, 1), new(0, 0, 0),
        bounds, null, null, null, [], [], crs, null);
}
