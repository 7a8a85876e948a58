namespace Scanport.Tests.Identity;

/// <summary>
/// The APS cloud. Its routes take APS access tokens only (the <c>Aps</c> scheme): the platform's tokens and API key
/// secrets that every principal of the table holds are refused there, whoever holds them. What APS tokens may do is
/// tested with real APS tokens in Surfaces/Aps. OpenIddict answers revoke, introspect, keys and discovery in its own
/// middleware (they are no routes here): the first two authenticate the client themselves, the last two are public.
/// </summary>
public static partial class AuthorizationTable
{
    private static IEnumerable<Row> Aps =>
    [
        R("GET", "/userinfo", _ => 401, Get(_ => "/userinfo")),
        .. ModelDerivative,
    ];

    private const string Md = "/modelderivative/v2/designdata";
    private const string MdUrn = "dXJuOmFkc2sub2JqZWN0czpvcy5vYmplY3Q6YXV0aHotdGFibGUvbW9kZWwuc3Rs";

    private static IEnumerable<Row> ModelDerivative =>
    [
        R("POST", Md + "/job", _ => 401, Post(_ => Md + "/job", _ => new { input = new { urn = MdUrn }, output = new { formats = new[] { new { type = "svf2" } } } })),
        R("GET", Md + "/formats", _ => 401, Get(_ => Md + "/formats")),
        R("GET", Md + "/{urn}/manifest", _ => 401, Get(_ => $"{Md}/{MdUrn}/manifest")),
        R("DELETE", Md + "/{urn}/manifest", _ => 401, Delete(_ => $"{Md}/{MdUrn}/manifest")),
        R("GET", Md + "/{urn}/manifest/{derivativeUrn}", _ => 401, Get(_ => $"{Md}/{MdUrn}/manifest/urn%3Aadsk.viewing%3Afs.file%3A{MdUrn}%2Foutput%2Fmodel.glb")),
        R("HEAD", Md + "/{urn}/manifest/{derivativeUrn}", _ => 401,
            c => Answer.Of(c.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"{Md}/{MdUrn}/manifest/urn%3Aadsk.viewing%3Afs.file%3A{MdUrn}%2Foutput%2Fmodel.glb")))),
        R("GET", Md + "/{urn}/manifest/{derivativeUrn}/signedcookies", _ => 401,
            Get(_ => $"{Md}/{MdUrn}/manifest/urn%3Aadsk.viewing%3Afs.file%3A{MdUrn}%2Foutput%2Fmodel.glb/signedcookies")),
        R("GET", Md + "/{urn}/thumbnail", _ => 401, Get(_ => $"{Md}/{MdUrn}/thumbnail")),
        R("GET", Md + "/{urn}/metadata", _ => 401, Get(_ => $"{Md}/{MdUrn}/metadata")),
        R("GET", Md + "/{urn}/metadata/{modelGuid}", _ => 401, Get(_ => $"{Md}/{MdUrn}/metadata/{Guid.Empty}")),
        R("GET", Md + "/{urn}/metadata/{modelGuid}/properties", _ => 401, Get(_ => $"{Md}/{MdUrn}/metadata/{Guid.Empty}/properties")),
        R("POST", Md + "/{urn}/metadata/{modelGuid}/properties:query", _ => 401,
            Post(_ => $"{Md}/{MdUrn}/metadata/{Guid.Empty}/properties:query", _ => new { query = new { }, fields = new[] { "name" } })),
    ];
}
