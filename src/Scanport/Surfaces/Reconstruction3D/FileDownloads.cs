using Scanport.Storage;

namespace Scanport.Surfaces.Reconstruction3D;

/// <summary>A stored object sent whole or as one byte range (206), as an attachment, with this surface's errors.</summary>
internal sealed class StoredFile(IObjectStore store, ObjectInfo info, string downloadName) : IResult
{
    public async Task ExecuteAsync(HttpContext context)
    {
        var outcome = await store.SendAsync(context, info, downloadName);
        if (outcome == ObjectSendOutcome.RangeNotSatisfiable)
            await context.Response.WriteAsJsonAsync(new FastApiError("Requested range not satisfiable"));
        else if (outcome == ObjectSendOutcome.Gone)
            await context.Response.WriteAsJsonAsync(new FastApiError("The file is gone"));
    }
}
