using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Scanport.Tests;

internal static class JsonAssert
{
    /// <summary>Asserts the status code and returns the JSON body, showing the body when the status is wrong.</summary>
    public static async Task<JsonElement> Status(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object body) =>
        client.PostAsJsonAsync(url, body);

    /// <summary>Posts raw text as JSON, for bodies a serializer would never write.</summary>
    public static Task<HttpResponseMessage> PostRawAsync(this HttpClient client, string url, string json) =>
        client.PostAsync(url, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

    public static string[] Reasons(this JsonElement details, string field) =>
        details.GetProperty(field).EnumerateArray().Select(r => r.GetString()!).ToArray();
}
