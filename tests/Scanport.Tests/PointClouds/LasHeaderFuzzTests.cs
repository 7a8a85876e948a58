using Scanport.PointClouds;

namespace Scanport.Tests.PointClouds;

public class LasHeaderFuzzTests
{
    private const int Mutations = 2_000;
    private const int MutatedPrefix = 2 * 1024;
    private const long MaxAllocatedBytesPerRead = 4 * 1024 * 1024;

    [Theory]
    [InlineData("autzen_trim.laz", 1)]
    [InlineData("autzen_trim.las", 2)]
    [InlineData("no-points-1.3.laz", 3)]
    public async Task Mutated_headers_give_a_header_or_an_error_never_an_exception(string name, int seed)
    {
        var original = SampleFiles.Bytes(name);
        var bytes = (byte[])original.Clone();
        var random = new Random(seed);
        var prefix = Math.Min(MutatedPrefix, bytes.Length);
        int succeeded = 0, failed = 0;

        for (var i = 0; i < Mutations; i++)
        {
            var changes = random.Next(1, 9);
            var positions = new int[changes];
            for (var c = 0; c < changes; c++)
            {
                positions[c] = random.Next(prefix);
                bytes[positions[c]] = random.Next(3) switch
                {
                    0 => (byte)(bytes[positions[c]] ^ (1 << random.Next(8))),
                    1 => (byte)random.Next(256),
                    _ => 0xFF,
                };
            }
            var length = random.Next(4) == 0 ? random.Next(bytes.Length + 1) : bytes.Length;
            Stream stream = new MemoryStream(bytes, 0, length, writable: false);
            if (random.Next(2) == 0) stream = new ForwardOnlyStream(stream);

            var before = GC.GetAllocatedBytesForCurrentThread();
            var result = await LasHeaderReader.ReadAsync(stream, CancellationToken.None);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.True(allocated < MaxAllocatedBytesPerRead, $"mutation {i} allocated {allocated} bytes");
            Assert.True(result.Succeeded ^ result.Error is not null, $"mutation {i}: header xor error");
            if (result.Succeeded) succeeded++;
            else
            {
                Assert.False(string.IsNullOrWhiteSpace(result.Error));
                failed++;
            }
            foreach (var p in positions) bytes[p] = original[p];
        }

        Assert.Equal(Mutations, succeeded + failed);
        Assert.True(failed > 0 && succeeded > 0, $"{succeeded} read, {failed} refused: the mutations should produce both");
    }
}
