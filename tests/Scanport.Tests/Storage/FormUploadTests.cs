using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Scanport.Data;
using Scanport.Storage;

namespace Scanport.Tests.Storage;

/// <summary><see cref="FormUploads"/>: a multipart form's file streamed to a temporary file, cut off at the limit.</summary>
public sealed class FormUploadTests : IDisposable
{
    private readonly DirectoryInfo _dataDir = Directory.CreateTempSubdirectory("scanport-uploads-");
    private readonly FormUploads _uploads;

    public FormUploadTests() => _uploads = new FormUploads(Options.Create(new ScanportOptions { DataDir = _dataDir.FullName }));

    private string Folder => Path.Combine(_dataDir.FullName, FormUploads.Folder);

    [Fact]
    public async Task The_file_lands_in_a_temporary_file_that_disposing_deletes_and_asked_fields_are_read()
    {
        var request = await FormAsync(new byte[1000], ("project_id", " 42 "), ("other", "ignored"));

        string path;
        await using (var upload = await _uploads.ReadAsync(request, "file", ["project_id"], limit: 1000, maxFieldLength: 64, CancellationToken.None))
        {
            Assert.Equal(FormUploadStatus.Read, upload.Status);
            Assert.Equal("scan.mp4", upload.FileName);
            Assert.Equal(1000, upload.Size);
            Assert.Equal(1000, new FileInfo(upload.Path).Length);
            Assert.StartsWith(Folder, upload.Path);
            Assert.Equal(new Dictionary<string, string> { ["project_id"] = "42" }, upload.Fields);
            path = upload.Path;
        }
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task A_file_over_the_limit_is_refused_and_nothing_is_left_on_disk()
    {
        var request = await FormAsync(new byte[1001], ("project_id", "1"));
        request.ContentLength = null; // as a chunked body: only the bytes themselves tell

        await using var upload = await _uploads.ReadAsync(request, "file", ["project_id"], limit: 1000, maxFieldLength: 64, CancellationToken.None);

        Assert.Equal(FormUploadStatus.TooLarge, upload.Status);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Folder));
    }

    [Fact]
    public async Task A_body_declared_over_the_limit_and_the_envelope_is_refused_before_it_is_read()
    {
        var request = await FormAsync(new byte[10], ("project_id", "1"));
        request.ContentLength = 1000 + FormUploads.EnvelopeAllowance + 1;

        await using var upload = await _uploads.ReadAsync(request, "file", ["project_id"], limit: 1000, maxFieldLength: 64, CancellationToken.None);

        Assert.Equal(FormUploadStatus.TooLarge, upload.Status);
        Assert.Equal(0, request.Body.Position);
    }

    [Fact]
    public async Task A_body_that_is_not_multipart_is_told_apart_from_a_form_without_a_file()
    {
        var json = new DefaultHttpContext().Request;
        json.ContentType = "application/json";
        json.Body = new MemoryStream("{}"u8.ToArray());
        var noFile = await FormAsync(null, ("project_id", "1"));

        await using var notMultipart = await _uploads.ReadAsync(json, "file", [], 1000, 64, CancellationToken.None);
        await using var withoutFile = await _uploads.ReadAsync(noFile, "file", ["project_id"], 1000, 64, CancellationToken.None);

        Assert.Equal(FormUploadStatus.NotMultipart, notMultipart.Status);
        Assert.Equal((FormUploadStatus.Read, null), (withoutFile.Status, withoutFile.FileName));
    }

    private static async Task<HttpRequest> FormAsync(byte[]? file, params (string Name, string Value)[] fields)
    {
        using var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields) form.Add(new StringContent(value), name);
        if (file is not null)
        {
            var part = new ByteArrayContent(file);
            part.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
            form.Add(part, "file", "scan.mp4");
        }
        var body = new MemoryStream();
        await form.CopyToAsync(body);
        body.Position = 0;
        var request = new DefaultHttpContext().Request;
        request.ContentType = form.Headers.ContentType!.ToString();
        request.ContentLength = body.Length;
        request.Body = body;
        return request;
    }

    public void Dispose() => _dataDir.Delete(recursive: true);
}
