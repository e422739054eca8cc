using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GracefulDisconnect.Cli.Tests.Support;

namespace GracefulDisconnect.Cli.Tests.Run;

/// <summary>
/// <c>run --config</c> with a signed-webhook channel posting to a loopback receiver: an outage is delivered there,
/// signed with the configured secret; the environment overrides the file and the command line overrides both.
/// </summary>
public sealed class RunConfigWebhookTests
{
    private const string Secret = "0123456789abcdef-test-secret";

    [Fact]
    public async Task Config_SignedWebhook_OutageDeliveredSigned_EnvironmentAndFlagsOverrideTheFile()
    {
        using var receiver = new WebhookReceiver();
        await using var workspace = new RunWorkspace();
        var config = Path.Combine(workspace.Folder, "gracefuldisconnect.json");

        // The file's grace (1h) is overridden by --grace 2s; "slow" gets 1h from the environment, written as a duration.
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            GracefulDisconnect = new
            {
                GracePeriod = "1h",
                Store = new { Path = workspace.StorePath },
                Webhook = new { Url = receiver.Url, Secret },
            },
        }));
        workspace.Environment["GracefulDisconnect__GracePeriodOverrides__slow"] = "1h";
        var run = workspace.StartRaw("run", "--config", config, "--grace", RunWorkspace.Grace);

        // "slow" goes down first: with the override ignored its re-check would come due first.
        var now = RunWorkspace.Now();
        await run.WriteLinesAsync(RunWorkspace.Down("slow", now), RunWorkspace.Down("fast", now));
        await RunWorkspace.UntilAsync(() => !receiver.Requests.IsEmpty || run.HasExited, () => $"the webhook to be called\n{run}");

        Assert.False(run.HasExited, run.ToString());
        var request = Assert.Single(receiver.Requests);
        Assert.Equal("POST", request.Method);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Contains("\"fast\"", Encoding.UTF8.GetString(request.Body), StringComparison.Ordinal);
        Assert.DoesNotContain("\"slow\"", Encoding.UTF8.GetString(request.Body), StringComparison.Ordinal);

        // The receiver's check, written independently of the library: HMAC-SHA256 of "<timestamp>.<body>".
        var timestamp = request.Headers["X-GracefulDisconnect-Timestamp"];
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), (byte[])[.. Encoding.UTF8.GetBytes(timestamp + "."), .. request.Body]));
        Assert.Equal(expected, request.Headers["X-GracefulDisconnect-Signature"]);

        // Nothing goes to standard output when a channel is configured, and the secret is never printed.
        Assert.Equal(string.Empty, run.StdOut);
        Assert.DoesNotContain(Secret, run.StdErr, StringComparison.Ordinal);
    }
}
