using System.Globalization;
using System.Security;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Scanport.Storage.Embedded;

/// <summary>The XML documents of the S3 REST API that the embedded endpoint writes and reads.</summary>
internal static class S3Xml
{
    private const string Ns = "http://s3.amazonaws.com/doc/2006-03-01/";

    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string ListObjectsV2(string bucket, string prefix, string? delimiter, int maxKeys, string? continuationToken,
        string? startAfter, bool urlEncode, ObjectListing listing)
    {
        string E(string s) => Escape(urlEncode ? SigV4.UriEncode(s, keepSlash: true) : s);
        var sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.Append($"<ListBucketResult xmlns=\"{Ns}\"><Name>{Escape(bucket)}</Name><Prefix>{E(prefix)}</Prefix>");
        sb.Append($"<KeyCount>{listing.Objects.Count + listing.CommonPrefixes.Count}</KeyCount><MaxKeys>{maxKeys}</MaxKeys>");
        if (delimiter is not null) sb.Append($"<Delimiter>{E(delimiter)}</Delimiter>");
        if (urlEncode) sb.Append("<EncodingType>url</EncodingType>");
        sb.Append($"<IsTruncated>{(listing.NextContinuationToken is null ? "false" : "true")}</IsTruncated>");
        if (continuationToken is not null) sb.Append($"<ContinuationToken>{Escape(continuationToken)}</ContinuationToken>");
        if (listing.NextContinuationToken is not null) sb.Append($"<NextContinuationToken>{Escape(listing.NextContinuationToken)}</NextContinuationToken>");
        if (startAfter is not null) sb.Append($"<StartAfter>{E(startAfter)}</StartAfter>");
        foreach (var o in listing.Objects)
            sb.Append($"<Contents><Key>{E(o.Key)}</Key><LastModified>{Time(o.LastModified)}</LastModified><ETag>{Escape(o.ETag)}</ETag><Size>{o.Size}</Size><StorageClass>STANDARD</StorageClass></Contents>");
        foreach (var p in listing.CommonPrefixes) sb.Append($"<CommonPrefixes><Prefix>{E(p)}</Prefix></CommonPrefixes>");
        return sb.Append("</ListBucketResult>").ToString();
    }

    public static string InitiateMultipartUpload(string bucket, string key, string uploadId) =>
        $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<InitiateMultipartUploadResult xmlns=\"{Ns}\"><Bucket>{Escape(bucket)}</Bucket><Key>{Escape(key)}</Key><UploadId>{uploadId}</UploadId></InitiateMultipartUploadResult>";

    public static string CompleteMultipartUpload(Uri? location, string bucket, string key, string etag) =>
        $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CompleteMultipartUploadResult xmlns=\"{Ns}\"><Location>{Escape(location?.ToString() ?? "")}</Location><Bucket>{Escape(bucket)}</Bucket><Key>{Escape(key)}</Key><ETag>{Escape(etag)}</ETag></CompleteMultipartUploadResult>";

    public static string CopyObjectResult(ObjectInfo copy) =>
        $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CopyObjectResult xmlns=\"{Ns}\"><LastModified>{Time(copy.LastModified)}</LastModified><ETag>{Escape(copy.ETag)}</ETag></CopyObjectResult>";

    public static string ListParts(MultipartUpload upload, int marker, int maxParts)
    {
        var parts = upload.Parts.Where(p => p.PartNumber > marker).OrderBy(p => p.PartNumber).ToList();
        var page = parts.Take(maxParts).ToList();
        var truncated = parts.Count > page.Count;
        var sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.Append($"<ListPartsResult xmlns=\"{Ns}\"><Bucket>{Escape(upload.Bucket)}</Bucket><Key>{Escape(upload.Key)}</Key><UploadId>{upload.UploadId}</UploadId>");
        sb.Append($"<PartNumberMarker>{marker}</PartNumberMarker><NextPartNumberMarker>{(page.Count > 0 ? page[^1].PartNumber : marker)}</NextPartNumberMarker>");
        sb.Append($"<MaxParts>{maxParts}</MaxParts><IsTruncated>{(truncated ? "true" : "false")}</IsTruncated><StorageClass>STANDARD</StorageClass>");
        foreach (var p in page)
            sb.Append($"<Part><PartNumber>{p.PartNumber}</PartNumber><LastModified>{Time(p.LastModified)}</LastModified><ETag>{Escape(p.ETag)}</ETag><Size>{p.Size}</Size></Part>");
        return sb.Append("</ListPartsResult>").ToString();
    }

    public static string DeleteResult(IEnumerable<string> deleted, IEnumerable<(string Key, S3Error Error)> errors, bool quiet)
    {
        var sb = new StringBuilder($"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DeleteResult xmlns=\"{Ns}\">");
        if (!quiet) foreach (var key in deleted) sb.Append($"<Deleted><Key>{Escape(key)}</Key></Deleted>");
        foreach (var (key, error) in errors) sb.Append($"<Error><Key>{Escape(key)}</Key><Code>{error.Code}</Code><Message>{Escape(error.Message)}</Message></Error>");
        return sb.Append("</DeleteResult>").ToString();
    }

    public static string Location(string region) =>
        $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<LocationConstraint xmlns=\"{Ns}\">{Escape(region)}</LocationConstraint>";

    /// <summary>The most parts a CompleteMultipartUpload may list, and keys a DeleteObjects may name (S3's limits).</summary>
    public const int MaxParts = 10_000, MaxDeleteKeys = 1_000;

    // These documents go 3 levels deep (Delete/Object/Key and its text); anything much deeper is not one of them.
    private const int MaxDepth = 8;

    // Room for every element S3 allows in an item (a Part's ETag, PartNumber and five checksums), per item.
    private const int ElementsPerItem = 8;

    /// <summary>The parts of a CompleteMultipartUpload body, or null when it is not that document.</summary>
    public static List<(int Number, string ETag)>? ParseCompleteParts(string xml) =>
        Parse(xml, "CompleteMultipartUpload", MaxParts)?.Elements().Where(e => e.Name.LocalName == "Part").Select(p =>
        (int.TryParse(Child(p, "PartNumber"), out var n) ? n : -1, Child(p, "ETag") ?? "")).ToList();

    /// <summary>The keys of a DeleteObjects body and its Quiet flag.</summary>
    public static (List<string> Keys, bool Quiet)? ParseDelete(string xml)
    {
        var root = Parse(xml, "Delete", MaxDeleteKeys);
        if (root is null) return null;
        var keys = root.Elements().Where(e => e.Name.LocalName == "Object").Select(o => Child(o, "Key") ?? "").ToList();
        return (keys, Child(root, "Quiet") == "true");
    }

    private static XElement? Parse(string xml, string rootName, int maxItems)
    {
        // No DTDs: a request body must not be able to expand entities.
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        try
        {
            // A first pass that only counts, stopping at the first element too deep or too many: loaded as a tree,
            // 700 KB of nesting took 20 CPU-seconds (the cost grows with the square of the depth), and a flood of
            // elements costs memory, so neither is loaded.
            using (var scan = XmlReader.Create(new StringReader(xml), settings))
            {
                var elements = 0;
                while (scan.Read())
                    if (scan.NodeType == XmlNodeType.Element && (scan.Depth > MaxDepth || ++elements > maxItems * ElementsPerItem + ElementsPerItem))
                        return null;
            }
            using var reader = XmlReader.Create(new StringReader(xml), settings);
            var root = XDocument.Load(reader).Root;
            return root?.Name.LocalName == rootName ? root : null;
        }
        catch (XmlException)
        {
            return null;
        }
    }

    private static string? Child(XElement e, string name) => e.Elements().FirstOrDefault(c => c.Name.LocalName == name)?.Value;

    private static string Escape(string s) => SecurityElement.Escape(s);
}
