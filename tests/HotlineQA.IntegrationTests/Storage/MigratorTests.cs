using Dapper;
using HotlineQA.Storage;
using HotlineQA.TestSupport.Databases;

namespace HotlineQA.IntegrationTests.Storage;

public class MigratorTests
{
    public static TheoryData<SqlDialect> Dialects => new() { SqlDialect.Sqlite, SqlDialect.Postgres };

    [Theory, MemberData(nameof(Dialects))]
    public async Task MigrateAsync_ShouldApplyEveryScriptOnceAndThenNothing_WhenRunTwice(SqlDialect dialect)
    {
        await using var t = await TestDatabase.CreateAsync(dialect, migrate: false);
        var m = new Migrator(t.Db, TimeProvider.System);

        var first = await m.MigrateAsync();
        var second = await m.MigrateAsync();

        Assert.Equal(m.Scripts.Select(s => s.Version), first);
        Assert.Contains(1, first);
        Assert.Empty(second);
        Assert.Equal(first, await m.AppliedVersionsAsync());
        await using var c = await t.Db.OpenAsync();
        foreach (var table in new[] { "calls", "utterances", "scores", "findings", "reviews", "call_dispositions", "users", "audit_log" })
            Assert.Equal(0L, await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}"));
    }

    [Theory, MemberData(nameof(Dialects))]
    public async Task MigrateAsync_ShouldApplyEachScriptExactlyOnce_WhenSeveralProcessesStartAtOnce(SqlDialect dialect)
    {
        await using var t = await TestDatabase.CreateAsync(dialect, migrate: false);
        // Separate HotlineDatabase instances stand for separate processes: separate connections racing for the lock.
        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
            new Migrator(new HotlineDatabase(dialect, t.ConnectionString), TimeProvider.System).MigrateAsync())));

        var all = runs.SelectMany(r => r).ToList();
        Assert.Equal(all.Distinct(), all);
        Assert.Equal(new Migrator(t.Db, TimeProvider.System).Scripts.Select(s => s.Version), all.Order());
    }

    [Theory, MemberData(nameof(Dialects))]
    public async Task MigrateAsync_ShouldRefuse_WhenAnAppliedScriptWasEdited(SqlDialect dialect)
    {
        await using var t = await TestDatabase.CreateAsync(dialect);
        await using (var c = await t.Db.OpenAsync())
            await c.ExecuteAsync("UPDATE schema_migrations SET sha256 = 'edited' WHERE version = 1");

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => new Migrator(t.Db, TimeProvider.System).MigrateAsync());
        Assert.Contains("append-only", e.Message);
    }

    [Fact]
    public async Task MigrateAsync_ShouldPutSqliteInWalMode_WhenItCreatesTheFile()
    {
        await using var t = await TestDatabase.CreateAsync(SqlDialect.Sqlite);
        await using var c = await t.Db.OpenAsync();
        Assert.Equal("wal", await c.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
        Assert.Equal(30_000L, await c.ExecuteScalarAsync<long>("PRAGMA busy_timeout"));
        Assert.True(File.Exists(t.Name));
    }
}
