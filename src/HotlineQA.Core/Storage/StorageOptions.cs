using System.ComponentModel.DataAnnotations;

namespace HotlineQA.Storage;

/// <summary>Where calls, transcripts, scores and reviews live. Bound to section <c>Storage</c>.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary><c>sqlite</c> (embedded default, one file) or <c>postgres</c> (shared by several workers).</summary>
    [Required, RegularExpression("^(sqlite|postgres)$", ErrorMessage = "Storage:Provider must be 'sqlite' or 'postgres'")]
    public string Provider { get; set; } = StorageProviders.Sqlite;

    /// <summary>The SQLite file when <see cref="ConnectionString"/> is empty; relative paths are taken from the working directory.</summary>
    public string SqlitePath { get; set; } = "data/hotlineqa.db";

    /// <summary>A full ADO.NET connection string; required for <c>postgres</c>, optional for <c>sqlite</c> (overrides <see cref="SqlitePath"/>).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>How long a SQLite writer waits for another writer's lock before giving up.</summary>
    [Range(0, 600_000)]
    public int BusyTimeoutMs { get; set; } = 30_000;
}

public static class StorageProviders
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";
}
