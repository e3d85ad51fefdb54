namespace HotlineQA.TestSupport;

/// <summary>Finds the repository root and the shared test material beside it (../shared).</summary>
public static class TestPaths
{
    public static string RepoRoot { get; } = FindRoot();

    public static string Shared(string relative)
    {
        var p = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", relative));
        if (!File.Exists(p) && !Directory.Exists(p))
            throw new InvalidOperationException($"shared test material not found: {p} (the checkout must sit beside shared/)");
        return p;
    }

    private static string FindRoot()
    {
        var d = new DirectoryInfo(AppContext.BaseDirectory);
        while (d is not null && !File.Exists(Path.Combine(d.FullName, "HotlineQA.sln"))) d = d.Parent;
        return d?.FullName ?? throw new InvalidOperationException("HotlineQA.sln not found above " + AppContext.BaseDirectory);
    }
}
