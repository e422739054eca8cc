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

    public DisconnectTrigger CheckedOut(string orderId)
    {
        var now = time.GetUtcNow();
        _orders[orderId] = new ConnectionSnapshot(Connected: false, ChangedAt: now);
        return new DisconnectTrigger(orderId, now);
    }

    public void Paid(string orderId) => _orders[orderId] = new ConnectionSnapshot(Connected: true, ChangedAt: time.GetUtcNow());

    public ValueTask<ConnectionSnapshot?> ReadAsync(string thingName, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(_orders.TryGetValue(thingName, out var order) ? order : (ConnectionSnapshot?)null);
}
