using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Postmortems.Testing;

/// <summary>A logger provider that keeps every entry, so a test can check what the app logged (a warning, a progress count).</summary>
public sealed class RecordingLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Message)> _entries = new();

    public IReadOnlyList<(LogLevel Level, string Message)> Entries => [.. _entries];

    public int Count => _entries.Count;

    /// <summary>The entries logged after the first <paramref name="index"/> (a count read earlier).</summary>
    public IEnumerable<(LogLevel Level, string Message)> Since(int index) => _entries.Skip(index);

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public ILogger<T> For<T>() => new LoggerFactory([this]).CreateLogger<T>();

    public void Dispose()
    {
    }

    private sealed class Logger(RecordingLogs logs) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            logs._entries.Enqueue((logLevel, formatter(state, exception)));
    }
}
