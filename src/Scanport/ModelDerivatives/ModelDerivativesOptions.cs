using System.ComponentModel.DataAnnotations;

namespace Scanport.ModelDerivatives;

/// <summary>The <c>ModelDerivatives</c> configuration section: the converter programs and the limits they run under.</summary>
public sealed class ModelDerivativesOptions
{
    public const string Section = "ModelDerivatives";

    /// <summary>Longest a converter may run on one file before it is killed and the translation fails.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")] public TimeSpan TimeLimit { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Most memory a converter may hold, in MiB (its data segment, <c>RLIMIT_DATA</c>): a hostile file that asks for more
    /// ends the converter, not the host. The data limit, not the address-space one, because web-ifc's WebAssembly
    /// reserves far more address space than it ever writes. At least 512: Node with web-ifc needs about 350 to start.
    /// </summary>
    [Range(512, 1_048_576)] public int MemoryLimitMegabytes { get; set; } = 4096;

    /// <summary>
    /// Largest converted model (assimp's glTF binary, the IFC reader's JSON) the host will load, in MiB: the converter's
    /// memory cap bounds its own memory, this bounds what its output costs the host.
    /// </summary>
    [Range(1, 1_048_576)] public int MaxConvertedMegabytes { get; set; } = 1024;

    /// <summary>assimp's command-line tool (Debian: <c>assimp-utils</c>), which converts the mesh formats to glTF binary.</summary>
    [Required] public string Assimp { get; set; } = "assimp";

    /// <summary>Node.js, which runs the IFC reader.</summary>
    [Required] public string Node { get; set; } = "node";

    /// <summary>
    /// The IFC reader script (<c>tools/ifc/ifc-to-json.mjs</c>, with its <c>node_modules</c> beside it). Null: found
    /// in <c>tools/ifc</c> of the first folder above the app that has one (a checkout or its <c>.build</c> output).
    /// </summary>
    public string? IfcReader { get; set; }
}
