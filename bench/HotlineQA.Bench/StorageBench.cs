using System.Diagnostics;
using System.Globalization;
using HotlineQA.Scoring;
using HotlineQA.Storage;
using HotlineQA.TestSupport.Databases;
using HotlineQA.Transcription;

namespace HotlineQA.Bench;

/// <summary>
/// Rows written per second through the real stores, the way the pipeline writes them (register a call, then per
/// call one transaction with its utterances and one with its score and findings), on a SQLite file and on
/// PostgreSQL; sequential and with several concurrent writers. SQLite sequential is the baseline (1.00).
/// </summary>
public sealed class StorageBench : IBenchmark
{
    public string Name => "storage";
    public string Description => "rows/s written by the stores: SQLite vs PostgreSQL, 1 and 4 writers (args: [calls=300])";

    private const int UtterancesPerCall = 40;
    private const int FindingsPerCall = 20;

    public async Task RunAsync(string[] args)
    {
        var calls = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 300;
        var results = new List<(string Label, double RowsPerSec)>();
        foreach (var dialect in new[] { SqlDialect.Sqlite, SqlDialect.Postgres })
            foreach (var writers in new[] { 1, 4 })
            {
                await using var t = await TestDatabase.CreateAsync(dialect);
                await WriteAsync(t.Db, 10, 1); // warm-up: JIT, pools, statement caches
                var sw = Stopwatch.StartNew();
                var rows = await WriteAsync(t.Db, calls, writers);
                sw.Stop();
                results.Add(($"{dialect,-8} {writers} writer{(writers == 1 ? " " : "s")}", rows / sw.Elapsed.TotalSeconds));
                Console.WriteLine($"  {dialect,-8} {writers} writer(s): {rows} rows in {sw.Elapsed.TotalSeconds:F2} s");
            }
        var baseline = results[0].RowsPerSec;
        Console.WriteLine($"\n  {"database / writers",-22} {"rows/s",10} {"vs SQLite, 1 writer",22}");
        foreach (var (label, rps) in results)
            Console.WriteLine($"  {label,-22} {rps,10:F0} {rps / baseline,21:F2}x");
        Console.WriteLine($"  (per call: 1 call row, {UtterancesPerCall} utterances, 1 score, {FindingsPerCall} findings; one transaction per step)");
    }

    private static async Task<long> WriteAsync(HotlineDatabase db, int calls, int writers)
    {
        var store = new CallStore(db, TimeProvider.System);
        var utterances = new UtteranceStore(db);
        var scores = new ScoreStore(db, TimeProvider.System);
        var transcript = Enumerable.Range(0, UtterancesPerCall).Select(i => new Utterance
        {
            Speaker = i % 2 == 0 ? Speakers.Agent : Speakers.Customer, Start = i * 3, End = i * 3 + 2.5, Text = "您好,这里是客服热线,请问有什么可以帮您?", Confidence = 0.93,
        }).ToList();
        var result = new ScoreResult
        {
            RubricVersion = "bench", Score = 82.5, Flagged = true, FlagReasons = ["ESCALATION_RISK"],
            Findings = Enumerable.Range(0, FindingsPerCall).Select(i => new Finding
            {
                Item = $"ITEM_{i}", Result = Results.Pass, Severity = "major", Confidence = 0.9,
                Evidence = [new Evidence { Utterance = i, Speaker = Speakers.Agent, Start = i, End = i + 1, Text = "您好" }],
            }).ToList(),
        };
        var next = 0;
        long rows = 0;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) is var n && n <= calls)
            {
                var (id, _) = await store.RegisterAsync(new NewCall
                {
                    CallKey = $"bench-{n}", ContentSha256 = Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"), SizeBytes = 1, SourcePath = "/bench.wav",
                });
                await utterances.ReplaceAsync(id, transcript);
                await scores.SaveAsync(id, result);
                Interlocked.Add(ref rows, 1 + UtterancesPerCall + 1 + FindingsPerCall);
            }
        })));
        return rows;
    }
}
