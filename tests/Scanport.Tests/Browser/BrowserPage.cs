using System.Collections.Concurrent;
using Microsoft.Playwright;
using NetVips;

namespace Scanport.Tests.Browser;

/// <summary>A page in its own browser context, with what it logged and the requests it made, for assertions and failure messages.</summary>
public sealed class BrowserPage : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _log = new();

    public BrowserPage(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
        page.Console += (_, message) => _log.Enqueue($"console.{message.Type}: {message.Text}");
        page.PageError += (_, error) => _log.Enqueue($"page error: {error}");
        page.RequestFailed += (_, request) => _log.Enqueue($"request failed: {request.Method} {request.Url} {request.Failure}");
        page.Request += (_, request) => Requests.Enqueue(request);
    }

    public IBrowserContext Context { get; }
    public IPage Page { get; }
    public ConcurrentQueue<IRequest> Requests { get; } = new();

    /// <summary>What the page logged: to append to an assertion's message.</summary>
    public string Log => string.Join('\n', _log);

    /// <summary>
    /// Waits until the script expression is truthy; fails with the page's log when it never is. The expression is sent as a
    /// function, which Playwright compiles through the DevTools protocol: a bare string would be eval'd by the page, which
    /// a strict Content-Security-Policy (no 'unsafe-eval') refuses.
    /// </summary>
    public async Task WaitForAsync(string expression, float timeoutMs = 60_000)
    {
        try
        {
            await Page.WaitForFunctionAsync($"() => ({expression})", null, new PageWaitForFunctionOptions { Timeout = timeoutMs, PollingInterval = 100 });
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException($"the page never had {expression}; its log:\n{Log}");
        }
    }

    /// <summary>
    /// The share of an element's pixels (from a screenshot, as a person sees it) that differ from its background, its
    /// most common colour: 0 for a blank canvas.
    /// </summary>
    public async Task<double> DrawnShareAsync(string selector)
    {
        var png = await Page.Locator(selector).ScreenshotAsync();
        using var image = Image.NewFromBuffer(png);
        using var rgb = image.Bands > 3 ? image.ExtractBand(0, 3) : image.Copy();
        var bytes = rgb.WriteToMemory<byte>();
        var pixels = bytes.Length / 3;
        int Colour(int i) => bytes[i * 3] << 16 | bytes[i * 3 + 1] << 8 | bytes[i * 3 + 2];
        var background = Enumerable.Range(0, pixels).GroupBy(Colour).MaxBy(g => g.Count())!.Key;
        var (r, g, b) = (background >> 16, background >> 8 & 0xff, background & 0xff);
        var drawn = 0;
        for (var i = 0; i < pixels; i++)
            if (Math.Abs(bytes[i * 3] - r) + Math.Abs(bytes[i * 3 + 1] - g) + Math.Abs(bytes[i * 3 + 2] - b) > 24) drawn++;
        return drawn / (double)pixels;
    }

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}
