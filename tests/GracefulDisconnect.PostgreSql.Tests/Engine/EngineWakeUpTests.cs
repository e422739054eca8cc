using System.Diagnostics;

namespace GracefulDisconnect.PostgreSql.Tests.Engine;

/// <summary>An idle engine hears through LISTEN/NOTIFY when another process commits work due now, instead of waiting for its poll.</summary>
[Collection(PostgresServerGroup.Name)]
public sealed class EngineWakeUpTests(PostgresServer server)
{
    [Fact]
    public async Task WaitForWorkAsync_AnotherProcessCommitsADueRecheck_TheIdleEngineWakesBeforeItsPoll()
    {
        var schema = PostgresServer.NewSchema();
        await using var idle = await EngineProcess.StartAsync(server, schema, TimeProvider.System, new RecordingNotifier("ch", new()));
        await using var writer = await EngineProcess.StartAsync(server, schema, TimeProvider.System, new RecordingNotifier("ch", new()));

        // The first wait opens the LISTEN connection; commits before it is listening are not heard.
        await idle.Engine.WaitForWorkAsync(TimeSpan.FromMilliseconds(500), CancellationToken.None);

        var waiting = Stopwatch.StartNew();
        var wait = idle.Engine.WaitForWorkAsync(TimeSpan.FromSeconds(30), CancellationToken.None);

        // A disconnect older than the grace: its re-check is due at once, in the other process's commit.
        await writer.Engine.RecordAsync([new ConnectionEvent("pump-1", false, DateTimeOffset.UtcNow - EngineProcess.Grace - TimeSpan.FromMinutes(1))]);
        await wait;

        Assert.True(waiting.Elapsed < TimeSpan.FromSeconds(20), $"woke after {waiting.Elapsed}, as if it had waited for its timeout");
        Assert.Equal(["pump-1"], await idle.Store.ClaimDueAsync(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), 10));
    }
}
