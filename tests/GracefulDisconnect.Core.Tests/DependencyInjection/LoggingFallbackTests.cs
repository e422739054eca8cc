using GracefulDisconnect.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GracefulDisconnect.Tests.DependencyInjection;

// Core depends on Logging.Abstractions only: it registers silent loggers as a fallback, never a logging pipeline.
public class LoggingFallbackTests
{
    [Fact]
    public async Task AddGracefulDisconnect_BareServiceCollection_ResolvesEngineWithSilentLoggers()
    {
        var services = new ServiceCollection();
        services.AddGracefulDisconnect().UseShadowReader<FakeShadowReader>().AddNotifier<RecordingNotifier>();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        Assert.NotNull(provider.GetRequiredService<DeviceEngine>());
        Assert.IsType<NullLoggerFactory>(provider.GetRequiredService<ILoggerFactory>());
        Assert.IsType<NullLogger<DeviceEngine>>(provider.GetRequiredService<ILogger<DeviceEngine>>());
    }

    [Fact]
    public async Task AddGracefulDisconnect_AfterAddLogging_KeepsTheHostsLoggers()
    {
        var provider = new ListLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(provider));
        services.AddGracefulDisconnect().UseShadowReader<FakeShadowReader>().AddNotifier<RecordingNotifier>();
        await using var built = services.BuildServiceProvider();

        built.GetRequiredService<ILogger<DeviceEngine>>().LogWarning("through the host's pipeline");

        Assert.IsNotType<NullLoggerFactory>(built.GetRequiredService<ILoggerFactory>());
        Assert.Contains("through the host's pipeline", provider.Messages);
    }

    private sealed class ListLoggerProvider : ILoggerProvider
    {
        public List<string> Messages { get; } = [];

        public ILogger CreateLogger(string categoryName) => new ListLogger(Messages);

        public void Dispose()
        {
        }

        private sealed class ListLogger(List<string> messages) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (messages)
                {
                    messages.Add(formatter(state, exception));
                }
            }
        }
    }
}
