using Xunit;

namespace GracefulDisconnect.Samples.Worker.Tests;

public sealed class SqsEventConsumerTests
{
    [Theory]
    [InlineData(-5, 0)]
    [InlineData(0, 0)]
    [InlineData(0.2, 1)]
    [InlineData(290, 290)]
    [InlineData(2400, 900)]
    public void DelaySeconds_RoundsUpAndCapsAt900(double remainingSeconds, int expected)
        => Assert.Equal(expected, SqsEventConsumer.DelaySeconds(TimeSpan.FromSeconds(remainingSeconds)));

    [Fact]
    public void EventBody_IsTheGenericFormat_AndParsesBackToTheSameTrigger()
    {
        var trigger = new DisconnectTrigger("factory:pump-7", new DateTimeOffset(2026, 1, 1, 0, 0, 0, 451, TimeSpan.Zero), 3);

        var body = SqsEventConsumer.EventBody(trigger);

        Assert.Equal("""{"thing":"factory:pump-7","connected":false,"at":"2026-01-01T00:00:00.451Z","version":3}""", body);
        Assert.Equal(trigger, Aws.ConnectionEventParser.Parse(body).ToTrigger());
    }

    [Fact]
    public async Task PendingRechecks_AfterClose_RunningOnesFinishAndTheirRetriesAreHandedBackToo()
    {
        var pending = new PendingRechecks();
        var a = new DisconnectTrigger("a", DateTimeOffset.UnixEpoch);
        var b = new DisconnectTrigger("b", DateTimeOffset.UnixEpoch);
        pending.Scheduled(a, DateTimeOffset.UnixEpoch.AddMinutes(5));
        pending.Scheduled(b, DateTimeOffset.UnixEpoch.AddMinutes(5));
        Assert.True(pending.TryStart(b));

        var owed = pending.Close();
        var idle = pending.WhenIdleAsync(CancellationToken.None);
        Assert.False(idle.IsCompleted);
        Assert.False(pending.TryStart(a));
        pending.Finished(b, DateTimeOffset.UnixEpoch.AddMinutes(6));

        Assert.Equal([(a, DateTimeOffset.UnixEpoch.AddMinutes(5))], owed);
        Assert.Equal([(b, DateTimeOffset.UnixEpoch.AddMinutes(6))], await idle);
    }
}

public sealed class StartupErrorsTests
{
    [Fact]
    public void Describe_ValidationFailuresOfSeveralSections_NamesEachSection()
    {
        var error = new AggregateException(
            new Microsoft.Extensions.Options.OptionsValidationException("", typeof(WorkerOptions), ["QueueUrl: The QueueUrl field is required."]),
            new Microsoft.Extensions.Options.OptionsValidationException("", typeof(Aws.SnsNotifierOptions), ["TopicArn: The TopicArn field is required."]));

        Assert.Equal(
            ["[Worker] QueueUrl: The QueueUrl field is required.", "[GracefulDisconnect:Sns] TopicArn: The TopicArn field is required."],
            StartupErrors.Describe(error));
        Assert.Empty(StartupErrors.Describe(new InvalidOperationException("not a configuration error")));
    }
}
