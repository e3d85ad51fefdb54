using Dapper;
using HotlineQA.IntegrationTests.Pipeline;
using HotlineQA.Storage;
using HotlineQA.TestSupport.Databases;
using Npgsql;

namespace HotlineQA.IntegrationTests.Scale;

/// <summary>
/// The pipeline at scale with the real executable: three `hotlineqa worker` processes on a fresh PostgreSQL cluster
/// of the test's own, one of them SIGKILLed mid-run and the PostgreSQL server itself restarted mid-run; the embedded
/// default SIGKILLed and restarted mid-run. Hangfire is the only job engine: the checks are on the results.
/// </summary>
[Collection("pipeline")]
public class ScaleOutTests
{
    private const int Calls = 120;

    [Fact]
    public async Task Workers_ShouldScoreEveryCallExactlyOnce_WhenOneOfThreeIsKilledAndPostgresIsRestarted()
    {
        await using var cluster = await TestPgCluster.CreateAsync();
        var settings = new Dictionary<string, string?> { ["Storage:Provider"] = "postgres", ["Storage:ConnectionString"] = cluster.ConnectionString };
        var db = new HotlineDatabase(SqlDialect.Postgres, cluster.ConnectionString);
        using var inbox = new TempInbox();
        var utterances = ScaleRig.WriteCorpus(Path.Combine(inbox.Dir, "in"), Calls);
        // A recording that cannot be decoded: it must fail with its reason while the batch goes on.
        File.WriteAllBytes(Path.Combine(inbox.Dir, "in", "poison.wav"), Enumerable.Range(0, 50_000).Select(i => (byte)(i * 31 % 251)).ToArray());
        var env = ScaleRig.Env(settings);

        // Three workers start together on the empty database: migrations and Hangfire's schema install must not race.
        var workers = Enumerable.Range(0, 3).Select(_ => new ScaleRig.Worker(inbox.Dir, env)).ToList();
        try
        {
            string Logs() => string.Join("\n----\n", workers.Select(w => w.Log));
            var ingest = await ScaleRig.RunAsync(inbox.Dir, env, "ingest", "in");
            Assert.True(ingest.Code == 0, ingest.Err);
            Assert.StartsWith($"{Calls + 1} new, 0 duplicate, 0 rejected", ingest.Out);

            await ScaleRig.WaitAsync(c => c.GetValueOrDefault("scored") >= 30, db, TimeSpan.FromMinutes(5), Logs);
            var victim = workers[0];
            victim.Kill();
            await victim.Process.WaitForExitAsync();

            await ScaleRig.WaitAsync(c => c.GetValueOrDefault("scored") >= 60, db, TimeSpan.FromMinutes(5), Logs);
            await cluster.RestartAsync();

            await ScaleRig.WaitAsync(c => c.GetValueOrDefault("scored") + c.GetValueOrDefault("failed") == Calls + 1, db, TimeSpan.FromMinutes(8), Logs);
            await ScaleRig.AssertExactlyOnceAsync(db, Calls, utterances, "poison.wav");
            Assert.All(workers.Where(w => w != victim), w => Assert.False(w.Process.HasExited, w.Log));
        }
        finally
        {
            foreach (var w in workers) w.Dispose();
            Npgsql.NpgsqlConnection.ClearAllPools();
        }
    }

    [Fact]
    public async Task Workers_ShouldStartCleanly_WhenThreeStartTogetherOnAnEmptyPostgresDatabase()
    {
        await using var db = await TestDatabase.CreateAsync(SqlDialect.Postgres, migrate: false);
        using var inbox = new TempInbox();
        var env = ScaleRig.Env(db.StorageSettings);
        env["HOTLINEQA_Logging__LogLevel__Default"] = "Information";
        var workers = Enumerable.Range(0, 3).Select(_ => new ScaleRig.Worker(inbox.Dir, env)).ToList();
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
            while (!workers.All(w => w.Log.Contains("Ctrl+C stops", StringComparison.Ordinal)) && DateTime.UtcNow < deadline && workers.All(w => !w.Process.HasExited))
                await Task.Delay(200);
            await Task.Delay(3000); // the Hangfire servers' first heartbeats and queue polls
            Assert.All(workers, w =>
            {
                Assert.False(w.Process.HasExited, w.Log);
                Assert.Contains("Ctrl+C stops", w.Log);
                Assert.DoesNotContain("fail:", w.Log);
                Assert.DoesNotContain("crit:", w.Log);
                Assert.DoesNotContain("Exception", w.Log);
            });
        }
        finally
        {
            foreach (var w in workers) w.Dispose();
        }
    }

    [Fact]
    public async Task Worker_ShouldScoreEveryCallExactlyOnce_WhenTheEmbeddedDefaultIsKilledAndRestarted()
    {
        await using var db = await TestDatabase.CreateAsync(SqlDialect.Sqlite);
        using var inbox = new TempInbox();
        var utterances = ScaleRig.WriteCorpus(Path.Combine(inbox.Dir, "in"), Calls);
        File.WriteAllBytes(Path.Combine(inbox.Dir, "in", "poison.wav"), Enumerable.Range(0, 50_000).Select(i => (byte)(i * 31 % 251)).ToArray());
        var env = ScaleRig.Env(db.StorageSettings);

        var ingest = await ScaleRig.RunAsync(inbox.Dir, env, "ingest", "in");
        Assert.True(ingest.Code == 0, ingest.Err);

        var first = new ScaleRig.Worker(inbox.Dir, env);
        ScaleRig.Worker? second = null;
        try
        {
            await ScaleRig.WaitAsync(c => c.GetValueOrDefault("scored") >= 40, db.Db, TimeSpan.FromMinutes(5), () => first.Log);
            first.Kill();
            await first.Process.WaitForExitAsync();
            // The in-memory Hangfire queue died with the process: the start-up recovery brings the work back.
            second = new ScaleRig.Worker(inbox.Dir, env);
            await ScaleRig.WaitAsync(c => c.GetValueOrDefault("scored") + c.GetValueOrDefault("failed") == Calls + 1, db.Db, TimeSpan.FromMinutes(8),
                () => first.Log + "\n----\n" + second.Log);
            await ScaleRig.AssertExactlyOnceAsync(db.Db, Calls, utterances, "poison.wav");
        }
        finally
        {
            first.Dispose();
            second?.Dispose();
        }
    }
}
