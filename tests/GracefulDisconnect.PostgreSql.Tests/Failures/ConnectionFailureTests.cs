namespace GracefulDisconnect.PostgreSql.Tests.Failures;

/// <summary>What a user sees when the database is not what the connection string says: one line, naming the server, never the password.</summary>
[Collection(PostgresServerGroup.Name)]
public sealed class ConnectionFailureTests(PostgresServer server)
{
    [Fact]
    public async Task OpenAsync_WrongPassword_IsOneClearLineWithoutThePassword()
    {
        const string Wrong = "not-the-Pw-9c1e";
        var options = server.Options(PostgresServer.NewSchema());
        options.ConnectionString = options.ConnectionString.Replace(PostgresServer.Password, Wrong, StringComparison.Ordinal);

        var failure = await Assert.ThrowsAsync<DeviceStoreException>(() => PostgreSqlDeviceStore.OpenAsync(options));

        Assert.Contains("refused the password", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"postgresql://{PostgresServer.User}@127.0.0.1:{server.Port}/{PostgresServer.Database}", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Wrong, failure.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(PostgresServer.Password, failure.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain('\n', failure.Message);
        Assert.False(failure.IsTransient);
    }

    [Fact]
    public async Task OpenAsync_WrongPasswordInAUri_IsOneClearLineWithoutThePassword()
    {
        const string Wrong = "uri-Secret-4d7b";
        var options = new PostgreSqlStoreOptions { ConnectionString = $"postgresql://{PostgresServer.User}:{Wrong}@127.0.0.1:{server.Port}/{PostgresServer.Database}" };

        var failure = await Assert.ThrowsAsync<DeviceStoreException>(() => PostgreSqlDeviceStore.OpenAsync(options));

        Assert.Contains("refused the password", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Wrong, failure.ToString(), StringComparison.Ordinal);
        Assert.False(failure.IsTransient);
    }

    [Fact]
    public async Task OpenAsync_NobodyListeningOnThePort_IsATransientClearLineWithoutThePassword()
    {
        var closedPort = ClosedPort();
        var options = new PostgreSqlStoreOptions { ConnectionString = $"Host=127.0.0.1;Port={closedPort};Database=x;Username=u;Password={PostgresServer.Password};Timeout=3" };

        var failure = await Assert.ThrowsAsync<DeviceStoreException>(() => PostgreSqlDeviceStore.OpenAsync(options));

        Assert.Contains("cannot reach the server (connection refused)", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{closedPort}", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(PostgresServer.Password, failure.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain('\n', failure.Message);
        Assert.True(failure.IsTransient);
    }

    [Fact]
    public async Task OpenAsync_DatabaseThatDoesNotExist_SaysSoAndHowToFixIt()
    {
        var options = server.Options(PostgresServer.NewSchema());
        options.ConnectionString = options.ConnectionString.Replace($"Database={PostgresServer.Database}", "Database=no_such_db", StringComparison.Ordinal);

        var failure = await Assert.ThrowsAsync<DeviceStoreException>(() => PostgreSqlDeviceStore.OpenAsync(options));

        Assert.Contains("\"no_such_db\" does not exist", failure.Message, StringComparison.Ordinal);
        Assert.Contains("createdb", failure.Message, StringComparison.Ordinal);
        Assert.False(failure.IsTransient);
    }

    [Fact]
    public async Task OpenAsync_UriForm_OpensTheSameDatabase()
    {
        var schema = PostgresServer.NewSchema();
        await using var byKeywords = await PostgreSqlDeviceStore.OpenAsync(server.Options(schema));
        await byKeywords.CommitAsync([new DeviceChange("t1", 0, "s", null, [])]);

        await using var byUri = await PostgreSqlDeviceStore.OpenAsync(new PostgreSqlStoreOptions
        {
            ConnectionString = $"postgresql://{PostgresServer.User}:{Uri.EscapeDataString(PostgresServer.Password)}@127.0.0.1:{server.Port}/{PostgresServer.Database}?Timeout=10",
            Schema = schema,
        });

        Assert.Equal(new StoredDevice("t1", 1, "s"), Assert.Single(await byUri.LoadAsync(["t1"])));
    }

    [Fact]
    public async Task Operations_AfterTheServerCutTheConnections_FailTransientlyThenWorkAgain()
    {
        await using var store = await PostgreSqlDeviceStore.OpenAsync(server.Options(PostgresServer.NewSchema()));
        await store.CommitAsync([new DeviceChange("t1", 0, "s", null, [])]);

        await server.ExecuteAsSuperuserAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{PostgresServer.User}'");
        var failures = 0;
        IReadOnlyList<StoredDevice>? loaded = null;
        for (var attempt = 0; attempt < 20 && loaded is null; attempt++)
        {
            try
            {
                loaded = await store.LoadAsync(["t1"]);
            }
            catch (DeviceStoreException exception)
            {
                Assert.True(exception.IsTransient, exception.Message);
                Assert.DoesNotContain('\n', exception.Message);
                failures++;
            }
        }

        Assert.InRange(failures, 1, 3);
        Assert.Equal(new StoredDevice("t1", 1, "s"), Assert.Single(loaded!));
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
