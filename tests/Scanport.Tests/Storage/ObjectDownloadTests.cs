using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Scanport.Storage;

namespace Scanport.Tests.Storage;

/// <summary><see cref="ObjectDownloads.SendAsync"/>: a stored object sent whole, as one range, or refused with 416.</summary>
[Collection(AppCollection.Name)]
public sealed class ObjectDownloadTests(ScanportApp app) : IDisposable
{
    private readonly IServiceScope _scope = app.Services.CreateScope();
    private static readonly byte[] Digits = "0123456789"u8.ToArray();

    [Fact]
    public async Task A_single_range_is_sent_as_206_with_its_content_range()
    {
        var (store, info) = await StoreAsync("text/plain");
        var context = Request("GET", "bytes=2-5");

        Assert.Equal(ObjectSendOutcome.Sent, await store.SendAsync(context, info, "digits.txt"));

        Assert.Equal(StatusCodes.Status206PartialContent, context.Response.StatusCode);
        Assert.Equal("bytes 2-5/10", context.Response.Headers.ContentRange.ToString());
        Assert.Equal("bytes", context.Response.Headers.AcceptRanges.ToString());
        Assert.Equal(4, context.Response.ContentLength);
        Assert.Equal("2345"u8.ToArray(), Body(context));
    }

    [Fact]
    public async Task A_range_past_the_end_is_416_with_the_size_and_no_body()
    {
        var (store, info) = await StoreAsync("text/plain");
        var context = Request("GET", "bytes=10-");

        Assert.Equal(ObjectSendOutcome.RangeNotSatisfiable, await store.SendAsync(context, info, "digits.txt"));

        Assert.Equal(StatusCodes.Status416RangeNotSatisfiable, context.Response.StatusCode);
        Assert.Equal("bytes */10", context.Response.Headers.ContentRange.ToString());
        Assert.Empty(Body(context));
    }

    [Fact]
    public async Task Without_a_range_the_whole_object_is_sent_as_an_attachment_with_its_validators()
    {
        var (store, info) = await StoreAsync("text/plain");
        var context = Request("GET", null);

        await store.SendAsync(context, info, "digits.txt");

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.Equal(Digits, Body(context));
        Assert.Equal(10, context.Response.ContentLength);
        Assert.Equal("text/plain", context.Response.ContentType);
        Assert.Equal("attachment; filename*=UTF-8''digits.txt; filename=digits.txt", context.Response.Headers.ContentDisposition.ToString());
        Assert.StartsWith("\"", context.Response.Headers.ETag.ToString());
        Assert.False(string.IsNullOrEmpty(context.Response.Headers.LastModified));
    }

    [Fact]
    public async Task HEAD_gets_the_headers_of_a_GET_and_no_body()
    {
        var (store, info) = await StoreAsync("text/plain");
        var context = Request("HEAD", "bytes=-3");

        Assert.Equal(ObjectSendOutcome.Sent, await store.SendAsync(context, info, "digits.txt"));

        Assert.Equal(StatusCodes.Status206PartialContent, context.Response.StatusCode);
        Assert.Equal("bytes 7-9/10", context.Response.Headers.ContentRange.ToString());
        Assert.Equal(3, context.Response.ContentLength);
        Assert.Empty(Body(context));
    }

    [Fact]
    public async Task Inline_is_given_to_harmless_types_only()
    {
        var (store, text) = await StoreAsync("text/plain");
        var (_, page) = await StoreAsync("text/html");
        var (plain, html) = (Request("GET", null), Request("GET", null));

        await store.SendAsync(plain, text, "note.txt", inline: true);
        await store.SendAsync(html, page, "page.html", inline: true);

        Assert.StartsWith("inline;", plain.Response.Headers.ContentDisposition.ToString());
        Assert.StartsWith("attachment;", html.Response.Headers.ContentDisposition.ToString());
    }

    [Fact]
    public async Task An_object_gone_since_it_was_described_is_reported_and_nothing_is_sent()
    {
        var (store, info) = await StoreAsync("text/plain");
        await store.DeleteAsync(info.Bucket, info.Key, CancellationToken.None);
        var context = Request("GET", null);

        Assert.Equal(ObjectSendOutcome.Gone, await store.SendAsync(context, info, "digits.txt"));

        Assert.Equal(StatusCodes.Status404NotFound, context.Response.StatusCode);
        Assert.Empty(Body(context));
    }

    [Theory]
    [InlineData("../../etc/passwd", "attachment; filename*=UTF-8''.._.._etc_passwd; filename=.._.._etc_passwd")]
    [InlineData("a\r\nb.txt", "attachment; filename*=UTF-8''a__b.txt; filename=a__b.txt")]
    [InlineData("scan 1.ply", "attachment; filename*=UTF-8''scan%201.ply; filename=\"scan 1.ply\"")]
    public void A_download_name_cannot_carry_a_path_or_break_the_header(string name, string header) =>
        Assert.Equal(header, ObjectDownloads.Disposition("attachment", name));

    private async Task<(IObjectStore, ObjectInfo)> StoreAsync(string contentType)
    {
        var store = _scope.ServiceProvider.GetRequiredService<IObjectStore>();
        var info = await store.PutAsync("scanport", $"download-tests/{Guid.NewGuid():N}", new MemoryStream(Digits), contentType, CancellationToken.None);
        return (store, info);
    }

    private static DefaultHttpContext Request(string method, string? range)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        if (range is not null) context.Request.Headers.Range = range;
        context.Response.Body = new MemoryStream();
        return context;
    }

    private static byte[] Body(HttpContext context) => ((MemoryStream)context.Response.Body).ToArray();

    public void Dispose() => _scope.Dispose();
}
