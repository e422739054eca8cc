namespace GracefulDisconnect.DynamoDb.Tests;

[CollectionDefinition(Name)]
public sealed class DynaliteGroup : ICollectionFixture<DynaliteServer>
{
    // One dynalite for all test classes; each test works in tables of its own.
    public const string Name = "dynalite";
}
