using System.IO.Compression;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Scanport.Storage;

namespace Scanport.Tests.Storage;

/// <summary><see cref="ObjectZip"/>: objects streamed into one zip, entry by entry, with asynchronous writes only.</summary>
[Collection(AppCollection.Name)]
public sealed class ObjectZipTests(ScanportApp app)
{
    [Fact]
    public async Task Every_object_becomes_an_entry_named_by_the_caller_written_without_synchronous_io()
    {
        using var scope = app.Services.CreateScope();
        var store = scope.ServiceProvider.GetRequiredService<IObjectStore>();
        var prefix = $"zip-tests/{Guid.NewGuid():N}/";
        var contents = new Dictionary<string, byte[]>
        {
            ["a.jpg"] = "first"u8.ToArray(),
            ["b.jpg"] = new byte[200_000],
            ["sub/c.txt"] = "third"u8.ToArray(),
        };
        Random.Shared.NextBytes(contents["b.jpg"]);
        foreach (var (name, bytes) in contents) await store.PutAsync("scanport", prefix + name, new MemoryStream(bytes), null, CancellationToken.None);
        var body = new AsyncOnlyBody();
        var context = new DefaultHttpContext { Response = { Body = body } };

        await new ObjectZip(store, store.ListAllAsync("scanport", prefix, CancellationToken.None), o => o.Key[prefix.Length..], "frames.zip")
            .ExecuteAsync(context);

        Assert.Equal("application/zip", context.Response.ContentType);
        Assert.Equal("none", context.Response.Headers.AcceptRanges.ToString());
        Assert.Equal("attachment; filename*=UTF-8''frames.zip; filename=frames.zip", context.Response.Headers.ContentDisposition.ToString());
        using var zip = new ZipArchive(new MemoryStream(body.Written.ToArray()));
        Assert.Equal(contents.Keys.Order(), zip.Entries.Select(e => e.FullName));
        foreach (var entry in zip.Entries)
        {
            await using var read = entry.Open();
            var copy = new MemoryStream();
            await read.CopyToAsync(copy);
            Assert.Equal(contents[entry.FullName], copy.ToArray());
        }
    }

    /// <summary>A response body as Kestrel's is by default: synchronous writes are refused.</summary>
    private sealed class AsyncOnlyBody : Stream
    {
        public MemoryStream Written { get; } = new();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Write(byte[] buffer, int offset, int count) => throw new InvalidOperationException("Synchronous operations are disallowed.");
        public override void Flush() => throw new InvalidOperationException("Synchronous operations are disallowed.");
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Written.WriteAsync(buffer, offset, count, cancellationToken);
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => Written.WriteAsync(buffer, cancellationToken);
        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
