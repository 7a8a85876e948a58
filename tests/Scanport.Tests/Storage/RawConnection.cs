using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Scanport.Tests.Storage;

/// <summary>A response as it came off the wire: status, headers (lower-case names), body text.</summary>
internal sealed record RawResponse(int Status, Dictionary<string, string> Headers, string Body)
{
    public bool ClosesConnection => Headers.TryGetValue("connection", out var c) && c.Contains("close", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// HTTP/1.1 over a bare socket, for what HttpClient hides: a body held back behind <c>Expect: 100-continue</c>,
/// and which connection the next request goes out on.
/// </summary>
internal sealed class RawConnection : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private readonly TcpClient _socket = new();
    private NetworkStream _stream = null!;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start, _end;

    public static async Task<RawConnection> OpenAsync(Uri endpoint)
    {
        var connection = new RawConnection();
        await connection._socket.ConnectAsync(endpoint.Host, endpoint.Port);
        connection._stream = connection._socket.GetStream();
        return connection;
    }

    /// <summary>
    /// Sends a request as boto3 does: with <paramref name="expectContinue"/> the body goes out only after
    /// <c>100 Continue</c>, and not at all when a final answer comes first.
    /// </summary>
    public async Task<RawResponse> SendAsync(string method, string path, string host, IEnumerable<(string Name, string Value)> headers,
        byte[] body, bool expectContinue)
    {
        var head = new StringBuilder($"{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: {body.Length}\r\n");
        foreach (var (name, value) in headers) head.Append(name).Append(": ").Append(value).Append("\r\n");
        if (expectContinue) head.Append("Expect: 100-continue\r\n");
        await _stream.WriteAsync(Encoding.ASCII.GetBytes(head.Append("\r\n").ToString()));
        if (!expectContinue)
        {
            await _stream.WriteAsync(body);
            return await ReadFinalAsync();
        }
        var first = await ReadResponseAsync();
        if (first.Status != 100) return first;
        await _stream.WriteAsync(body);
        return await ReadFinalAsync();
    }

    private async Task<RawResponse> ReadFinalAsync()
    {
        var response = await ReadResponseAsync();
        return response.Status == 100 ? await ReadResponseAsync() : response;
    }

    private async Task<RawResponse> ReadResponseAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        var status = await ReadLineAsync(timeout.Token);
        var headers = new Dictionary<string, string>();
        for (var line = await ReadLineAsync(timeout.Token); line.Length > 0; line = await ReadLineAsync(timeout.Token))
        {
            var colon = line.IndexOf(':');
            headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
        }
        var body = new MemoryStream();
        if (headers.TryGetValue("transfer-encoding", out var te) && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            for (var size = ChunkSize(await ReadLineAsync(timeout.Token)); size > 0; size = ChunkSize(await ReadLineAsync(timeout.Token)))
            {
                await ReadBytesAsync(body, size, timeout.Token);
                await ReadLineAsync(timeout.Token);
            }
            await ReadLineAsync(timeout.Token);
        }
        else if (headers.TryGetValue("content-length", out var length))
            await ReadBytesAsync(body, int.Parse(length, CultureInfo.InvariantCulture), timeout.Token);
        return new RawResponse(int.Parse(status.Split(' ')[1], CultureInfo.InvariantCulture), headers, Encoding.UTF8.GetString(body.ToArray()));
    }

    private static int ChunkSize(string line) => int.Parse(line.Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private async Task ReadBytesAsync(MemoryStream into, int count, CancellationToken ct)
    {
        while (count > 0)
        {
            if (_start == _end) await FillAsync(ct);
            var n = Math.Min(count, _end - _start);
            into.Write(_buffer, _start, n);
            (_start, count) = (_start + n, count - n);
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken ct)
    {
        var line = new StringBuilder();
        while (true)
        {
            if (_start == _end) await FillAsync(ct);
            var lf = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            var stop = lf < 0 ? _end : lf;
            line.Append(Encoding.ASCII.GetString(_buffer, _start, stop - _start));
            _start = lf < 0 ? _end : lf + 1;
            if (lf >= 0) return line.ToString().TrimEnd('\r');
        }
    }

    private async Task FillAsync(CancellationToken ct)
    {
        _start = 0;
        _end = await _stream.ReadAsync(_buffer, ct);
        if (_end == 0) throw new IOException("The server closed the connection without announcing it.");
    }

    public void Dispose() => _socket.Dispose();
}
