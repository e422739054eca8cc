// The engine reused for a non-IoT "look again later" case, with a notifier of one's own: an order still unpaid
// some time after checkout gets one reminder; an order paid in time gets none.
//
//   dotnet run --project samples/ConsoleApp                      # prints reminders to the console
//   SLACK_WEBHOOK_URL=https://hooks.slack.com/services/... dotnet run --project samples/ConsoleApp
//   GRACE=30m dotnet run --project samples/ConsoleApp            # the real-world grace period
using GracefulDisconnect;
using GracefulDisconnect.Samples.ConsoleApp;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var grace = DurationText.Parse(Environment.GetEnvironmentVariable("GRACE") ?? "3s");
var webhook = Environment.GetEnvironmentVariable("SLACK_WEBHOOK_URL");

var builder = Host.CreateApplicationBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var engine = builder.Services.AddGracefulDisconnect(options =>
{
    options.GracePeriod = grace;
    options.Templates.Subject = "Order {thing} is still unpaid";
    options.Templates.Message = "Order {thing} has been waiting for payment since {offlineSince} ({offlineFor}).";
});

// The order book plays the part of the device registry: at the re-check the engine asks it whether the order is
// still unpaid ("offline") and still the same checkout.
engine.UseShadowReader<UnpaidOrders>().RunDeviceEngine();
if (webhook is null)
{
    engine.AddNotifier<ConsoleNotifier>();
}
else
{
    engine.AddNotifier(new SlackNotifier(new HttpClient(), new Uri(webhook)));
}

using var host = builder.Build();
await host.StartAsync();
var orders = host.Services.GetRequiredService<UnpaidOrders>();
var sink = host.Services.GetRequiredService<IConnectionEventSink>();

// Two checkouts; one is paid at once, one is not.
await sink.RecordAsync([orders.CheckedOut("order-1001"), orders.CheckedOut("order-1002")]);
await sink.RecordAsync([orders.Paid("order-1001")]);
Console.WriteLine($"Two orders checked out; order-1001 paid at once. Waiting {DurationText.Describe(grace)} for order-1002...");

await Task.Delay(grace + TimeSpan.FromSeconds(2));
await host.StopAsync();
Console.WriteLine("Done: only order-1002 got a reminder.");
