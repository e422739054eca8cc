using System.Runtime.CompilerServices;

namespace GracefulDisconnect.Sqlite.Tests;

internal static class ThreadPoolSetup
{
    // Microsoft.Data.Sqlite is synchronous under its async API, and a writer waiting for the write lock
    // blocks its thread. Test classes run in parallel on a 2-core machine; without spare threads the pool
    // grows slowly and the background loops under test starve past the 5 s polling bound.
    [ModuleInitializer]
    internal static void Initialize()
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, 32), completionPorts);
    }
}
