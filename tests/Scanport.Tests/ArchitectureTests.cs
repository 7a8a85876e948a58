using System.Text.RegularExpressions;

namespace Scanport.Tests;

/// <summary>
/// The direction of dependencies DESIGN.md draws: surfaces (the platform API among them) are thin adapters over
/// modules, so no module may name a surface. Read from the sources, so a new file is held to it too.
/// </summary>
public sealed partial class ArchitectureTests
{
    private static readonly string Source = Path.Combine(RepoPaths.Root, "src", "Scanport");

    [Fact]
    public void No_module_imports_a_surface()
    {
        var offenders = ModuleFiles()
            .SelectMany(file => File.ReadLines(file).Select((line, n) => (file, line, n)))
            .Where(x => SurfaceReference().IsMatch(x.line))
            .Select(x => $"{Path.GetRelativePath(Source, x.file)}:{x.n + 1}: {x.line.Trim()}")
            .ToList();

        Assert.True(offenders.Count == 0, "modules naming a surface:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void No_surface_reaches_into_another()
    {
        var surfaces = Directory.GetDirectories(Path.Combine(Source, "Surfaces")).Select(d => (Folder: d, Namespace: "Scanport.Surfaces." + Path.GetFileName(d))).ToList();
        Assert.True(surfaces.Count >= 5, "the surfaces were not found");
        var offenders = surfaces.SelectMany(surface => Directory.EnumerateFiles(surface.Folder, "*.cs", SearchOption.AllDirectories)
                .SelectMany(file => File.ReadLines(file).Select((line, n) => (file, line, n)))
                .Where(x => SurfaceReference().Matches(x.line).Any(m => !surface.Namespace.StartsWith(m.Value, StringComparison.Ordinal)
                    && !m.Value.StartsWith(surface.Namespace, StringComparison.Ordinal)))
                .Select(x => $"{Path.GetRelativePath(Source, x.file)}:{x.n + 1}: {x.line.Trim()}"))
            .ToList();

        Assert.True(offenders.Count == 0, "surfaces naming another surface:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void Data_names_no_other_module()
    {
        // The context finds each module's entity configurations in the assembly; each module names its own sets.
        var offenders = ModuleFiles().Where(f => Path.GetRelativePath(Source, f).StartsWith("Data", StringComparison.Ordinal))
            .SelectMany(file => File.ReadLines(file).Select((line, n) => (file, line, n)))
            .Where(x => ModuleReference().Matches(x.line).Any(m => m.Groups[1].Value != "Data"))
            .Select(x => $"{Path.GetRelativePath(Source, x.file)}:{x.n + 1}: {x.line.Trim()}")
            .ToList();

        Assert.True(offenders.Count == 0, "Data naming another module:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void The_dependency_table_in_docs_is_what_the_sources_use()
    {
        var documented = DocumentedDependencies();
        var modules = Directory.GetDirectories(Source).Select(Path.GetFileName).OfType<string>()
            .Where(d => d is not ("Surfaces" or "bin" or "obj")).ToList();
        var wrong = new List<string>();
        foreach (var module in modules)
        {
            var used = Directory.EnumerateFiles(Path.Combine(Source, module), "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                .SelectMany(File.ReadLines).SelectMany(line => ModuleReference().Matches(line).Select(m => m.Groups[1].Value))
                .Where(m => m != module && modules.Contains(m)).ToHashSet();
            if (!documented.TryGetValue(module, out var said))
                wrong.Add($"{module}: no row in docs/architecture.md");
            else if (!used.SetEquals(said))
                wrong.Add($"{module}: the sources use [{string.Join(", ", used.Order())}], the table says [{string.Join(", ", said.Order())}]");
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    /// <summary>The rows of the table in docs/architecture.md: module (description) | the modules it uses.</summary>
    private static Dictionary<string, HashSet<string>> DocumentedDependencies() =>
        File.ReadLines(Path.Combine(RepoPaths.Root, "docs", "architecture.md"))
            .Select(line => TableRow().Match(line)).Where(m => m.Success)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.Split(',')
                .Select(u => u.Trim()).Where(u => u.Length > 0 && char.IsAsciiLetterUpper(u[0])).Select(u => u.Split(' ')[0]).ToHashSet());

    [Fact]
    public void The_check_sees_module_files()
    {
        var files = ModuleFiles().Select(f => Path.GetRelativePath(Source, f).Replace('\\', '/')).ToList();
        Assert.Contains("Identity/Permissions.cs", files);
        Assert.Contains("Data/ScanportDb.cs", files);
        Assert.DoesNotContain(files, f => f.StartsWith("Surfaces/", StringComparison.Ordinal));
    }

    /// <summary>Every source file of a module: not a surface, not the table of contents, not generated migrations.</summary>
    private static IEnumerable<string> ModuleFiles() =>
        Directory.EnumerateFiles(Source, "*.cs", SearchOption.AllDirectories)
            .Where(f =>
            {
                var relative = Path.GetRelativePath(Source, f).Replace('\\', '/');
                return !relative.StartsWith("Surfaces/", StringComparison.Ordinal)
                    && !relative.StartsWith("bin/", StringComparison.Ordinal) && !relative.StartsWith("obj/", StringComparison.Ordinal)
                    && !relative.Contains("/Migrations/", StringComparison.Ordinal) && relative != "Program.cs";
            });

    [GeneratedRegex(@"\bScanport\.Surfaces(\.[A-Za-z0-9]+)?\b")]
    private static partial Regex SurfaceReference();

    [GeneratedRegex(@"^\| ([A-Z][A-Za-z0-9]+) \([^|]*\) \| ([^|]*) \|$")]
    private static partial Regex TableRow();

    [GeneratedRegex(@"\bScanport\.([A-Z][A-Za-z0-9]+)\b")]
    private static partial Regex ModuleReference();
}
