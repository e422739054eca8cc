using GracefulDisconnect.Testing.Stores;

namespace GracefulDisconnect.Tests.Stores;

/// <summary>The in-memory store against the conformance suite every store runs.</summary>
public sealed class InMemoryDeviceStoreConformanceTests : DeviceStoreConformanceTests
{
    protected override Task<IDeviceStore> CreateStoreAsync() => Task.FromResult<IDeviceStore>(new InMemoryDeviceStore());
}
