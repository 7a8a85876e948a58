using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Scanport.Data;

/// <summary>
/// Marks a text column whose order must be the bytes' order whatever the database's locale (object keys, which S3
/// lists byte-wise). Each database subclass says how (<see cref="ScanportDb.UseBytewiseOrder"/>), so the modules that
/// own such columns need not know which database runs.
/// </summary>
public static class BytewiseOrder
{
    internal const string Annotation = "Scanport:BytewiseOrder";

    public static PropertyBuilder<string> SortsBytewise(this PropertyBuilder<string> property) =>
        property.HasAnnotation(Annotation, true);

    /// <summary>The marked properties, with the mark taken off (it is not part of the schema).</summary>
    internal static IEnumerable<IMutableProperty> TakeMarked(IMutableModel model)
    {
        var marked = model.GetEntityTypes().SelectMany(e => e.GetDeclaredProperties())
            .Where(p => p.FindAnnotation(Annotation) is not null).ToList();
        foreach (var property in marked) property.RemoveAnnotation(Annotation);
        return marked;
    }
}
