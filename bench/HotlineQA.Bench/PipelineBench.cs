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
/// workers) decode, analyse, transcribe (sidecar, or Whisper with a model given) and score them. Prints calls per hour
/// per worker process, the scaling from 1 to 2 processes as a ratio (1 process = 1.00), rows written per second, and
/// the share of transcribe workers busy while calls were waiting for transcription (sampled from Hangfire's queue).
/// </summary>
public sealed class PipelineBench : IBenchmark
{
    public string Name => "pipeline";
    public string Description => "calls/hour per worker process, 1 → 2 worker processes on PostgreSQL, DB write rows/s, transcribe workers busy (args: [calls=80] [whisper model file or folder: transcribe with Whisper instead of sidecars] [transcribe workers per process=1])";

    private const int DefaultWorkers = 2;

    public async Task RunAsync(string[] args)
    {
        var n = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 80;
        var whisper = args.Length > 1 && args[1] is { Length: > 0 } m && m != "-" ? Path.GetFullPath(m) : null;
        var transcribeWorkers = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1;
        var dir = Path.Combine(Path.GetTempPath(), "hotlineqa-bench-pipeline-" + Guid.NewGuid().ToString("N"));
        try
        {
            CallCorpus.Write(Path.Combine(dir, "in"), n);
            // With a Whisper model the calls are transcribed for real: no sidecars.
            if (whisper is not null) foreach (var f in Directory.GetFiles(Path.Combine(dir, "in"), "*.transcript.json")) File.Delete(f);
            var results = new List<(int Processes, double Seconds, long Rows, double Busy)>();
            foreach (var processes in new[] { 1, 2 })
            {
                await using var db = await TestDatabase.CreateAsync(SqlDialect.Postgres);
                var env = Env(db, whisper, transcribeWorkers);
                await RunToEndAsync(dir, env, "ingest", "in");
                var workers = Enumerable.Range(0, processes).Select(_ => Start(dir, env, "worker")).ToList();
                var sw = Stopwatch.StartNew();
                var busySamples = new List<double>();
                try
                {
                    while (true)
                    {
                        var counts = await new CallStore(db.Db, TimeProvider.System).CountByStatusAsync();
                        if (counts.GetValueOrDefault("scored") + counts.GetValueOrDefault("failed") >= n) break;
                        // Only while a call waits for (or is in) transcription could every transcribe worker be busy.
                        if (counts.GetValueOrDefault("transcribing") > 0)
                            busySamples.Add(await TranscribingNowAsync(db.Db) / (double)(processes * transcribeWorkers));
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
                results.Add((processes, sw.Elapsed.TotalSeconds, rows, busySamples.Count == 0 ? double.NaN : busySamples.Average()));
                Console.WriteLine($"  {processes} worker process(es): {n} calls in {sw.Elapsed.TotalSeconds:F1} s (from worker start, includes process start-up)");
            }
            var perProcess1 = n / results[0].Seconds * 3600;
            Console.WriteLine($"\n  {"worker processes",-18} {"calls/h total",14} {"calls/h/process",16} {"vs 1 process",13} {"rows/s written",15} {"transcribe busy",16}");
            foreach (var (p, s, rows, busy) in results)
            {
                var total = n / s * 3600;
                Console.WriteLine($"  {p,-18} {total,14:F0} {total / p,16:F0} {total / perProcess1,12:F2}x {rows / s,15:F0} {(double.IsNaN(busy) ? "-" : busy.ToString("P0", CultureInfo.InvariantCulture)),16}");
            }
            Console.WriteLine($"  (calls of 3–6 s real speech, stereo; {(whisper is null ? "sidecar transcripts" : "Whisper " + whisper)}; {DefaultWorkers} default + {transcribeWorkers} transcribe workers per process;");
            Console.WriteLine($"   transcribe busy = mean share of transcribe workers running a job, sampled every 200 ms while calls were in 'transcribing'; {Environment.ProcessorCount} cores shared with the machine's other load)");
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    private static Dictionary<string, string> Env(TestDatabase db, string? whisper, int transcribeWorkers)
    {
        var env = new Dictionary<string, string>
        {
            ["HOTLINEQA_Storage__Provider"] = "postgres",
            ["HOTLINEQA_Storage__ConnectionString"] = db.ConnectionString,
            ["HOTLINEQA_Audio__VadModelPath"] = TestPaths.Shared("data/silero-vad/silero_vad.onnx"),
            ["HOTLINEQA_Pipeline__Workers"] = DefaultWorkers.ToString(CultureInfo.InvariantCulture),
            ["HOTLINEQA_Pipeline__TranscribeWorkers"] = transcribeWorkers.ToString(CultureInfo.InvariantCulture),
            ["HOTLINEQA_Logging__LogLevel__Default"] = "Warning",
        };
        if (whisper is not null) env["HOTLINEQA_Whisper__ModelPath"] = whisper;
        return env;
    }

    /// <summary>Transcribe jobs a worker has fetched and not finished (Hangfire.PostgreSql's queue table, schema <c>hangfire</c>).</summary>
    private static async Task<long> TranscribingNowAsync(HotlineDatabase db)
    {
        await using var c = await db.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM hangfire.jobqueue WHERE queue = 'transcribe' AND fetchedat IS NOT NULL";
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

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
