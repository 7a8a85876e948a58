using System.Text;
using Scanport.PointClouds;

namespace Scanport.Tests.PointClouds;

public class Las14HeaderTests
{
    private const string UtmWkt =
        "COMPD_CS[\"WGS 84 / UTM zone 32N + EGM96 height\"," +
        "PROJCS[\"WGS 84 / UTM zone 32N\",GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563]]," +
        "PRIMEM[\"Greenwich\",0],UNIT[\"degree\",0.0174532925199433],AUTHORITY[\"EPSG\",\"4326\"]]," +
        "PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"central_meridian\",9],UNIT[\"metre\",1,AUTHORITY[\"EPSG\",\"9001\"]]," +
        "AXIS[\"Easting\",EAST],AUTHORITY[\"EPSG\",\"32632\"]]," +
        "VERT_CS[\"EGM96 height\",VERT_DATUM[\"EGM96 geoid\",2005],UNIT[\"metre\",1],AUTHORITY[\"EPSG\",\"5773\"]]]";

    /// <summary>A LAS 1.4 file per the spec: 375-byte header, one VLR, the points, then EVLRs.</summary>
    private static byte[] Build(ulong pointCount, int writtenPoints, (string User, ushort Record, byte[] Payload)[] vlrs,
        (string User, ushort Record, byte[] Payload)[] evlrs)
    {
        const ushort recordLength = 30;
        var vlrBytes = vlrs.Sum(v => 54 + v.Payload.Length);
        var pointStart = 375 + vlrBytes;
        var evlrStart = evlrs.Length == 0 ? 0 : pointStart + writtenPoints * recordLength;
        using var memory = new MemoryStream();
        using (var w = new BinaryWriter(memory, Encoding.ASCII, leaveOpen: true))
        {
            w.Write("LASF"u8);
            w.Write((ushort)7);                  // file source id
            w.Write((ushort)0x11);               // global encoding: GPS standard time, WKT
            w.Write(new byte[16]);               // project id
            w.Write((byte)1); w.Write((byte)4);
            w.Write(Fixed("Scanport test", 32));
            w.Write(Fixed("Las14HeaderTests", 32));
            w.Write((ushort)60); w.Write((ushort)2024); // 29 February 2024
            w.Write((ushort)375);
            w.Write((uint)pointStart);
            w.Write((uint)vlrs.Length);
            w.Write((byte)6);
            w.Write(recordLength);
            w.Write(0u);                         // legacy point count: 0 for format 6
            for (var i = 0; i < 5; i++) w.Write(0u);
            foreach (var v in new[] { 0.001, 0.001, 0.001, 500_000.0, 5_600_000.0, 0.0 }) w.Write(v); // scale, offset
            foreach (var v in new[] { 500_100.0, 499_900.0, 5_650_100.0, 5_649_900.0, 120.0, 80.0 }) w.Write(v); // max/min x, y, z
            w.Write(0UL);                        // start of waveform data
            w.Write((ulong)evlrStart);
            w.Write((uint)evlrs.Length);
            w.Write(pointCount);
            w.Write(pointCount);                 // all first returns
            for (var i = 1; i < 15; i++) w.Write(0UL);
            Assert.Equal(375, memory.Length);

            foreach (var (user, record, payload) in vlrs)
            {
                w.Write((ushort)0); w.Write(Fixed(user, 16)); w.Write(record); w.Write((ushort)payload.Length);
                w.Write(Fixed("a VLR", 32)); w.Write(payload);
            }
            w.Write(new byte[writtenPoints * recordLength]);
            foreach (var (user, record, payload) in evlrs)
            {
                w.Write((ushort)0); w.Write(Fixed(user, 16)); w.Write(record); w.Write((ulong)payload.Length);
                w.Write(Fixed("an EVLR", 32)); w.Write(payload);
            }
        }
        return memory.ToArray();
    }

    private static byte[] Fixed(string text, int width)
    {
        var bytes = new byte[width];
        Encoding.ASCII.GetBytes(text).CopyTo(bytes, 0);
        return bytes;
    }

    private static byte[] Text(string text) => [.. Encoding.ASCII.GetBytes(text), 0];

    private static async Task<LasHeaderResult> Read(byte[] bytes, bool forwardOnly = false)
    {
        Stream stream = new MemoryStream(bytes);
        return await LasHeaderReader.ReadAsync(forwardOnly ? new ForwardOnlyStream(stream) : stream, CancellationToken.None);
    }

    [Fact]
    public async Task The_64_bit_point_count_of_las_1_4_is_read()
    {
        // The header alone (the points would be 150 GB), read as a stream of unknown length, the only one that could hold them.
        var result = await Read(Build(5_000_000_000, 0, [("LASF_Projection", 2112, Text(UtmWkt))], []), forwardOnly: true);

        Assert.True(result.Succeeded, result.Error);
        var h = result.Header;
        Assert.Equal(new LasVersion(1, 4), h.Version);
        Assert.Equal(5_000_000_000UL, h.PointCount);
        Assert.Equal(0u, h.LegacyPointCount);
        Assert.Equal(15, h.PointsByReturn.Count);
        Assert.Equal(5_000_000_000UL, h.PointsByReturn[0]);
        Assert.Equal(375, h.HeaderSize);
        Assert.Equal(6, h.PointDataFormat);
        Assert.False(h.IsCompressed);
        Assert.Equal(new DateOnly(2024, 2, 29), h.CreationDate);
        Assert.Equal(0UL, h.StartOfFirstEvlr);
        Assert.Equal(0u, h.EvlrCount);
        Assert.Equal(new LasXyz(499_900, 5_649_900, 80), h.Bounds.Min);
    }

    [Fact]
    public async Task A_wkt_vlr_gives_the_crs_codes_and_units()
    {
        var result = await Read(Build(0, 0, [("LASF_Projection", 2112, Text(UtmWkt))], []));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(new LasCrs(32632, 4326, 5773, "metre", 1.0, "WGS 84 / UTM zone 32N", UtmWkt), result.Header.Crs);
        Assert.Equal(32632, result.Header.Crs?.Epsg);
    }

    [Fact]
    public async Task Evlrs_after_the_points_are_read_from_seekable_streams_only()
    {
        var bytes = Build(3, 3, [], [("LASF_Projection", 2112, Text(UtmWkt)), ("Scanport", 1, new byte[100_000])]);

        var seekable = await Read(bytes);
        var forwardOnly = await Read(bytes, forwardOnly: true);

        Assert.True(seekable.Succeeded, seekable.Error);
        Assert.Equal(["LASF_Projection/2112", "Scanport/1"], seekable.Header.Evlrs.Select(e => $"{e.UserId}/{e.RecordId}"));
        Assert.All(seekable.Header.Evlrs, e => Assert.True(e.IsExtended));
        Assert.Equal(100_000UL, seekable.Header.Evlrs[1].Length);
        Assert.Equal(32632, seekable.Header.Crs?.Epsg);
        Assert.True(forwardOnly.Succeeded, forwardOnly.Error);
        Assert.Empty(forwardOnly.Header.Evlrs);
        Assert.Null(forwardOnly.Header.Crs);
    }

    [Fact]
    public async Task An_evlr_past_the_end_of_the_stream_is_refused()
    {
        var bytes = Build(3, 3, [], [("Scanport", 1, new byte[1_000])]);

        var result = await Read(bytes[..^10]);

        Assert.Equal("EVLR 1 of 1 (user \"Scanport\", record 1) is 1000 bytes long, past the end of the stream at byte 1515.", result.Error);
    }

    [Fact]
    public async Task A_las_1_4_header_shorter_than_375_bytes_is_refused()
    {
        var bytes = Build(1, 0, [], []);
        BitConverter.TryWriteBytes(bytes.AsSpan(94), (ushort)235);

        var result = await Read(bytes);

        Assert.Equal("The header size is 235 bytes, smaller than the 375 bytes LAS 1.4 requires.", result.Error);
    }

    [Fact]
    public async Task A_las_1_4_file_is_placed_in_the_utm_zone_its_crs_names()
    {
        var result = await Read(Build(0, 0, [("LASF_Projection", 2112, Text(UtmWkt))], []));
        Assert.True(result.Succeeded, result.Error);

        var placement = UtmCoordinates.Place(result.Header, callerZone: new UtmZone(10, UtmHemisphere.North));

        Assert.NotNull(placement);
        Assert.True(placement.ZoneFromCrs);
        Assert.Equal(new UtmZone(32, UtmHemisphere.North), placement.Zone);
        Assert.Equal(51.001574692, placement.Position.Latitude, 1e-6);
        Assert.Equal(9.0, placement.Position.Longitude, 1e-6);
    }
}
