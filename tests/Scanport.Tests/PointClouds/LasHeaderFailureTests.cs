using System.Buffers.Binary;
using Scanport.PointClouds;

namespace Scanport.Tests.PointClouds;

public class LasHeaderFailureTests
{
    private static readonly byte[] Autzen = SampleFiles.Bytes("autzen_trim.las");

    private static async Task<string> Error(byte[] bytes, bool forwardOnly = false)
    {
        Stream stream = new MemoryStream(bytes, writable: false);
        if (forwardOnly) stream = new ForwardOnlyStream(stream);
        var result = await LasHeaderReader.ReadAsync(stream, CancellationToken.None);
        Assert.False(result.Succeeded, "expected a failure");
        Assert.Null(result.Header);
        return result.Error;
    }

    private static byte[] AutzenWith(Action<byte[]> change)
    {
        var copy = (byte[])Autzen.Clone();
        change(copy);
        return copy;
    }

    [Fact]
    public async Task Every_prefix_of_the_header_and_first_vlrs_is_reported_as_truncated()
    {
        for (var length = 0; length <= 400; length++)
        {
            foreach (var forwardOnly in new[] { false, true })
            {
                var error = await Error(Autzen[..length], forwardOnly);
                var expected = length switch
                {
                    0 => "Not a LAS file",
                    < 227 => "Truncated header",
                    _ => forwardOnly ? "Truncated file" : "The point data offset (2038) is past the end of the stream",
                };
                Assert.StartsWith(expected, error);
            }
        }
    }

    [Theory]
    [InlineData(500, "the stream ends inside the header of VLR 2 of 5.")]
    [InlineData(1000, "the stream ends inside VLR 4 of 5 (user \"LASF_Projection\", record 2112).")]
    [InlineData(2037, "the stream ends inside VLR 5 of 5 (user \"liblas\", record 2112).")]
    public async Task A_file_cut_inside_the_vlrs_names_where_it_ends(int length, string expected)
    {
        var seekable = await Error(Autzen[..length]);
        var forwardOnly = await Error(Autzen[..length], forwardOnly: true);

        Assert.Contains("past the end of the stream", seekable);
        Assert.Contains(expected, forwardOnly);
    }

    [Theory]
    [InlineData("PK\u0003\u0004")]
    [InlineData("LASX")]
    [InlineData("lasf")]
    public async Task A_wrong_signature_is_not_a_las_file(string start)
    {
        var bytes = AutzenWith(b => System.Text.Encoding.Latin1.GetBytes(start).CopyTo(b, 0));

        Assert.Equal("Not a LAS file: it does not start with the signature \"LASF\".", await Error(bytes));
    }

    [Fact]
    public async Task A_few_bytes_are_not_a_las_file_unless_they_start_like_one()
    {
        Assert.StartsWith("Not a LAS file", await Error("GIF"u8.ToArray()));
        Assert.StartsWith("Truncated header: the stream ends after 3 bytes", await Error("LAS"u8.ToArray()));
    }

    [Fact]
    public async Task Four_billion_vlrs_are_refused_before_any_is_read()
    {
        var error = await Error(AutzenWith(b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(100), 4_000_000_000)));

        Assert.Equal("The header declares 4000000000 VLRs; more than 10000 is not a plausible LAS file.", error);
    }

    [Fact]
    public async Task More_vlrs_than_fit_before_the_points_are_refused()
    {
        var error = await Error(AutzenWith(b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(100), 9_000)));

        Assert.Contains("9000 VLRs, which need at least 486000 bytes, but only 1811 bytes", error);
    }

    [Fact]
    public async Task A_vlr_longer_than_the_vlr_area_is_refused()
    {
        var error = await Error(AutzenWith(b => BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(227 + 20), 60_000)));

        Assert.Equal(
            "VLR 1 of 5 (user \"LASF_Projection\", record 34735) is 60000 bytes long and would end at byte 60281, past the start of the point data at byte 2038.",
            error);
    }

    [Fact]
    public async Task A_vlr_running_past_the_end_of_the_stream_is_refused()
    {
        // A point data offset far out, so the VLR area allows the long record, on a stream cut short.
        var bytes = AutzenWith(b =>
        {
            BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(96), 200_000);
            BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(227 + 20), 65_000);
        })[..50_000];

        Assert.Contains("past the end of the stream", await Error(bytes));
        Assert.Equal("Truncated file: the stream ends inside VLR 1 of 5 (user \"LASF_Projection\", record 34735).", await Error(bytes, forwardOnly: true));
    }

    [Fact]
    public async Task A_point_data_offset_inside_the_header_is_refused()
    {
        var error = await Error(AutzenWith(b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(96), 100)));

        Assert.Equal("The point data offset (100) lies inside the 227-byte header.", error);
    }

    [Fact]
    public async Task A_header_smaller_than_its_version_requires_is_refused()
    {
        var error = await Error(AutzenWith(b => BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(94), 200)));

        Assert.Equal("The header size is 200 bytes, smaller than the 227 bytes LAS 1.2 requires.", error);
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 0)]
    [InlineData(0, 9)]
    public async Task Unknown_versions_are_refused(byte major, byte minor)
    {
        var error = await Error(AutzenWith(b => (b[24], b[25]) = (major, minor)));

        Assert.Equal($"Unsupported LAS version {major}.{minor}: this reader knows LAS 1.0 to 1.4.", error);
    }

    [Fact]
    public async Task A_vlr_area_over_16_mib_is_refused()
    {
        var error = await Error(AutzenWith(b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(96), 20_000_000)));

        Assert.Contains("this reader accepts at most 16777216", error);
    }
}
