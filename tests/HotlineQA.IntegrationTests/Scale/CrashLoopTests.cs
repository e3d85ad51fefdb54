using System.Diagnostics;
using Dapper;
using HotlineQA.IntegrationTests.Pipeline;
using HotlineQA.Storage;
using HotlineQA.TestSupport.Databases;

namespace HotlineQA.IntegrationTests.Scale;

/// <summary>
/// A recording that kills its worker every time: the real `hotlineqa worker` on the embedded default, SIGKILLed
/// mid-step again and again. The step is made to hang without any test hook in production code: the call's sidecar
/// transcript is replaced by a named pipe (FIFO) with no writer, so the transcribe step blocks opening it until the
/// test kills the process. Hangfire does not count such tries; <c>calls.attempts</c> (starts without finishing) does.
/// </summary>
[Collection("pipeline")]
public class CrashLoopTests
{
    private const int MaxAttempts = 3;

    [Fact]
    public async Task Worker_ShouldFailTheCallNamingTheStep_WhenTheStepKillsItsWorkerMoreThanMaxAttemptsTimes()
    {
        await using var rig = await Rig.CreateAsync();

        for (var start = 1; start <= MaxAttempts; start++) await rig.StartAndKillMidStepAsync(start);

        // The next start is one more than MaxAttempts: the call fails at once, the step's work is not tried again.
        using var last = rig.StartWorker();
        var row = await rig.WaitForStatusAsync(CallStatus.Failed, last);
        Assert.Equal(MaxAttempts + 1, row.Attempts);
        Assert.Contains($"transcribe step started {MaxAttempts + 1} times without finishing", row.Error);
        Assert.Contains("the worker stopped mid-step each time", row.Error);
        // Failed for good: no further try comes (Hangfire does not retry StepFailedException) and the worker lives on.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var after = await rig.CallAsync();
        Assert.Equal((CallStatus.Failed, MaxAttempts + 1), (after.Status, after.Attempts));
        Assert.False(last.Process.HasExited, last.Log);
        Assert.Contains("transcribe step failed", last.Log);
    }

    [Fact]
    public async Task Worker_ShouldStillScoreTheCall_WhenItsWorkerIsKilledMidStepMaxAttemptsMinusOneTimes()
    {
        await using var rig = await Rig.CreateAsync();

        for (var start = 1; start < MaxAttempts; start++) await rig.StartAndKillMidStepAsync(start);
        rig.RestoreSidecar();

        // The MaxAttempts-th start finishes: a crash-and-takeover within the limit ends Scored, and the count is reset.
        using var last = rig.StartWorker();
        var row = await rig.WaitForStatusAsync(CallStatus.Scored, last);
        Assert.Equal(0, row.Attempts);
        Assert.Null(row.Error);
        await using var c = await rig.Db.Db.OpenAsync();
        Assert.Equal(1, await c.QuerySingleAsync<long>("SELECT COUNT(*) FROM scores"));
        Assert.Equal(rig.Utterances, await c.QuerySingleAsync<long>("SELECT COUNT(*) FROM utterances"));
    }

    private sealed class Rig : IAsyncDisposable
    {
        private readonly TempInbox _inbox = new();
        private readonly List<ScaleRig.Worker> _dead = [];
        private Dictionary<string, string> _env = null!;
        private string _sidecar = null!;
        private byte[] _sidecarBytes = null!;

        public TestDatabase Db { get; private set; } = null!;

        public int Utterances { get; private set; }

        public static async Task<Rig> CreateAsync()
        {
            var rig = new Rig { Db = await TestDatabase.CreateAsync(SqlDialect.Sqlite) };
            rig.Utterances = ScaleRig.WriteCorpus(Path.Combine(rig._inbox.Dir, "in"), 1);
            rig._env = ScaleRig.Env(rig.Db.StorageSettings);
            rig._env["HOTLINEQA_Pipeline__MaxAttempts"] = MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var ingest = await ScaleRig.RunAsync(rig._inbox.Dir, rig._env, "ingest", "in");
            Assert.True(ingest.Code == 0, ingest.Err);
            var call = await rig.CallAsync();
            Assert.NotNull(call.SidecarPath);
            // The step's hang: the registered sidecar becomes a FIFO nobody writes to (open() blocks in the worker).
            rig._sidecar = Path.GetFullPath(call.SidecarPath!, rig._inbox.Dir);
            rig._sidecarBytes = File.ReadAllBytes(rig._sidecar);
            File.Delete(rig._sidecar);
            using (var mkfifo = Process.Start("mkfifo", [rig._sidecar])) await mkfifo.WaitForExitAsync();
            Assert.True(File.Exists(rig._sidecar), "mkfifo failed");
            return rig;
        }

        public ScaleRig.Worker StartWorker() => new(_inbox.Dir, _env);

        public async Task<CallRow> CallAsync()
        {
            await using var c = await Db.Db.OpenAsync();
            var id = await c.QuerySingleAsync<long>("SELECT id FROM calls");
            return (await new CallStore(Db.Db, TimeProvider.System).GetAsync(id))!;
        }

        /// <summary>Starts a worker, waits until the transcribe step has started for the <paramref name="start"/>-th time (it hangs on the FIFO), SIGKILLs it.</summary>
        public async Task StartAndKillMidStepAsync(int start)
        {
            var worker = StartWorker();
            _dead.Add(worker);
            var sw = Stopwatch.StartNew();
            while (true)
            {
                var row = await CallAsync();
                if (row.Status == CallStatus.Transcribing && row.Attempts == start) break;
                Assert.False(row.Status is CallStatus.Failed or CallStatus.Scored, $"start {start}: call is {row.Status} ({row.Error})\n{worker.Log}");
                Assert.False(worker.Process.HasExited, $"start {start}: the worker exited\n{worker.Log}");
                Assert.True(sw.Elapsed < TimeSpan.FromMinutes(3), $"start {start}: timed out, call {row.Status}, attempts {row.Attempts}\n{worker.Log}");
                await Task.Delay(100);
            }
            // Let the step reach the blocking open(); killing it earlier would be a mid-step death all the same.
            await Task.Delay(500);
            Assert.Equal(CallStatus.Transcribing, (await CallAsync()).Status);
            worker.Kill();
            await worker.Process.WaitForExitAsync();
        }

        public async Task<CallRow> WaitForStatusAsync(string status, ScaleRig.Worker worker)
        {
            var sw = Stopwatch.StartNew();
            while (true)
            {
                var row = await CallAsync();
                if (row.Status == status) return row;
                Assert.True(sw.Elapsed < TimeSpan.FromMinutes(3), $"timed out waiting for {status}: call {row.Status}, attempts {row.Attempts}, {row.Error}\n{worker.Log}");
                await Task.Delay(100);
            }
        }

        public void RestoreSidecar()
        {
            File.Delete(_sidecar);
            File.WriteAllBytes(_sidecar, _sidecarBytes);
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var w in _dead) w.Dispose();
            _inbox.Dispose();
            await Db.DisposeAsync();
        }
    }
}
