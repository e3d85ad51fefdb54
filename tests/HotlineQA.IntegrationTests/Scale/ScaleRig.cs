using System.Diagnostics;
using Dapper;
using HotlineQA.Storage;
using HotlineQA.TestSupport;
using HotlineQA.TestSupport.Pipeline;

namespace HotlineQA.IntegrationTests.Scale;

/// <summary>A generated inbox of many short real-speech stereo calls with sidecars, and the real `hotlineqa` executable run as separate processes.</summary>
internal static class ScaleRig
{
    /// <inheritdoc cref="CallCorpus.Write"/>
    public static int WriteCorpus(string dir, int count) => CallCorpus.Write(dir, count);

    /// <summary>Settings every process of a test shares: the database, the VAD model, takeover after one minute.</summary>
    public static Dictionary<string, string> Env(IReadOnlyDictionary<string, string?> storage) => new()
    {
        ["HOTLINEQA_Storage__Provider"] = storage["Storage:Provider"]!,
        ["HOTLINEQA_Storage__ConnectionString"] = storage["Storage:ConnectionString"]!,
        ["HOTLINEQA_Audio__VadModelPath"] = TestPaths.Shared("data/silero-vad/silero_vad.onnx"),
        ["HOTLINEQA_Pipeline__TakeoverAfter"] = "00:01:00",
        ["HOTLINEQA_Pipeline__RetryDelay"] = "00:00:01",
        ["HOTLINEQA_Pipeline__Workers"] = "2",
        ["HOTLINEQA_Pipeline__TranscribeWorkers"] = "1",
        ["HOTLINEQA_Logging__LogLevel__Default"] = "Warning",
        ["DOTNET_gcServer"] = "0",
    };

    public static Task<(int Code, string Out, string Err)> RunAsync(string workDir, IDictionary<string, string> env, params string[] args) =>
        HotlineqaCli.RunAsync(workDir, env, TimeSpan.FromSeconds(180), args);

    public static Process Start(string workDir, IDictionary<string, string> env, params string[] args) => HotlineqaCli.Start(workDir, env, args);

    /// <summary>A `hotlineqa worker` process whose output is collected (shown when a test fails).</summary>
    public sealed class Worker : IDisposable
    {
        private readonly System.Text.StringBuilder _log = new();

        public Worker(string workDir, IDictionary<string, string> env, params string[] verb)
        {
            Process = Start(workDir, env, verb.Length == 0 ? ["worker"] : verb);
            Process.OutputDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
            Process.ErrorDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
            Process.BeginOutputReadLine();
            Process.BeginErrorReadLine();
        }

        public Process Process { get; }

        public string Log { get { lock (_log) return _log.ToString(); } }

        /// <summary>SIGKILL: no shutdown, nothing handed back — a machine losing power.</summary>
        public void Kill() => Process.Kill(entireProcessTree: false);

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                // SIGTERM first: Hangfire requeues the jobs in flight and leaves its server list tidy.
                using (var term = System.Diagnostics.Process.Start("kill", ["-TERM", Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) term.WaitForExit();
                if (!Process.WaitForExit(20_000)) Process.Kill();
            }
            Process.Dispose();
        }
    }

    public static async Task<Dictionary<string, int>> StatusCountsAsync(HotlineDatabase db)
    {
        await using var c = await db.OpenAsync();
        return (await c.QueryAsync<(string, long)>("SELECT status, COUNT(*) FROM calls GROUP BY status")).ToDictionary(r => r.Item1, r => (int)r.Item2);
    }

    public static async Task WaitAsync(Func<Dictionary<string, int>, bool> until, HotlineDatabase db, TimeSpan timeout, Func<string> explain)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            var counts = await DbRetry.RunAsync(() => StatusCountsAsync(db), CancellationToken.None);
            if (until(counts)) return;
            if (sw.Elapsed > timeout)
                Assert.Fail($"timed out after {timeout}: {string.Join(", ", counts.Select(kv => $"{kv.Key}={kv.Value}"))}\n{explain()}");
            await Task.Delay(250);
        }
    }

    /// <summary>The "exactly once" checks: one score per call, one finding per item, each call's utterances exactly the sidecar's.</summary>
    public static async Task AssertExactlyOnceAsync(HotlineDatabase db, int calls, int utterancesPerCall, string reasonOfPoison)
    {
        await using var c = await db.OpenAsync();
        var scored = await c.QuerySingleAsync<long>("SELECT COUNT(*) FROM calls WHERE status = 'scored'");
        Assert.Equal(calls, scored);
        var dupScores = await c.QuerySingleAsync<long>("SELECT COUNT(*) FROM (SELECT call_id FROM scores GROUP BY call_id HAVING COUNT(*) > 1) d");
        Assert.Equal(0, dupScores);
        Assert.Equal(calls, await c.QuerySingleAsync<long>("SELECT COUNT(*) FROM scores"));
        var dupFindings = await c.QuerySingleAsync<long>("SELECT COUNT(*) FROM (SELECT score_id, item FROM findings GROUP BY score_id, item HAVING COUNT(*) > 1) d");
        Assert.Equal(0, dupFindings);
        // Every scored call has the same transcript, so the same number of findings: a second write would show as a different count.
        var findingCounts = (await c.QueryAsync<long>("SELECT COUNT(*) FROM findings GROUP BY score_id")).Distinct().ToList();
        Assert.Single(findingCounts);
        var wrongUtterances = await c.QuerySingleAsync<long>(
            "SELECT COUNT(*) FROM (SELECT c.id FROM calls c LEFT JOIN utterances u ON u.call_id = c.id WHERE c.status = 'scored' GROUP BY c.id HAVING COUNT(u.idx) <> @n) d",
            new { n = utterancesPerCall });
        Assert.Equal(0, wrongUtterances);
        var poison = await c.QuerySingleAsync<(string Status, string? Error)>("SELECT status, error FROM calls WHERE call_key = 'poison'");
        Assert.Equal("failed", poison.Status);
        Assert.Contains(reasonOfPoison, poison.Error);
    }
}
