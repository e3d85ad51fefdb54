using System.Data;
using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace HotlineQA.Storage;

public enum SqlDialect { Sqlite, Postgres }

/// <summary>
/// Opens connections to the configured database. The stores share SQL between dialects where both accept it
/// (ON CONFLICT, RETURNING, @parameters); only the migration scripts differ.
/// </summary>
public sealed class HotlineDatabase
{
    private readonly string _connectionString;
    private readonly int _busyTimeoutMs;

    static HotlineDatabase() => DapperSetup.Ensure();

    public HotlineDatabase(SqlDialect dialect, string connectionString, int busyTimeoutMs = 30_000)
    {
        Dialect = dialect;
        _busyTimeoutMs = busyTimeoutMs;
        if (dialect == SqlDialect.Sqlite)
        {
            var b = new SqliteConnectionStringBuilder(connectionString) { ForeignKeys = true, Pooling = true };
            // Microsoft.Data.Sqlite retries SQLITE_BUSY for the command timeout; keep it in step with busy_timeout.
            b.DefaultTimeout = Math.Max(b.DefaultTimeout, (busyTimeoutMs + 999) / 1000);
            var dir = Path.GetDirectoryName(Path.GetFullPath(b.DataSource));
            if (!string.IsNullOrEmpty(dir) && b.Mode != SqliteOpenMode.Memory) Directory.CreateDirectory(dir);
            _connectionString = b.ToString();
        }
        else _connectionString = connectionString;
    }

    public static HotlineDatabase FromOptions(StorageOptions o) => o.Provider switch
    {
        StorageProviders.Sqlite => new HotlineDatabase(SqlDialect.Sqlite,
            string.IsNullOrWhiteSpace(o.ConnectionString) ? $"Data Source={o.SqlitePath}" : o.ConnectionString, o.BusyTimeoutMs),
        StorageProviders.Postgres => new HotlineDatabase(SqlDialect.Postgres,
            string.IsNullOrWhiteSpace(o.ConnectionString)
                ? throw new InvalidOperationException("Storage:ConnectionString is required when Storage:Provider is 'postgres' (env HOTLINEQA_Storage__ConnectionString)")
                : o.ConnectionString, o.BusyTimeoutMs),
        _ => throw new InvalidOperationException($"Storage:Provider must be 'sqlite' or 'postgres', not '{o.Provider}'"),
    };

    public SqlDialect Dialect { get; }

    /// <summary>A boolean literal in this dialect (SQLite stores booleans as 0/1).</summary>
    public string Bool(bool value) => Dialect == SqlDialect.Postgres ? (value ? "TRUE" : "FALSE") : (value ? "1" : "0");

    /// <summary>"Score <paramref name="alias"/> is its call's current (newest) score": the <c>is_current</c> column that
    /// ScoreStore keeps (migration 0004), written the way the partial indexes are, so the planner can use them.</summary>
    public string IsCurrentScore(string alias = "s") => Dialect == SqlDialect.Postgres ? $"{alias}.is_current" : $"{alias}.is_current = 1";

    /// <summary>The connection string as used (for Hangfire.PostgreSql, diagnostics); may hold a password — never log it.</summary>
    public string ConnectionString => _connectionString;

    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        DbConnection c = Dialect == SqlDialect.Sqlite ? new SqliteConnection(_connectionString) : new NpgsqlConnection(_connectionString);
        try
        {
            await c.OpenAsync(ct);
            if (Dialect == SqlDialect.Sqlite)
                await c.ExecuteAsync($"PRAGMA busy_timeout = {_busyTimeoutMs}; PRAGMA synchronous = NORMAL;");
            return c;
        }
        catch
        {
            await c.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs <paramref name="work"/> in one transaction: a step's whole output is written, or none of it.</summary>
    public async Task<T> InTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        // SQLite: BEGIN IMMEDIATE (takes the write lock up front, so two writers queue instead of deadlocking).
        // PostgreSQL: read committed; the stores' guarded UPDATEs (… WHERE status IN (…)) re-check rows after a
        // concurrent writer, which is what we want, where serializable would abort the loser with 40001.
        await using var tx = await c.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
        var result = await work(c, tx);
        await tx.CommitAsync(ct);
        return result;
    }

    public Task InTransactionAsync(Func<DbConnection, DbTransaction, Task> work, CancellationToken ct = default) =>
        InTransactionAsync<bool>(async (c, tx) => { await work(c, tx); return true; }, ct);
}

/// <summary>Dapper's process-wide settings: snake_case columns onto PascalCase properties, timestamps from either provider.</summary>
internal static class DapperSetup
{
    private static int _done;

    public static void Ensure()
    {
        if (Interlocked.Exchange(ref _done, 1) == 1) return;
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        // Without removing the built-in mapping Dapper never calls the handler when writing parameters.
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset));
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset?));
        SqlMapper.AddTypeHandler(new DateTimeOffsetHandler());
    }

    /// <summary>SQLite keeps timestamps as ISO-8601 text, PostgreSQL as timestamptz (read back as UTC DateTime).</summary>
    private sealed class DateTimeOffsetHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
        {
            var utc = value.ToUniversalTime();
            // A fixed-width UTC text sorts correctly in SQLite; Npgsql wants offset 0 for timestamptz.
            parameter.Value = parameter is SqliteParameter ? utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture) : utc;
        }

        public override DateTimeOffset Parse(object value) => value switch
        {
            DateTimeOffset d => d.ToUniversalTime(),
            DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, d.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : d.Kind)).ToUniversalTime(),
            string s => DateTimeOffset.Parse(s, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal).ToUniversalTime(),
            _ => throw new InvalidCastException($"cannot read a timestamp from {value.GetType().Name}"),
        };
    }
}
