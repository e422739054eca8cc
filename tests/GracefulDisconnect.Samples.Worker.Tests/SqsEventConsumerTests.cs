using Xunit;

namespace GracefulDisconnect.Samples.Worker.Tests;

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
