using System.Text.Json;
using Dapper;
using HotlineQA.Host;
using HotlineQA.IntegrationTests.Pipeline;
using HotlineQA.Pipeline;
using HotlineQA.Storage;
using HotlineQA.TestSupport.Databases;
using HotlineQA.TestSupport.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HotlineQA.IntegrationTests.Scale;

/// <summary>The overnight batch on real databases: inbox scan, manifest, priority order, morning cutoff, next night, summary.</summary>
[Collection("pipeline")]
public class BatchTests
{
    public static TheoryData<SqlDialect> Dialects => [SqlDialect.Sqlite, SqlDialect.Postgres];

    private static IHost Build(TestDatabase db, TimeProvider clock, string inbox, string manifest) =>
        BuildWith(db, clock, new Dictionary<string, string?>
        {
            ["Batch:InboxFolders:0"] = inbox,
            ["Batch:ManifestPath"] = manifest,
            ["Batch:TimeZone"] = "UTC",
            ["Batch:MorningCutoff"] = "07:00:00",
            ["Batch:Priority"] = "oldest-first",
        });

    private static IHost BuildWith(TestDatabase db, TimeProvider clock, Dictionary<string, string?> batch)
    {
        var settings = new Dictionary<string, string?>(db.StorageSettings) { ["Pipeline:Workers"] = "0", ["Pipeline:TranscribeWorkers"] = "0" };
        foreach (var (k, v) in batch) settings[k] = v;
        var b = HostConfiguration.CreateWorkerBuilder(settings, LogLevel.Warning);
        b.Services.AddSingleton(clock);
        return b.Build();
    }

    [Theory, MemberData(nameof(Dialects))]
    public async Task Batch_ShouldApplyTheManifestOrderByAgeDeferHeavyWorkAtCutoffAndResumeNextNight_WhenRunTwoNights(SqlDialect dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        using var inbox = new TempInbox();
        CallCorpus.Write(Path.Combine(inbox.Dir, "in"), 3);
        var manifest = inbox.Write("manifest.csv", """
            call_id,agent_id,queue,customer_number,started_at
            call0000,A7,billing,13800000000,2026-11-22T03:00:00Z
            call0001,A8,"repairs, broadband",,2026-11-21T10:00:00Z
            call0002,A9,billing,,2026-11-22T01:00:00Z
            call0003,only two
            """);
        var clock = new TestClock(new DateTimeOffset(2026, 11, 23, 1, 0, 0, TimeSpan.Zero));
        using var host = Build(db, clock, Path.Combine(inbox.Dir, "in"), manifest);
        await host.StartAsync();
        var sp = host.Services;

        var first = await sp.GetRequiredService<BatchRunner>().RunAsync("schedule");
        var order = await sp.GetRequiredService<BatchStore>().ListUnfinishedAsync(first.BatchId, sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<BatchOptions>>().Value.OrderBy());
        var calls = sp.GetRequiredService<CallStore>();
        var keys = new List<string>();
        foreach (var (id, _) in order) keys.Add((await calls.GetAsync(id))!.CallKey);

        Assert.Equal((3, 3, 0, 0, 3), (first.Found, first.New, first.Duplicate, first.Rejected, first.Queued));
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 7, 0, 0, TimeSpan.Zero), first.CutoffAt);
        Assert.Equal(["call0001", "call0002", "call0000"], keys);
        var c1 = (await calls.GetAsync(order[0].Id))!;
        Assert.Equal(("A8", "repairs, broadband"), (c1.Agent, c1.Queue));
        Assert.Contains(first.Problems, p => p.EndsWith("manifest.csv:5: expected 5 fields (call id, agent id, queue, customer number, started at), got 2", StringComparison.Ordinal));

        // After the cutoff the heavy step of a batch call does not start: left in its status, kept off the recovery and the pickup.
        var waiting = order[1].Id;
        await using (var c = await db.Db.OpenAsync())
            await c.ExecuteAsync("UPDATE calls SET status = 'transcribing' WHERE id = @waiting", new { waiting });
        clock.Advance(TimeSpan.FromHours(6.5));
        var result = await sp.GetRequiredService<TranscribeJob>().RunAsync(waiting, CancellationToken.None);
        var deferred = (await calls.GetAsync(waiting))!;
        Assert.Null(result);
        Assert.Equal(CallStatus.Transcribing, deferred.Status);
        Assert.Contains("waits for the next night", deferred.Error);
        Assert.True(deferred.NotBefore > clock.GetUtcNow());
        Assert.DoesNotContain(await calls.ListUnfinishedAsync(100), r => r.Id == waiting);
        await calls.MarkFailedAsync(order[2].Id, "call0000.wav: cannot decode the recording");
        var summary = (await sp.GetRequiredService<BatchStore>().RefreshAsync(first.BatchId))!;
        Assert.Equal(("paused", 3, 1, 2), (summary.Status, summary.Total, summary.Failed, summary.Unfinished));
        Assert.Contains("call0000.wav: cannot decode the recording", summary.FailuresJson);

        // The next night takes the left-over calls over and queues them again.
        clock.Advance(TimeSpan.FromHours(18));
        var second = await sp.GetRequiredService<BatchRunner>().RunAsync("schedule");
        var resumed = (await calls.GetAsync(waiting))!;
        // Still in the inbox, so re-registered as duplicates and tied to the new batch before adoption looks for leftovers.
        Assert.Equal((0, 3, 0, 2), (second.New, second.Duplicate, second.Adopted, second.Queued));
        Assert.Equal(second.BatchId, resumed.BatchId);
        Assert.Null(resumed.NotBefore);
        await host.StopAsync();
    }

    [Fact]
    public async Task BatchCommand_ShouldRunAndShowTheSummary_WhenTheInboxIsConfigured()
    {
        await using var db = await TestDatabase.CreateAsync(SqlDialect.Sqlite);
        using var inbox = new TempInbox();
        CallCorpus.Write(Path.Combine(inbox.Dir, "in"), 2);
        var env = ScaleRig.Env(db.StorageSettings);
        env["HOTLINEQA_Batch__InboxFolders__0"] = Path.Combine(inbox.Dir, "in");

        var run = await ScaleRig.RunAsync(inbox.Dir, env, "batch", "run");
        var status = await ScaleRig.RunAsync(inbox.Dir, env, "batch", "status", "--format", "json");
        var bad = await ScaleRig.RunAsync(inbox.Dir, env, "batch", "status", "--last", "0");

        Assert.True(run.Code == 0, run.Err);
        Assert.StartsWith("batch 1: 2 file(s), 2 new, 0 duplicate, 0 rejected", run.Out);
        Assert.True(status.Code == 0, status.Err);
        using var doc = JsonDocument.Parse(status.Out);
        var b = doc.RootElement[0];
        Assert.Equal(("cli", 2, 2), (b.GetProperty("trigger").GetString(), b.GetProperty("found").GetInt32(), b.GetProperty("total").GetInt32()));
        Assert.Equal(2, bad.Code);
    }
}
