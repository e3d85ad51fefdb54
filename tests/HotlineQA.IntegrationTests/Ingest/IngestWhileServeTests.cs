using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using HotlineQA.IntegrationTests.Pipeline;
using HotlineQA.IntegrationTests.Scale;
using HotlineQA.Storage;
using HotlineQA.TestSupport.Databases;
using HotlineQA.TestSupport.Pipeline;

namespace HotlineQA.IntegrationTests.Ingest;

/// <summary>
/// The embedded default as a new user runs it: `hotlineqa serve` in one terminal, `hotlineqa ingest` in another (both
/// real processes on one SQLite file, Hangfire in memory in serve). This test decided the embedded default's job
/// storage: Hangfire.InMemory with a start-up recovery from the calls table and a pickup of calls registered by
/// another process (docs/storage-and-pipeline.md).
/// </summary>
[Collection("pipeline")]
public class IngestWhileServeTests
{
    [Fact]
    public async Task Ingest_ShouldHaveTheCallScoredByARunningServeWithinTenSeconds_AndSurviveASigkillOfServe()
    {
        await using var db = await TestDatabase.CreateAsync(SqlDialect.Sqlite);
        using var inbox = new TempInbox();
        CallCorpus.Write(Path.Combine(inbox.Dir, "corpus"), 3);
        Directory.CreateDirectory(Path.Combine(inbox.Dir, "a"));
        Directory.CreateDirectory(Path.Combine(inbox.Dir, "b"));
        foreach (var f in Directory.GetFiles(Path.Combine(inbox.Dir, "corpus"), "call0000.*")) File.Move(f, Path.Combine(inbox.Dir, "a", Path.GetFileName(f)));
        foreach (var f in Directory.GetFiles(Path.Combine(inbox.Dir, "corpus"), "call0001.*")) File.Move(f, Path.Combine(inbox.Dir, "b", Path.GetFileName(f)));
        var env = ScaleRig.Env(db.StorageSettings);
        var calls = new CallStore(db.Db, TimeProvider.System);

        var serve = StartServe(inbox.Dir, env);
        ScaleRig.Worker? again = null;
        try
        {
            await WaitForAsync(() => serve.Log.Contains("HotlineQA is serving", StringComparison.Ordinal), TimeSpan.FromMinutes(2), () => serve.Log);
            // A first call loads the VAD model and warms the process up; the 10 s are about noticing a new call.
            var warm = await ScaleRig.RunAsync(inbox.Dir, env, "ingest", "corpus");
            Assert.True(warm.Code == 0, warm.Err);
            var w = (await calls.GetByHashAsync((await HotlineQA.Ingest.Ingestor.HashAsync(Path.Combine(inbox.Dir, "corpus", "call0002.wav"))).Sha256))!;
            await WaitForAsync(async () => (await calls.GetAsync(w.Id))!.Status == CallStatus.Scored, TimeSpan.FromSeconds(90), () => serve.Log);

            var ingest = await ScaleRig.RunAsync(inbox.Dir, env, "ingest", "a");
            var ingested = Stopwatch.StartNew();
            Assert.True(ingest.Code == 0, ingest.Err);
            var a = (await calls.GetByHashAsync((await HotlineQA.Ingest.Ingestor.HashAsync(Path.Combine(inbox.Dir, "a", "call0000.wav"))).Sha256))!;
            await WaitForAsync(async () => (await calls.GetAsync(a.Id))!.Status == CallStatus.Scored, TimeSpan.FromSeconds(60), () => serve.Log);
            Assert.True(ingested.Elapsed < TimeSpan.FromSeconds(10), $"scored {ingested.Elapsed.TotalSeconds:0.0} s after ingest; expected within 10 s");

            // serve dies (SIGKILL); a recording is registered meanwhile; the next serve takes it.
            serve.Kill();
            await serve.Process.WaitForExitAsync();
            var second = await ScaleRig.RunAsync(inbox.Dir, env, "ingest", "b");
            Assert.True(second.Code == 0, second.Err);
            again = StartServe(inbox.Dir, env);
            var b = (await calls.GetByHashAsync((await HotlineQA.Ingest.Ingestor.HashAsync(Path.Combine(inbox.Dir, "b", "call0001.wav"))).Sha256))!;
            await WaitForAsync(async () => (await calls.GetAsync(b.Id))!.Status == CallStatus.Scored, TimeSpan.FromMinutes(2), () => again.Log);

            var scores = new ScoreStore(db.Db, TimeProvider.System);
            Assert.Single(await scores.ListForCallAsync(a.Id));
            Assert.Single(await scores.ListForCallAsync(b.Id));
        }
        finally
        {
            serve.Dispose();
            again?.Dispose();
        }
    }

    private static ScaleRig.Worker StartServe(string dir, Dictionary<string, string> env) =>
        new(dir, env, "serve", "--urls", $"http://127.0.0.1:{FreePort()}");

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static Task WaitForAsync(Func<bool> done, TimeSpan timeout, Func<string> explain) =>
        WaitForAsync(() => Task.FromResult(done()), timeout, explain);

    private static async Task WaitForAsync(Func<Task<bool>> done, TimeSpan timeout, Func<string> explain)
    {
        var sw = Stopwatch.StartNew();
        while (!await done())
        {
            if (sw.Elapsed > timeout) Assert.Fail($"not done after {timeout}:\n{explain()}");
            await Task.Delay(100);
        }
    }
}
