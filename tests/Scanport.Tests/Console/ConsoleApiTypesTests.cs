namespace Scanport.Tests.Console;

/// <summary>
/// The console's API types (<c>console/src/api/platform.d.ts</c>, committed so a build needs no server) are what
/// openapi-typescript makes of the platform API's document as this app serves it: a changed API fails here until the
/// types are generated again (<c>npm run api-types --prefix console</c> against <c>./run</c>).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ConsoleApiTypesTests(ScanportApp app)
{
    [Fact]
    public async Task The_committed_api_types_are_generated_from_the_served_platform_document()
    {
        var generator = Path.Combine(RepoPaths.Root, "console", "node_modules", "openapi-typescript", "bin", "cli.js");
        Assert.True(File.Exists(generator), "openapi-typescript is not installed: tools/console-build.sh installs it (./test runs it)");
        var work = Directory.CreateTempSubdirectory("scanport-api-types-").FullName;
        try
        {
            using var client = app.Client();
            var document = Path.Combine(work, "platform.json");
            await File.WriteAllTextAsync(document, await client.GetStringAsync("/openapi/platform.json"));
            var generated = Path.Combine(work, "platform.d.ts");

            var (code, stdout, stderr) = await ExternalProgram.RunAsync("node", [generator, document, "-o", generated]);

            Assert.True(code == 0, $"openapi-typescript failed ({code}):\n{stderr}\n{stdout}");
            var committed = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "console", "src", "api", "platform.d.ts"));
            Assert.True(committed == await File.ReadAllTextAsync(generated),
                "console/src/api/platform.d.ts is not what the platform API's document gives now: run `npm run api-types --prefix console` against ./run");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
