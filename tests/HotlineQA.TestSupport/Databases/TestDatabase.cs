using HotlineQA.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace HotlineQA.TestSupport.Databases;

/// <summary>
/// A real, empty database for one test class: a temporary SQLite file, or a uniquely named database on the
/// PostgreSQL server of <c>HOTLINEQA_TEST_PG</c> (started by scripts/pg-start.sh). Dropped/deleted on dispose.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string PgEnv = "HOTLINEQA_TEST_PG";

    private readonly string? _adminConnectionString;
    private readonly string? _tempDir;

    private TestDatabase(SqlDialect dialect, string connectionString, string name, string? adminConnectionString, string? tempDir)
    {
        Dialect = dialect;
        ConnectionString = connectionString;
        Name = name;
        _adminConnectionString = adminConnectionString;
        _tempDir = tempDir;
        Db = new HotlineDatabase(dialect, connectionString, busyTimeoutMs: 30_000);
    }

    public SqlDialect Dialect { get; }
    public string ConnectionString { get; }
    /// <summary>The PostgreSQL database name, or the SQLite file path.</summary>
    public string Name { get; }
    public HotlineDatabase Db { get; }

    /// <summary>Configuration keys that point <c>AddStorage</c> at this database.</summary>
    public IReadOnlyDictionary<string, string?> StorageSettings => new Dictionary<string, string?>
    {
        ["Storage:Provider"] = Dialect == SqlDialect.Sqlite ? StorageProviders.Sqlite : StorageProviders.Postgres,
        ["Storage:ConnectionString"] = ConnectionString,
    };

    public StorageOptions StorageOptions => new()
    {
        Provider = Dialect == SqlDialect.Sqlite ? StorageProviders.Sqlite : StorageProviders.Postgres,
        ConnectionString = ConnectionString,
    };

    /// <summary>The server's connection string; a test that needs PostgreSQL fails with this message when it is not set.</summary>
    public static string PostgresServer() =>
        Environment.GetEnvironmentVariable(PgEnv) is { Length: > 0 } s ? s
            : throw new InvalidOperationException(
                $"{PgEnv} is not set: these tests need the real PostgreSQL server. Run `export {PgEnv}=$(./scripts/pg-start.sh)` (scripts/test.sh does it).");

    public static async Task<TestDatabase> CreateAsync(SqlDialect dialect, bool migrate = true, CancellationToken ct = default)
    {
        TestDatabase t;
        if (dialect == SqlDialect.Sqlite)
        {
            var dir = Path.Combine(Path.GetTempPath(), "hotlineqa-test-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            var file = Path.Combine(dir, "hotlineqa.db");
            t = new TestDatabase(dialect, $"Data Source={file}", file, null, dir);
        }
        else
        {
            var server = PostgresServer();
            var name = "hotlineqa_test_" + Guid.NewGuid().ToString("N");
            await using (var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ToString()))
            {
                try { await admin.OpenAsync(ct); }
                catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException)
                { throw new InvalidOperationException($"cannot reach the PostgreSQL server of {PgEnv} ({e.Message}); start it with ./scripts/pg-start.sh", e); }
                await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
                await cmd.ExecuteNonQueryAsync(ct);
            }
            var cs = new NpgsqlConnectionStringBuilder(server) { Database = name }.ToString();
            t = new TestDatabase(dialect, cs, name, server, null);
        }
        if (migrate) await new Migrator(t.Db, TimeProvider.System).MigrateAsync(ct);
        return t;
    }

    public async ValueTask DisposeAsync()
    {
        if (Dialect == SqlDialect.Sqlite)
        {
            SqliteConnection.ClearPool(new SqliteConnection(Db.ConnectionString));
            if (_tempDir is not null && Directory.Exists(_tempDir)) Directory.Delete(_tempDir, recursive: true);
            return;
        }
        NpgsqlConnection.ClearPool(new NpgsqlConnection(ConnectionString));
        await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = "postgres", Pooling = false }.ToString());
        await admin.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", admin);
        await cmd.ExecuteNonQueryAsync();
    }
}
