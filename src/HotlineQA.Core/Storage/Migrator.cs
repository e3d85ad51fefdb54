using System.Data.Common;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Dapper;

namespace HotlineQA.Storage;

/// <summary>
/// Applies the numbered scripts embedded under <c>Storage/Migrations/&lt;dialect&gt;/NNNN_name.sql</c> that the
/// database has not seen yet, each in its own transaction, recording them in <c>schema_migrations</c>.
/// Safe to run from several processes at once: PostgreSQL serialises on an advisory lock, SQLite on its write lock.
/// </summary>
public sealed partial class Migrator(HotlineDatabase db, TimeProvider clock)
{
    // Any fixed 64-bit number; it only has to be the same in every HotlineQA process.
    private const long AdvisoryLockKey = 0x486F746C696E6551; // "HotlineQ"

    public sealed record Script(int Version, string Name, string Sql, string Sha256);

    public IReadOnlyList<Script> Scripts { get; } = LoadScripts(db.Dialect);

    /// <summary>Brings the schema up to date; returns the versions it applied (empty when already current).</summary>
    public async Task<IReadOnlyList<int>> MigrateAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        if (db.Dialect == SqlDialect.Sqlite)
        {
            // WAL lets readers (the web UI) work while a worker writes; it is a property of the file, set once.
            await c.ExecuteAsync("PRAGMA journal_mode = WAL;");
            return await ApplyAsync(c, ct);
        }
        await c.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@k)", new { k = AdvisoryLockKey }, cancellationToken: ct));
        try { return await ApplyAsync(c, ct); }
        finally { await c.ExecuteAsync("SELECT pg_advisory_unlock(@k)", new { k = AdvisoryLockKey }); }
    }

    private async Task<IReadOnlyList<int>> ApplyAsync(DbConnection c, CancellationToken ct)
    {
        var ts = db.Dialect == SqlDialect.Sqlite ? "TEXT" : "timestamptz";
        await c.ExecuteAsync($"""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    INTEGER PRIMARY KEY,
                name       TEXT NOT NULL,
                sha256     TEXT NOT NULL,
                applied_at {ts} NOT NULL
            )
            """);
        var applied = new List<int>();
        foreach (var s in Scripts)
        {
            // SQLite: BEGIN IMMEDIATE, so a second process waits here and then sees the row the first one wrote.
            await using var tx = await c.BeginTransactionAsync(ct);
            var done = await c.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
                "SELECT sha256 FROM schema_migrations WHERE version = @Version", new { s.Version }, tx, cancellationToken: ct));
            if (done is not null)
            {
                if (done != s.Sha256)
                    throw new InvalidOperationException($"migration {s.Version:D4}_{s.Name} was changed after it was applied; migrations are append-only — add a new script instead");
                await tx.RollbackAsync(ct);
                continue;
            }
            await c.ExecuteAsync(new CommandDefinition(s.Sql, transaction: tx, cancellationToken: ct));
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_migrations (version, name, sha256, applied_at) VALUES (@Version, @Name, @Sha256, @At)",
                new { s.Version, s.Name, s.Sha256, At = clock.GetUtcNow() }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
            applied.Add(s.Version);
        }
        return applied;
    }

    public async Task<IReadOnlyList<int>> AppliedVersionsAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<int>(new CommandDefinition("SELECT version FROM schema_migrations ORDER BY version", cancellationToken: ct))).ToList();
    }

    private static IReadOnlyList<Script> LoadScripts(SqlDialect dialect)
    {
        var asm = typeof(Migrator).Assembly;
        var folder = dialect == SqlDialect.Sqlite ? "sqlite" : "postgres";
        var scripts = new List<Script>();
        foreach (var name in asm.GetManifestResourceNames())
        {
            var m = ScriptName().Match(name);
            if (!m.Success || m.Groups["dialect"].Value != folder) continue;
            using var stream = asm.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var sql = reader.ReadToEnd();
            var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql.ReplaceLineEndings("\n"))));
            scripts.Add(new Script(int.Parse(m.Groups["v"].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups["name"].Value, sql, sha));
        }
        scripts.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 1; i < scripts.Count; i++)
            if (scripts[i].Version == scripts[i - 1].Version)
                throw new InvalidOperationException($"two {folder} migrations share number {scripts[i].Version:D4}");
        if (scripts.Count == 0) throw new InvalidOperationException($"no {folder} migration scripts are embedded in {asm.GetName().Name}");
        return scripts;
    }

    [GeneratedRegex(@"^migrations/(?<dialect>sqlite|postgres)/(?<v>\d{4})_(?<name>[a-z0-9_]+)\.sql$")]
    private static partial Regex ScriptName();
}
