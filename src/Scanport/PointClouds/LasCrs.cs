namespace Scanport.PointClouds;

/// <summary>
/// The coordinate reference system a LAS file declares, from its GeoTIFF key directory (user "LASF_Projection",
/// record 34735, with 34736/34737 for doubles and text) or its OGC WKT record (record 2112). Only EPSG codes and
/// units are read; a user-defined system (GeoTIFF code 32767) has no EPSG code, and its parameters are not interpreted.
/// </summary>
/// <param name="ProjectedEpsg">ProjectedCSTypeGeoKey (3072), or the id of a WKT PROJCS/PROJCRS.</param>
/// <param name="GeographicEpsg">GeographicTypeGeoKey (2048), or the id of a WKT GEOGCS/GEOGCRS.</param>
/// <param name="VerticalEpsg">VerticalCSTypeGeoKey (4096), or the id of a WKT VERT_CS/VERTCRS.</param>
/// <param name="LinearUnits">The horizontal unit: "metre", "foot", "US survey foot", or the name the file gives.</param>
/// <param name="MetresPerUnit">Metres per horizontal unit when known (0.3048006096012192 for the US survey foot).</param>
/// <param name="Citation">A human-readable name from the GeoTIFF citation keys (3073, 1026, 2049), when present.</param>
/// <param name="Wkt">The WKT text, when the file has the WKT record.</param>
public sealed record LasCrs(
    int? ProjectedEpsg,
    int? GeographicEpsg,
    int? VerticalEpsg,
    string? LinearUnits,
    double? MetresPerUnit,
    string? Citation,
    string? Wkt)
{
    /// <summary>The horizontal EPSG code: the projected one, else the geographic one.</summary>
    public int? Epsg => ProjectedEpsg ?? GeographicEpsg;

    /// <summary>The US survey foot in metres (1200/3937).</summary>
    public const double UsSurveyFoot = 1200.0 / 3937.0;

    /// <summary>The international foot in metres.</summary>
    public const double InternationalFoot = 0.3048;

    /// <summary>Fills what this one lacks from <paramref name="other"/> (GeoTIFF keys first, WKT second).</summary>
    internal LasCrs Or(LasCrs? other) => other is null ? this : new(
        ProjectedEpsg ?? other.ProjectedEpsg,
        GeographicEpsg ?? other.GeographicEpsg,
        VerticalEpsg ?? other.VerticalEpsg,
        LinearUnits ?? other.LinearUnits,
        MetresPerUnit ?? other.MetresPerUnit,
        Citation ?? other.Citation,
        Wkt ?? other.Wkt);

    /// <summary>Names and sizes of the EPSG linear units LAS files use.</summary>
    internal static (string Name, double? Metres) EpsgUnit(int code) => code switch
    {
        9001 => ("metre", 1.0),
        9002 => ("foot", InternationalFoot),
        9003 => ("US survey foot", UsSurveyFoot),
        9036 => ("kilometre", 1000.0),
        _ => ($"EPSG unit {code}", null),
    };
}
