namespace Scanport.Identity;

/// <summary>The roles a token can carry. Users and API keys hold one of the first three.</summary>
public static class Roles
{
    public const string Operator = "operator";
    public const string Reviewer = "reviewer";
    public const string Admin = "admin";
    public const string Device = "device";

    public static readonly IReadOnlyList<string> Assignable = [Operator, Reviewer, Admin];

    public static bool IsAssignable(string? role) => role is Operator or Reviewer or Admin;
}
