using Dapper;
using HotlineQA.IntegrationTests.Pipeline;
using HotlineQA.Storage;
using HotlineQA.TestSupport.Databases;
using Npgsql;

namespace HotlineQA.IntegrationTests.Scale;

/// <summary>
/// The pipeline at scale with the real executable: several `hotlineqa worker` processes on one PostgreSQL, one of
/// them SIGKILLed mid-run and every connection cut once; the embedded default crashed and restarted mid-run.
/// </summary>
[Collection("pipeline")]
public class ScaleOutTests
{
    private const int Calls = 300;

    [Fact]
    public async Task Workers_ShouldScoreEveryCallExactlyOnce_WhenOneOfThreeIsKilledAndConnectionsAreCutOnPostgres()
    {
        await using var db = await TestDatabase.CreateAsync(SqlDialect.Postgres);
        using var inbox = new TempInbox();
        var utterances = ScaleRig.WriteCorpus(Path.Combine(inbox.Dir, "in"), Calls);
        // A recording that cannot be decoded: it must fail with its reason while the batch goes on.
        File.WriteAllBytes(Path.Combine(inbox.Dir, "in", "poison.wav"), Enumerable.Range(0, 50_000).Select(i => (byte)(i * 31 % 251)).ToArray());
        var env = ScaleRig.Env(db.StorageSettings);

        var ingest = await ScaleRig.RunAsync(inbox.Dir, env, "ingest", "in");
        Assert.True(ingest.Code == 0, ingest.Err);
        Assert.StartsWith($"{Calls + 1} new, 0 duplicate, 0 rejected", ingest.Out);

        var workers = Enumerable.Range(0, 3).Select(_ => new ScaleRig.Worker(inbox.Dir, env)).ToList();
        try
        {
            string Logs() => string.Join("\n----\n", workers.Select(w => w.Log));
            await ScaleRig.WaitAsync(c => c.GetValueOrDefault("scored") >= 40, db.Db, TimeSpan.FromMinutes(5), Logs);

            // Kill the worker that holds claims right now, so calls are really taken away from it mid-step.
            var victim = await PickHolderAsync(db.Db, workers);
            var held = await HeldByAsync(db.Db, victim.Process.Id);
            victim.Kill();
            await victim.Process.WaitForExitAsync();

            // A real connection loss for every worker: their backends are terminated by the server.
            await ScaleRig.WaitAsync(c => c.GetValueOrDefault("scored") >= 120, db.Db, TimeSpan.FromMinutes(5), Logs);
            var cut = await TerminateBackendsAsync(db.Name);
            Assert.True(cut > 0, "no worker connection was open to cut");

            await ScaleRig.WaitAsync(c => c.GetValueOrDefault("scored") + c.GetValueOrDefault("failed") == Calls + 1, db.Db, TimeSpan.FromMinutes(8), Logs);
            await ScaleRig.AssertExactlyOnceAsync(db.Db, Calls, utterances, "poison.wav");
            foreach (var id in held)
            {
                var row = await new CallStore(db.Db, TimeProvider.System).GetAsync(id);
                Assert.Equal("scored", row!.Status);
            }
            Assert.All(workers.Where(w => w != victim), w => Assert.False(w.Process.HasExited, w.Log));
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
            await ScaleRig.WaitAsync(c => c.GetValueOrDefault("scored") >= 60, db.Db, TimeSpan.FromMinutes(5), () => first.Log);
            var held = await HeldByAsync(db.Db, first.Process.Id);
            first.Kill();
            await first.Process.WaitForExitAsync();
            // The in-memory Hangfire queue died with the process: only the calls table can bring the work back.
            second = new ScaleRig.Worker(inbox.Dir, env);
            await ScaleRig.WaitAsync(c => c.GetValueOrDefault("scored") + c.GetValueOrDefault("failed") == Calls + 1, db.Db, TimeSpan.FromMinutes(8),
                () => first.Log + "\n----\n" + second.Log);
            await ScaleRig.AssertExactlyOnceAsync(db.Db, Calls, utterances, "poison.wav");
            foreach (var id in held) Assert.Equal("scored", (await new CallStore(db.Db, TimeProvider.System).GetAsync(id))!.Status);
        }
        finally
        {
            first.Dispose();
            second?.Dispose();
        }
    }

    private static async Task<ScaleRig.Worker> PickHolderAsync(HotlineDatabase db, List<ScaleRig.Worker> workers)
    {
        for (var i = 0; i < 200; i++)
        {
            foreach (var w in workers)
                if ((await HeldByAsync(db, w.Process.Id)).Count > 0) return w;
            await Task.Delay(20);
        }
        return workers[0];
    }

    private static async Task<List<long>> HeldByAsync(HotlineDatabase db, int pid)
    {
        await using var c = await db.OpenAsync();
        return (await c.QueryAsync<long>("SELECT id FROM calls WHERE claimed_by LIKE @p", new { p = $"%:{pid}:%" })).ToList();
    }

    private static async Task<int> TerminateBackendsAsync(string database)
    {
        await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(TestDatabase.PostgresServer()) { Database = "postgres", Pooling = false }.ToString());
        await admin.OpenAsync();
        return (await admin.QueryAsync<bool>(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = @database AND pid <> pg_backend_pid()", new { database })).Count(x => x);
    }
}
