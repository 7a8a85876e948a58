using Hangfire.Logging;
using MsLogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Scanport.Jobs;

/// <summary>
/// Hangfire's logging goes through a process-wide static. Its ASP.NET Core adapter keeps the last host's logger
/// factory there, and fails once that host is disposed (a second host in the same process, as tests and
/// in-place restarts have). This adapter falls silent instead of failing the job call that tried to log.
/// </summary>
internal sealed class HangfireLogProvider(ILoggerFactory factory) : ILogProvider
{
    public ILog GetLogger(string name)
    {
        try
        {
            return new Adapter(factory.CreateLogger(name));
        }
        catch (ObjectDisposedException)
        {
            return new Adapter(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        }
    }

    private sealed class Adapter(ILogger logger) : ILog
    {
        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            var level = logLevel switch
            {
                Hangfire.Logging.LogLevel.Trace => MsLogLevel.Trace,
                Hangfire.Logging.LogLevel.Debug => MsLogLevel.Debug,
                Hangfire.Logging.LogLevel.Info => MsLogLevel.Information,
                Hangfire.Logging.LogLevel.Warn => MsLogLevel.Warning,
                Hangfire.Logging.LogLevel.Error => MsLogLevel.Error,
                _ => MsLogLevel.Critical,
            };
            try
            {
                if (messageFunc is null) return logger.IsEnabled(level);
                logger.Log(level, exception, "{HangfireMessage}", messageFunc());
            }
            catch (ObjectDisposedException)
            {
            }
            return true;
        }
    }
}
