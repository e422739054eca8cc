using System.Globalization;
using GracefulDisconnect.Aws.Tests.Check;
using GracefulDisconnect.Testing.Aws;
using Xunit;

namespace GracefulDisconnect.Aws.Tests.Run;

/// <summary>
/// <c>run --topic-arn</c>, the name <c>check</c> and <c>sweep</c> use, publishes each outage to SNS through the same
/// environment (credentials, region, endpoint override) as <c>check</c>; <c>--sns-topic</c>, run's old name, still works
/// and is no longer shown in the help.
/// </summary>
[Collection(CheckEnvironmentGroup.Name)]
public sealed class RunTopicArnTests(CheckEnvironmentFixture environment) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gd-run-sns-").FullName;

    [Theory]
    [InlineData("--topic-arn")]
    [InlineData("--sns-topic")]
    public async Task Run_TopicOption_PublishesTheOutageToThatTopicOnce(string option)
    {
        var sns = environment.Sns;
        var topic = sns.CreateTopic($"run-offline-{option.TrimStart('-')}");
        var thing = $"pump-{Guid.NewGuid():N}"[..13];
        var input = Path.Combine(_folder, "events.jsonl");
        var offlineSince = DateTimeOffset.UtcNow.AddHours(-1);
        await File.WriteAllTextAsync(input, $$"""{"thing":"{{thing}}","connected":false,"at":"{{offlineSince.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)}}"}""" + "\n");

        var run = await CliRun.RunAsync("run", "--input", input, "--grace", "5m", "--store", Path.Combine(_folder, "store.db"), option, topic, "--exit-when-idle");

        Assert.True(run.ExitCode == 0, run.Error);
        var published = Assert.Single(sns.Published, message => message.TopicArn == topic);
        Assert.Equal(thing, published.Attributes["thing"]);
    }

    [Fact]
    public async Task Run_Help_ShowsTopicArnAndHidesTheOldName()
    {
        var run = await CliRun.RunAsync("run", "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("--topic-arn <arn>", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("--sns-topic", run.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
