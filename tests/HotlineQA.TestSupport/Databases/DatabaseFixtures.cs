using HotlineQA.Storage;
using Xunit;

namespace HotlineQA.TestSupport.Databases;

/// <summary>One migrated database per test class: <c>IClassFixture&lt;SqliteDatabaseFixture&gt;</c> or the PostgreSQL one.</summary>
public abstract class DatabaseFixture(SqlDialect dialect) : IAsyncLifetime
{
    private TestDatabase? _database;

    public SqlDialect Dialect { get; } = dialect;
    public TestDatabase Database => _database ?? throw new InvalidOperationException("the database fixture is not initialised");
    public HotlineDatabase Db => Database.Db;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(Dialect);

    public async Task DisposeAsync()
    {
        if (_database is not null) await _database.DisposeAsync();
    }
}

public sealed class SqliteDatabaseFixture() : DatabaseFixture(SqlDialect.Sqlite);

public sealed class PostgresDatabaseFixture() : DatabaseFixture(SqlDialect.Postgres);
