using System.Collections.Concurrent;
using GracefulDisconnect;

namespace GracefulDisconnect.Samples.ConsoleApp;

/// <summary>
/// The engine is not only for devices: "an order went unpaid at checkout; look again in 30 minutes and
/// remind the customer only if it is still unpaid and still the same checkout". The order store plays
/// the part of the device shadow: "connected" means paid.
/// </summary>
internal sealed class UnpaidOrders(TimeProvider time) : IShadowReader
{
    private readonly ConcurrentDictionary<string, ConnectionSnapshot> _orders = new();

    /// <summary>An order went to checkout unpaid: the event to hand the engine.</summary>
    public ConnectionEvent CheckedOut(string orderId) => Record(orderId, paid: false);

    /// <summary>The order was paid: the event to hand the engine (the re-check reads the order book anyway).</summary>
    public ConnectionEvent Paid(string orderId) => Record(orderId, paid: true);

    private ConnectionEvent Record(string orderId, bool paid)
    {
        var now = time.GetUtcNow();
        _orders[orderId] = new ConnectionSnapshot(Connected: paid, ChangedAt: now);
        return new ConnectionEvent(orderId, Connected: paid, At: now);
    }

    public ValueTask<ConnectionSnapshot?> ReadAsync(string thingName, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(_orders.TryGetValue(thingName, out var order) ? order : (ConnectionSnapshot?)null);
}
