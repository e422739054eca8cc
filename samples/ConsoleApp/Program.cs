// The shortest real program using GracefulDisconnect: a custom Slack notifier, and the engine reused
// for a non-IoT "look again later" case — an order still unpaid some time after checkout.
//
//   dotnet run --project samples/ConsoleApp                      # prints reminders to the console
//   SLACK_WEBHOOK_URL=https://hooks.slack.com/services/... dotnet run --project samples/ConsoleApp
//   GRACE=30m dotnet run --project samples/ConsoleApp            # the real-world grace period
using GracefulDisconnect;
using GracefulDisconnect.Samples.ConsoleApp;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

var grace = DurationText.Parse(Environment.GetEnvironmentVariable("GRACE") ?? "3s");
var webhook = Environment.GetEnvironmentVariable("SLACK_WEBHOOK_URL");

var services = new ServiceCollection().AddLogging(logging => logging.AddConsole().SetMinimumLevel(LogLevel.Warning));
var builder = services.AddGracefulDisconnect(options =>
{
    options.GracePeriod = grace;
    options.SubjectTemplate = "Order {thing} is still unpaid";
    options.MessageTemplate = "Order {thing} has been waiting for payment since {offlineSince} ({offlineFor}).";
});
builder.UseShadowReader<UnpaidOrders>();
if (webhook is null)
{
    builder.AddNotifier<ConsoleNotifier>();
}
else
{
    services.AddHttpClient();
    builder.AddNotifier(new SlackNotifier(new HttpClient(), new Uri(webhook)));
}

await using var provider = services.BuildServiceProvider(validateScopes: true);
var orders = provider.GetRequiredService<UnpaidOrders>();
var monitor = provider.GetRequiredService<DisconnectMonitor>();

// Two checkouts; one is paid in time, one is not.
await monitor.OnDisconnectAsync(orders.CheckedOut("order-1001"));
await monitor.OnDisconnectAsync(orders.CheckedOut("order-1002"));
orders.Paid("order-1001");
Console.WriteLine($"Two orders checked out; order-1001 paid at once. Waiting {DurationText.Format(grace)} for order-1002...");

await Task.Delay(grace + TimeSpan.FromSeconds(1));
Console.WriteLine("Done: only order-1002 got a reminder.");
