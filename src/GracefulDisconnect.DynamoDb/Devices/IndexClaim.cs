using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using static GracefulDisconnect.DynamoDb.AttributeValues;

namespace GracefulDisconnect.DynamoDb;

/// <summary>
/// Claims due items through a sparse index whose range key starts with the time an item may next be taken: a due
/// wake (<see cref="DynamoDbTableLayout.WakeKey"/>) or a message's next attempt (<see cref="DynamoDbTableLayout.DeliveryKey"/>).
/// A claim is a conditional update of the item in the table that moves its key to the lease's end, on condition
/// that the key is still the one the index showed: of two claimers that saw the same item exactly one wins, and a
/// claim held by a process that died becomes due again when its lease ends, with no clean-up. The index is read
/// eventually consistent; a stale entry only costs a failed condition.
/// </summary>
internal sealed class IndexClaim(IAmazonDynamoDB client, string table, int concurrency)
{
    // A few more candidates than asked for, so a race lost to another claimer is made up from the same page.
    private const int Overshoot = 8;

    /// <param name="index">The index.</param>
    /// <param name="hashName">Its hash key attribute.</param>
    /// <param name="hashValue">The partition to claim from.</param>
    /// <param name="rangeName">Its range key attribute.</param>
    /// <param name="now">Items whose key's time is at or before this are due.</param>
    /// <param name="max">The most items to claim.</param>
    /// <param name="leasedKey">The key a claimed item gets (from its table key and the key the index showed).</param>
    /// <param name="returnValues">What the claiming update returns.</param>
    /// <param name="cancellationToken">Cancels the claim.</param>
    /// <returns>The claimed items in index order: their table key and what the update returned.</returns>
    public async Task<List<(string Key, Dictionary<string, AttributeValue>? Attributes)>> ClaimAsync(
        string index, string hashName, string hashValue, string rangeName, DateTimeOffset now, int max, Func<string, string, string> leasedKey, ReturnValue returnValues, CancellationToken cancellationToken)
    {
        var claimed = new List<(string Key, Dictionary<string, AttributeValue>? Attributes)>(max);
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await client.QueryAsync(
                new QueryRequest
                {
                    TableName = table,
                    IndexName = index,
                    KeyConditionExpression = "#hash = :hash AND #range < :bound",
                    ExpressionAttributeNames = new Dictionary<string, string>(StringComparer.Ordinal) { ["#hash"] = hashName, ["#range"] = rangeName },
                    ExpressionAttributeValues = new Dictionary<string, AttributeValue>(StringComparer.Ordinal) { [":hash"] = S(hashValue), [":bound"] = S(SortKey.DueBound(now)) },
                    Limit = Math.Min(max - claimed.Count + Overshoot, 1000),
                    ExclusiveStartKey = start,
                },
                cancellationToken).ConfigureAwait(false);
            start = page.LastEvaluatedKey is { Count: > 0 } next ? next : null;
            var candidates = page.Items ?? [];
            for (var taken = 0; taken < candidates.Count && claimed.Count < max;)
            {
                var batch = candidates.Skip(taken).Take(max - claimed.Count).ToArray();
                taken += batch.Length;
                var results = new (string Key, Dictionary<string, AttributeValue>? Attributes, bool Won)[batch.Length];
                await Parallel.ForAsync(
                    0,
                    batch.Length,
                    new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
                    async (i, token) => results[i] = await TryClaimAsync(batch[i], rangeName, leasedKey, returnValues, token).ConfigureAwait(false)).ConfigureAwait(false);
                claimed.AddRange(results.Where(static r => r.Won).Select(static r => (r.Key, r.Attributes)));
            }
        }
        while (start is not null && claimed.Count < max);

        return claimed;
    }

    private async Task<(string Key, Dictionary<string, AttributeValue>? Attributes, bool Won)> TryClaimAsync(
        Dictionary<string, AttributeValue> candidate, string rangeName, Func<string, string, string> leasedKey, ReturnValue returnValues, CancellationToken cancellationToken)
    {
        var key = candidate[DynamoDbTableLayout.PartitionKey].S;
        var seen = candidate[rangeName].S;
        try
        {
            var response = await client.UpdateItemAsync(
                new UpdateItemRequest
                {
                    TableName = table,
                    Key = Key(key),
                    UpdateExpression = "SET #range = :leased",
                    ConditionExpression = "#range = :seen",
                    ExpressionAttributeNames = new Dictionary<string, string>(StringComparer.Ordinal) { ["#range"] = rangeName },
                    ExpressionAttributeValues = new Dictionary<string, AttributeValue>(StringComparer.Ordinal) { [":leased"] = S(leasedKey(key, seen)), [":seen"] = S(seen) },
                    ReturnValues = returnValues,
                },
                cancellationToken).ConfigureAwait(false);
            return (key, response.Attributes, true);
        }
        catch (ConditionalCheckFailedException)
        {
            return (key, null, false);
        }
    }
}
