using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Scanport.Data;
using Scanport.Events;
using Scanport.Http;
using Scanport.Identity;
using Scanport.Jobs;
using Scanport.Telemetry;

namespace Scanport.Surfaces.Reconstruction3D;

/// <summary>
/// <c>ws://…/ws/jobs/{project_id}</c>: the project's job events as JSON text messages, each with the <c>id</c> of its
/// stored row. The token comes in the <c>Authorization</c> header or the <c>token</c> (or <c>access_token</c>) query
/// parameter; only those who can see the project connect (others get 404 before the upgrade). A client that reconnects
/// with <c>last_event_id</c> (or a <c>Last-Event-ID</c> header) first gets every event after that id; without one it gets
/// the events from its connection on. The first message is <c>{"type":"connected","last_event_id":…}</c>. The events are
/// those Jobs keeps for the project's subject, put in this surface's words as they are read.
/// </summary>
internal static class JobSocket
{
    private const int Batch = 100;

    public static void MapJobSocket(this IEndpointRouteBuilder app, Reconstruction3DOptions options)
    {
        var group = app.MapSurface(options.WebSocketPath, FastApiErrorShape.Instance)
            .WithGroupName("reconstruction")
            .ExcludeFromDescription()
            .RequireAuthorization()
            .RequireRateLimiting(Reconstruction3DApi.GeneralLimit);
        group.Map("/{project_id}", ConnectAsync).WithMetadata(QueryTokenAllowed.Instance);
    }

    private static async Task<IResult> ConnectAsync(
        HttpContext context, [Microsoft.AspNetCore.Mvc.FromRoute(Name = "project_id")] long projectId, Caller caller,
        ReconProjects projects, IServiceScopeFactory scopes, IEventBus bus, IOptions<Reconstruction3DOptions> options, ActiveStreams streams)
    {
        if (!context.WebSockets.IsWebSocketRequest)
            return new ErrorResult(new ApiError(StatusCodes.Status426UpgradeRequired, "Connect with a WebSocket client (ws:// or wss://)", Code: "upgrade_required"));
        var ct = context.RequestAborted;
        var view = await projects.FindAsync(caller, projectId, ct);
        if (view is null) return new ErrorResult(Reconstruction3DErrors.ProjectNotFound);
        var resumeText = context.Request.Query["last_event_id"].FirstOrDefault() ?? context.Request.Headers["Last-Event-ID"].FirstOrDefault();
        long? resumeFrom = null;
        if (resumeText is { Length: > 0 })
        {
            if (!long.TryParse(resumeText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
                return new ErrorResult(Reconstruction3DErrors.Invalid("query.last_event_id", "value is not a valid integer"));
            resumeFrom = parsed;
        }

        var projectGuid = view.Project.Id;
        // Subscribed before reading the last id: nothing published in between is missed.
        using var wake = bus.Subscribe(ReconJobTypes.Subject(projectGuid), capacity: 16);
        var subject = ReconJobTypes.Subject(projectGuid);
        long last;
        using (var scope = scopes.CreateScope())
            last = resumeFrom ?? await scope.ServiceProvider.GetRequiredService<JobEvents>().LatestIdAsync(subject, ct);

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        using var open = streams.Open("reconstruction.jobs");
        using var closed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var receiving = ReceiveUntilClosedAsync(socket, closed);
        try
        {
            // Sends and queries take the request's token, not `closed`: cancelling a send in flight aborts the socket, and a
            // cancelled query may fail with the database's own exception; either way a client that closes at the wrong
            // moment would see a reset instead of the close handshake.
            await SendAsync(socket, $"{{\"type\":\"connected\",\"project_id\":{projectId},\"last_event_id\":{last}}}", ct);
            while (!closed.IsCancellationRequested && socket.State == WebSocketState.Open)
            {
                IReadOnlyList<StoredJobEvent> batch;
                Dictionary<Guid, (long Number, string JobType)> jobs;
                using (var scope = scopes.CreateScope())
                {
                    batch = await scope.ServiceProvider.GetRequiredService<JobEvents>().ReadAfterAsync(subject, last, Batch, ct);
                    var ids = batch.Select(e => e.JobId).Distinct().ToList();
                    jobs = (await scope.ServiceProvider.GetRequiredService<ScanportDb>().Set<ReconJob>().Where(r => ids.Contains(r.JobId))
                        .Select(r => new { r.JobId, r.Number, r.JobType }).ToListAsync(ct)).ToDictionary(r => r.JobId, r => (r.Number, r.JobType));
                }
                foreach (var e in batch)
                {
                    if (closed.IsCancellationRequested) break;
                    if (jobs.TryGetValue(e.JobId, out var job)) await SendAsync(socket, Message(e, job.Number, projectId, job.JobType), ct);
                    last = e.Id;
                }
                if (batch.Count == Batch) continue;
                // Woken by this process's workers at once; events written by workers elsewhere are found by the poll.
                using var poll = CancellationTokenSource.CreateLinkedTokenSource(closed.Token);
                poll.CancelAfter(options.Value.EventPollInterval);
                try
                {
                    await wake.Reader.WaitToReadAsync(poll.Token);
                    while (wake.Reader.TryRead(out _)) { }
                }
                catch (OperationCanceledException) when (!closed.IsCancellationRequested)
                {
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (WebSocketException)
        {
            // The client went away mid-send.
        }
        finally
        {
            await closed.CancelAsync();
            await receiving;
        }
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            // Answers the client's close (or says goodbye when the server stops), without waiting on a client that is gone.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
            }
        }
        return Results.Empty;
    }

    /// <summary>A stored event in this surface's words: its job and project by number, the <c>id</c> first.</summary>
    private static string Message(StoredJobEvent e, long jobNumber, long projectNumber, string jobType)
    {
        var body = JsonSerializer.Serialize(new EventBody(e.Type, jobNumber, projectNumber, jobType, ReconJobStage.StatusOf(e.Type),
            e.Type == "job_completed" ? 100 : e.Progress, ReconJobStage.Of(e.Type, e.Stage), e.Error, e.CreatedAt));
        return $"{{\"id\":{e.Id},{body[1..]}";
    }

    private sealed record EventBody(
        [property: JsonPropertyName("type")] string Type,
        [property: JsonPropertyName("job_id")] long JobId,
        [property: JsonPropertyName("project_id")] long ProjectId,
        [property: JsonPropertyName("job_type")] string JobType,
        [property: JsonPropertyName("status")] string Status,
        [property: JsonPropertyName("progress")] int? Progress,
        [property: JsonPropertyName("stage")] string? Stage,
        [property: JsonPropertyName("error")] string? Error,
        [property: JsonPropertyName("timestamp")] DateTimeOffset Timestamp);

    private static Task SendAsync(WebSocket socket, string json, CancellationToken ct) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, endOfMessage: true, ct);

    /// <summary>Reads (and ignores) what the client sends, so its close frame and pings are handled; cancels the sender when it closes.</summary>
    private static async Task ReceiveUntilClosedAsync(WebSocket socket, CancellationTokenSource closed)
    {
        var buffer = new byte[4096];
        try
        {
            while (!closed.IsCancellationRequested)
            {
                var received = await socket.ReceiveAsync(buffer, closed.Token);
                if (received.MessageType == WebSocketMessageType.Close) break;
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (WebSocketException)
        {
        }
        await closed.CancelAsync();
    }
}
