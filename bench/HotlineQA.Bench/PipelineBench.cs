using System.Diagnostics;
using System.Globalization;
using HotlineQA.Storage;
using HotlineQA.TestSupport;
using HotlineQA.TestSupport.Databases;
using HotlineQA.TestSupport.Pipeline;

namespace HotlineQA.Bench;

/// <summary>
/// The whole pipeline through the real executable on PostgreSQL: `hotlineqa ingest` registers N generated real-speech
/// calls with sidecar transcripts, then 1 and then 2 `hotlineqa worker` processes (each 2 default + 1 transcribe
/// workers) decode, analyse, load the transcript and score them. Prints calls per hour per worker process, the
/// scaling from 1 to 2 processes as a ratio (1 process = 1.00), and rows written per second.
/// </summary>
public sealed class PipelineBench : IBenchmark
{
    public string Name => "pipeline";
    public string Description => "calls/hour per worker process (audio + scoring), 1 → 2 worker processes on PostgreSQL, DB write rows/s (args: [calls=80])";

    public async Task RunAsync(string[] args)
    {
        var n = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 80;
        var dir = Path.Combine(Path.GetTempPath(), "hotlineqa-bench-pipeline-" + Guid.NewGuid().ToString("N"));
        try
        {
            CallCorpus.Write(Path.Combine(dir, "in"), n);
            var results = new List<(int Processes, double Seconds, long Rows)>();
            foreach (var processes in new[] { 1, 2 })
            {
                await using var db = await TestDatabase.CreateAsync(SqlDialect.Postgres);
                var env = Env(db);
                await RunToEndAsync(dir, env, "ingest", "in");
                var workers = Enumerable.Range(0, processes).Select(_ => Start(dir, env, "worker")).ToList();
                var sw = Stopwatch.StartNew();
                try
                {
                    while (true)
                    {
                        var counts = await new CallStore(db.Db, TimeProvider.System).CountByStatusAsync();
                        if (counts.GetValueOrDefault("scored") + counts.GetValueOrDefault("failed") >= n) break;
                        if (sw.Elapsed > TimeSpan.FromMinutes(15)) throw new TimeoutException($"{processes} worker process(es) did not finish {n} calls in 15 minutes");
                        await Task.Delay(200);
                    }
                    sw.Stop();
                }
                finally
                {
                    foreach (var w in workers) { w.Kill(); await w.WaitForExitAsync(); w.Dispose(); }
                }
                var rows = await RowsAsync(db.Db);
                results.Add((processes, sw.Elapsed.TotalSeconds, rows));
                Console.WriteLine($"  {processes} worker process(es): {n} calls in {sw.Elapsed.TotalSeconds:F1} s (from worker start, includes process start-up)");
            }
            var perProcess1 = n / results[0].Seconds * 3600;
            Console.WriteLine($"\n  {"worker processes",-18} {"calls/h total",14} {"calls/h/process",16} {"vs 1 process",13} {"rows/s written",15}");
            foreach (var (p, s, rows) in results)
            {
                var total = n / s * 3600;
                Console.WriteLine($"  {p,-18} {total,14:F0} {total / p,16:F0} {total / perProcess1,12:F2}x {rows / s,15:F0}");
            }
            Console.WriteLine($"  (calls of 3–6 s real speech, stereo; sidecar transcripts; {Environment.ProcessorCount} cores shared with the machine's other load)");
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    private static Dictionary<string, string> Env(TestDatabase db) => new()
    {
        ["HOTLINEQA_Storage__Provider"] = "postgres",
        ["HOTLINEQA_Storage__ConnectionString"] = db.ConnectionString,
        ["HOTLINEQA_Audio__VadModelPath"] = TestPaths.Shared("data/silero-vad/silero_vad.onnx"),
        ["HOTLINEQA_Pipeline__SweepInterval"] = "00:00:01",
        ["HOTLINEQA_Pipeline__Workers"] = "2",
        ["HOTLINEQA_Pipeline__TranscribeWorkers"] = "1",
        ["HOTLINEQA_Logging__LogLevel__Default"] = "Warning",
    };

    /// <summary>Rows the pipeline wrote: utterances, scores, findings (plus one update per step of each call row).</summary>
    private static async Task<long> RowsAsync(HotlineDatabase db)
    {
        await using var c = await db.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT (SELECT COUNT(*) FROM utterances) + (SELECT COUNT(*) FROM scores) + (SELECT COUNT(*) FROM findings) + 3 * (SELECT COUNT(*) FROM calls)";
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static Process Start(string dir, Dictionary<string, string> env, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "hotlineqa.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env) psi.Environment[k] = v;
        var p = Process.Start(psi)!;
        // Drain the pipes so a chatty worker never blocks on a full buffer.
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    private static async Task RunToEndAsync(string dir, Dictionary<string, string> env, params string[] args)
    {
        using var p = Start(dir, env, args);
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"hotlineqa {string.Join(' ', args)} exited {p.ExitCode}");
    }
}
