namespace Scanport.PointClouds;

/// <summary>Which side of the equator a UTM zone lies on.</summary>
public enum UtmHemisphere
{
    North,
    South,
}

/// <summary>A UTM zone: its number (1–60) and hemisphere.</summary>
public readonly record struct UtmZone
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for a number outside 1–60.</summary>
    public UtmZone(int number, UtmHemisphere hemisphere)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(number, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(number, 60);
        Number = number;
        Hemisphere = hemisphere;
    }

    public int Number { get; }

    public UtmHemisphere Hemisphere { get; }

    /// <summary>"32N", "56S".</summary>
    public override string ToString() => $"{Number}{(Hemisphere == UtmHemisphere.North ? 'N' : 'S')}";

    /// <summary>
    /// The UTM zone an EPSG code names, for the codes handled here: 32601–32660 (WGS 84 / UTM north), 32701–32760
    /// (WGS 84 / UTM south) and 26901–26923 (NAD83 / UTM north, treated as WGS 84: the datums differ by about a metre,
    /// far below what a point cloud's centre needs). Null for any other code, including other UTM variants.
    /// </summary>
    public static UtmZone? FromEpsg(int epsg) => epsg switch
    {
        >= 32601 and <= 32660 => new UtmZone(epsg - 32600, UtmHemisphere.North),
        >= 32701 and <= 32760 => new UtmZone(epsg - 32700, UtmHemisphere.South),
        >= 26901 and <= 26923 => new UtmZone(epsg - 26900, UtmHemisphere.North),
        _ => null,
    };
}

/// <summary>A WGS 84 position in decimal degrees.</summary>
public readonly record struct GeoPosition(double Latitude, double Longitude);
