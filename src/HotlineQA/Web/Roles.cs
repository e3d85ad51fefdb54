namespace HotlineQA.Host.Web;

/// <summary>The three roles of the web UI. An admin may do everything a reviewer or coach may.</summary>
public static class Roles
{
    public const string Reviewer = "reviewer";
    public const string Coach = "coach";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Reviewer, Coach, Admin];

    public static bool IsValid(string role) => All.Contains(role);

    /// <summary>Authorization policy names.</summary>
    public const string AdminPolicy = "admin";
}
