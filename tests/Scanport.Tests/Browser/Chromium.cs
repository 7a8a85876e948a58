using Microsoft.Playwright;

namespace Scanport.Tests.Browser;

/// <summary>
/// One headless Chromium for the whole test run, driven by Playwright through Debian's <c>chromium</c> binary (Playwright's
/// own browser download is not reachable; ./test installs the package). WebGL renders through SwiftShader: the flag is
/// explicit because recent Chromium dropped the automatic fallback, and the software rasterizer must stay enabled.
/// <c>SCANPORT_CHROMIUM</c> names another binary.
/// </summary>
public static class Chromium
{
    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/lib/chromium/chromium"];
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static IPlaywright? _playwright;
    private static IBrowser? _browser;

    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable("SCANPORT_CHROMIUM") is { Length: > 0 } configured ? configured
        : Candidates.FirstOrDefault(File.Exists)
          ?? throw new InvalidOperationException("Chromium is not installed: run ops/ensure-packages.sh chromium (./test does), or set SCANPORT_CHROMIUM.");

    /// <summary>The run's browser, started on first use and closed when the test process exits.</summary>
    public static async Task<IBrowser> BrowserAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_browser is { IsConnected: true }) return _browser;
            if (_playwright is null)
            {
                var playwright = _playwright = await Playwright.CreateAsync();
                // The driver (and with it the browser) stops with the test process.
                AppDomain.CurrentDomain.ProcessExit += (_, _) => playwright.Dispose();
            }
            _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args = ["--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--ignore-gpu-blocklist"],
            });
            return _browser;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>A fresh context (its own cookies and storage) and page, whose console and errors are kept for failure messages.</summary>
    public static async Task<BrowserPage> OpenAsync(int width = 1280, int height = 800)
    {
        var context = await (await BrowserAsync()).NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        return new BrowserPage(context, page);
    }
}
