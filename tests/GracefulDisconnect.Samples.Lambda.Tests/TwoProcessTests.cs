using System.Diagnostics;
using GracefulDisconnect.Testing.DynamoDb;
using Xunit;

namespace GracefulDisconnect.Samples.Lambda.Tests;

/// <summary>
/// Two execution environments as two operating-system processes (the Invoker project: the runtime's part, creating
/// <see cref="Function"/> from the environment and handing it an event), sharing nothing but the table and the fakes.
/// The system clock runs: events are stamped relative to now.
/// </summary>
[Collection(LambdaEnvironmentGroup.Name)]
public sealed class TwoProcessTests(DynaliteServer dynalite)
{
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task SameRecordInTwoProcesses_PublishesOnce_ThenTheirConnectPublishesOneRecovery()
    {
        await using var aws = await LambdaEnvironment.StartAsync(dynalite);
        LambdaEnvironment.Set("NOTIFY_RECOVERY", "true");
        var now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var disconnectedAt = now.AddMinutes(-5).AddSeconds(-2);
        aws.Iot.PutShadow("pump-9", connected: false, disconnectedAt);
        using var events = new EventFiles();

        var disconnect = events.Write(SqsEvents.Create(("m-down", SqsEvents.RuleOutput("pump-9", disconnectedAt))));
        var first = await Task.WhenAll(InvokeAsync(disconnect), InvokeAsync(disconnect));

        Assert.All(first, output => Assert.Contains("""response: {"batchItemFailures":[]}""", output, StringComparison.Ordinal));
        Assert.Equal("notify", Assert.Single(aws.Sns.Published).Attributes["verdict"]);

        var backAt = now.AddSeconds(-1);
        aws.Iot.PutShadow("pump-9", connected: true, backAt);
        var connect = events.Write(SqsEvents.Create(("m-up", SqsEvents.RuleOutput("pump-9", backAt, connected: true))));
        var second = await Task.WhenAll(InvokeAsync(connect), InvokeAsync(connect));

        Assert.All(second, output => Assert.Contains("""response: {"batchItemFailures":[]}""", output, StringComparison.Ordinal));
        Assert.Equal(["notify", "recovered"], aws.Sns.Published.Select(message => message.Attributes["verdict"]));
        Assert.All(aws.AllRequests, request => Assert.True(request.Signature.Valid, request.Signature.Problem));
    }

    // Runs one invocation in a new process, which inherits this process's (test) environment variables.
    private static async Task<string> InvokeAsync(string eventFile)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(InvokerPath());
        start.ArgumentList.Add(eventFile);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ProcessTimeout);
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {await error}\n{await output}");
        return await output;
    }

    // Beside this project's output: tests/<this>/bin/<configuration>/<tfm> → tests/<invoker>/bin/<configuration>/<tfm>.
    private static string InvokerPath()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = output.Parent!;
        var tests = configuration.Parent!.Parent!.Parent!;
        var path = Path.Combine(tests.FullName, "GracefulDisconnect.Samples.Lambda.Invoker", "bin", configuration.Name, output.Name, "GracefulDisconnect.Samples.Lambda.Invoker.dll");
        return File.Exists(path) ? path : throw new InvalidOperationException($"The invoker was not built at {path}; build this test project (it builds the invoker).");
    }

    private sealed class EventFiles : IDisposable
    {
        private readonly string _folder = Directory.CreateTempSubdirectory("gd-lambda-events-").FullName;
        private int _count;

        public string Write(string json)
        {
            var path = Path.Combine(_folder, $"event-{++_count}.json");
            File.WriteAllText(path, json);
            return path;
        }

        public void Dispose() => Directory.Delete(_folder, recursive: true);
    }
}
