using GracefulDisconnect.Aws;
using Microsoft.Extensions.DependencyInjection;

namespace GracefulDisconnect.Cli.Sweep;

/// <summary>The real adapters <c>sweep</c> needs, composed the way an application would: fleet index, connectivity reader and, to notify, SNS.</summary>
internal static class SweepServices
{
    public static ServiceProvider Build(SweepInput input)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        var builder = services
            .AddGracefulDisconnect(options => options.GracePeriod = input.Grace)
            .AddAwsIotFleetIndex(options =>
            {
                options.Region = input.Region;
                options.Endpoint = input.IotEndpoint;
                options.PageSize = input.PageSize;
            })
            .AddAwsIotConnectivityReader(options =>
            {
                options.Region = input.Region;
                options.Endpoint = input.IotEndpoint;
            });
        if (input.TopicArn is { } topicArn)
        {
            builder.AddSnsNotifier(options =>
            {
                options.TopicArn = topicArn;
                options.Region = input.Region;
                options.Endpoint = input.SnsEndpoint;
            });
        }

        return services.BuildServiceProvider();
    }
}
