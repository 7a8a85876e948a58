using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;

// Signs in to the console as a person does, then opens a page ROUNDS times, each a fresh load (same tab, so the session
// stays), and prints per round the page's performance marks (milliseconds from the navigation's start) once the element
// named by --ready reaches data-state="ready". --screenshot saves the last round's page as a PNG (the README's picture).
//   Scanport.Bench.Console <base-url> <email> <password> <page-path> --ready <css> --marks a,b [--rounds N] [--chromium PATH]
//                          [--screenshot PATH]
var (baseUrl, email, password, pagePath) = (args[0].TrimEnd('/'), args[1], args[2], args[3]);
string Option(string name, string fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
var ready = Option("--ready", "[data-testid=point-cloud-viewer]");
var marks = Option("--marks", "pointcloud:first-points,pointcloud:all-points").Split(',');
var rounds = int.Parse(Option("--rounds", "3"), CultureInfo.InvariantCulture);
var chromium = Option("--chromium", "/usr/bin/chromium");
var timeout = float.Parse(Option("--timeout-ms", "300000"), CultureInfo.InvariantCulture);
var screenshot = Option("--screenshot", "");

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
{
    ExecutablePath = chromium,
    Headless = true,
    // WebGL through SwiftShader, as in the browser tests: no GPU here.
    Args = ["--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--ignore-gpu-blocklist"],
});
var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
await page.GotoAsync($"{baseUrl}/console/");
await page.GetByLabel("Email").FillAsync(email);
await page.GetByLabel("Password").FillAsync(password);
await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
await page.GetByRole(AriaRole.Heading, new() { Name = "Projects", Level = 1 }).WaitForAsync();

for (var round = 1; round <= rounds; round++)
{
    await page.GotoAsync($"{baseUrl}{pagePath}");
    await page.Locator($"{ready}[data-state=ready], {ready}[data-state=error]").WaitForAsync(new() { Timeout = timeout });
    var state = await page.Locator(ready).GetAttributeAsync("data-state");
    if (state != "ready") throw new InvalidOperationException($"the viewer ended in state {state}: {await page.Locator(ready).InnerTextAsync()}");
    var times = await page.EvaluateAsync<Dictionary<string, double?>>(
        "names => Object.fromEntries(names.map(n => [n, performance.getEntriesByName(n).at(-1)?.startTime ?? null]))", marks);
    var attributes = await page.Locator(ready).EvaluateAsync<Dictionary<string, string>>(
        "e => Object.fromEntries([...e.attributes].filter(a => a.name.startsWith('data-')).map(a => [a.name, a.value]))");
    Console.WriteLine(JsonSerializer.Serialize(new { round, marks = times, attributes }));
}

if (screenshot.Length > 0)
{
    await page.Mouse.MoveAsync(0, 0);
    await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
}
