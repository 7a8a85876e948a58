using System.Collections;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Scanport.Tests.Telemetry;

/// <summary>What the in-memory exporter was given, safe to add to from the threads that end spans.</summary>
public sealed class SpanList : ICollection<Activity>
{
    private readonly List<Activity> _spans = [];

    public IReadOnlyList<Activity> Snapshot()
    {
        lock (_spans) return [.. _spans];
    }

    public void Add(Activity item)
    {
        lock (_spans) _spans.Add(item);
    }

    public void Clear()
    {
        lock (_spans) _spans.Clear();
    }

    public bool Contains(Activity item)
    {
        lock (_spans) return _spans.Contains(item);
    }

    public void CopyTo(Activity[] array, int arrayIndex)
    {
        lock (_spans) _spans.CopyTo(array, arrayIndex);
    }

    public bool Remove(Activity item)
    {
        lock (_spans) return _spans.Remove(item);
    }

    public int Count
    {
        get { lock (_spans) return _spans.Count; }
    }

    public bool IsReadOnly => false;

    public IEnumerator<Activity> GetEnumerator() => Snapshot().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>
/// A logger provider that keeps each line's category and the trace id its scopes carry, and the app's scope provider
/// (the one the console loggers get, with ASP.NET Core's activity tracking).
/// </summary>
public sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private readonly List<(string Category, string Message, string? TraceId)> _lines = [];

    public IExternalScopeProvider ScopeProvider { get; private set; } = new LoggerExternalScopeProvider();

    public IReadOnlyList<(string Category, string Message, string? TraceId)> Lines()
    {
        lock (_lines) return [.. _lines];
    }

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => ScopeProvider = scopeProvider;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => capture.ScopeProvider.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            string? traceId = null;
            capture.ScopeProvider.ForEachScope((scope, _) =>
            {
                if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                    foreach (var (key, value) in pairs)
                        if (key == "TraceId") traceId = value?.ToString();
            }, (object?)null);
            lock (capture._lines) capture._lines.Add((category, formatter(state, exception), traceId));
        }
    }
}
