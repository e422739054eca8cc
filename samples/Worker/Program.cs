// GracefulDisconnect as a long-running service: IoT rule → SQS queue → this worker → Device Shadow → SNS.
//
//   dotnet run --project samples/Worker                     # reads appsettings.json, then environment variables
//   Worker__QueueUrl=https://sqs... GracefulDisconnect__Sns__TopicArn=arn:aws:sns:... dotnet run --project samples/Worker
//
// Under systemd (gracefuldisconnect-worker.service) it reports readiness and stops gracefully on SIGTERM.
using GracefulDisconnect.Samples.Worker;
using Microsoft.Extensions.Hosting;

var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddGracefulDisconnectWorker(builder.Configuration);
using var host = builder.Build();
try
{
    await host.RunAsync();
    return 0;
}
catch (Exception exception) when (StartupErrors.Describe(exception) is { Count: > 0 } errors)
{
    await Console.Error.WriteLineAsync("The configuration is invalid (appsettings.json, environment variables, command line):");
    foreach (var error in errors)
    {
        await Console.Error.WriteLineAsync("  " + error);
    }

    return StartupErrors.ConfigurationExitCode;
}
catch (GracefulDisconnect.DeviceStoreException exception)
{
    // The folder of the store is missing, the file is in use by another worker, the database refuses us...: one line.
    await Console.Error.WriteLineAsync($"The store could not be used (Worker:Store): {exception.Message}");
    return StartupErrors.StoreExitCode;
}
