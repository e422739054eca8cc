using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace GracefulDisconnect.Cli.Tests.Run.Http;

/// <summary>A free loopback port, and an HTTP client for the status page of a <c>run</c> child process.</summary>
internal static class StatusTestSupport
{
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static HttpClient Client(int port, string? token = null)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>Waits until the page answers (the process is starting), or fails with what the process said.</summary>
    public static async Task UntilServingAsync(HttpClient client, Func<string> what)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                using var response = await client.GetAsync("healthz");
                return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < until)
            {
                await Task.Delay(100);
            }
            catch (HttpRequestException exception)
            {
                Assert.Fail($"the status page never answered: {exception.Message}\n{what()}");
            }
        }
    }
}
