using ProjNet.CoordinateSystems;
using ProjNet.CoordinateSystems.Transformations;

namespace Scanport.PointClouds;

/// <summary>Where a point cloud's centre lies on the globe, and which UTM zone placed it there.</summary>
/// <param name="Position">The centre of the header's bounds in WGS 84.</param>
/// <param name="Zone">The UTM zone the coordinates were read in.</param>
/// <param name="ZoneFromCrs">True when the zone came from the file's own CRS, false when it was the caller's.</param>
public sealed record UtmPlacement(GeoPosition Position, UtmZone Zone, bool ZoneFromCrs);

/// <summary>
/// Turns UTM coordinates into WGS 84 latitude and longitude with ProjNET. Supported: the 60 WGS 84 UTM zones of
/// either hemisphere, coordinates in metres or (when the file's CRS says so) in US survey or international feet.
/// Not supported: any other projection. ProjNET has no EPSG database, so a file in a State Plane, Lambert or national
/// grid (the autzen sample is in Oregon State Plane, feet) cannot be placed from its own CRS; for those the caller's
/// zone is used, which is only right when the caller knows the file is really in that zone.
/// </summary>
public static class UtmCoordinates
{
    private static readonly CoordinateTransformationFactory Transformations = new();

    /// <summary>
    /// WGS 84 latitude and longitude of a UTM easting and northing, in metres (northings in the south count from
    /// the 10,000 km false northing). Coordinates far outside the zone give meaningless or non-finite results.
    /// </summary>
    public static GeoPosition ToWgs84(UtmZone zone, double easting, double northing)
    {
        var utm = ProjectedCoordinateSystem.WGS84_UTM(zone.Number, zone.Hemisphere == UtmHemisphere.North);
        var transform = Transformations.CreateFromCoordinateSystems(utm, GeographicCoordinateSystem.WGS84).MathTransform;
        var (longitude, latitude) = transform.Transform(easting, northing);
        return new GeoPosition(latitude, longitude);
    }

    /// <summary>
    /// The centre of the header's bounds, read as UTM coordinates in <paramref name="zone"/>. The bounds are converted
    /// to metres first when the header's CRS gives a linear unit other than the metre (feet: US survey
    /// 0.3048006096012192 m, international 0.3048 m); without a CRS they are taken to be metres.
    /// </summary>
    public static GeoPosition CentreOf(LasHeader header, UtmZone zone)
    {
        ArgumentNullException.ThrowIfNull(header);
        var centre = header.Bounds.Centre;
        var metres = header.Crs?.MetresPerUnit ?? 1.0;
        return ToWgs84(zone, centre.X * metres, centre.Y * metres);
    }

    /// <summary>
    /// Places the header's centre: in the UTM zone its CRS names when the EPSG code is one <see cref="UtmZone.FromEpsg"/>
    /// knows (WGS 84 UTM 326xx/327xx, NAD83 UTM 269xx), otherwise in <paramref name="callerZone"/>. Null when
    /// neither gives a zone, or when the result is not a finite position on the globe.
    /// </summary>
    public static UtmPlacement? Place(LasHeader header, UtmZone? callerZone)
    {
        ArgumentNullException.ThrowIfNull(header);
        var fileZone = header.Crs?.ProjectedEpsg is { } epsg ? UtmZone.FromEpsg(epsg) : null;
        if ((fileZone ?? callerZone) is not { } zone) return null;
        var position = CentreOf(header, zone);
        var onGlobe = double.IsFinite(position.Latitude) && double.IsFinite(position.Longitude)
            && Math.Abs(position.Latitude) <= 90 && Math.Abs(position.Longitude) <= 180;
        return onGlobe ? new UtmPlacement(position, zone, ZoneFromCrs: fileZone is not null) : null;
    }
}
