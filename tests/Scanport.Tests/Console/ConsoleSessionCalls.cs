using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Scanport.Tests.Surfaces.Platform;
using Scanport.Tests.Surfaces.Vehicle360;

namespace Scanport.Tests.Console;

/// <summary>
/// What the body-scan and 360° console tests arrange through the public APIs, as a device, a program or an admin would:
/// people who sign in, capture sessions with real photos, projects with members.
/// </summary>
internal static class ConsoleSessionCalls
{
    public const string Password = "capture-console-2026";

    /// <summary>A user of the tenant with this role and sites, who signs in with <see cref="Password"/>: their id and email.</summary>
    public static async Task<(Guid Id, string Email)> PersonAsync(Tenant tenant, string role, params Guid[] sites)
    {
        using var admin = tenant.Admin();
        var email = $"{role}-{Guid.NewGuid():N}@tenant.test";
        var user = await (await admin.PostAsJsonAsync("/platform/v1/users", new { email, name = $"A {role}", role, site_ids = sites, password = Password }))
            .Status(HttpStatusCode.Created);
        return (user.Id(), email);
    }

    public static async Task AddMemberAsync(Tenant tenant, Guid projectId, Guid userId)
    {
        using var admin = tenant.Admin();
        await (await admin.PostAsJsonAsync($"/platform/v1/projects/{projectId}/members", new { user_id = userId })).Status(HttpStatusCode.OK);
    }

    /// <summary>
    /// A studio360 session a device at the site captures: <paramref name="photos"/> real JPEGs (frames of the shared orbit
    /// render, every second one, with EXIF written by exiftool) presigned, PUT and processed; angles 360/n apart.
    /// </summary>
    public static async Task<(Guid Session, IReadOnlyList<Guid> Images)> DeviceSessionAsync(Tenant tenant, Guid site, string vin, int photos)
    {
        var device = await tenant.DeviceAsync(site);
        using var phone = tenant.App.Client(device.Token);
        var session = await phone.CreateSessionAsync(site, vin: vin, stock: "STK-" + vin[^4..], shotList: new { studio360 = new { frame_count = photos } });
        var images = new List<Guid>();
        foreach (var path in (await Photos.Value).Take(photos))
        {
            var content = await File.ReadAllBytesAsync(path);
            var presign = await phone.PresignAsync(session.Id(), content, fileName: Path.GetFileName(path));
            Assert.Equal(HttpStatusCode.OK, (await V360Calls.UploadAsync(presign, content)).StatusCode);
            images.Add(presign.GetProperty("image_id").GetGuid());
        }
        using var admin = tenant.Admin();
        foreach (var image in images)
            Assert.Equal("processed", (await admin.WaitProcessedAsync(image)).GetProperty("status").GetString());
        return (session.Id(), images);
    }

    /// <summary>Fifteen frames round the orbit render (every 24°), each with EXIF: ISO 200, 1/250 s, f/1.8, taken 2025-01-15 10:01 UTC.</summary>
    private static readonly Lazy<Task<string[]>> Photos = new(async () =>
    {
        var dir = Directory.CreateTempSubdirectory("scanport-console-photos-").FullName;
        var frames = Path.Combine(RepoPaths.Shared, "data", "scenes", "orbit-30");
        var paths = Enumerable.Range(0, 15).Select(i => Path.Combine(dir, $"IMG_{i:000}.jpg")).ToArray();
        for (var i = 0; i < paths.Length; i++) File.Copy(Path.Combine(frames, $"frame_{i * 2:000}.jpg"), paths[i]);
        using var exiftool = Process.Start(new ProcessStartInfo("exiftool",
            ["-q", "-overwrite_original", "-ISO=200", "-ExposureTime=1/250", "-FNumber=1.8", "-DateTimeOriginal=2025:01:15 10:01:00", "-OffsetTimeOriginal=+00:00", .. paths])
        { RedirectStandardError = true })!;
        var error = await exiftool.StandardError.ReadToEndAsync();
        await exiftool.WaitForExitAsync();
        Assert.True(exiftool.ExitCode == 0, $"exiftool failed: {error}");
        return paths;
    });
}
