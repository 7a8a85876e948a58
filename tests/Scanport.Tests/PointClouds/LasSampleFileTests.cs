using Scanport.PointClouds;

namespace Scanport.Tests.PointClouds;

public class LasSampleFileTests
{
    private static async Task<LasHeader> Read(string name, bool forwardOnly = false)
    {
        await using var file = File.OpenRead(SampleFiles.PathOf(name));
        Stream stream = forwardOnly ? new ForwardOnlyStream(file) : file;
        var result = await LasHeaderReader.ReadAsync(stream, CancellationToken.None);
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(result.Header.OffsetToPointData, file.Position);
        return result.Header;
    }

    [Fact]
    public void Every_sample_file_is_covered_by_a_test()
    {
        var names = Directory.GetFiles(SampleFiles.Folder).Select(Path.GetFileName).Order();
        Assert.Equal(["autzen_trim.las", "autzen_trim.laz", "extrabytes.laz", "no-points-1.3.laz", "point-color-time.las.laz"], names);
    }

    [Theory]
    [InlineData("autzen_trim.las", false)]
    [InlineData("autzen_trim.laz", true)]
    public async Task Autzen_header_reads_the_same_from_las_and_laz(string name, bool compressed)
    {
        var h = await Read(name);

        Assert.Equal(new LasVersion(1, 2), h.Version);
        Assert.Equal("PDAL", h.SystemIdentifier);
        Assert.Equal("PDAL 1.0.0 (9e8465)", h.GeneratingSoftware);
        Assert.Equal(new DateOnly(2015, 9, 10), h.CreationDate);
        Assert.Equal(3, h.PointDataFormat);
        Assert.Equal(34, h.PointRecordLength);
        Assert.Equal(110_000UL, h.PointCount);
        Assert.Equal([99_257UL, 9_021, 1_623, 99, 0], h.PointsByReturn);
        Assert.Equal(227, h.HeaderSize);
        Assert.Equal(compressed ? 2144u : 2038u, h.OffsetToPointData);
        Assert.Equal(new LasXyz(0.01, 0.01, 0.01), h.Scale);
        Assert.Equal(new LasXyz(0, 0, 0), h.Offset);
        Assert.Equal(new LasXyz(636001.76, 848935.2000000001, 406.26), h.Bounds.Min);
        Assert.Equal(new LasXyz(637179.2200000001, 849497.9, 520.51), h.Bounds.Max);
        Assert.Equal(compressed, h.IsCompressed);
        Assert.Equal(compressed, h.LasZip is not null);
        Assert.Equal(
            ["LASF_Projection/34735", "LASF_Projection/34736", "LASF_Projection/34737", "LASF_Projection/2112", "liblas/2112",
             .. compressed ? new[] { "laszip encoded/22204" } : []],
            h.Vlrs.Select(v => $"{v.UserId}/{v.RecordId}"));
        Assert.Equal([184UL, 72, 99, 593, 593], h.Vlrs.Take(5).Select(v => v.Length));
    }

    [Fact]
    public async Task Autzen_crs_is_a_user_defined_lambert_projection_in_international_feet()
    {
        var crs = (await Read("autzen_trim.las")).Crs;

        Assert.NotNull(crs);
        Assert.Null(crs.Epsg);
        Assert.Equal("foot", crs.LinearUnits);
        Assert.Equal(LasCrs.InternationalFoot, crs.MetresPerUnit);
        Assert.Equal("NAD_1983_HARN_Lambert_Conformal_Conic", crs.Citation);
        Assert.StartsWith("PROJCS[\"NAD_1983_HARN_Lambert_Conformal_Conic\"", crs.Wkt);
    }

    [Fact]
    public async Task Autzen_laz_names_its_laszip_version()
    {
        var lasZip = (await Read("autzen_trim.laz")).LasZip;

        Assert.Equal(new LasZipInfo(2, 2, 0, Compressor: 2, ChunkSize: 50_000), lasZip);
        Assert.Equal("2.2r0", lasZip?.Version);
    }

    [Fact]
    public async Task Point_color_time_is_compressed_utm_10n_from_terrascan()
    {
        var h = await Read("point-color-time.las.laz");

        Assert.Equal(new LasVersion(1, 2), h.Version);
        Assert.Equal("TerraScan", h.GeneratingSoftware);
        Assert.Equal(new DateOnly(2014, 5, 8), h.CreationDate);
        Assert.Equal(3, h.PointDataFormat);
        Assert.True(h.IsCompressed);
        Assert.Equal(1_065UL, h.PointCount);
        Assert.Equal(1313u, h.OffsetToPointData);
        Assert.Equal(new LasXyz(493994.87, 4877429.62, 123.93), h.Bounds.Min);
        Assert.Equal(new LasXyz(494993.68, 4878817.02, 178.73), h.Bounds.Max);
        Assert.Equal(new LasCrs(26910, null, null, "metre", 1.0, "NAD83 / UTM zone 10N", null), h.Crs);
        Assert.Equal("2.2r0", h.LasZip?.Version);
    }

    [Fact]
    public async Task Extrabytes_lists_its_extra_bytes_record()
    {
        var h = await Read("extrabytes.laz");

        Assert.Equal("LAStools (c) by rapidlasso GmbH", h.SystemIdentifier);
        Assert.Equal("las2las (version 140915)", h.GeneratingSoftware);
        Assert.Equal(new DateOnly(2015, 2, 22), h.CreationDate);
        Assert.Equal(3, h.PointDataFormat);
        Assert.Equal(61, h.PointRecordLength);
        Assert.Equal(1_065UL, h.PointCount);
        Assert.True(h.IsCompressed);
        Assert.Null(h.Crs);
        Assert.Equal(new LasXyz(635619.85, 848899.7000000001, 406.59000000000003), h.Bounds.Min);
        Assert.Equal(new LasXyz(638982.55, 853535.43, 586.38), h.Bounds.Max);
        var extraBytes = Assert.Single(h.Vlrs, v => v.UserId == "LASF_Spec" && v.RecordId == 4);
        Assert.Equal(new LasVariableLengthRecord("LASF_Spec", 4, "Extra Bytes Record", 960, false), extraBytes);
    }

    [Fact]
    public async Task No_points_file_is_las_1_3_with_zero_points()
    {
        var h = await Read("no-points-1.3.laz");

        Assert.Equal(new LasVersion(1, 3), h.Version);
        Assert.Equal(235, h.HeaderSize);
        Assert.Equal(0UL, h.PointCount);
        Assert.Equal(0UL, h.StartOfWaveformData);
        Assert.Null(h.StartOfFirstEvlr);
        Assert.Equal(0, h.PointDataFormat);
        Assert.True(h.IsCompressed);
        Assert.Equal(new DateOnly(2023, 7, 19), h.CreationDate);
        Assert.Equal("LASzip DLL 3.4 r3 (191111)", h.GeneratingSoftware);
        Assert.Equal("3.4r3", h.LasZip?.Version);
    }

    [Theory]
    [InlineData("autzen_trim.las")]
    [InlineData("autzen_trim.laz")]
    [InlineData("extrabytes.laz")]
    [InlineData("no-points-1.3.laz")]
    [InlineData("point-color-time.las.laz")]
    public async Task A_forward_only_stream_gives_the_same_header(string name)
    {
        var seekable = await Read(name);
        var forward = await Read(name, forwardOnly: true);

        Assert.Equal(Json(seekable), Json(forward));
    }

    [Fact]
    public async Task Reading_stops_when_cancelled()
    {
        await using var file = File.OpenRead(SampleFiles.PathOf("autzen_trim.las"));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => LasHeaderReader.ReadAsync(file, new CancellationToken(canceled: true)));
    }

    private static string Json(LasHeader h) => System.Text.Json.JsonSerializer.Serialize(h);
}
