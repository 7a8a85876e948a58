using System.ComponentModel.DataAnnotations;

namespace Scanport.Reconstruction;

/// <summary>The <c>Reconstruction</c> configuration section: what the COLMAP pipeline does beside COLMAP.</summary>
public sealed class ReconstructionOptions
{
    public const string Section = "Reconstruction";

    /// <summary>
    /// Registered images decoded and projected at once while the mesh is coloured. Each also uses libvips' own threads
    /// (<c>Media:Images:Concurrency</c>) while it decodes.
    /// </summary>
    [Range(1, 1024)] public int ColoringParallelism { get; set; } = Environment.ProcessorCount;
}
