namespace GracefulDisconnect.Aws;

/// <summary>The AWS IoT control plane (<c>iot.&lt;region&gt;.amazonaws.com</c>, rest-json, SigV4 name <c>iot</c>): what its clients share.</summary>
internal static class IotControlPlane
{
    public const string SigningName = "iot";
    public const string EndpointVariable = "AWS_ENDPOINT_URL_IOT";

    /// <summary>The regional endpoint; unlike the data plane it is the same for every account.</summary>
    public static Uri DefaultEndpoint(string region, string dnsSuffix) => new($"https://iot.{region}.{dnsSuffix}");

    /// <summary>A JSON request body (rest-json: both operations are POSTs with their members in the body).</summary>
    public static HttpContent JsonBody(byte[] utf8Json)
    {
        var content = new ByteArrayContent(utf8Json);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }
}
