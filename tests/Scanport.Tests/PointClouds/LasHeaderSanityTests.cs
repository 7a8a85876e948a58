using System.Buffers.Binary;
using Scanport.PointClouds;

namespace Scanport.Tests.PointClouds;

/// <summary>Headers whose numbers cannot be true of the file they head: non-finite coordinates, more points than bytes.</summary>
public class LasHeaderSanityTests
{
    private static readonly byte[] Autzen = SampleFiles.Bytes("autzen_trim.las");
    private static readonly byte[] AutzenLaz = SampleFiles.Bytes("autzen_trim.laz");

    private static async Task<LasHeaderResult> ReadAsync(byte[] bytes, bool forwardOnlyWithLength = false)
    {
        var stream = new MemoryStream(bytes, writable: false);
        return forwardOnlyWithLength
            ? await LasHeaderReader.ReadAsync(new ForwardOnlyStream(stream), bytes.Length, CancellationToken.None)
            : await LasHeaderReader.ReadAsync(stream, CancellationToken.None);
    }

    private static byte[] With(byte[] file, Action<byte[]> change)
    {
        var copy = (byte[])file.Clone();
        change(copy);
        return copy;
    }

    [Theory]
    [InlineData(187, double.NaN, "min x is NaN")]
    [InlineData(211, double.PositiveInfinity, "max z is Infinity")]
    [InlineData(203, double.NegativeInfinity, "min y is -Infinity")]
    [InlineData(131, double.NaN, "x scale factor is NaN")]
    [InlineData(171, double.PositiveInfinity, "z offset is Infinity")]
    public async Task Non_finite_bounds_scales_and_offsets_are_refused(int at, double value, string expected)
    {
        var result = await ReadAsync(With(Autzen, b => BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(at), value)));

        Assert.False(result.Succeeded);
        Assert.Equal($"The header's {expected}: scale factors, offsets and bounds must be finite numbers.", result.Error);
    }

    [Fact]
    public async Task More_points_than_the_file_holds_are_refused()
    {
        var bytes = With(Autzen, b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(107), 10_000_000));

        var seekable = await ReadAsync(bytes);
        var forwardOnly = await ReadAsync(bytes, forwardOnlyWithLength: true);

        const string expected = "The header declares 10000000 points of 34 bytes from byte 2038, 340002038 bytes in all, "
            + "but the stream is 3742038 bytes: the file is truncated or its header is wrong.";
        Assert.Equal(expected, seekable.Error);
        Assert.Equal(expected, forwardOnly.Error);
    }

    [Fact]
    public async Task A_las_file_cut_inside_its_points_is_refused()
    {
        var result = await ReadAsync(Autzen[..100_000]);

        Assert.StartsWith("The header declares 110000 points of 34 bytes from byte 2038", result.Error);
    }

    [Fact]
    public async Task A_laz_file_cut_at_its_point_data_is_refused_and_one_with_its_points_is_read()
    {
        var cut = await ReadAsync(AutzenLaz[..2144]);
        var whole = await ReadAsync(AutzenLaz, forwardOnlyWithLength: true);

        Assert.Equal("The header declares 110000 compressed points, but the stream ends at the point data offset (2144).", cut.Error);
        Assert.True(whole.Succeeded, whole.Error);
        Assert.Equal(110_000UL, whole.Header!.PointCount);
    }

    [Fact]
    public async Task The_largest_point_count_and_record_length_do_not_overflow_the_check()
    {
        var bytes = With(Autzen, b =>
        {
            BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(107), uint.MaxValue);
            BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(105), ushort.MaxValue);
        });

        Assert.Contains("4294967295 points of 65535 bytes", (await ReadAsync(bytes)).Error);
    }
}
