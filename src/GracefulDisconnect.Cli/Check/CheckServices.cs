using GracefulDisconnect.Aws;
using Microsoft.Extensions.DependencyInjection;

namespace GracefulDisconnect.Cli.Check;

/// <summary>The real adapters, composed the way an application would, from the command line's options.</summary>
internal static class CheckServices
{
    public static ServiceProvider Build(CheckInput input)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        var builder = services.AddGracefulDisconnect(options => options.GracePeriod = input.Grace);
        if (input.Source == CheckSource.Connectivity)
        {
            builder.AddAwsIotConnectivityReader(options =>
            {
                options.Region = input.Region;
                options.Endpoint = input.IotEndpoint;
            });
        }
        else
        {
            builder.AddAwsIotShadowReader(options =>
            {
                options.Region = input.Region;
                options.Endpoint = input.IotEndpoint;
                options.ShadowName = input.ShadowName;
            });
        }

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
